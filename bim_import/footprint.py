"""Footprint, height and floor areas of a building from its triangles.

The footprint is the union of the XY projections of the above-ground elements'
triangles (holes kept); vertical faces project to nothing and are dropped first.
Height is measured from the ±0.00 level (a storey at elevation 0), else from the
lowest storey, else from the lowest geometry; the reference used is reported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import shapely

BELOW_GROUND = {"IfcFooting", "IfcPile"}


@dataclass
class Shape2D:
    footprint: object  # shapely (Multi)Polygon, local metres
    base_z: float
    top_z: float
    height_m: float
    height_reference: str


def _triangles(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    tri = vertices[faces][:, :, :2]
    area2 = np.abs((tri[:, 1, 0] - tri[:, 0, 0]) * (tri[:, 2, 1] - tri[:, 0, 1])
                   - (tri[:, 2, 0] - tri[:, 0, 0]) * (tri[:, 1, 1] - tri[:, 0, 1]))
    tri = tri[area2 > 1e-8]
    rings = np.concatenate([tri, tri[:, :1]], axis=1)
    return shapely.polygons(rings)


SPLIT_TRIANGLES = 20_000  # above this, the union runs in two halves on two threads


def projected_area_union(vertices: np.ndarray, faces: np.ndarray):
    """Union of the XY projections of the given triangles (1 mm grid).

    Large models are split at the median x of the triangles' centroids and the halves united
    on two threads (GEOS releases the GIL), then merged: the Mini Project's 95k triangles
    took 7.9 s in one union, 4.7 s so; the footprints agree within 3e-3 m² of 760 m².
    """
    polys = _triangles(vertices, faces)
    if len(polys) == 0:
        return shapely.Polygon()
    if len(polys) < SPLIT_TRIANGLES or (os.cpu_count() or 1) < 2:
        return shapely.union_all(polys, grid_size=0.001)
    from concurrent.futures import ThreadPoolExecutor

    order = np.argsort(shapely.get_coordinates(shapely.centroid(polys))[:, 0], kind="stable")
    with ThreadPoolExecutor(2) as ex:
        halves = list(ex.map(lambda part: shapely.union_all(polys[part], grid_size=0.001),
                             np.array_split(order, 2)))
    return shapely.union_all(halves, grid_size=0.001)


def shape_2d(vertices, faces, face_element, element_types, storey_elevations) -> Shape2D:
    """Footprint and height of the model (local metres)."""
    types = np.asarray(element_types, dtype=object)
    above = ~np.isin(types[face_element], list(BELOW_GROUND))
    zs = vertices[faces[above]][:, :, 2] if above.any() else vertices[faces][:, :, 2]
    top = float(zs.max())
    elevations = [e for e in storey_elevations if e is not None]
    if any(abs(e) < 0.05 for e in elevations):
        base, ref = 0.0, "±0.00 (storey at elevation 0)"
    elif elevations:
        base, ref = float(min(elevations)), "lowest storey elevation"
    else:
        base, ref = float(zs.min()), "lowest geometry"
    keep = above.copy()
    # elements wholly below the reference level (basements) are not part of the footprint
    face_top = vertices[faces][:, :, 2].max(axis=1)
    keep &= face_top > base + 0.1
    fp = projected_area_union(vertices, faces[keep] if keep.any() else faces)
    fp = shapely.make_valid(fp.simplify(0.005))
    fp = shapely.union_all([g for g in shapely.get_parts(fp) if g.geom_type == "Polygon" and g.area > 0.01])
    return Shape2D(footprint=fp, base_z=base, top_z=top, height_m=top - base, height_reference=ref)
