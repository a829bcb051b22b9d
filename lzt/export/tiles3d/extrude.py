"""White models: building footprints extruded from a base height to a top height, vectorised.

Each footprint becomes a closed solid: the roof and the floor triangulated by a constrained
Delaunay triangulation (holes kept), and a wall quad (two triangles) on every ring edge. All
triangles face outwards. No per-building Python loop: shapely 2 array functions and numpy.
"""

from __future__ import annotations

import numpy as np
import shapely


def extrude(footprints: np.ndarray, base: np.ndarray, top: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Triangles of extruded (Multi)Polygons: (m x 3 x 3 coordinates, m feature indices).

    ``footprints`` is an array of shapely (Multi)Polygons, ``base``/``top`` their bottom and
    top heights. Triangles are wound counter-clockwise seen from outside the solid.
    """
    footprints = shapely.orient_polygons(np.asarray(footprints, dtype=object))  # shells CCW, holes CW
    base, top = np.asarray(base, dtype=float), np.asarray(top, dtype=float)
    roof_xy, roof_idx = _caps(footprints)
    n_roof = len(roof_idx)
    roof = np.concatenate([roof_xy, top[roof_idx][:, None, None].repeat(3, axis=1)], axis=2)
    floor = np.concatenate([roof_xy[:, ::-1], base[roof_idx][:, None, None].repeat(3, axis=1)], axis=2)
    walls, wall_idx = _walls(footprints, base, top)
    tris = np.concatenate([roof.reshape(n_roof, 3, 3), floor.reshape(n_roof, 3, 3), walls])
    return tris, np.concatenate([roof_idx, roof_idx, wall_idx])


def _caps(footprints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Roof triangles (m x 3 x 2, counter-clockwise from above) and their feature index."""
    cdt = shapely.constrained_delaunay_triangles(footprints)
    tris, idx = shapely.get_parts(cdt, return_index=True)
    if len(tris) == 0:
        return np.zeros((0, 3, 2)), np.zeros(0, dtype=np.int64)
    xy = shapely.get_coordinates(shapely.get_exterior_ring(tris)).reshape(len(tris), 4, 2)[:, :3]
    a, b, c = xy[:, 0], xy[:, 1], xy[:, 2]
    cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    cw = cross < 0
    xy[cw] = xy[cw][:, ::-1]
    keep = cross != 0  # degenerate slivers add nothing
    return xy[keep], idx[keep].astype(np.int64)


def _walls(footprints: np.ndarray, base: np.ndarray, top: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two triangles per ring edge, facing out of the solid (shells CCW, holes CW)."""
    polys, pidx = shapely.get_parts(footprints, return_index=True)
    rings, ridx = shapely.get_rings(polys, return_index=True)
    coords, cidx = shapely.get_coordinates(rings, return_index=True)
    if len(coords) == 0:
        return np.zeros((0, 3, 3)), np.zeros(0, dtype=np.int64)
    same_ring = cidx[:-1] == cidx[1:]
    a, b = coords[:-1][same_ring], coords[1:][same_ring]
    feat = pidx[ridx[cidx[:-1][same_ring]]]
    moved = np.any(a != b, axis=1)
    a, b, feat = a[moved], b[moved], feat[moved]
    z0, z1 = base[feat], top[feat]
    a0, b0 = np.column_stack([a, z0]), np.column_stack([b, z0])
    a1, b1 = np.column_stack([a, z1]), np.column_stack([b, z1])
    t1 = np.stack([a0, b0, b1], axis=1)
    t2 = np.stack([a0, b1, a1], axis=1)
    return np.concatenate([t1, t2]), np.concatenate([feat, feat]).astype(np.int64)
