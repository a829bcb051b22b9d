"""Demo building footprints (建筑物): the topographic base map's buildings, with storeys and heights.

Buildings stand in rows on the built parcels, aligned with each parcel's long axis and set
back from its boundary, with a typology per land use as Longgang looks from the air:
dense 5-9 storey 农民房 (三类居住 / urban villages), 18-33 storey residential towers,
commercial and office towers, 2-6 storey industrial blocks (厂房), low wide warehouses.
Green, transport and undeveloped land stays empty, and so do the parcels of the
supervision ledger and the demo BIM models: those are shown by their own layers.
All sizes and storey heights are typical values [M], not survey data.

Vectorised over all slots (numpy + shapely), never a loop over parcels.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

CRS = "EPSG:4547"


@dataclass(frozen=True)
class Typology:
    use: str  # 建筑用途
    structure: str  # 结构
    width: tuple[float, float]  # along the parcel's long axis (m)
    depth: tuple[float, float]
    gap: tuple[float, float]  # clear distance between buildings (along, across)
    floors: tuple[int, int]
    storey_m: float
    built_share: float  # share of the parcel's slots that hold a building


_TOWER = Typology("住宅", "钢筋混凝土", (26, 34), (16, 20), (22, 36), (18, 33), 3.0, 0.85)
TYPOLOGY: dict[str, Typology] = {
    "R1": Typology("住宅", "钢筋混凝土", (13, 16), (11, 14), (10, 10), (3, 4), 3.2, 0.8),
    "R2": _TOWER,
    "R3": Typology("住宅", "砖混", (10, 14), (10, 13), (4, 4), (5, 9), 3.0, 0.88),
    "A1": Typology("办公", "钢筋混凝土", (40, 60), (20, 26), (20, 24), (5, 12), 3.9, 0.7),
    "A2": Typology("公共", "钢筋混凝土", (40, 60), (26, 36), (20, 24), (2, 5), 4.5, 0.6),
    "A33": Typology("教育", "钢筋混凝土", (50, 70), (14, 18), (25, 25), (4, 6), 3.9, 0.6),
    "A5": Typology("医疗", "钢筋混凝土", (50, 70), (24, 32), (20, 24), (6, 16), 3.9, 0.7),
    "B1": Typology("商业", "钢筋混凝土", (36, 48), (28, 36), (20, 24), (4, 30), 4.2, 0.75),
    "B2": Typology("办公", "钢筋混凝土", (34, 44), (28, 34), (24, 28), (12, 40), 4.0, 0.75),
    "M1": Typology("工业", "钢筋混凝土", (60, 90), (22, 30), (14, 18), (2, 6), 4.5, 0.85),
    "M2": Typology("工业", "钢结构", (70, 110), (28, 40), (16, 18), (1, 4), 5.5, 0.8),
    "W1": Typology("仓储", "钢结构", (80, 120), (36, 50), (18, 24), (1, 3), 8.0, 0.8),
    "U1": Typology("公用设施", "钢筋混凝土", (16, 24), (10, 14), (12, 12), (1, 2), 4.5, 0.5),
}
SETBACK_M = 4.0
MAX_SLOTS = 400  # per parcel: the largest industrial parcels, not an artefact of the grid


def generate_buildings(parcels: gpd.GeoDataFrame, skip_parcels: set[str], seed: int) -> gpd.GeoDataFrame:
    """The ``buildings`` layer: footprints on the built parcels, none on ``skip_parcels``."""
    rng = np.random.default_rng(seed + 2026)
    codes = parcels["landuse_code"].astype(str).to_numpy()
    ok = np.isin(codes, list(TYPOLOGY)) & ~parcels["parcel_id"].isin(skip_parcels).to_numpy()
    ok &= rng.uniform(size=len(parcels)) < 0.93  # some land is still empty or cleared
    idx = np.flatnonzero(ok)
    polys = np.asarray(parcels.geometry.values, dtype=object)[idx]
    frame = _parcel_frames(polys)
    params = [TYPOLOGY[c] for c in codes[idx]]
    # per parcel: one building size and spacing (a housing estate repeats its tower)
    w = np.array([rng.uniform(*t.width) for t in params])
    d = np.array([rng.uniform(*t.depth) for t in params])
    ga = np.array([t.gap[0] for t in params])
    gc = np.array([t.gap[1] for t in params])
    length, breadth = frame["length"], frame["breadth"]
    usable_l = length - 2 * SETBACK_M
    usable_b = breadth - 2 * SETBACK_M
    nl = np.clip(np.floor((usable_l + ga) / (w + ga)), 0, None).astype(int)
    nb = np.clip(np.floor((usable_b + gc) / (d + gc)), 0, None).astype(int)
    too_many = nl * nb > MAX_SLOTS
    nb[too_many] = np.maximum(1, MAX_SLOTS // np.maximum(nl[too_many], 1))
    nl = np.minimum(nl, MAX_SLOTS)
    slots = nl * nb
    owner = np.repeat(np.arange(len(idx)), slots)
    if not len(owner):
        return _frame([], [], [], [], [], [], [])
    first = np.repeat(np.cumsum(slots) - slots, slots)
    k = np.arange(len(owner)) - first
    i_l, i_b = k % nl[owner], k // nl[owner]
    # centre the rows on the parcel's oriented frame
    off_l = (usable_l[owner] - (nl[owner] * w[owner] + (nl[owner] - 1) * ga[owner])) / 2
    off_b = (usable_b[owner] - (nb[owner] * d[owner] + (nb[owner] - 1) * gc[owner])) / 2
    cl = -length[owner] / 2 + SETBACK_M + off_l + i_l * (w[owner] + ga[owner]) + w[owner] / 2
    cb = -breadth[owner] / 2 + SETBACK_M + off_b + i_b * (d[owner] + gc[owner]) + d[owner] / 2
    # each building a little different from its neighbours
    bw = w[owner] * rng.uniform(0.9, 1.0, len(owner))
    bd = d[owner] * rng.uniform(0.9, 1.0, len(owner))
    corners = np.array([[-.5, -.5], [.5, -.5], [.5, .5], [-.5, .5], [-.5, -.5]])
    lx = cl[:, None] + corners[None, :, 0] * bw[:, None]
    ly = cb[:, None] + corners[None, :, 1] * bd[:, None]
    ux, uy = frame["ux"][owner, None], frame["uy"][owner, None]
    x = frame["cx"][owner, None] + lx * ux - ly * uy
    y = frame["cy"][owner, None] + lx * uy + ly * ux
    rects = shapely.polygons(np.stack([np.round(x, 2), np.round(y, 2)], axis=2))
    inner = shapely.buffer(polys, -SETBACK_M / 2, quad_segs=2)
    keep = shapely.within(rects, inner[owner])
    share = np.array([t.built_share for t in params])
    keep &= rng.uniform(size=len(owner)) < share[owner]
    rects, owner = rects[keep], owner[keep]
    # storeys: drawn per parcel (an estate is built to one plan) with a little spread
    fl_lo = np.array([t.floors[0] for t in params])
    fl_hi = np.array([t.floors[1] for t in params])
    parcel_floors = rng.integers(fl_lo, fl_hi + 1)
    floors = np.clip(parcel_floors[owner] + rng.integers(-1, 2, len(owner)), fl_lo[owner], fl_hi[owner])
    storey = np.array([t.storey_m for t in params])[owner]
    height = np.round(floors * storey + rng.uniform(0.3, 1.5, len(owner)), 1)  # parapet, roof plant
    rows = parcels.iloc[idx[owner]]
    return _frame(rects, rows["parcel_id"].to_numpy(), rows["street"].to_numpy(), rows["community"].to_numpy(),
                  [params[o].use for o in owner], [params[o].structure for o in owner], floors, height)


def _frame(rects, parcel_ids, streets, communities, uses, structures, floors, heights=()) -> gpd.GeoDataFrame:
    n = len(rects)
    return gpd.GeoDataFrame({
        "building_id": [f"JZ{i + 1:07d}" for i in range(n)],
        "parcel_id": list(parcel_ids), "street": list(streets), "community": list(communities),
        "use": list(uses), "structure": list(structures),
        "floors": np.asarray(floors, dtype=np.int64), "height_m": np.asarray(heights, dtype=float)},
        geometry=list(rects), crs=CRS)


def _parcel_frames(polys: np.ndarray) -> dict[str, np.ndarray]:
    """Each parcel's oriented envelope: centre, long-axis unit vector, length and breadth."""
    rect = shapely.oriented_envelope(polys)
    xy, who = shapely.get_coordinates(shapely.get_exterior_ring(rect), return_index=True)
    first = np.searchsorted(who, np.arange(len(polys)))
    p0, p1, p2 = xy[first], xy[np.minimum(first + 1, len(xy) - 1)], xy[np.minimum(first + 2, len(xy) - 1)]
    e1, e2 = p1 - p0, p2 - p1
    l1, l2 = np.hypot(*e1.T), np.hypot(*e2.T)
    long_is_e1 = l1 >= l2
    axis = np.where(long_is_e1[:, None], e1, e2)
    length = np.maximum(l1, l2)
    breadth = np.minimum(l1, l2)
    unit = axis / np.maximum(length, 1e-9)[:, None]
    c = shapely.centroid(rect)
    return {"cx": shapely.get_x(c), "cy": shapely.get_y(c), "ux": unit[:, 0], "uy": unit[:, 1],
            "length": length, "breadth": breadth}
