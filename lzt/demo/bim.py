"""Demo BIM models: real IFC4 files (the entities ifcopenshell.api makes, written as STEP text by
``lzt.demo.ifc_step``), standing on demo parcels.

Each model has a site georeferenced with IfcMapConversion in EPSG:4547 (origin at a
corner of the building, x axis along the parcel's long side), a building, storeys
with elevations, a floor slab and four exterior walls per storey, a roof slab, and
storey base quantities (Qto_BuildingStoreyBaseQuantities.GrossFloorArea). The plan
(which parcel, planned height and FAR limits, and whether the model breaks them) is
returned so later layers (land supervision) can use the same numbers; about one
model in eight breaks its height or FAR limit on purpose.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import shapely

STOREY_HEIGHT = {"R": 3.0, "B": 4.2, "A": 3.9, "M": 5.0}
WALL = 0.25
SLAB = 0.3


@dataclass(frozen=True)
class BuildingPlan:
    file: str
    parcel_id: str
    landuse_code: str
    origin: tuple[float, float]  # EPSG:4547, the building's local (0, 0)
    rotation_deg: float
    width_m: float
    depth_m: float
    storeys: int
    storey_height_m: float
    height_limit_m: float
    far_limit: float
    breaks: str  # "" | "height" | "far"


def plan_buildings(parcels, n: int, seed: int) -> list[BuildingPlan]:
    """Choose ``n`` parcels (residential, commercial, public, industrial) and size a building on each."""
    rng = np.random.default_rng(seed + 430)
    fam = parcels["landuse_code"].str[0].to_numpy()
    area = parcels["area_m2"].to_numpy()
    eligible = np.flatnonzero(np.isin(fam, list(STOREY_HEIGHT)) & (area >= 2500) & (area <= 40000))
    pick = rng.permutation(eligible)  # more candidates than needed: some do not fit
    plans = []
    for i in pick:
        row = parcels.iloc[i]
        poly = row.geometry
        rect = shapely.oriented_envelope(poly)
        xy = np.asarray(rect.exterior.coords)[:4]
        e1, e2 = xy[1] - xy[0], xy[2] - xy[1]
        long_edge = e1 if np.hypot(*e1) >= np.hypot(*e2) else e2
        rot = math.degrees(math.atan2(long_edge[1], long_edge[0]))
        # a building of 20-35 % coverage, inside the parcel with a setback
        inner = poly.buffer(-6.0)
        if inner.is_empty:
            continue
        c = inner.centroid if inner.contains(inner.centroid) else inner.representative_point()
        cover = rng.uniform(0.20, 0.35) * row.area_m2
        aspect = rng.uniform(1.3, 2.5)
        depth = float(np.clip(math.sqrt(cover / aspect), 10.0, 40.0))
        width = float(np.clip(cover / depth, 12.0, 90.0))
        f = row.landuse_code[0]
        h = STOREY_HEIGHT[f]
        storeys = int(rng.integers(3, 34 if f == "R" else (20 if f in "AB" else 6)))
        height = storeys * h + SLAB
        breaks = "" if rng.random() > 1 / 8 else ("height" if rng.random() < 0.5 else "far")
        height_limit = math.ceil(height / 6) * 6 + 6 if breaks != "height" else max(9.0, math.floor(height * 0.8))
        r = math.radians(rot)
        setback = poly.buffer(-3.0)
        for _ in range(12):  # shrink until the building stands inside the setback line
            origin = (c.x - (math.cos(r) * width - math.sin(r) * depth) / 2,
                      c.y - (math.sin(r) * width + math.cos(r) * depth) / 2)
            if setback.contains(plan_footprint(origin, r, width, depth)):
                break
            width, depth = width * 0.85, depth * 0.9
        else:
            continue
        if width < 8 or depth < 8:
            continue
        far = width * depth * storeys / row.area_m2
        far_limit = round(far * rng.uniform(1.05, 1.4), 1) if breaks != "far" else max(0.5, round(far * 0.8, 1))
        plans.append(BuildingPlan(file=f"{row.parcel_id}.ifc", parcel_id=row.parcel_id, landuse_code=row.landuse_code,
                                  origin=(round(origin[0], 3), round(origin[1], 3)), rotation_deg=round(rot, 4),
                                  width_m=round(width, 2), depth_m=round(depth, 2), storeys=storeys,
                                  storey_height_m=h, height_limit_m=float(height_limit),
                                  far_limit=float(far_limit), breaks=breaks))
        if len(plans) == n:
            break
    return plans


def plan_footprint(origin, r: float, width: float, depth: float):
    """The planned building's footprint rectangle (``r`` in radians)."""
    u = np.array([math.cos(r), math.sin(r)])
    v = np.array([-math.sin(r), math.cos(r)])
    o = np.asarray(origin)
    return shapely.Polygon([o, o + u * width, o + u * width + v * depth, o + v * depth])


def write_ifc(plan: BuildingPlan, path: Path, name: str | None = None) -> Path:
    """Write one plan as an IFC4 file (``lzt.demo.ifc_step``: the entities ifcopenshell.api made)."""
    from lzt.demo.ifc_step import write_ifc_step

    return write_ifc_step(plan, path, name, wall=WALL, slab=SLAB)


def plan_json(plans: list[BuildingPlan]) -> list[dict]:
    return [asdict(p) for p in plans]
