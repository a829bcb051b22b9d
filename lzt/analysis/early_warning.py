"""苗头预警: the warning list of a period — emerging hot spots, surges, people and places.

``warn`` bins a complaint layer into a space-time cube (``spacetime``: cells or polygons ×
periods ending on the as-of date, per category), classifies every location's emerging
hot-spot pattern (``emerging``: ArcGIS Pro's definitions), tests the last period of every
category × area, and of every category over the whole district, for a surge
(``surges``: EARS/Farrington-class), and applies the caller and place rules
(``callers``: 一人多诉, 多人同诉, repeat addresses, sensitive words). Thresholds come from
the ``warning_rules`` workspace setting (``warn_rules``, defaults [P]/[M]).

One ``Alert`` per warning. Neighbouring locations (cells or touching polygons) with the same
category and the same pattern, or surging together, are one alert named after the location
with the strongest signal (``evidence["locations"]`` counts them). An alert carries no
personal data: areas, categories, numbers, dates and order ids; an address is masked and
stripped of house and room numbers. The order is deterministic: level (红 橙 黄), kind,
category, area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
import shapely

from lzt.analysis import callers as cl
from lzt.analysis.emerging import HOT_PATTERNS, Patterns, classify, space_time_gi
from lzt.analysis.records import TIME_FIELD, require_fields, require_point_layer
from lzt.analysis.spacetime import (PER_YEAR, PERIOD_ZH, PERIODS, Locations, Periods, components, cube_counts,
                                    hex_locations, periods_ending, polygon_locations, square_locations, to_ms)
from lzt.analysis.surges import BASELINE, history_needed, surges, upper_tail
from lzt.analysis.warn_rules import LEVELS, raise_level, warning_rules
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.workspace.base import Workspace

CATEGORY_FIELDS = {"category": "cat_l1", "category2": "cat_l2"}
KINDS = HOT_PATTERNS + ("异动", "多人同诉", "一人多诉", "重复地址", "敏感词")
DISTRICT = "全区"
ALL = "全部"
EXAMPLES = 5


@dataclass
class Alert:
    """One warning. ``to_json`` is the ``lzt warn --json`` contract; the rest serves maps and lists."""

    area: str
    category: str
    kind: str
    level: str
    evidence: dict
    first_seen: str
    orders: list[str]
    geometry: object = None  # shapely, workspace CRS: the area(s) behind the alert
    fids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    place: str = ""  # 街道/社区 the records lie in (for lists and the briefing)

    def summary(self) -> str:
        """The evidence in a few words (Chinese)."""
        e = self.evidence
        if self.kind == "异动":
            return f"{e['observed']} 件，期望 {e['expected']:g}，p={e['probability']:g}"
        if self.kind == "一人多诉":
            return f"同一来电人 {e['days']} 天内 {e['orders']} 件"
        if self.kind == "多人同诉":
            return f"{e['callers']} 位来电人 {e['days']:g} 天内、{e['metres']:g} 米内（{e['matter']}）"
        if self.kind == "重复地址":
            return f"{e['address']} {e['days']} 天内 {e['orders']} 件"
        if self.kind == "敏感词":
            return "、".join(f"{w}×{n}" for w, n in e["words"].items())
        return f"z={e['z']:g}，本期 {e['count']} 件，上期 {e['previous']} 件，趋势 z={e['trend_z']:g}"

    def to_json(self) -> dict:
        return {"area": self.area, "category": self.category, "kind": self.kind, "level": self.level,
                "evidence": self.evidence, "first_seen": self.first_seen, "orders": list(self.orders)}


@dataclass
class WarnResult:
    """The alerts and what the briefing draws from the same computation."""

    alerts: list[Alert]
    notes: list[str]
    as_of: date
    period: str
    periods: Periods  # the cube's periods; the last one is examined
    locations: Locations
    categories: list[str]  # cube groups; the last is ALL
    totals: np.ndarray  # (G+1, T): records per category per period (all areas)
    patterns: Patterns | None  # of the EHSA window, (G+1, L)
    final_z: np.ndarray | None  # (G+1, L) Gi* z of the last period
    final_sig: np.ndarray | None  # (G+1, L) +1 hot, -1 cold, 0
    final_counts: np.ndarray  # (G+1, L)
    by_field: str
    record_fid: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # every record read
    record_period: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # its period, -1 outside
    record_xy: tuple = (np.empty(0), np.empty(0))  # NaN where unlocated
    first_period: int = 0  # the first period with data

    def fids_of(self, period: int) -> np.ndarray:
        """Fids of the records of cube period ``period`` (negative: from the end)."""
        return self.record_fid[self.record_period == (period % self.periods.n)]


def warn(ws: Workspace, layer: str, *, as_of: date | None = None, period: str = "week", by: str = "category",
         cell: float | None = None, hexagons: bool = False, polygons: str | None = None, key: str | None = None,
         street: str | None = None, rules: dict | None = None, feedback: Feedback | None = None) -> WarnResult:
    """The warning list of the period of ``period`` ending on ``as_of`` (default: the last record's day)."""
    fb = ensure(feedback)
    if period not in PERIODS:
        raise LztInputError("--period", f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    if by not in CATEGORY_FIELDS:
        raise LztInputError("--by", f"unknown grouping {by!r}; use one of {', '.join(CATEGORY_FIELDS)}")
    if (cell is None) == (polygons is None):
        raise LztInputError("--cell", "give either --cell METRES or --polygons LAYER")
    cat_field = CATEGORY_FIELDS[by]
    rules = warning_rules(ws, rules)
    require_point_layer(ws, layer)
    fields = ws.fields(layer)
    if TIME_FIELD not in fields:
        raise LztInputError(ws.uri, f"layer {layer!r} has no time field {TIME_FIELD!r} (诉求时间); "
                                    "warnings need the date of every order")
    if cat_field not in fields:
        raise LztInputError(ws.uri, f"layer {layer!r} has no category field {cat_field!r} for --by {by}")
    if street is not None:
        require_fields(ws, layer, ["street"])

    fb.progress(0, 6, "读取诉求")
    from lzt.analysis.columns import cached_columns, column_codes

    cols = cached_columns(ws, layer, [(TIME_FIELD, True), (cat_field, False)])
    (fid, t_ms, _), (cfid, cat, names) = cols[TIME_FIELD], cols[cat_field]
    if not np.array_equal(fid, cfid):  # the layer changed between the two reads
        raise LztInputError(ws.uri, f"layer {layer!r} changed while it was read; run again")
    cat = cat.astype(np.int64)
    if street is not None:
        _, scode, streets = column_codes(ws, layer, "street")
        if street not in streets:
            raise LztInputError("--street", f"no records of street {street!r} in layer {layer!r} "
                                            f"(streets: {', '.join(streets[:12]) or 'none'})")
        keep = scode == streets.index(street)
        fid, t_ms, cat = fid[keep], t_ms[keep], cat[keep]
    valid = t_ms != np.iinfo(np.int64).min
    if not valid.any():
        raise LztInputError(ws.uri, f"layer {layer!r} has no record with a valid {TIME_FIELD} (诉求时间)")
    t_first = pd.Timestamp(int(t_ms[valid].min()), unit="ms").date()
    t_last = pd.Timestamp(int(t_ms[valid].max()), unit="ms").date()
    as_of = as_of or t_last

    n_ehsa = int(rules["history_periods"][period])
    per_year = PER_YEAR[period]
    periods = periods_ending(as_of, period, max(n_ehsa, history_needed(period, per_year) + 3))
    pidx = periods.index(t_ms)
    final = periods.n - 1
    if not (pidx == final).any():
        raise LztInputError("--as-of", f"no records in the {period} {periods.label(final)} "
                                       f"(the layer's records run from {t_first} to {t_last})")
    first = int(pidx[pidx >= 0].min())  # periods before the data begin are not zeros: leave them out

    fb.progress(1, 6, "构建时空立方体")
    pfid, px, py = ws.point_coords(layer)
    o = np.argsort(pfid, kind="stable")
    pfid, px, py = pfid[o], px[o], py[o]
    if len(pfid):
        pos = np.minimum(np.searchsorted(pfid, fid), len(pfid) - 1)
        located = pfid[pos] == fid
        x, y = np.where(located, px[pos], np.nan), np.where(located, py[pos], np.nan)
    else:
        located = np.zeros(len(fid), dtype=bool)
        x = y = np.full(len(fid), np.nan)
    in_span = located & (pidx >= 0)
    loc = np.full(len(fid), -1, dtype=np.int64)
    if polygons is not None:
        where, locations = polygon_locations(ws, polygons, x[located], y[located], key)
        loc[located] = where
    else:
        if not in_span.any():
            raise LztInputError(ws.uri, f"layer {layer!r} has no located records in the periods examined")
        make = hex_locations if hexagons else square_locations
        inv, locations = make(x[in_span], y[in_span], float(cell))
        loc[in_span] = inv
    g_n = len(names)
    if g_n == 0:
        raise LztInputError(ws.uri, f"layer {layer!r} has no values in its category field {cat_field!r}")
    gcode = np.where(cat >= 0, cat, g_n)
    cube = cube_counts(loc, pidx, gcode, len(locations), periods.n, g_n + 1)
    cube[g_n] = cube.sum(axis=0)  # the last group: every record (empty categories too)
    totals = np.zeros((g_n + 1, periods.n), dtype=np.int64)
    ok = pidx >= 0
    np.add.at(totals, (gcode[ok], pidx[ok]), 1)
    totals[g_n] = totals.sum(axis=0)
    categories = names + [ALL]

    notes: list[str] = []
    fb.check()
    fb.progress(2, 6, "新兴热点")
    t_e = min(n_ehsa, periods.n - first)
    pats = final_z = final_sig = None
    if t_e >= 4:
        gi = space_time_gi(cube[:, :, -t_e:], locations.neighbours, time_lag=int(rules["time_lag"]),
                           alpha=float(rules["alpha"]))
        pats = classify(gi, alpha=float(rules["alpha"]))
        final_z, final_sig = gi.z[:, :, -1], gi.sig[:, :, -1]
    else:
        notes.append(f"只有 {t_e} 个{PERIOD_ZH[period]}的数据，少于 4 个，未做新兴热点分析")

    fb.progress(3, 6, "异动检测")
    recent_days = max(int(rules["repeat_caller"]["days"]), int(rules["repeat_address"]["days"]),
                      int(math.ceil(float(rules["group_complaint"]["days"]))) + 31, 32)
    fine_field = next((c for c in ("cat_l3", "cat_l2") if c in fields), cat_field)
    recent = _read_recent(ws, layer, fields, cat_field, fine_field, as_of, recent_days, fid, t_ms, loc, x, y)
    ctx = _Context(ws=ws, layer=layer, periods=periods, locations=locations, categories=categories, final=final,
                   recent=recent, rules=rules, record_fid=fid, record_loc=loc, record_cat=cat,
                   record_period=pidx, cell_mode=polygons is None)
    ctx.trailing_mean = _trailing_mean(cube[:g_n], first, period)
    ctx.daily_rate = np.asarray(locations.neighbours @ ctx.trailing_mean.T).T / _period_days(periods)
    recent_final = recent[recent["_period"] == final]
    alerts: list[Alert] = []
    if pats is not None:
        alerts += _pattern_alerts(ctx, pats, final_z, cube, t_e)
    alerts += _surge_alerts(ctx, cube, totals, first, period, per_year, notes)

    fb.progress(4, 6, "一人多诉、多人同诉")
    alerts += _people_alerts(ctx, notes)
    sens_fids, sens_alerts = _sensitive_alerts(ctx, recent_final)
    alerts += sens_alerts
    for a in alerts:  # a warning whose records hold a listed word is raised one level
        if a.kind != "敏感词" and len(sens_fids) and np.isin(a.fids, sens_fids).any():
            a.level = raise_level(a.level)
            a.evidence["sensitive_words"] = True
    fb.progress(5, 6, "整理")
    for a in alerts:
        if not a.place:
            a.place = ctx.place(a.fids, a.area)
    alerts.sort(key=lambda a: (LEVELS.index(a.level), KINDS.index(a.kind) if a.kind in KINDS else 99,
                               a.category, a.area, a.first_seen))
    fb.progress(6, 6, "完成")
    return WarnResult(alerts=alerts, notes=notes, as_of=as_of, period=period, periods=periods, locations=locations,
                      categories=categories, totals=totals, patterns=pats, final_z=final_z, final_sig=final_sig,
                      final_counts=cube[:, :, -1], by_field=cat_field, record_fid=fid, record_period=pidx,
                      record_xy=(x, y), first_period=first)


def _read_recent(ws, layer, fields, cat_field, fine_field, as_of, days, fid, t_ms, loc, x, y) -> pd.DataFrame:
    """The records of the last ``days`` days with what the people rules read (no geometry)."""
    want = [c for c in ("order_id", "citizen_phone", "address", "community", "street") if c in fields]
    end = (pd.Timestamp(as_of) + pd.Timedelta(days=1)).value // 1_000_000
    lo = end - days * 86_400_000
    sel = np.flatnonzero((t_ms >= lo) & (t_ms < end))
    r = ws.read_features(layer, fids=fid[sel], columns=list(dict.fromkeys([cat_field, fine_field, *want])),
                         geometry=False)
    pos = np.searchsorted(fid, r.index.to_numpy())
    r = pd.DataFrame(r.drop(columns="geometry", errors="ignore"))
    return r.assign(_loc=loc[pos], _x=x[pos], _y=y[pos], _t=t_ms[pos], _cat=r[cat_field], _fine=r[fine_field])


class _Context:
    """What the alert builders share."""

    def __init__(self, **kw):
        self.__dict__.update(kw)
        r = self.recent
        self.recent_period = self.periods.index(r["_t"].to_numpy()) if len(r) else np.empty(0, np.int64)
        r["_period"] = self.recent_period
        self._r_fid = r.index.to_numpy(dtype=np.int64)
        self._r_t = r["_t"].to_numpy()
        self._r_order = (r["order_id"].astype(object).where(r["order_id"].notna(), None).to_numpy()
                         if "order_id" in r else self._r_fid.astype(str))
        self._r_order = np.array([str(o) if o is not None else str(f) for o, f in zip(self._r_order, self._r_fid)],
                                 dtype=object)
        self._r_places = []
        for c, suffixes in (("street", ("街道",)), ("community", ("社区", "村"))):
            if c in r:
                labels = sorted(set(r[c].dropna().astype(str)))
                codes = pd.Categorical(r[c].astype(object).where(r[c].notna(), None), categories=labels).codes
                self._r_places.append((codes.astype(np.int64), labels, suffixes))
        f = self.record_period == self.final  # the examined period's records, kept apart once
        self._f_fid, self._f_cat, self._f_loc = self.record_fid[f], self.record_cat[f], self.record_loc[f]

    def records(self, locs: np.ndarray | None, cat: int | None) -> np.ndarray:
        """Fids of the examined period's records of category ``cat`` (None: any) in ``locs`` (None: anywhere)."""
        m = np.ones(len(self._f_fid), dtype=bool)
        if cat is not None:
            m &= self._f_cat == cat
        if locs is not None:
            m &= np.isin(self._f_loc, locs)
        return self._f_fid[m]

    def _positions(self, fids: np.ndarray) -> np.ndarray:
        """Rows of the recent frame holding ``fids`` (those it has)."""
        if not len(self._r_fid):
            return np.empty(0, np.int64)
        pos = np.minimum(np.searchsorted(self._r_fid, fids), len(self._r_fid) - 1)
        return pos[self._r_fid[pos] == fids]

    def orders(self, fids: np.ndarray) -> list[str]:
        """Example order ids: the latest ``EXAMPLES`` of ``fids``."""
        pos = self._positions(np.asarray(fids, dtype=np.int64))
        if not len(pos):
            return [str(f) for f in np.sort(fids)[-EXAMPLES:]]
        pos = pos[np.lexsort((self._r_fid[pos], self._r_t[pos]))][-EXAMPLES:]
        return [str(self._r_order[i]) for i in pos]

    def place(self, fids: np.ndarray, area: str) -> str:
        """街道 社区 most of the records lie in (from the records' own fields; ties: first by name)."""
        pos = self._positions(np.asarray(fids, dtype=np.int64))
        parts = []
        for codes, labels, suffixes in self._r_places:
            c = codes[pos]
            c = c[c >= 0]
            if len(c):
                n = np.bincount(c, minlength=len(labels))
                name = labels[int(np.flatnonzero(n == n.max())[0])]
                parts.append(name if name.endswith(suffixes) else name + suffixes[0])
        return " ".join(parts) or area

    def date(self, i: int) -> str:
        return self.periods.start(max(i, 0)).isoformat()

    def geometry(self, locs) -> object:
        g = self.locations.polygons[np.asarray(locs, dtype=np.int64)]
        return g[0] if len(g) == 1 else shapely.union_all(g)


def _trailing_mean(cube: np.ndarray, first: int, period: str) -> np.ndarray:
    """(G, L) mean count per period over the surge model's trailing window before the last period."""
    m, g, _ = BASELINE[period]
    t = cube.shape[2] - 1
    lo = max(t - g - m, first)
    hi = max(t - g, lo + 1)
    return (cube[:, :, lo:hi].sum(axis=2) + 0.5) / (hi - lo)


def _period_days(periods: Periods) -> float:
    return float(periods.edges[-1] - periods.edges[-2]) / 86_400_000


def _pattern_alerts(ctx: _Context, pats: Patterns, final_z: np.ndarray, cube: np.ndarray, t_e: int) -> list[Alert]:
    out = []
    levels = ctx.rules["pattern_levels"]
    min_count = int(ctx.rules["pattern_min_count"])
    alpha = float(ctx.rules["pattern_alpha"])
    nb = ctx.locations.neighbours
    for g, name in enumerate(ctx.categories[:-1]):
        for pattern, level in levels.items():
            mask = pats.pattern[g] == pattern
            if not mask.any():
                continue
            lab = components(mask, nb)
            for k in range(lab.max() + 1):
                members = np.flatnonzero(lab == k)
                observed = int(cube[g, members, -1].sum())
                expected = float(ctx.trailing_mean[g, members].sum())
                if observed < min_count or upper_tail(np.array([observed]), np.array([expected]),
                                                      np.array([expected * (1 + 1 / 8)]))[0] >= alpha:
                    continue  # too few records, or not unusual for these cells
                # named after the location holding most of the period's records (then the strongest z)
                peak = members[np.lexsort((-final_z[g, members], -cube[g, members, -1]))[0]]
                start = int(pats.run_start[g, members].min()) if pattern != "零星热点" else t_e - 1
                fids = ctx.records(members, g)
                ev = {"z": round(float(final_z[g, peak]), 2),
                      "trend_z": round(float(pats.trend_z[g, peak]), 2),
                      "trend_p": _p(pats.trend_p[g, peak]),
                      "hot_periods": int(pats.hot_periods[g, peak]), "periods": int(t_e),
                      "count": int(cube[g, members, -1].sum()), "previous": int(cube[g, members, -2].sum()),
                      "locations": int(len(members))}
                first_period = ctx.periods.n - t_e + max(start, 0)
                out.append(Alert(area=str(ctx.locations.ids[peak]), category=name, kind=pattern, level=level,
                                 evidence=ev, first_seen=ctx.date(first_period), orders=ctx.orders(fids),
                                 geometry=ctx.geometry(members), fids=fids))
    return out


def _surge_alerts(ctx: _Context, cube, totals, first, period, per_year, notes) -> list[Alert]:
    rules = ctx.rules["surge"]
    g_n = len(ctx.categories) - 1
    n_loc = len(ctx.locations)
    local = cube[:g_n, :, first:].reshape(g_n * n_loc, -1)
    groups = np.repeat(np.arange(g_n), n_loc)
    dist = totals[:g_n, first:]
    t_last = local.shape[1] - 1
    if t_last < 2:
        notes.append("历史数据不足 3 个周期，未做异动检测")
        return []
    kw = {"kind": period, "per_year": per_year, "alpha": float(rules["alpha"]),
          "min_count": int(rules["min_count"])}
    runs = [surges(local, groups, t, **kw) for t in (t_last - 2, t_last - 1, t_last) if t >= 1]
    druns = [surges(dist, np.arange(g_n), t, pooled_dispersion=False, **kw)
             for t in (t_last - 2, t_last - 1, t_last) if t >= 1]
    res, dres = runs[-1], druns[-1]
    if not res.seasonal:
        notes.append("不足一年的历史数据：异动基线只用近期周期，未做季节调整")
    out = []

    def run_start(rs, i):
        n = 0
        for r in reversed(rs):
            if not r.alarm[i]:
                break
            n += 1
        return ctx.final - n + 1

    def baseline(r, i):
        return {"model": "quasi-Poisson, negative-binomial threshold (Farrington/Noufaily)",
                "trailing_periods": r.trailing, "guard_periods": r.guard, "year_earlier": r.seasonal,
                "seasonal_factor": round(float(r.seasonal_factor[i]), 3), "dispersion": round(float(r.dispersion[i]), 3)}

    def level(p):
        return "红" if p < float(rules["red_p"]) else "橙" if p < float(rules["orange_p"]) else "黄"

    alarm = res.alarm.reshape(g_n, n_loc)
    for g in range(g_n):
        if not alarm[g].any():
            continue
        lab = components(alarm[g], ctx.locations.neighbours)
        for k in range(lab.max() + 1):
            members = np.flatnonzero(lab == k)
            rows = g * n_loc + members
            peak_row = rows[np.argmax(res.observed[rows] - res.expected[rows])]
            peak = peak_row - g * n_loc
            p = float(res.probability[peak_row])
            fids = ctx.records(members, g)
            ev = {"observed": int(res.observed[peak_row]), "expected": round(float(res.expected[peak_row]), 2),
                  "probability": _p(p), "baseline": baseline(res, peak_row), "locations": int(len(members)),
                  "observed_total": int(res.observed[rows].sum())}
            out.append(Alert(area=str(ctx.locations.ids[peak]), category=ctx.categories[g], kind="异动",
                             level=level(p), evidence=ev, first_seen=ctx.date(run_start(runs, peak_row)),
                             orders=ctx.orders(fids), geometry=ctx.geometry(members), fids=fids))
    for g in np.flatnonzero(dres.alarm):
        p = float(dres.probability[g])
        fids = ctx.records(None, int(g))
        ev = {"observed": int(dres.observed[g]), "expected": round(float(dres.expected[g]), 2),
              "probability": _p(p), "baseline": baseline(dres, g), "locations": n_loc}
        out.append(Alert(area=DISTRICT, category=ctx.categories[g], kind="异动", level=level(p), evidence=ev,
                         first_seen=ctx.date(run_start(druns, g)), orders=ctx.orders(fids), fids=fids,
                         place=DISTRICT))
    return out


def _people_alerts(ctx: _Context, notes: list[str]) -> list[Alert]:
    r = ctx.recent
    out: list[Alert] = []
    if not len(r):
        return out
    as_of_ms = int(ctx.periods.edges[-1])
    in_final = (ctx.recent_period == ctx.final)
    fids = r.index.to_numpy()
    t = r["_t"].to_numpy()
    cats = r["_cat"].astype(object).where(r["_cat"].notna(), None).to_numpy()
    fine = r["_fine"].astype(object).where(r["_fine"].notna(), None).to_numpy()
    locs = r["_loc"].to_numpy()

    def area_of(idx):
        lc = locs[idx]
        lc = lc[lc >= 0]
        if not len(lc):
            return "（未落图）", None
        vals, cnt = np.unique(lc, return_counts=True)
        best = vals[cnt == cnt.max()].min()
        return str(ctx.locations.ids[best]), ctx.locations.polygons[best]

    def top_category(idx):
        v = pd.Series(cats[idx], dtype=object).dropna().astype(str)
        if not len(v):
            return "（空）"
        c = v.value_counts()
        return sorted(c[c == c.max()].index)[0]

    phones = r["citizen_phone"] if "citizen_phone" in r else None
    keys = None
    if phones is None or not phones.notna().any():
        notes.append("图层没有诉求人电话，未做一人多诉、多人同诉")
    else:
        keys, masked = cl.caller_keys(phones, cl.caller_secret(ctx.ws))
        if masked:
            notes.append("诉求人电话已脱敏，无法区分来电人：未做一人多诉、多人同诉")
            keys = None
    day = 86_400_000
    if keys is not None:
        rc = ctx.rules["repeat_caller"]
        window = t >= as_of_ms - int(rc["days"]) * day
        k = np.where(window, keys, -1)
        for key in cl.groups_with_at_least(k, int(rc["orders"])):
            idx = np.flatnonzero(k == key)
            if not in_final[idx].any():
                continue
            n = len(idx)
            area, geom = area_of(idx)
            by_cat = pd.Series(cats[idx], dtype=object).fillna("（空）").astype(str).value_counts()
            lvl = "红" if n >= 3 * int(rc["orders"]) else "橙" if n >= 2 * int(rc["orders"]) else "黄"
            out.append(Alert(area=area, category=top_category(idx), kind="一人多诉", level=lvl,
                             evidence={"orders": n, "days": int(rc["days"]), "categories": {
                                 str(c): int(v) for c, v in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0]))}},
                             first_seen=_day(t[idx].min()), orders=ctx.orders(fids[idx]), geometry=geom,
                             fids=fids[idx]))
        out += _group_alerts(ctx, r, keys, t, cats, fine, in_final, area_of, locs)
    ra = ctx.rules["repeat_address"]
    if "address" in r:
        addr = cl.normalise_address(r["address"]).to_numpy()
        window = (t >= as_of_ms - int(ra["days"]) * day) & (addr != "")
        comm = r["community"].fillna("").astype(str).to_numpy() if "community" in r else np.full(len(r), "")
        # one address = the same text in the same 社区 (names like 幸福花园 repeat across a district),
        # one matter = the same finest category
        combo = pd.Series([f"{a}\x00{m}\x00{c}" if w and c is not None else None
                           for a, m, c, w in zip(addr, comm, fine, window)], dtype=object)
        codes, _ = pd.factorize(combo, use_na_sentinel=True)
        address = r["address"].to_numpy()
        for code in cl.groups_with_at_least(codes, int(ra["orders"])):
            idx = np.flatnonzero(codes == code)
            if not in_final[idx].any():
                continue
            area, geom = area_of(idx)
            n = len(idx)
            out.append(Alert(area=area, category=str(cats[idx[0]]), kind="重复地址",
                             level="橙" if n >= 2 * int(ra["orders"]) else "黄",
                             evidence={"orders": n, "days": int(ra["days"]), "address": str(cl.generalise_address(address[idx[:1]]).iloc[0] or "")},
                             first_seen=_day(t[idx].min()), orders=ctx.orders(fids[idx]), geometry=geom,
                             fids=fids[idx]))
    return out


def _group_alerts(ctx, r, keys, t, cats, fine, in_final, area_of, locs) -> list[Alert]:
    """多人同诉: records of one (finest) category chained within the distance and the days; a chain
    warns when some window of that many days in it holds enough distinct callers."""
    from lzt.analysis.repeats import find_repeats

    gc = ctx.rules["group_complaint"]
    need, span_ms = int(gc["callers"]), int(math.ceil(float(gc["days"]) * 86_400_000))
    lookback = int(ctx.periods.edges[-2]) - span_ms
    use = (t >= lookback) & np.isfinite(r["_x"].to_numpy()) & (keys >= 0)
    idx = np.flatnonzero(use)
    if len(idx) < need:
        return []
    cat_codes, _ = pd.factorize(pd.Series(fine[idx], dtype=object), use_na_sentinel=True)
    res = find_repeats(r["_x"].to_numpy()[idx], r["_y"].to_numpy()[idx], t[idx], cat_codes,
                       distance=float(gc["metres"]), days=float(gc["days"]), order_key=r.index.to_numpy()[idx])
    out = []
    fids = r.index.to_numpy()
    sizes = np.bincount(res.cluster)

    def locs_of(window):
        lc = locs[window]
        return np.unique(lc[lc >= 0])

    for c in np.flatnonzero(sizes >= need):
        if c == 0:
            continue
        members = idx[res.cluster == c]
        if len(np.unique(keys[members])) < need or not in_final[members].any():
            continue
        members = members[np.argsort(t[members], kind="stable")]
        best, best_lo, best_hi, lo = 0, 0, 0, 0
        for hi in range(len(members)):  # the window of ``days`` with the most distinct callers
            while t[members[hi]] - t[members[lo]] > span_ms:
                lo += 1
            n = len(np.unique(keys[members[lo:hi + 1]]))
            if n > best:
                best, best_lo, best_hi = n, lo, hi
        if best < need:
            continue
        window = members[best_lo:best_hi + 1]
        area, _ = area_of(window)
        lc, g = locs_of(window), ctx.categories.index(str(cats[window[0]])) if str(cats[window[0]]) in \
            ctx.categories[:-1] else -1
        expected = float(ctx.daily_rate[g, lc].max()) * float(gc["days"]) if g >= 0 and len(lc) else 0.0
        if expected > 0 and upper_tail(np.array([len(window)]), np.array([expected]),
                                       np.array([expected]))[0] >= float(gc["alpha"]):
            continue  # usual for this place: a busy compound, not a group complaint
        pts = np.column_stack([r["_x"].to_numpy()[window], r["_y"].to_numpy()[window]])
        out.append(Alert(area=area, category=str(cats[window[0]]), kind="多人同诉",
                         level="红" if best >= 2 * need else "橙",
                         evidence={"callers": int(best), "orders": int(len(window)), "metres": float(gc["metres"]),
                                   "days": float(gc["days"]), "matter": str(fine[window[0]]),
                                   "expected": round(expected, 2), "chain_orders": int(len(members))},
                         first_seen=_day(t[window].min()), orders=ctx.orders(fids[window]),
                         geometry=shapely.convex_hull(shapely.multipoints(pts)).buffer(float(gc["metres"]) / 4),
                         fids=fids[window]))
    return out


def _sensitive_alerts(ctx: _Context, rf: pd.DataFrame) -> tuple[np.ndarray, list[Alert]]:
    words, red = list(ctx.rules["sensitive_words"]), set(ctx.rules["red_words"])
    text_cols = [c for c in ("title", "content") if c in ctx.ws.fields(ctx.layer)]
    if not text_cols or not len(rf) or not words:
        return np.empty(0, np.int64), []
    rf = rf.join(pd.DataFrame(ctx.ws.read_features(ctx.layer, fids=rf.index.to_numpy(), columns=text_cols,
                                                   geometry=False)).drop(columns="geometry", errors="ignore"))
    texts = None
    for c in ("title", "content"):
        if c in rf:
            col = rf[c].fillna("").astype(str)
            texts = col if texts is None else texts + " " + col
    if texts is None or not len(rf) or not words:
        return np.empty(0, np.int64), []
    found = cl.find_words(texts.tolist(), words)
    hit = np.array([bool(f) for f in found])
    if not hit.any():
        return np.empty(0, np.int64), []
    sub = rf[hit]
    sub_words = [f for f, h in zip(found, hit) if h]
    locs = sub["_loc"].to_numpy()
    cats = sub["_cat"].astype(object).where(sub["_cat"].notna(), "（空）").astype(str).to_numpy()
    out = []
    for (lc, cat), grp in pd.DataFrame({"loc": locs, "cat": cats, "i": np.arange(len(sub))}).groupby(
            ["loc", "cat"], sort=True):
        ii = grp["i"].to_numpy()
        counts: dict[str, int] = {}
        for i in ii:
            for w in sub_words[i]:
                counts[w] = counts.get(w, 0) + 1
        fids = sub.index.to_numpy()[ii]
        geom = ctx.locations.polygons[lc] if lc >= 0 else None
        out.append(Alert(area=str(ctx.locations.ids[lc]) if lc >= 0 else "（未落图）", category=str(cat),
                         kind="敏感词", level="红" if red & set(counts) or len(ii) >= 2 else "橙",
                         evidence={"orders": int(len(ii)), "words": dict(sorted(counts.items()))},
                         first_seen=_day(sub["_t"].to_numpy()[ii].min()), orders=ctx.orders(fids),
                         geometry=geom, fids=fids))
    return sub.index.to_numpy(), out


def _p(p: float) -> float:
    """A probability as the evidence shows it (3 significant digits)."""
    return float(f"{float(p):.3g}")


def _day(ms) -> str:
    return pd.Timestamp(int(ms), unit="ms").date().isoformat()


def alerts_frame(result: WarnResult, crs: str):
    """The alerts as a GeoDataFrame (``--out``): the contract's fields, evidence as JSON text."""
    import json

    import geopandas as gpd

    a = result.alerts
    return gpd.GeoDataFrame({
        "level": [x.level for x in a], "kind": [x.kind for x in a], "category": [x.category for x in a],
        "area": [x.area for x in a], "place": [x.place for x in a], "first_seen": [x.first_seen for x in a],
        "orders": [",".join(x.orders) for x in a],
        "evidence": [json.dumps(x.evidence, ensure_ascii=False, sort_keys=True) for x in a],
    }, geometry=[x.geometry for x in a], crs=crs)
