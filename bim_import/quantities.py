"""Gross floor area, from the file's base quantities where present, else computed.

Order: IfcBuildingStorey GrossFloorArea for every storey at or above the
reference level; else the sum of IfcSpace GrossFloorArea; else, per storey,
the area of the XY union of the slabs contained in it (the footprint for a
storey without slabs). The method used is always reported.
"""

from __future__ import annotations

import numpy as np

from bim_import.footprint import projected_area_union


MIN_STOREY_HEIGHT = 2.2  # m: a level with less building above it is a roof level, not a storey [P]
MIN_SLAB_SHARE = 0.2  # a storey whose slabs cover less of the footprint is measured by the footprint [P]


def storeys_above(storeys, base_z: float, top_z: float) -> list:
    """Storeys at or above the reference level that have room for a floor above them."""
    return [s for s in storeys if s.elevation_m is None
            or (base_z - 0.05 <= s.elevation_m <= top_z - MIN_STOREY_HEIGHT)]


def gross_floor_area(model, facts, tess, footprint_area: float, base_z: float, top_z: float
                     ) -> tuple[float, str, list[dict]]:
    """(total GFA in m², method, per-storey rows)."""
    above = storeys_above(facts.storeys, base_z, top_z)
    if above and all(s.gross_floor_area_m2 for s in above):
        rows = [{"storey": s.name, "elevation_m": s.elevation_m, "gfa_m2": s.gross_floor_area_m2} for s in above]
        return float(sum(s.gross_floor_area_m2 for s in above)), "qto_storeys", rows
    if facts.space_gfa_m2:
        return float(facts.space_gfa_m2), "qto_spaces", []
    import ifcopenshell.util.element as ue

    # slabs per storey, from the tessellation
    slab_faces: dict[str, list[np.ndarray]] = {}
    types = np.asarray(tess.element_types, dtype=object)
    for idx in np.flatnonzero(types == "IfcSlab"):
        el = model.by_id(tess.element_ids[idx])
        container = ue.get_container(el)
        key = container.Name if container is not None and container.is_a("IfcBuildingStorey") else None
        if key is not None:
            slab_faces.setdefault(key, []).append(tess.faces[tess.face_element == idx])
    rows = []
    for s in above:
        faces = slab_faces.get(s.name)
        area = projected_area_union(tess.vertices, np.concatenate(faces)).area if faces else 0.0
        source = "slabs"
        if area < MIN_SLAB_SHARE * footprint_area:
            area, source = footprint_area, "footprint" if not faces else "footprint (slabs cover < 20 %)"
        rows.append({"storey": s.name, "elevation_m": s.elevation_m, "gfa_m2": round(float(area), 3),
                     "from": source})
    if not rows:  # no storeys at all: one floor the size of the footprint
        return float(footprint_area), "computed_footprint", []
    return float(sum(r["gfa_m2"] for r in rows)), "computed_slabs", rows
