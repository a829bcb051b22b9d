"""Demo 门牌 (door plates): the address points of Shenzhen's standard address base, for the demo.

Two kinds, as the address base has them ([M]: the numbering rule is the common Chinese one,
not checked against Shenzhen's 门牌 regulation):
- road plates (``category`` 门牌): ``<road><n>号`` along the named roads (主干路, 次干路, 支路),
  odd numbers on the left of the road's drawing direction, even on the right, increasing along
  it: number ``n`` stands ``plate_distance(n)`` m from the road's start (``STEP`` m per pair of
  numbers) and ``width / 2 + SETBACK`` m beside its centre line. Only some numbers carry a plate
  (one every 60-200 m per side), so most numbers written in an address fall between plates;
- building plates (``category`` 楼栋): ``<小区><k>栋`` on the buildings of each residential
  compound (住宅小区 POI): the buildings of the compound's parcel within ``COMPOUND_REACH`` m,
  each given to its nearest compound, numbered north to south then west to east.

``plate_point`` gives the true place of any number, so tests and the complaint generator know
where an address is without reading the plates. Deterministic for a seed; vectorised per road.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

CRS = "EPSG:4547"
#: metres of road per pair of numbers (1 and 2 at 0-10 m, 3 and 4 at 10-20 m ...)
STEP = 10.0
#: metres from the road's edge to its plates
SETBACK = 8.0
#: the road classes that carry plates (expressways and motorways have none)
PLATED_CLASSES = ("主干路", "次干路", "支路")
#: spacing of the plates on one side of a road (m)
SPACING = (60.0, 200.0)
#: a compound's buildings are those of its parcel within this distance (m)
COMPOUND_REACH = 250.0
COLUMNS = ["doorplate", "road", "number", "compound", "category", "street", "community"]


def plate_distance(n: np.ndarray | int) -> np.ndarray:
    """Metres along the road of number ``n`` (the middle of its ``STEP``)."""
    return ((np.asarray(n) - 1) // 2 + 0.5) * STEP


def plate_number(d: np.ndarray, left: np.ndarray) -> np.ndarray:
    """The number of a place ``d`` m along the road, on the left (odd) or right (even) side."""
    k = np.floor(np.asarray(d, dtype=float) / STEP).astype(np.int64)
    return 2 * k + np.where(left, 1, 2)


def plate_point(line: shapely.LineString, width: float, n: np.ndarray | int) -> np.ndarray:
    """True x, y (shape (k, 2)) of numbers ``n`` of a road drawn as ``line`` of ``width`` m."""
    n = np.atleast_1d(np.asarray(n, dtype=np.int64))
    d = np.minimum(plate_distance(n), line.length)
    on = shapely.line_interpolate_point(line, d)
    ahead = shapely.line_interpolate_point(line, np.minimum(d + 1.0, line.length))
    behind = shapely.line_interpolate_point(line, np.maximum(d - 1.0, 0.0))
    tx = shapely.get_x(ahead) - shapely.get_x(behind)
    ty = shapely.get_y(ahead) - shapely.get_y(behind)
    norm = np.hypot(tx, ty)
    norm[norm == 0] = 1.0
    side = np.where(n % 2 == 1, 1.0, -1.0)  # left of the direction: (-ty, tx)
    off = (width / 2 + SETBACK) * side
    return np.column_stack([shapely.get_x(on) - ty / norm * off, shapely.get_y(on) + tx / norm * off])


def side_of(line: shapely.LineString, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(metres along ``line``, left of it?) of points x, y."""
    pts = shapely.points(x, y)
    d = shapely.line_locate_point(line, pts)
    a = shapely.line_interpolate_point(line, np.maximum(d - 1.0, 0.0))
    b = shapely.line_interpolate_point(line, np.minimum(d + 1.0, line.length))
    ax, ay, bx, by = shapely.get_x(a), shapely.get_y(a), shapely.get_x(b), shapely.get_y(b)
    cross = (bx - ax) * (np.asarray(y) - ay) - (by - ay) * (np.asarray(x) - ax)
    return d, cross > 0


def road_plates(roads: gpd.GeoDataFrame, seed: int) -> pd.DataFrame:
    """Road plates: road (row of ``roads``), number, x, y."""
    rng = np.random.default_rng(seed + 1717)
    out = []
    cls = roads["road_class"].to_numpy()
    widths = roads["width_m"].to_numpy(dtype=float)
    geoms = np.asarray(roads.geometry.values, dtype=object)
    for i in np.flatnonzero(np.isin(cls, PLATED_CLASSES)).tolist():
        line = geoms[i]
        length = line.length
        for parity in (1, 2):
            d = rng.uniform(0, SPACING[0]) + np.cumsum(rng.uniform(*SPACING, int(length / SPACING[0]) + 2))
            d = np.concatenate([[rng.uniform(0, SPACING[0])], d])
            d = d[d < length - STEP / 2]
            if not len(d):
                continue
            n = np.unique(plate_number(d, np.full(len(d), parity == 1)))
            xy = plate_point(line, widths[i], n)
            out.append(pd.DataFrame({"road_row": i, "number": n, "x": xy[:, 0], "y": xy[:, 1]}))
    if not out:
        return pd.DataFrame(columns=["road_row", "number", "x", "y"])
    return pd.concat(out, ignore_index=True)


def building_plates(poi: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame) -> pd.DataFrame:
    """Building plates: compound (row of ``poi``), number (栋), x, y (the building's centroid)."""
    homes = np.flatnonzero((poi["category"] == "住宅小区").to_numpy())
    hx, hy = poi.geometry.x.to_numpy()[homes], poi.geometry.y.to_numpy()[homes]
    pgeoms = np.asarray(parcels.geometry.values, dtype=object)
    tree = shapely.STRtree(pgeoms)
    hit_pt, hit_pg = tree.query(shapely.points(hx, hy), predicate="within")
    home_parcel = np.full(len(homes), -1)
    home_parcel[hit_pt[::-1]] = hit_pg[::-1]
    pid = parcels["parcel_id"].to_numpy()
    home_pid = np.where(home_parcel >= 0, pid[np.maximum(home_parcel, 0)], None)
    bc = shapely.centroid(np.asarray(buildings.geometry.values, dtype=object))
    b = pd.DataFrame({"parcel_id": buildings["parcel_id"].to_numpy(), "bx": shapely.get_x(bc),
                      "by": shapely.get_y(bc)})
    h = pd.DataFrame({"home": np.arange(len(homes)), "parcel_id": home_pid, "hx": hx, "hy": hy})
    pairs = b.reset_index().merge(h[h["parcel_id"].notna()], on="parcel_id")
    pairs["dist"] = np.hypot(pairs["bx"] - pairs["hx"], pairs["by"] - pairs["hy"])
    pairs = pairs[pairs["dist"] <= COMPOUND_REACH]
    # each building to its nearest compound
    pairs = pairs.sort_values(["index", "dist", "home"], kind="stable").drop_duplicates("index")
    pairs = pairs.assign(row=-(pairs["by"] // 20.0), col=pairs["bx"])
    pairs = pairs.sort_values(["home", "row", "col", "index"], kind="stable")
    pairs["number"] = pairs.groupby("home").cumcount() + 1
    return pd.DataFrame({"poi_row": homes[pairs["home"].to_numpy()], "number": pairs["number"].to_numpy(),
                         "x": pairs["bx"].to_numpy(), "y": pairs["by"].to_numpy()})


def generate_doorplates(roads: gpd.GeoDataFrame, poi: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame,
                        buildings: gpd.GeoDataFrame, communities: gpd.GeoDataFrame, seed: int) -> gpd.GeoDataFrame:
    """The ``doorplates`` layer: road plates and building plates (see the module doc)."""
    from lzt.demo.generate import _locate

    rp = road_plates(roads, seed)
    bp = building_plates(poi, parcels, buildings)
    rname = roads["name"].to_numpy(dtype=object)[rp["road_row"].to_numpy(dtype=np.int64)]
    cname = poi["name"].to_numpy(dtype=object)[bp["poi_row"].to_numpy(dtype=np.int64)]
    frame = pd.DataFrame({
        "doorplate": np.concatenate([rname + rp["number"].astype(str).to_numpy(dtype=object) + "号",
                                     cname + bp["number"].astype(str).to_numpy(dtype=object) + "栋"]),
        "road": np.concatenate([rname, np.full(len(bp), None, dtype=object)]),
        "number": np.concatenate([rp["number"].to_numpy(), bp["number"].to_numpy()]).astype(np.int64),
        "compound": np.concatenate([np.full(len(rp), None, dtype=object), cname]),
        "category": ["门牌"] * len(rp) + ["楼栋"] * len(bp)})
    x = np.concatenate([rp["x"].to_numpy(dtype=float), bp["x"].to_numpy(dtype=float)])
    y = np.concatenate([rp["y"].to_numpy(dtype=float), bp["y"].to_numpy(dtype=float)])
    at = _locate(x, y, communities)
    inside = at >= 0
    frame["street"] = np.where(inside, communities["street"].to_numpy()[np.maximum(at, 0)], None)
    frame["community"] = np.where(inside, communities["name"].to_numpy()[np.maximum(at, 0)], None)
    return gpd.GeoDataFrame(frame[COLUMNS], geometry=shapely.points(x, y), crs=CRS)
