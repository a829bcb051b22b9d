"""Land post-approval supervision checks (土地批后监管), as of a date.

Rules (DOMAIN.md §1; sources there):
- ``idle_land`` (闲置土地处置办法, MLR Order 53, Art. 2): not started one full year after
  the agreed start date; or started, developed area < 1/3 of the parcel area or
  investment < 25 % of the total, and stopped for one full year or more. "One full
  year" is the calendar anniversary [P]; ratios are strict "<" ("不足") [P]. Delays
  caused by government or force majeure are exempt (Art. 8) [M]: WARN, not FAIL.
- ``overdue_completion``: not completed by the agreed completion date (the deadline day
  itself is still on time); the penalty rate per Shenzhen's 2023 rules (0.5 % of the
  contract land price per started month, >= 24 months: at least 20 %) is reported.
- ``far``: total GFA of the BIM models standing on the parcel / parcel area, rounded
  half-up to 2 decimals before comparing [P]; an excess GFA within the planning
  verification tolerance (tiered by floor area, DOMAIN §1.4 [S17]) is WARN.
- ``coverage``: area of the union of the models' footprints / parcel area (%).
- ``height``: the tallest model against 建筑限高 (exactly the limit passes), and against the
  height-limit zone (控高, height_limits.py) its footprint lies in when the workspace has one.
- ``setback``: the least distance from any footprint to the parcel boundary, per
  boundary edge when the terms give edge setbacks (Shenzhen contracts do).

Each result carries the rule, its status (PASS / WARN / FAIL / NO_DATA), the value
and limit compared, a Chinese explanation and the numbers it used. Tolerances are
workspace settings (``supervision_tolerances``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.workspace.base import Workspace
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")
shapely = lazy_module("shapely")

RULES = ("idle_land", "overdue_completion", "far", "coverage", "height", "setback")
STATUSES = ("PASS", "WARN", "FAIL", "NO_DATA")
RULE_ZH = {"idle_land": "闲置土地", "overdue_completion": "逾期竣工", "far": "容积率", "coverage": "建筑密度",
           "height": "建筑限高", "setback": "退线"}
STATUS_ZH = {"PASS": "通过", "WARN": "预警", "FAIL": "不通过", "NO_DATA": "无数据"}
EXEMPT_CAUSES = ("政府原因", "不可抗力", "GOV", "FORCE_MAJEURE")  # Order 53 Art. 8 [M]


@dataclass(frozen=True)
class Tolerances:
    """How strict the checks are; saved as the workspace setting ``supervision_tolerances``."""

    warn_days: int = 90  # deadlines this close (days) give WARN before they pass
    far_gfa_tiers: tuple = ((1000, 0.03), (5000, 0.02), (10000, 0.015), (math.inf, 0.005))  # [S17]
    far_gfa_cap_m2: float = 500.0  # the 1,000-5,000 m² tier's absolute cap [S17]
    coverage_pct: float = 0.0  # percentage points over the cap still WARN, not FAIL
    height_m: float = 0.01  # geometry tolerance (DOMAIN §1.5)
    setback_m: float = 0.01

    @classmethod
    def from_settings(cls, ws) -> Tolerances:
        saved = ws.get_setting("supervision_tolerances") or {}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(saved) - known)
        if unknown:
            raise LztInputError(ws.uri, f"setting supervision_tolerances has unknown keys {', '.join(unknown)}")
        if "far_gfa_tiers" in saved:
            saved = dict(saved, far_gfa_tiers=tuple((math.inf if a is None else a, b)
                                                    for a, b in saved["far_gfa_tiers"]))
        return cls(**saved)

    def gfa_tolerance(self, gfa_m2: float) -> float:
        """Allowed GFA excess (m²) at planning verification for a building of ``gfa_m2``."""
        for upto, share in self.far_gfa_tiers:
            if gfa_m2 <= upto:
                tol = share * gfa_m2
                return min(tol, self.far_gfa_cap_m2) if upto == 5000 else tol
        return 0.0  # pragma: no cover - the last tier is unbounded


@dataclass(frozen=True)
class CheckResult:
    """One rule's verdict on one parcel."""

    rule: str
    status: str  # PASS | WARN | FAIL | NO_DATA
    value: Any
    limit: Any
    detail: str
    inputs: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {k: _jsonable(v) for k, v in asdict(self).items()}


@dataclass
class ParcelCheck:
    """All results for one supervision parcel."""

    parcel_id: str
    fid: int
    results: list[CheckResult]
    models: list[str] = field(default_factory=list)  # BIM models standing on the parcel

    @property
    def worst(self) -> str:
        order = {"FAIL": 3, "WARN": 2, "NO_DATA": 1, "PASS": 0}
        return max((r.status for r in self.results), key=order.__getitem__, default="PASS")

    def to_json(self) -> dict[str, Any]:
        return {"parcel_id": self.parcel_id, "status": self.worst, "models": self.models,
                "results": [r.to_json() for r in self.results]}


def _jsonable(v):
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (np.floating, float)):
        return None if math.isnan(v) else round(float(v), 4)
    if isinstance(v, np.integer):
        return int(v)
    return v


# -- dates ------------------------------------------------------------------------------

def add_years(d: date, years: int) -> date:
    """The calendar anniversary; 29 February falls on 28 February in common years [P]."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def started_months(start: date, end: date) -> int:
    """Months from ``start`` to ``end``, a started month counting whole (0 if not after)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day > start.day:
        months += 1
    return max(months, 1)


def penalty_rate(months: int) -> float:
    """Late-completion penalty as a share of the contract land price (深圳 2023 rules [S11])."""
    rate = 0.005 * months
    return max(0.20, rate) if months >= 24 else rate


def _d(v) -> date | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _f(v) -> float | None:
    if v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def round2(x: float) -> float:
    """Round half-up to 2 decimals (not banker's rounding)."""
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# -- rules on the contract terms ---------------------------------------------------------

def check_idle_land(t: dict, as_of: date, tol: Tolerances = Tolerances()) -> CheckResult:
    """闲置土地 (L1, L2 of DOMAIN §1.1)."""
    agreed = _d(t.get("agreed_start"))
    started = _d(t.get("actual_start"))
    if started is not None and started > as_of:
        started = None  # started after the date we judge: not started then
    completed = _d(t.get("actual_completion"))
    cause = t.get("delay_cause") or None
    exempt = cause in EXEMPT_CAUSES
    inputs = {"agreed_start": agreed, "actual_start": started, "as_of": as_of, "delay_cause": cause}
    if completed is not None and completed <= as_of:
        return CheckResult("idle_land", "PASS", None, None, f"已于 {completed} 竣工", inputs)
    if started is None:
        if agreed is None:
            return CheckResult("idle_land", "NO_DATA", None, None, "未开工，且无合同约定开工日期", inputs)
        due = add_years(agreed, 1)
        days = (as_of - agreed).days
        inputs |= {"idle_from": due, "reclaim_from": add_years(agreed, 2)}
        if as_of >= due:
            two = as_of >= add_years(agreed, 2)
            what = f"超过约定开工日期 {agreed} 满一年未动工" + ("（满两年，可无偿收回）" if two else "（可征收土地闲置费 20%）")
            if exempt:
                return CheckResult("idle_land", "WARN", days, due, what + f"；延误原因为{cause}，不适用处置", inputs)
            return CheckResult("idle_land", "FAIL", days, due, what, inputs)
        if (due - as_of).days <= tol.warn_days and as_of > agreed:
            return CheckResult("idle_land", "WARN", days, due, f"尚未动工，{due} 起构成闲置", inputs)
        return CheckResult("idle_land", "PASS", days, due, "未开工，尚未满一年", inputs)
    # started: idle when too little developed or invested and stopped for a full year
    area, dev = _f(t.get("area_m2")), _f(t.get("developed_area_m2"))
    total, done = _f(t.get("investment_total")), _f(t.get("investment_done"))
    stopped = _d(t.get("stopped_since"))
    if stopped is not None and stopped > as_of:
        stopped = None
    inputs |= {"area_m2": area, "developed_area_m2": dev, "investment_total": total,
               "investment_done": done, "stopped_since": stopped}
    low_area = area is not None and dev is not None and area > 0 and dev * 3 < area  # < 1/3, exact
    low_inv = total is not None and done is not None and total > 0 and done * 4 < total  # < 25 %, exact
    dev_share = None if not (area and dev is not None) else dev / area
    inv_share = None if not (total and done is not None) else done / total
    inputs |= {"developed_share": dev_share, "investment_share": inv_share}
    if stopped is None:
        return CheckResult("idle_land", "PASS", dev_share, 1 / 3, f"已于 {started} 动工，未停工", inputs)
    due = add_years(stopped, 1)
    inputs["idle_from"] = due
    if not (low_area or low_inv):
        if dev_share is None and inv_share is None:
            return CheckResult("idle_land", "NO_DATA", None, 1 / 3, f"自 {stopped} 停工，缺已开发面积和投资数据", inputs)
        return CheckResult("idle_land", "PASS", dev_share, 1 / 3,
                           f"自 {stopped} 停工，但已开发面积不少于三分之一且投资不少于 25%", inputs)
    why = "已开发面积不足三分之一" if low_area else "已投资额不足 25%"
    if as_of >= due:
        what = f"已动工但{why}，且自 {stopped} 中止开发满一年"
        status = "WARN" if exempt else "FAIL"
        return CheckResult("idle_land", status, dev_share, 1 / 3,
                           what + (f"；延误原因为{cause}，不适用处置" if exempt else ""), inputs)
    if (due - as_of).days <= tol.warn_days:
        return CheckResult("idle_land", "WARN", dev_share, 1 / 3, f"{why}，停工将于 {due} 满一年", inputs)
    return CheckResult("idle_land", "PASS", dev_share, 1 / 3, f"{why}，自 {stopped} 停工未满一年", inputs)


def check_overdue_completion(t: dict, as_of: date, tol: Tolerances = Tolerances()) -> CheckResult:
    """Completion against the agreed date; the penalty rate when late."""
    agreed = _d(t.get("agreed_completion"))
    done = _d(t.get("actual_completion"))
    if done is not None and done > as_of:
        done = None
    cause = t.get("delay_cause") or None
    inputs = {"agreed_completion": agreed, "actual_completion": done, "as_of": as_of, "delay_cause": cause}
    if agreed is None:
        return CheckResult("overdue_completion", "NO_DATA", None, None, "无合同约定竣工日期", inputs)
    end = done or as_of
    if end <= agreed:
        if done is None and (agreed - as_of).days <= tol.warn_days:
            return CheckResult("overdue_completion", "WARN", (as_of - agreed).days, agreed,
                               f"尚未竣工，约定竣工日期 {agreed} 临近", inputs)
        what = f"已于 {done} 竣工，未逾期" if done else "尚未竣工，未到约定竣工日期"
        return CheckResult("overdue_completion", "PASS", (end - agreed).days, agreed, what, inputs)
    days = (end - agreed).days
    months = started_months(agreed, end)
    rate = penalty_rate(months)
    inputs |= {"months_late": months, "penalty_rate": rate}
    what = (f"{'已于 ' + str(done) + ' 竣工，' if done else '至今未竣工，'}逾期 {days} 天（{months} 个月），"
            f"违约金约为合同地价的 {rate * 100:.1f}%")
    if cause in EXEMPT_CAUSES:
        return CheckResult("overdue_completion", "WARN", days, agreed, what + f"；延误原因为{cause}，需核实延期批准",
                           inputs)
    return CheckResult("overdue_completion", "FAIL", days, agreed, what, inputs)


# -- rules on the BIM models standing on the parcel --------------------------------------

def check_far(gfa_m2: float | None, site_m2: float, t: dict, tol: Tolerances = Tolerances()) -> CheckResult:
    """容积率 = total GFA / site area, against 容积率上限 (and 下限)."""
    hi, lo = _f(t.get("far_max")), _f(t.get("far_min"))
    inputs = {"gfa_m2": gfa_m2, "site_area_m2": site_m2, "far_max": hi, "far_min": lo}
    if gfa_m2 is None:
        return CheckResult("far", "NO_DATA", None, hi, "宗地上没有 BIM 模型", inputs)
    if hi is None and lo is None:
        return CheckResult("far", "NO_DATA", None, None, "合同未约定容积率", inputs)
    far = round2(gfa_m2 / site_m2)
    inputs["far_exact"] = gfa_m2 / site_m2
    if hi is not None and far > hi:
        excess = gfa_m2 - hi * site_m2
        allowed = tol.gfa_tolerance(gfa_m2)
        inputs |= {"excess_gfa_m2": excess, "gfa_tolerance_m2": allowed}
        if excess <= allowed:
            return CheckResult("far", "WARN", far, hi, f"容积率 {far:.2f} 超过上限 {hi:g}，超出面积 {excess:.0f} m² "
                                                       f"在核实误差 {allowed:.0f} m² 以内", inputs)
        return CheckResult("far", "FAIL", far, hi, f"容积率 {far:.2f} 超过上限 {hi:g}（超建 {excess:.0f} m²）", inputs)
    if lo is not None and far < lo:
        done = _d(t.get("actual_completion")) is not None
        return CheckResult("far", "FAIL" if done else "WARN", far, lo,
                           f"容积率 {far:.2f} 低于下限 {lo:g}" + ("" if done else "（尚未竣工）"), inputs)
    return CheckResult("far", "PASS", far, hi if hi is not None else lo, f"容积率 {far:.2f}，符合约定", inputs)


def check_coverage(footprints, site_m2: float, t: dict, tol: Tolerances = Tolerances()) -> CheckResult:
    """建筑密度 = area of the union of footprints / site area, in %."""
    cap = _f(t.get("coverage_max"))
    if footprints is None:
        return CheckResult("coverage", "NO_DATA", None, cap, "宗地上没有 BIM 模型", {"coverage_max": cap})
    base = float(shapely.union_all(footprints).area)
    pct = base / site_m2 * 100
    inputs = {"footprint_m2": base, "site_area_m2": site_m2, "coverage_max": cap}
    if cap is None:
        return CheckResult("coverage", "NO_DATA", round(pct, 2), None, "合同未约定建筑密度", inputs)
    status = _against_cap(pct, cap, tol.coverage_pct)
    detail = {"FAIL": f"建筑密度 {pct:.1f}% 超过上限 {cap:g}%", "WARN": f"建筑密度 {pct:.1f}% 略超上限 {cap:g}%（容差内）",
              "PASS": f"建筑密度 {pct:.1f}%，符合约定"}[status]
    return CheckResult("coverage", status, round(pct, 2), cap, detail, inputs)


def check_height(heights: list[tuple[str, float, str | None]] | None, t: dict,
                 tol: Tolerances = Tolerances(), zones: list | None = None) -> CheckResult:
    """The tallest model (name, height, reference level) against 建筑限高; with ``zones`` (per
    model: (allowed height above its ground, zone name) of a 控高 zone, or None), each model
    against the lower of the contract's limit and its zone's, the worst margin reported."""
    limit = _f(t.get("height_max"))
    if not heights:
        return CheckResult("height", "NO_DATA", None, limit, "宗地上没有 BIM 模型", {"height_max": limit})
    zones = list(zones or [None] * len(heights))
    caps = [min([c for c in (limit, z[0] if z else None) if c is not None], default=None) for z in zones]
    if all(c is None for c in caps):
        name, h, ref = max(heights, key=lambda m: m[1])
        inputs = {"model": name, "height_m": h, "height_reference": ref, "height_max": limit}
        return CheckResult("height", "NO_DATA", round(h, 2), None, "合同未约定建筑限高", inputs)
    i = min((k for k in range(len(heights)) if caps[k] is not None), key=lambda k: caps[k] - heights[k][1])
    (name, h, ref), cap, zone = heights[i], caps[i], zones[i]
    by_zone = zone is not None and (limit is None or zone[0] < limit)
    inputs = {"model": name, "height_m": h, "height_reference": ref, "height_max": limit}
    if zone is not None:
        inputs.update(zone=zone[1], zone_allowed_m=round(zone[0], 3))
    what = f"控高区 {zone[1]} 允许的 {cap:.2f} m" if by_zone else f"限高 {cap:g} m"
    status = _against_cap(h, cap, tol.height_m)
    detail = {"FAIL": f"{name} 高 {h:.2f} m，超过{what}", "WARN": f"{name} 高 {h:.2f} m，在{what}的几何容差内",
              "PASS": f"{name} 高 {h:.2f} m，不超过{what}"}[status]
    return CheckResult("height", status, round(h, 2), round(cap, 2), detail, inputs)


def _against_cap(value: float, cap: float, tolerance: float) -> str:
    """PASS at or under the cap, WARN over it but within the tolerance, FAIL beyond."""
    if value > cap + tolerance:
        return "FAIL"
    return "WARN" if value > cap else "PASS"


def check_setback(footprints, parcel, t: dict, tol: Tolerances = Tolerances()) -> CheckResult:
    """Least distance from the footprints to each boundary edge against its setback."""
    from layers.supervision import parse_setback_edges

    default = _f(t.get("setback_m"))
    per_edge = parse_setback_edges(t.get("setback_edges"), f"宗地 {t.get('parcel_id')} 分边退线")
    if footprints is None:
        return CheckResult("setback", "NO_DATA", None, default, "宗地上没有 BIM 模型", {"setback_m": default})
    if default is None and not per_edge:
        return CheckResult("setback", "NO_DATA", None, None, "合同未约定退线距离", {})
    built = shapely.union_all(footprints)
    ring = _exterior(parcel)
    xy = np.asarray(ring.coords)[:-1]
    n = len(xy)
    edges = shapely.linestrings(np.stack([xy, np.roll(xy, -1, axis=0)], axis=1))
    dist = shapely.distance(edges, built)
    outside = float(shapely.difference(built, parcel).area)
    need = np.array([per_edge.get((i + 1, (i + 1) % n + 1), per_edge.get(((i + 1) % n + 1, i + 1), default))
                     for i in range(n)], dtype=float)
    margin = np.where(np.isnan(need), np.inf, dist - need)
    worst = int(np.argmin(margin))
    inputs = {"edges": n, "worst_edge": f"{worst + 1}-{(worst + 1) % n + 1}", "distance_m": float(dist[worst]),
              "required_m": float(need[worst]), "outside_parcel_m2": outside,
              "per_edge_setbacks": bool(per_edge)}
    value, limit = round(float(dist[worst]), 2), float(need[worst])
    where = f"第 {worst + 1}-{(worst + 1) % n + 1} 边" if per_edge else "用地红线"
    if outside > 0.01:
        return CheckResult("setback", "FAIL", 0.0, limit, f"建筑越出用地红线 {outside:.1f} m²", inputs)
    if margin[worst] < -tol.setback_m:
        return CheckResult("setback", "FAIL", value, limit, f"距{where} {value:.2f} m，小于退线要求 {limit:g} m", inputs)
    if margin[worst] < 0:
        return CheckResult("setback", "WARN", value, limit, f"距{where} {value:.2f} m，在退线要求的几何容差内", inputs)
    return CheckResult("setback", "PASS", value, limit, f"距{where}最近 {value:.2f} m，满足退线 {limit:g} m", inputs)


def _exterior(parcel):
    """The exterior ring of a parcel (the largest part of a multipolygon)."""
    if parcel.geom_type == "MultiPolygon":
        parcel = max(parcel.geoms, key=lambda g: g.area)
    return parcel.exterior


# -- all parcels of a workspace ----------------------------------------------------------

def supervision_layer(ws: Workspace, layer: str | None = None) -> str:
    """The supervision layer to check: ``layer`` or the workspace's only one."""
    if layer is not None:
        info = ws.layer(layer)
        if info.kind != LayerKind.SUPERVISION:
            raise LztInputError(ws.uri, f"layer {layer!r} is not a supervision layer (import it with --kind supervision)")
        return layer
    names = [li.name for li in ws.layers() if li.kind == LayerKind.SUPERVISION]
    if not names:
        raise LztInputError(ws.uri, "has no supervision layer; import one with lzt import --kind supervision")
    if len(names) > 1:
        raise LztInputError(ws.uri, f"has several supervision layers ({', '.join(names)}); choose one with --layer")
    return names[0]


def run_checks(ws: Workspace, *, layer: str | None = None, parcel: str | None = None, as_of: date | None = None,
               bim_layer: str = "bim_models", tolerances: Tolerances | None = None,
               feedback: Feedback | None = None) -> list[ParcelCheck]:
    """Check every parcel of the supervision layer (or one, by 宗地编号) as of ``as_of``."""
    from lzt.core.filters import Compare

    fb = ensure(feedback)
    layer = supervision_layer(ws, layer)
    as_of = as_of or date.today()
    tol = tolerances or Tolerances.from_settings(ws)
    where = Compare("parcel_id", "=", str(parcel)) if parcel is not None else None
    terms = ws.read_features(layer, where=where)
    if parcel is not None and terms.empty:
        raise LztInputError(ws.uri, f"layer {layer!r} has no parcel {parcel!r}")
    models = _models_on(ws, bim_layer, terms)
    from lzt.analysis.height_limits import zone_allowed_at, zones_layer

    zone_layer = zones_layer(ws) if models else None  # 控高 zones bind the models too
    allowed = _allowed_by_zone(ws, models, zone_layer, zone_allowed_at)
    out = []
    n = len(terms)
    for i, (fid, row) in enumerate(terms.iterrows()):
        if i % 200 == 0:
            fb.check()
            fb.progress(i, n, "检查宗地")
        t = row.to_dict()
        geom = row.geometry
        results = [check_idle_land(t, as_of, tol), check_overdue_completion(t, as_of, tol)]
        mine = models.get(fid)
        names = [] if mine is None else mine["name"].astype(str).tolist()
        if geom is None or geom.is_empty:
            results += [CheckResult(r, "NO_DATA", None, None, "宗地没有图形，无法核对模型", {})
                        for r in ("far", "coverage", "height", "setback")]
        else:
            site = _f(t.get("area_m2")) or float(geom.area)
            fps = None if mine is None else np.asarray(mine.geometry.values, dtype=object)
            gfa = None if mine is None else float(mine["gfa_m2"].fillna(0).sum())
            hs = None if mine is None else list(zip(names, mine["height_m"].astype(float),
                                                     mine["height_reference"].astype(object)))
            zs = None if mine is None or zone_layer is None else allowed[fid]
            results += [check_far(gfa, site, t, tol), check_coverage(fps, site, t, tol),
                        check_height(hs, t, tol, zs), check_setback(fps, geom, t, tol)]
        out.append(ParcelCheck(parcel_id=str(t["parcel_id"]), fid=int(fid), results=results, models=names))
    fb.progress(n, n, "检查完成")
    return out


#: the attributes ``check_idle_land`` reads
IDLE_FIELDS = ("parcel_id", "agreed_start", "actual_start", "actual_completion", "delay_cause", "area_m2",
               "developed_area_m2", "investment_total", "investment_done", "stopped_since")


def idle_land_checks(ws: Workspace, *, layer: str | None = None, as_of: date | None = None
                     ) -> list[tuple[str, int, CheckResult]]:
    """(宗地编号, fid, result) of the 闲置土地 rule for every parcel: what ``run_checks`` gives for
    that rule, from the attributes alone (no geometry, models or zones: the rule reads none)."""
    layer = supervision_layer(ws, layer)
    as_of = as_of or date.today()
    tol = Tolerances.from_settings(ws)
    cols = [c for c in IDLE_FIELDS if c in ws.fields(layer)]
    terms = ws.read_features(layer, columns=cols, geometry=False)
    return [(str(t["parcel_id"]), int(fid), check_idle_land(t, as_of, tol))
            for fid, t in zip(terms.index, terms.to_dict("records"))]


def _allowed_by_zone(ws, models: dict[int, pd.DataFrame], zone_layer: str | None, zone_allowed_at) -> dict:
    """Per parcel fid, ``zone_allowed_at`` of its models' footprints, computed for all models in
    one pass (the zones read once, not once per parcel)."""
    if zone_layer is None or not models:
        return {}
    fids = list(models)
    fps = np.concatenate([np.asarray(models[f].geometry.values, dtype=object) for f in fids])
    allowed = zone_allowed_at(ws, fps, zones=zone_layer)
    out, at = {}, 0
    for f in fids:
        n = len(models[f])
        out[f] = allowed[at:at + n]
        at += n
    return out


def _models_on(ws, bim_layer: str, terms) -> dict[int, pd.DataFrame]:
    """BIM models per supervision feature: those whose footprint's inner point lies on the parcel."""
    if not ws.has_layer(bim_layer) or terms.empty:
        return {}
    geoms = np.asarray(terms.geometry.values, dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not ok.any():
        return {}
    bbox = tuple(shapely.total_bounds(geoms[ok]))
    bim = ws.read_features(bim_layer, bbox=bbox, columns=["name", "gfa_m2", "height_m", "height_reference"])
    if bim.empty:
        return {}
    points = shapely.point_on_surface(np.asarray(bim.geometry.values, dtype=object))
    tree = shapely.STRtree(geoms)
    pi, gi = tree.query(points, predicate="within")
    fids = terms.index.to_numpy()
    out: dict[int, pd.DataFrame] = {}
    for g in np.unique(gi):
        out[int(fids[g])] = bim.iloc[pi[gi == g]]
    return out


def summary(checks: list[ParcelCheck]) -> dict[str, dict[str, int]]:
    """Counts of each status per rule."""
    table = {r: dict.fromkeys(STATUSES, 0) for r in RULES}
    for c in checks:
        for r in c.results:
            table[r.rule][r.status] += 1
    return table


def nearby_complaints(ws: Workspace, geometry, metres: float, *, layer: str | None = None, columns=None):
    """Complaint records within ``metres`` of a parcel (masked: they leave the workspace as
    soon as they are shown), nearest first, with a ``distance_m`` column."""
    from lzt.analysis.masking import mask_layer_rows

    if metres < 0:
        raise LztInputError("distance", "must not be negative")
    if layer is None:
        layer = next((li.name for li in ws.layers() if li.kind == LayerKind.COMPLAINTS), None)
        if layer is None:
            return None
    minx, miny, maxx, maxy = geometry.bounds
    cols = columns or [c for c in ("order_id", "received_at", "cat_l1", "cat_l2", "status", "address")
                       if c in ws.fields(layer)]
    found = ws.read_features(layer, bbox=(minx - metres, miny - metres, maxx + metres, maxy + metres), columns=cols)
    if found.empty:
        found["distance_m"] = []
        return found
    d = shapely.distance(np.asarray(found.geometry.values, dtype=object), geometry)
    found = found.assign(distance_m=np.round(d, 1))[d <= metres].sort_values("distance_m", kind="stable")
    return mask_layer_rows(ws, layer, found)
