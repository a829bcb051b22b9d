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
category, area. The record and the builders' shared context are in ``warn_alert``, the caller
and place rules' alerts in ``warn_people``; this module bins, tests and orders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from lzt.analysis.emerging import HOT_PATTERNS, Patterns, classify, space_time_gi
from lzt.analysis.records import TIME_FIELD, require_fields, require_point_layer
from lzt.analysis.spacetime import (PER_YEAR, PERIOD_ZH, PERIODS, Locations, Periods, components, cube_counts,
                                    hex_locations, periods_ending, polygon_locations, square_locations)
from lzt.analysis.surges import BASELINE, history_needed, surges, upper_tail
from lzt.analysis.warn_alert import Alert, AlertContext, probability, read_recent
from lzt.analysis.warn_people import people_alerts, sensitive_alerts
from lzt.analysis.warn_rules import LEVELS, raise_level, warning_rules
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.workspace.base import Workspace

CATEGORY_FIELDS = {"category": "cat_l1", "category2": "cat_l2"}
KINDS = HOT_PATTERNS + ("异动", "多人同诉", "一人多诉", "重复地址", "敏感词")
DISTRICT = "全区"
ALL = "全部"


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
    recent = read_recent(ws, layer, fields, cat_field, fine_field, as_of, recent_days, fid, t_ms, loc, x, y)
    ctx = AlertContext(ws=ws, layer=layer, periods=periods, locations=locations, categories=categories, final=final,
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
    alerts += people_alerts(ctx, notes)
    sens_fids, sens_alerts = sensitive_alerts(ctx, recent_final)
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


def _trailing_mean(cube: np.ndarray, first: int, period: str) -> np.ndarray:
    """(G, L) mean count per period over the surge model's trailing window before the last period."""
    m, g, _ = BASELINE[period]
    t = cube.shape[2] - 1
    lo = max(t - g - m, first)
    hi = max(t - g, lo + 1)
    return (cube[:, :, lo:hi].sum(axis=2) + 0.5) / (hi - lo)


def _period_days(periods: Periods) -> float:
    return float(periods.edges[-1] - periods.edges[-2]) / 86_400_000


def _pattern_alerts(ctx: AlertContext, pats: Patterns, final_z: np.ndarray, cube: np.ndarray, t_e: int) -> list[Alert]:
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
                      "trend_p": probability(pats.trend_p[g, peak]),
                      "hot_periods": int(pats.hot_periods[g, peak]), "periods": int(t_e),
                      "count": int(cube[g, members, -1].sum()), "previous": int(cube[g, members, -2].sum()),
                      "locations": int(len(members))}
                first_period = ctx.periods.n - t_e + max(start, 0)
                out.append(Alert(area=str(ctx.locations.ids[peak]), category=name, kind=pattern, level=level,
                                 evidence=ev, first_seen=ctx.date(first_period), orders=ctx.orders(fids),
                                 geometry=ctx.geometry(members), fids=fids))
    return out


def _surge_alerts(ctx: AlertContext, cube, totals, first, period, per_year, notes) -> list[Alert]:
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
                  "probability": probability(p), "baseline": baseline(res, peak_row), "locations": int(len(members)),
                  "observed_total": int(res.observed[rows].sum())}
            out.append(Alert(area=str(ctx.locations.ids[peak]), category=ctx.categories[g], kind="异动",
                             level=level(p), evidence=ev, first_seen=ctx.date(run_start(runs, peak_row)),
                             orders=ctx.orders(fids), geometry=ctx.geometry(members), fids=fids))
    for g in np.flatnonzero(dres.alarm):
        p = float(dres.probability[g])
        fids = ctx.records(None, int(g))
        ev = {"observed": int(dres.observed[g]), "expected": round(float(dres.expected[g]), 2),
              "probability": probability(p), "baseline": baseline(dres, g), "locations": n_loc}
        out.append(Alert(area=DISTRICT, category=ctx.categories[g], kind="异动", level=level(p), evidence=ev,
                         first_seen=ctx.date(run_start(druns, g)), orders=ctx.orders(fids), fids=fids,
                         place=DISTRICT))
    return out


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
