"""Demo land-supervision ledger: granted parcels with contract terms, tied to the demo BIM models.

Every parcel with a demo BIM model is a granted parcel whose terms come from the
model's plan (its height and FAR limits; the few models that break them on purpose
fail their checks). Further granted parcels without models give the realistic mix a
supervision desk sees as of ``AS_OF``: not yet due, idle (not started a year after
the agreed date, some exempt for government causes), started but stalled, under
construction, overdue and completed on time or late. Dates follow Shenzhen's start
and completion deadlines (DOMAIN.md §1.3: housing 1 and 4 years from signing;
non-housing 1-2.5 and 3-6 years by height and floor area). Holders are fictitious.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd

#: the date the demo mix is designed for (``lzt check --as-of``)
AS_OF = date(2026, 11, 1)
EXTRA_PARCELS = {"small": 160, "district": 1070}
HOLDERS = ("深圳市龙岗城投置业有限公司", "深圳市坂田实业发展有限公司", "深圳市横岗股份合作公司", "龙岗区建筑工务署",
           "深圳市宝龙科技园开发有限公司", "深圳市大运新城投资有限公司", "深圳市布吉实业集团有限公司",
           "深圳市平湖物流园有限公司", "深圳市园山产业发展有限公司", "深圳市坪地国际低碳城建设有限公司")
PROJECTS = {"R": ("花园", "家园", "苑", "府"), "B": ("商务中心", "广场", "中心"), "A": ("学校", "文体中心", "社康中心"),
            "M": ("产业园", "智造园", "科技园"), "W": ("物流园", "仓储中心")}


def _years(d: date, years: float) -> date:
    whole = int(years)
    out = d.replace(year=d.year + whole) if not (d.month == 2 and d.day == 29) else d.replace(year=d.year + whole, day=28)
    return out + timedelta(days=round((years - whole) * 365))


def _deadlines(use: str, height: float, gfa: float) -> tuple[float, float]:
    """(start, completion) in years from signing, per 深圳市建设用地开工竣工管理办法 [S7][S11]."""
    if use == "R":
        return 1.0, 4.0
    small, mid = gfa <= 50_000, gfa <= 100_000
    if height <= 100:
        return (1.0, 3.0) if small else ((1.5, 3.5) if mid else (1.5, 4.0))
    return (2.0, 4.5) if small else ((2.0, 5.0) if mid else (2.5, 6.0))


def generate_supervision(parcels: gpd.GeoDataFrame, plans: list[dict], scale: str, seed: int) -> gpd.GeoDataFrame:
    """The supervision layer (schema of ``layers.supervision``) for the demo."""
    rng = np.random.default_rng(seed + 77)
    by_id = parcels.set_index("parcel_id")
    rows = []
    planned = {p["parcel_id"] for p in plans}
    for p in plans:
        rows.append(_built_parcel(p, by_id.loc[p["parcel_id"]], rng))
    fam = parcels["landuse_code"].str[0]
    pool = parcels[fam.isin(list(PROJECTS)) & parcels["area_m2"].between(3000, 60000)
                   & ~parcels["parcel_id"].isin(planned)]
    extra = pool.iloc[np.sort(rng.choice(len(pool), size=min(EXTRA_PARCELS[scale], len(pool)), replace=False))]
    cases = rng.choice(["due", "idle", "idle_exempt", "stalled", "building", "overdue", "done", "done_late"],
                       size=len(extra), p=[0.18, 0.12, 0.03, 0.08, 0.27, 0.10, 0.17, 0.05])
    for (_, row), case in zip(extra.iterrows(), cases):
        rows.append(_ledger_parcel(row, str(case), rng))
    out = pd.DataFrame(rows)
    geoms = by_id.loc[out["parcel_id"]].geometry.to_numpy()
    gdf = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, crs=parcels.crs), crs=parcels.crs)
    gdf["version"] = np.ones(len(gdf), dtype=np.int64)
    return gdf.sort_values("parcel_id").reset_index(drop=True)


def _common(parcel_id: str, row, use: str, rng) -> dict:
    area = float(row["area_m2"])
    return {"parcel_id": parcel_id, "contract_id": f"深地合字（{2016 + int(rng.integers(0, 8))}）"
                                                   f"{int(rng.integers(1000, 9999))}号",
            "holder": HOLDERS[int(rng.integers(0, len(HOLDERS)))],
            "project": f"{row['community']}{PROJECTS[use][int(rng.integers(0, len(PROJECTS[use])))]}项目",
            "land_use": f"{row['landuse_code']} {row['landuse_name']}", "area_m2": round(area, 2),
            "green_min": {"R": 35.0, "A": 35.0, "B": 25.0, "M": 15.0, "W": 15.0}[use]}


def _built_parcel(plan: dict, row, rng) -> dict:
    """A parcel with a demo BIM model: terms from the model's plan; under construction or done."""
    use = plan["landuse_code"][0]
    d = _common(plan["parcel_id"], row, use, rng)
    area = d["area_m2"]
    footprint = plan["width_m"] * plan["depth_m"]
    cover = footprint / area * 100
    breaks_cover = rng.random() < 0.05
    height = plan["storeys"] * plan["storey_height_m"] + 0.3
    t_start, t_done = _deadlines(use, height, footprint * plan["storeys"])
    signed = AS_OF - timedelta(days=int(rng.integers(int(365 * (t_done + 0.3)), int(365 * (t_done + 3.5)))))
    agreed_start, agreed_done = _years(signed, t_start), _years(signed, t_done)
    started = agreed_start - timedelta(days=int(rng.integers(-60, 200)))
    late = rng.random() < 0.15
    done = agreed_done + timedelta(days=int(rng.integers(40, 400))) if late else \
        agreed_done - timedelta(days=int(rng.integers(0, 200)))
    completed = done if done <= AS_OF else None
    setback = 3.0 if rng.random() > 0.06 else 9.0  # a few contracts ask for more than the design kept
    edges = None
    if rng.random() < 0.3:  # Shenzhen-style per-edge setbacks: 5 m or 3 m, as far as the design kept
        edges = _edge_setbacks(plan, row.geometry, breaks=setback > 3)
    gfa = footprint * plan["storeys"]
    invest = round(gfa * float(rng.uniform(0.45, 0.8)), -2)  # 万元: ~4,500-8,000 yuan/m²
    return d | {
        "signed_on": signed, "agreed_start": agreed_start, "agreed_completion": agreed_done,
        "actual_start": started, "actual_completion": completed, "stopped_since": None, "delay_cause": None,
        "far_max": plan["far_limit"], "far_min": round(max(0.5, plan["far_limit"] * 0.3), 1),
        "coverage_max": float(math.floor(cover * 0.85)) if breaks_cover else float(min(60, math.ceil(cover / 5) * 5 + 5)),
        "height_max": plan["height_limit_m"], "setback_m": setback, "setback_edges": edges,
        "investment_total": invest, "investment_done": invest if completed else round(invest * float(rng.uniform(0.4, 0.95)), -2),
        "developed_area_m2": area if completed else round(area * float(rng.uniform(0.5, 1.0)), 0),
        "status": "已竣工" if completed else "在建"}


def _ledger_parcel(row, case: str, rng) -> dict:
    """A granted parcel without a BIM model, in one of the supervision cases."""
    use = row["landuse_code"][0]
    d = _common(row["parcel_id"], row, use, rng)
    area = d["area_m2"]
    far = round(float({"R": rng.uniform(2.5, 4.5), "B": rng.uniform(3, 6), "A": rng.uniform(1, 2.5),
                       "M": rng.uniform(2, 4), "W": rng.uniform(1, 2)}[use]), 1)
    height = float({"R": 100, "B": 150, "A": 36, "M": 60, "W": 24}[use])
    t_start, t_done = _deadlines(use, height, far * area)
    age = {"due": (0.2, t_start - 0.15), "idle": (t_start + 1.0, t_start + 3.0), "idle_exempt": (t_start + 1.0, t_start + 2.5),
           "stalled": (t_start + 1.5, t_done + 1), "building": (t_start + 0.2, t_done - 0.2),
           "overdue": (t_done + 0.1, t_done + 2.5), "done": (t_done + 0.1, t_done + 4),
           "done_late": (t_done + 0.8, t_done + 4)}[case]
    signed = AS_OF - timedelta(days=int(rng.uniform(*age) * 365))
    agreed_start, agreed_done = _years(signed, t_start), _years(signed, t_done)
    invest = round(far * area * float(rng.uniform(0.45, 0.8)), -2)
    started = completed = stopped = cause = None
    dev_share, inv_share = 0.0, 0.0
    status = "未开工"
    if case == "idle_exempt":
        cause = ("政府原因", "不可抗力")[int(rng.random() < 0.2)]
    if case in ("stalled", "building", "overdue", "done", "done_late"):
        started = agreed_start - timedelta(days=int(rng.integers(-90, 120)))
        dev_share, inv_share, status = float(rng.uniform(0.35, 0.9)), float(rng.uniform(0.3, 0.9)), "在建"
    if case == "stalled":
        stopped = started + timedelta(days=int(rng.integers(60, 300)))
        dev_share, inv_share = float(rng.uniform(0.05, 0.32)), float(rng.uniform(0.05, 0.6))
        status = "停工"
    if case in ("done", "done_late"):
        completed = agreed_done - timedelta(days=int(rng.integers(0, 180))) if case == "done" else \
            agreed_done + timedelta(days=int(rng.integers(30, 500)))
        completed = min(completed, AS_OF - timedelta(days=10))
        dev_share, inv_share, status = 1.0, 1.0, "已竣工"
    return d | {
        "signed_on": signed, "agreed_start": agreed_start, "agreed_completion": agreed_done,
        "actual_start": started, "actual_completion": completed, "stopped_since": stopped, "delay_cause": cause,
        "far_max": far, "far_min": round(far * 0.3, 1),
        "coverage_max": {"R": 25.0, "B": 45.0, "A": 35.0, "M": 50.0, "W": 55.0}[use], "height_max": height,
        "setback_m": 6.0 if use in "RB" else 5.0, "setback_edges": None,
        "investment_total": invest, "investment_done": round(invest * inv_share, -2),
        "developed_area_m2": round(area * dev_share, 0), "status": status}


def _edge_setbacks(plan: dict, parcel, *, breaks: bool) -> str:
    """'1-2:5;2-3:3;...' for the parcel's exterior edges, met by the planned footprint
    (5 m on odd edges, 3 m on even ones, less where the design kept less), unless ``breaks``."""
    import shapely

    from lzt.demo.bim import plan_footprint

    fp = plan_footprint(tuple(plan["origin"]), math.radians(plan["rotation_deg"]), plan["width_m"], plan["depth_m"])
    ring = (max(parcel.geoms, key=lambda g: g.area) if parcel.geom_type == "MultiPolygon" else parcel).exterior
    xy = np.asarray(ring.coords)[:-1]
    n = len(xy)
    edges = shapely.linestrings(np.stack([xy, np.roll(xy, -1, axis=0)], axis=1))
    dist = shapely.distance(edges, fp)
    parts = []
    for i in range(n):
        need = 5.0 if i % 2 == 0 else 3.0
        if dist[i] < need:
            need = max(1.0, math.floor(dist[i]))
        if breaks and i == int(np.argmin(dist)):
            need = math.ceil(dist[i]) + 4.0
        parts.append(f"{i + 1}-{(i + 1) % n + 1}:{need:g}")
    return ";".join(parts)
