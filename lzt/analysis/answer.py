"""问数 answers: run what ``lzt.search.ask`` understood through the same code ``lzt stats``,
``lzt query`` and ``lzt check`` run, and say exactly which command that was.

``ask(ws, question, as_of=...)`` returns an ``Answer`` whose ``to_json()`` is the contract of
``lzt ask --json``: ``understood``, ``query`` (the lzt command, its CQL2 filter and stats
arguments), ``answer`` (a number, or a name for "which" questions), ``rows``, ``refused`` and
``reason``, and ``data_range`` (the dates the complaint records cover, said in the answer as
数据截至 ...; a question whose time window lies wholly outside them is refused saying so, one
that reaches past them is answered with that said). ``text`` is recorded as parts too
(``text_said``, ``lzt.search.explain``), so that ``sentence("en")`` says it in English. Whenever the question was not fully understood, or the data cannot settle it (a
tie is reported as a tie, a share of nothing is refused), it refuses and says why.
Counts of complaint records are counts, never personal data: no record is returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from lzt.analysis.coded_columns import coded, count_by
from lzt.analysis.complaints import BY_FIELDS, stats_by_field
from lzt.core.errors import LztInputError
from lzt.query import expr as cql
from lzt.search.ask import Understood, parse
from lzt.search.explain import Said, join
from lzt.search.timephrase import Window, previous
from lzt.workspace.base import Workspace
from lzt.workspace.value_counts import value_counts

TIME_FIELD = "received_at"
#: the group of records whose field is empty
EMPTY = "（空）"


@dataclass
class Answer:
    understood: Understood
    query: dict[str, Any] = field(default_factory=dict)
    answer: Any = None
    rows: list[dict] = field(default_factory=list)
    refused: bool = False
    reason: str = ""
    text: str = ""  # the answer in a sentence
    data_range: dict | None = None  # {"from", "to", "field", "window": inside|partial|outside} (complaints)
    reason_said: Said | None = None  # ``reason`` as parts, for other languages (not in the JSON)
    text_said: list[Said] = field(default_factory=list)  # ``text`` as parts (not in the JSON)
    row_said: dict[str, Said] = field(default_factory=dict)  # row cells that are not data values, as parts

    def explain(self, lang: str = "zh") -> tuple[str, str]:
        """(what was understood, why it was refused) in ``lang`` ("zh" as in the JSON, or "en")."""
        reason = self.reason_said.text(lang) if self.reason_said is not None else self.reason
        return join(self.understood.said, lang), reason

    def sentence(self, lang: str = "zh") -> str:
        """``text`` in ``lang`` ("zh" is ``text`` itself, or "en")."""
        return "".join(p.text(lang) for p in self.text_said) if self.text_said else self.text

    def rows_in(self, lang: str = "zh") -> list[dict]:
        """``rows`` with the cells that are not data values (合计, （空）, a period, a level) in ``lang``."""
        said = self.row_said
        return [{k: said[v].text(lang) if isinstance(v, str) and v in said else v for k, v in r.items()}
                for r in self.rows]

    def to_json(self) -> dict:
        return {"understood": self.understood.to_json(), "query": self.query, "answer": self.answer,
                "rows": self.rows, "refused": self.refused, "reason": self.reason, "text": self.text,
                "data_range": self.data_range}


class Refusal(Exception):
    """The question cannot be answered exactly; the message (Chinese) and ``said`` say why."""

    def __init__(self, key: str, **params: Any) -> None:
        self.said = Said(key, params)
        super().__init__(self.said.text("zh"))


def ask(ws: Workspace, question: str, *, as_of: date | None = None) -> Answer:
    """Answer ``question`` about ``ws`` (dates relative to ``as_of``, default today)."""
    as_of = as_of or date.today()
    u = parse(ws, question, as_of=as_of)
    a = Answer(u)
    try:
        if u.problems:
            raise Refusal("problems", items=list(u.problems_said))
        if u.unknown:
            raise Refusal("unknown_known", items=list(u.unknown), known=list(u.said)) if u.said else \
                Refusal("unknown", items=list(u.unknown))
        {"complaints": _complaints, "idle_land": _idle_land, "bim": _bim, "buildings": _buildings,
         "poi_near": _poi_near, "where": _where}[u.subject](ws, u, a)
    except Refusal as exc:
        a.refused, a.reason, a.answer, a.rows = True, str(exc), None, []
        a.reason_said = exc.said
        a.text_said = [Said("refused", {"reason": exc.said})]
    except LztInputError as exc:
        a.refused, a.reason, a.answer, a.rows = True, str(exc), None, []
        a.text_said = [Said("cannot", {"reason": str(exc)})]
    if a.data_range is not None and not a.refused:
        a.text_said.append(_range_note(a.data_range, u.window))
    a.text = a.sentence("zh")
    return a


def _say(a: Answer, key: str, **params: Any) -> None:
    """The answer's sentence: ``explain.TEMPLATES[key]`` with ``params``."""
    a.text_said = [Said(key, params)]


# -- complaints ------------------------------------------------------------------------------

def _place_filter(ws: Workspace, u: Understood) -> list[tuple[str, str, Any]]:
    """The place as a filter on the record's own street/community field (as lzt stats groups)."""
    p = u.place
    if p is None or p["level"] == "区":
        return []
    if p["level"] not in ("街道", "社区"):
        raise Refusal("place_level", level=p["level"], name=p["name"])
    f = "street" if p["level"] == "街道" else "community"
    if f not in ws.fields(u.layer):
        raise Refusal("no_place_field", field=f, level=p["level"])
    values = {v for v in value_counts(ws, u.layer, f) if v is not None}
    name = p["name"]
    forms = [name, name + p["level"], name.removesuffix(p["level"])]
    hit = [v for v in forms if v in values]
    if not hit:
        raise Refusal("place_not_in_records", level=p["level"], name=name)
    out = [(f, "=", hit[0])]
    if f == "community" and p.get("street") and "street" in ws.fields(u.layer):
        out.insert(0, ("street", "=", p["street"]))  # a community name may repeat in another street
    return out


def _cql(filters: list[tuple[str, str, Any]], window: Window | None) -> str:
    parts = []
    for f, op, v in filters:
        if op in ("in", "not in"):
            parts.append(f"{cql.quote_field(f)} {op.upper()} ({', '.join(cql.quote_literal(x) for x in v)})")
        else:
            parts.append(f"{cql.quote_field(f)} {op} {cql.quote_literal(v)}")
    if window is not None:
        parts.append(f"{TIME_FIELD} >= TIMESTAMP('{window.start.isoformat()}T00:00:00')")
        parts.append(f"{TIME_FIELD} < TIMESTAMP('{(window.end + timedelta(days=1)).isoformat()}T00:00:00')")
    return " AND ".join(parts)


def _stats(ws: Workspace, u: Understood, by: str, filters, window: Window | None) -> tuple[list[dict], dict]:
    """``lzt stats --by BY --where ... --from --to`` through ``stats_by_field``, and its description."""
    text = _cql(filters, None)
    rows = _coded_rows(ws, u.layer, by, filters, window)
    if rows is None:  # the GROUP BY in the database (same rows)
        where = cql.parse(text, fields=ws.fields(u.layer)) if text else None
        rows = stats_by_field(ws, u.layer, by, date_from=window.start if window else None,
                              date_to=window.end if window else None, where=where)
    args = {"layer": u.layer, "by": by, "where": text or None,
            "from": window.start.isoformat() if window else None, "to": window.end.isoformat() if window else None}
    cmd = f"lzt stats WS {u.layer} --by {by}" + (f' --where "{text}"' if text else "") + \
        (f" --from {window.start} --to {window.end}" if window else "")
    return rows, {"command": cmd, "stats": args, "cql": _cql(filters, window)}


def _coded_rows(ws: Workspace, layer: str, by: str, filters, window: Window | None) -> list[dict] | None:
    """``stats_by_field``'s rows counted over the coded fields (``coded_columns``), or None."""
    if by not in BY_FIELDS or BY_FIELDS[by] not in ws.fields(layer):
        return None
    c = coded(ws, layer)
    if c is None:
        return None
    span = (window.start, window.end) if window else (None, None)
    counted = count_by(c, BY_FIELDS[by], list(filters), span, month=by == "month")
    if counted is None:
        return None
    merged: dict[str, int] = {}
    for k, v in counted.items():
        key = EMPTY if k is None or (by == "month" and not str(k)[:4].isdigit()) else str(k)
        merged[key] = merged.get(key, 0) + int(v)
    rows = [{"key": k, "count": v} for k, v in merged.items()]
    rows.sort(key=lambda r: (-r["count"], r["key"]))
    return rows


def _domain(ws: Workspace, layer: str, field: str) -> set[str]:
    """Every value ``field`` has in ``layer`` (what no record in scope has counts 0 for 最少)."""
    c = coded(ws, layer)
    if c is not None and field in c.values:
        return {v for v in c.values[field] if v is not None}
    return {str(k) for k in ws.count_values(layer, field) if k is not None}


def _total(rows: list[dict]) -> int:
    return int(sum(r["count"] for r in rows))


def data_range(ws: Workspace, layer: str) -> tuple[date, date] | None:
    """The first and last day of the records' ``received_at`` (one GROUP BY in the database,
    kept for the layer's stamp), or None when no record has a date."""
    days = []
    for k in value_counts(ws, layer, TIME_FIELD, prefix=10):
        try:
            days.append(date.fromisoformat(str(k)[:10]))
        except ValueError:  # None, empty or not a date
            continue
    return (min(days), max(days)) if days else None


def _window_vs_data(window: Window | None, span: tuple[date, date]) -> str:
    if window is None or (window.start >= span[0] and window.end <= span[1]):
        return "inside"
    if window.start > span[1] or window.end < span[0]:
        return "outside"
    return "partial"


def _range_note(rng: dict, window: Window | None) -> Said:
    if rng.get("window") == "partial":
        return Said("data_partial", {"from": rng["from"], "to": rng["to"], "label": window.label,
                                     "start": window.start.isoformat(), "end": window.end.isoformat()})
    return Said("data_to", {"to": rng["to"]})


def _check_window(ws: Workspace, u: Understood, a: Answer) -> None:
    """Note the dates the records cover; refuse a time window wholly outside them (its count
    would be 0 for want of data, not for want of complaints)."""
    span = data_range(ws, u.layer)
    if span is None:
        return
    where = _window_vs_data(u.window, span)
    a.data_range = {"from": span[0].isoformat(), "to": span[1].isoformat(), "field": TIME_FIELD, "window": where}
    if where == "outside":
        side = "之后" if u.window.start > span[1] else "之前"
        raise Refusal("outside_data", first=span[0].isoformat(), last=span[1].isoformat(),
                      start=u.window.start.isoformat(), end=u.window.end.isoformat(), side=side)


def _complaints(ws: Workspace, u: Understood, a: Answer) -> None:
    _check_window(ws, u, a)
    filters = _place_filter(ws, u) + list(u.filters)
    group = u.group_by
    if group is not None and group not in BY_FIELDS:
        raise Refusal("bad_group", group=group)
    if u.measure in ("max", "min", "top") and group is None:
        raise Refusal("rank_without_group")
    if u.which and u.measure not in ("max", "min", "top"):
        raise Refusal("which_without_rank")
    if u.measure in ("mom", "yoy"):
        _change(ws, u, a, filters)
        return
    if u.measure == "share":
        _share(ws, u, a, filters)
        return
    rows, a.query = _stats(ws, u, group or "status", filters, u.window)
    a.row_said[EMPTY] = Said("row_empty")
    if group is None:
        a.answer = _total(rows)
        a.rows = [{"key": "合计", "count": a.answer}]
        a.row_said["合计"] = Said("row_total")
        _say(a, "total", scope=_scope(u), n=f"{a.answer:,}")
        return
    if u.measure == "rows":
        a.rows = sorted(rows, key=lambda r: r["key"]) if group == "month" else rows
        a.answer = _total(rows)
        _say(a, "total_groups", scope=_scope(u), n=f"{a.answer:,}", groups=len(rows))
        return
    rows = [r for r in rows if r["key"] != EMPTY]
    if u.measure == "min":
        # values of the field that no record in scope has are the least (0)
        domain = _domain(ws, u.layer, BY_FIELDS[group]) if group != "month" else set()
        counted = {r["key"] for r in rows}
        rows = rows + [{"key": k, "count": 0} for k in sorted(domain - counted)]
        rows.sort(key=lambda r: (r["count"], r["key"]))
    if not rows:
        raise Refusal("nothing_to_compare", scope=_scope(u))
    if u.measure == "top":
        n = u.top_n or 1
        if len(rows) > n and rows[n - 1]["count"] == rows[n]["count"]:
            raise Refusal("tie_at_n", n=n, n1=n + 1, a=rows[n - 1]["key"], b=rows[n]["key"],
                          count=rows[n]["count"])
        a.rows = rows[:n]
        a.answer = "、".join(r["key"] for r in a.rows)
        _say(a, "top_n", scope=_scope(u), n=n,
             items=[Said("ranked", {"key": r["key"], "n": f"{r['count']:,}"}) for r in a.rows])
        return
    best = rows[0]["count"]
    tied = [r for r in rows if r["count"] == best]
    a.rows = tied
    a.answer = "、".join(r["key"] for r in tied)
    _say(a, "extreme_tied" if len(tied) > 1 else "extreme", scope=_scope(u), word="最多" if u.measure == "max" else "最少",
         keys=[r["key"] for r in tied], n=f"{best:,}")


def _period(w: Window) -> Said:
    return Said("period", {"label": w.label, "from": w.start.isoformat(), "to": w.end.isoformat()})


def _scope(u: Understood) -> Said:
    """What was counted: the period, the place and the values filtered on (as they are)."""
    parts = [_period(u.window) if u.window else Said("all_time")]
    if u.place and u.place["level"] != "区":
        name, level = u.place["name"], u.place["level"]
        parts.append(Said("in_place", {"name": name, "suffix": "" if name.endswith(level) else level}))
    parts += [Said("value", {"value": list(v) if isinstance(v, tuple) else str(v)})
              for f, op, v in u.filters if op != "not in"]
    parts += [Said("not_finished") for f, op, v in u.filters if op == "not in"]
    return Said("scope", {"items": parts})


def _share(ws: Workspace, u: Understood, a: Answer, filters) -> None:
    if u.group_by is not None:
        raise Refusal("share_grouped")
    topic = [f for f in filters if f[0] in ("cat_l1", "cat_l2")]
    place = [f for f in filters if f[0] in ("street", "community")]
    others = [f for f in filters if f not in topic and f not in place]
    if topic:
        whole = place + others
    elif place and others:
        whole = place  # 龙城街道未办结的占比: of 龙城's records
    elif place:
        whole = others
    elif others:
        whole = []
    else:
        raise Refusal("share_of_what")
    part_rows, q = _stats(ws, u, "status", filters, u.window)
    whole_rows, q_whole = _stats(ws, u, "status", whole, u.window)
    part, total = _total(part_rows), _total(whole_rows)
    if total == 0:
        raise Refusal("share_of_nothing", scope=_scope(u))
    a.query = {**q, "whole": q_whole}
    a.answer = round(100.0 * part / total, 1)
    a.rows = [{"key": "部分", "count": part}, {"key": "总数", "count": total}]
    a.row_said.update({"部分": Said("row_part"), "总数": Said("row_whole")})
    _say(a, "share", scope=_scope(u), part=f"{part:,}", total=f"{total:,}", pct=str(a.answer))


def _change(ws: Workspace, u: Understood, a: Answer, filters) -> None:
    if u.window is None:
        raise Refusal("change_needs_window")
    if u.group_by is not None:
        raise Refusal("change_grouped")
    before = previous(u.window, year_ago=u.measure == "yoy")
    now_rows, q = _stats(ws, u, "status", filters, u.window)
    then_rows, q_then = _stats(ws, u, "status", filters, before)
    now, then = _total(now_rows), _total(then_rows)
    if then == 0:
        raise Refusal("change_of_nothing", label=before.label, word="同比" if u.measure == "yoy" else "环比",
                      **{"from": before.start.isoformat(), "to": before.end.isoformat()})
    a.query = {**q, "compared_with": q_then}
    a.answer = round(100.0 * (now - then) / then, 1)
    a.rows = [{"key": u.window.label, "count": now}, {"key": before.label, "count": then}]
    a.row_said.update({u.window.label: _period(u.window), before.label: _period(before)})
    _say(a, "change_up" if a.answer >= 0 else "change_down", scope=_scope(u), now=f"{now:,}",
         word="同比" if u.measure == "yoy" else "环比", pct=str(abs(a.answer)), label=before.label,
         then=f"{then:,}", **{"from": before.start.isoformat(), "to": before.end.isoformat()})


# -- other layers ----------------------------------------------------------------------------

def _only_counts(u: Understood) -> None:
    if u.measure not in ("count",) or u.group_by or u.filters or u.window:
        raise Refusal("only_counts")


def _idle_land(ws: Workspace, u: Understood, a: Answer) -> None:
    from lzt.analysis.supervision import idle_land_checks

    _only_counts(u)
    if u.place and u.place["level"] != "区":
        raise Refusal("idle_by_place")
    idle = [pid for pid, _, r in idle_land_checks(ws, layer=u.layer, as_of=u.as_of) if r.status == "FAIL"]
    a.query = {"command": f"lzt check WS --layer {u.layer} --as-of {u.as_of} --json",
               "check": {"layer": u.layer, "rule": "idle_land", "status": "FAIL", "as_of": u.as_of.isoformat()},
               "cql": None}
    a.answer = len(idle)
    a.rows = [{"key": pid, "count": 1} for pid in idle]
    _say(a, "idle_count", as_of=u.as_of.isoformat(), n=a.answer)


def _run(ws: Workspace, u: Understood, a: Answer, where: str, *, dwithin=None) -> None:
    from lzt.query.run import QuerySpec, run_query

    name_col = next((c for c in ("name", "building_id", "parcel_id") if c in ws.fields(u.layer)), None)
    spec = QuerySpec(layer=u.layer, where=where or None, dwithin=dwithin,
                     columns=(name_col,) if name_col else None)
    result = run_query(ws, spec)
    cmd = f"lzt query WS {u.layer}" + (f' --where "{where}"' if where else "") + \
        (f" --dwithin {dwithin[0]:.1f},{dwithin[1]:.1f},{dwithin[2]:g}" if dwithin else "")
    a.query = {"command": cmd, "cql": where or None,
               "query": {"layer": u.layer, "where": where or None, "dwithin": list(dwithin) if dwithin else None}}
    a.answer = int(result.count)
    if name_col:
        names = result.features[name_col].astype(str).value_counts()
        a.rows = [{"key": k, "count": int(v)} for k, v in names.head(50).items()]


def _height_filter(u: Understood, ws: Workspace) -> list[tuple[str, str, Any]]:
    f = next((c for c in ("height_m", "height", "高度") if c in ws.fields(u.layer)), None)
    if u.height is None:
        return []
    if f is None:
        raise Refusal("no_height_field", layer=u.layer)
    return [(f, ">=" if u.height_inclusive else ">", u.height)]


def _bim(ws: Workspace, u: Understood, a: Answer) -> None:
    _only_counts(u)
    if u.place and u.place["level"] != "区":
        raise Refusal("bim_by_place")
    where = _cql(_height_filter(u, ws), None)
    _run(ws, u, a, where)
    _say(a, "bim_count", items=list(u.said), n=a.answer)


def _buildings(ws: Workspace, u: Understood, a: Answer) -> None:
    _only_counts(u)
    filters = _height_filter(u, ws)
    if u.place and u.place["level"] != "区":
        f = {"街道": "street", "社区": "community"}.get(u.place["level"])
        if f is None or f not in ws.fields(u.layer):
            raise Refusal("buildings_by_level", level=u.place["level"])
        filters = [(f, "=", u.place["name"])] + filters
        if f == "community" and u.place.get("street") and "street" in ws.fields(u.layer):
            filters.insert(0, ("street", "=", u.place["street"]))
    _run(ws, u, a, _cql(filters, None))
    a.rows = []
    _say(a, "building_count", items=list(u.said), n=a.answer)


def _poi_near(ws: Workspace, u: Understood, a: Answer) -> None:
    if u.measure != "count" or u.group_by or u.window or u.filters:
        raise Refusal("poi_only_near")
    if u.place is None:
        raise Refusal("poi_near_where", category=u.poi_category)
    if u.place["level"] in ("区", "街道", "社区"):
        raise Refusal("poi_not_a_point", name=u.place["name"], level=u.place["level"])
    d = u.distance
    if d is None:  # (附近/周边 without a distance was given ``ask.NEAR_METRES`` by the parser)
        raise Refusal("poi_no_distance", name=u.place["name"], category=u.poi_category)
    where = _cql([("category", "=", u.poi_category)], None)
    shape = _place_shape(ws, u.place)
    if shape is None:  # a point place: the distance from the point
        _run(ws, u, a, where, dwithin=(u.place["x"], u.place["y"], d))
    else:  # a road or an area: the distance from its geometry, not from its anchor point
        _run(ws, u, a, f"{where} AND S_DWITHIN(geom, {shape.wkt}, {cql.quote_literal(float(d))})")
    _say(a, "poi_count", name=u.place["name"], m=f"{d:g}", category=u.poi_category, n=a.answer)


def _place_shape(ws: Workspace, place: dict):
    """The geometry of a place that is not a point layer's feature (a road, a parcel), else None."""
    if (ws.layer(place["layer"]).geometry_type or "").lower() == "point":
        return None
    g = ws.read_features(place["layer"], fids=[place["fid"]], columns=[])
    shape = g.geometry.iloc[0] if len(g) else None
    if shape is None or shape.is_empty:
        raise LztInputError(ws.uri, f"layer {place['layer']!r} feature {place['fid']} has no geometry")
    return shape


def _where(ws: Workspace, u: Understood, a: Answer) -> None:
    if u.place is None:
        raise Refusal("where_no_place")
    if u.filters or u.window or u.group_by:
        raise Refusal("where_extra")
    p = u.place
    a.answer = p["name"]
    a.rows = [{"key": p["name"], "level": p["level"], "layer": p["layer"], "fid": p["fid"],
               "x": round(p["x"], 2), "y": round(p["y"], 2)}]
    a.row_said[p["level"]] = Said("level", {"level": p["level"]})
    a.query = {"command": f"lzt find WS {p['name']} --json", "cql": None}
    _say(a, "place_at", name=p["name"], level=p["level"], layer=p["layer"], fid=p["fid"], x=f"{p['x']:.1f}",
         y=f"{p['y']:.1f}", crs=ws.crs)
