"""Extruded footprints are closed, outward-facing solids of the footprint's area x height."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
import trimesh

from lzt.export.tiles3d.extrude import extrude

SHAPES = [
    shapely.box(0, 0, 10, 5),
    shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (2, 4), (4, 4), (4, 2)],
                                                          [(6, 6), (8, 6), (8, 8), (6, 8)]]),
    shapely.Polygon([(0, 0), (0, 10), (3, 10), (3, 3), (10, 3), (10, 0)]),  # clockwise L
    shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(5, 5, 7, 6)]),
    shapely.Point(0, 0).buffer(8, quad_segs=16),
]


@pytest.mark.parametrize("shape", SHAPES, ids=["box", "holes", "cw-L", "multi", "round"])
def test_closed_outward_solid(shape):
    tris, idx = extrude(np.array([shape, shapely.box(100, 100, 101, 101)], dtype=object),
                        np.array([3.0, 0.0]), np.array([20.0, 1.0]))
    mine = tris[idx == 0]
    mesh = trimesh.Trimesh(mine.reshape(-1, 3), np.arange(len(mine) * 3).reshape(-1, 3))
    mesh.merge_vertices()
    assert mesh.is_watertight and mesh.is_winding_consistent
    assert mesh.volume == pytest.approx(shape.area * 17.0, rel=1e-9)
    assert mesh.bounds[0][2] == 3.0 and mesh.bounds[1][2] == 20.0
