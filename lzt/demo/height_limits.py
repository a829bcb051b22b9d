"""The demo's height-limit zones (控高), deterministic from the recipe and the DEM:

- 山体景观控制区 around the district's higher hills (a ring 0.8 σ to 1.5 σ from the hill's
  centre: the slopes and foot around the mountain body): building tops no higher than two
  thirds of the summit's elevation (绝对高程; a common mountain-view rule [M: Shenzhen's own
  text not verified]);
- 微波通道 (microwave corridor) 200 m wide between the 龙城 and 龙岗 street centres: 60 m
  above the ground (相对地面) [illustrative];
- 历史风貌区 around the old 龙岗 street centre, 500 m: 24 m above the ground [illustrative].

Granted parcels (the supervision layer) are cut out: their planning conditions (规划设计条件)
already carry the height limit, which the supervision height rule checks.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely

CRS = "EPSG:4547"
HILL_MIN_M = 350.0  # hills at least this high get a mountain-view zone
FIELDS = ("zone_id", "name", "height_limit_m", "reference", "basis")


def generate_height_limits(recipe: dict, district, ground: Callable, granted=None) -> gpd.GeoDataFrame:
    """The zones inside ``district`` outside the ``granted`` parcels (a geometry); ``ground(xs,
    ys)`` gives DEM heights (NaN where none) for the summits."""
    rows = []
    for hill in recipe["hills"]:
        if hill["height_m"] < HILL_MIN_M:
            continue
        cx, cy = map(float, hill["center"])
        sigma = float(hill["sigma_m"])
        centre = shapely.Point(cx, cy)
        zone = centre.buffer(1.5 * sigma, quad_segs=16).difference(centre.buffer(0.8 * sigma, quad_segs=16))
        zone = zone.intersection(district)
        if zone.is_empty or zone.area < 1e5:
            continue
        body = centre.buffer(1.5 * sigma, quad_segs=16)
        x0, y0, x1, y1 = body.bounds  # the summit: the highest DEM value on the hill (60 m grid)
        gx, gy = np.meshgrid(np.arange(x0, x1, 60.0), np.arange(y0, y1, 60.0))
        inside = shapely.contains_xy(body, gx, gy)
        z = ground(gx[inside], gy[inside]) if inside.any() else np.zeros(0)
        if not np.isfinite(z).any():
            continue
        summit = float(np.nanmax(z))
        rows.append((f"{hill['name']}山体景观控制区", float(np.floor(summit * 2 / 3)), "绝对高程",
                     f"建筑顶部不高于{hill['name']}山顶高程（{summit:.0f} m）的三分之二", zone))
    streets = {s["name"]: tuple(map(float, s["centroid"])) for s in recipe["streets"]}
    if "龙城" in streets and "龙岗" in streets:
        corridor = shapely.LineString([streets["龙城"], streets["龙岗"]]).buffer(100.0, cap_style="flat")
        rows.append(("龙城—龙岗微波通道", 60.0, "相对地面", "微波通道内建筑高度不超过 60 m（示例）",
                     corridor.intersection(district)))
    if "龙岗" in streets:
        old = shapely.Point(*streets["龙岗"]).buffer(500.0, quad_segs=16)
        rows.append(("龙岗老墟历史风貌区", 24.0, "相对地面", "历史风貌区内建筑高度不超过 24 m（示例）",
                     old.intersection(district)))
    if granted is not None:
        rows = [(*r[:-1], r[-1].difference(granted)) for r in rows]
    rows = [r for r in rows if not r[-1].is_empty]
    return gpd.GeoDataFrame({"zone_id": [f"KG-{i + 1:02d}" for i in range(len(rows))],
                             "name": [r[0] for r in rows], "height_limit_m": [r[1] for r in rows],
                             "reference": [r[2] for r in rows], "basis": [r[3] for r in rows]},
                            geometry=[shapely.set_precision(r[4], 0.01) for r in rows], crs=CRS)
