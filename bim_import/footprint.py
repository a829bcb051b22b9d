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


def _projected(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """The triangles' XY projections (n, 3, 2), those of no area (vertical faces) left out."""
    tri = vertices[faces][:, :, :2]
    area2 = np.abs((tri[:, 1, 0] - tri[:, 0, 0]) * (tri[:, 2, 1] - tri[:, 0, 1])
                   - (tri[:, 2, 0] - tri[:, 0, 0]) * (tri[:, 1, 1] - tri[:, 0, 1]))
    return tri[area2 > 1e-8]


def closed_surface(faces: np.ndarray) -> bool:
    """Whether the triangles (indices into one element's welded vertices) close up: every directed
    edge has its reverse, as often. Then the projected triangles cover every point of the plane
    as often clockwise as anticlockwise, and those of either turn alone cover the whole projection."""
    if not len(faces):
        return False
    a, b = faces.ravel(), faces[:, [1, 2, 0]].ravel()
    m = int(faces.max()) + 1
    return bool(np.array_equal(np.sort(a * m + b), np.sort(b * m + a)))


def one_side(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """The faces whose XY projection turns anticlockwise: of a closed surface (``closed_surface``),
    these project to its whole projection (the tops of a solid with outward normals)."""
    tri = vertices[faces][:, :, :2]
    area2 = ((tri[:, 1, 0] - tri[:, 0, 0]) * (tri[:, 2, 1] - tri[:, 0, 1])
             - (tri[:, 2, 0] - tri[:, 0, 0]) * (tri[:, 1, 1] - tri[:, 0, 1]))
    return faces[area2 > 1e-8]


def _polygons(tri: np.ndarray) -> np.ndarray:
    return shapely.polygons(np.concatenate([tri, tri[:, :1]], axis=1))


SPLIT_TRIANGLES = 20_000  # above this: exact duplicates dropped, float union on two threads, then the grid


def _distinct(tri: np.ndarray) -> np.ndarray:
    """The triangles (n, 3, 2) without exact repeats (same three points, in any order), first kept.

    A solid's top and bottom faces project to the same triangles: dropping repeats cannot change
    their union (the Mini Project's 95k projected triangles hold 53k distinct ones).
    """
    points = np.ascontiguousarray(tri).view(np.dtype((np.void, tri.dtype.itemsize * 2)))[:, :, 0]
    _, first = np.unique(np.sort(points, axis=1), axis=0, return_index=True)
    return tri[np.sort(first)]


def projected_area_union(vertices: np.ndarray, faces: np.ndarray):
    """Union of the XY projections of the given triangles, on a 1 mm grid.

    Small models are united on the grid directly. Large ones (``SPLIT_TRIANGLES``) drop exact
    duplicate triangles, are united in floating point in two x halves on two threads (GEOS
    releases the GIL), and the union is put on the grid once: the Mini Project's footprint took
    7.7 s of CPU so against 2.1 s, its area 2e-6..1e-5 from the grid union with either kernel.
    Snapping every intermediate union is kept for small models because their footprints are
    dominated by sub-millimetre gaps between elements: a float union (or merely another order)
    moved the two kernels' simplified footprints of example.ifc apart by ~1e-3 of the area.
    """
    tri = _projected(vertices, faces)
    if len(tri) == 0:
        return shapely.Polygon()
    if len(tri) < SPLIT_TRIANGLES:
        return shapely.union_all(_polygons(tri), grid_size=0.001)
    tri = _distinct(tri)
    polys = _polygons(tri)
    if (os.cpu_count() or 1) < 2:
        return shapely.set_precision(shapely.union_all(polys), 0.001)
    from concurrent.futures import ThreadPoolExecutor

    order = np.argsort(tri[:, :, 0].mean(axis=1), kind="stable")
    with ThreadPoolExecutor(2) as ex:
        halves = list(ex.map(lambda part: shapely.union_all(polys[part]), np.array_split(order, 2)))
    return shapely.set_precision(shapely.union_all(halves), 0.001)


def storey_base(storey_elevations) -> tuple[float, str] | None:
    """The reference level from the storeys (±0.00, else the lowest), None without elevations."""
    elevations = [e for e in storey_elevations if e is not None]
    if any(abs(e) < 0.05 for e in elevations):
        return 0.0, "±0.00 (storey at elevation 0)"
    if elevations:
        return float(min(elevations)), "lowest storey elevation"
    return None


def reference_level(vertices, faces, face_element, element_types, storey_elevations) -> tuple[Shape2D, np.ndarray]:
    """The model's base, top and height (``Shape2D`` without its footprint yet), and which faces
    make the footprint: those of above-ground elements reaching over the reference level."""
    types = np.asarray(element_types, dtype=object)
    above = ~np.isin(types, list(BELOW_GROUND))[face_element]  # per element, then per face
    face_z = vertices[:, 2][faces]  # the corners' heights only (not every coordinate of every face)
    zs = face_z[above] if above.any() else face_z
    top = float(zs.max())
    base, ref = storey_base(storey_elevations) or (float(zs.min()), "lowest geometry")
    keep = above.copy()
    # elements wholly below the reference level (basements) are not part of the footprint
    face_top = face_z.max(axis=1)
    keep &= face_top > base + 0.1
    shape = Shape2D(footprint=None, base_z=base, top_z=top, height_m=top - base, height_reference=ref)
    return shape, (keep if keep.any() else np.ones(len(faces), dtype=bool))


def footprint_of(vertices, faces, union=None):
    """The footprint of these faces: their projected union (``union`` when already made, as
    ``FootprintStream`` does), simplified by 5 mm, specks dropped."""
    fp = projected_area_union(vertices, faces) if union is None else union
    fp = shapely.make_valid(fp.simplify(0.005))
    return shapely.union_all([g for g in shapely.get_parts(fp) if g.geom_type == "Polygon" and g.area > 0.01])


def shape_2d(vertices, faces, face_element, element_types, storey_elevations) -> Shape2D:
    """Footprint and height of the model (local metres)."""
    shape, keep = reference_level(vertices, faces, face_element, element_types, storey_elevations)
    shape.footprint = footprint_of(vertices, faces[keep])
    return shape
