"""The footprint united while tessellating equals the one united afterwards."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from bim_import.footprint import SPLIT_TRIANGLES, footprint_of, projected_area_union
from bim_import.footprint_stream import FootprintStream


def _slab(x0: float, y0: float, n: int, cell: float, z0: float, z1: float):
    """A slab of n x n cells as a closed box-like mesh: top and bottom faces, 4n² triangles."""
    xs = x0 + np.arange(n + 1) * cell
    ys = y0 + np.arange(n + 1) * cell
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    flat = np.column_stack([gx.ravel(), gy.ravel()])
    verts = np.vstack([np.column_stack([flat, np.full(len(flat), z)]) for z in (z0, z1)])
    idx = np.arange((n + 1) ** 2).reshape(n + 1, n + 1)
    a, b, c, d = idx[:-1, :-1].ravel(), idx[1:, :-1].ravel(), idx[1:, 1:].ravel(), idx[:-1, 1:].ravel()
    faces = np.vstack([np.column_stack([a, b, c]), np.column_stack([a, c, d])])
    top = faces + (n + 1) ** 2
    return verts, np.vstack([faces[:, ::-1], top])


def test_streamed_union_equals_the_union_of_all_triangles():
    parts = [_slab(0, 0, 80, 0.25, 0.0, 3.0), _slab(13.3, 7.1, 80, 0.23125, 3.0, 6.0),
             _slab(-4.05, 21.0, 40, 0.5, -3.0, -0.2)]  # the last lies below the reference level
    stream = FootprintStream(base_z=0.0)
    for v, f in parts:
        stream.add("IfcSlab", v, f)
    stream.add("IfcSpace", *_slab(100, 100, 5, 1.0, 0.0, 3.0))  # spaces are not the building
    stream.add("IfcFooting", *_slab(200, 100, 5, 1.0, 0.0, 3.0))  # nor what is below ground
    assert stream.triangles >= SPLIT_TRIANGLES
    got = stream.result()
    offsets = np.cumsum([0] + [len(v) for v, _ in parts[:2]])
    verts = np.vstack([v for v, _ in parts[:2]])
    faces = np.vstack([f + o for (_, f), o in zip(parts[:2], offsets)])
    want = projected_area_union(verts, faces)
    independent = shapely.union_all([shapely.box(0, 0, 20, 20), shapely.box(13.3, 7.1, 13.3 + 18.5, 7.1 + 18.5)])
    assert got.area == pytest.approx(want.area, rel=1e-9)
    assert got.area == pytest.approx(independent.area, abs=1e-3)
    assert footprint_of(verts, faces, got).equals(footprint_of(verts, faces))


def test_small_models_keep_the_grid_union():
    stream = FootprintStream(base_z=0.0)
    stream.add("IfcWall", *_slab(0, 0, 10, 1.0, 0.0, 3.0))
    assert stream.triangles < SPLIT_TRIANGLES and stream.result() is None


def test_in_process_read_matches_the_child_process_read(real_data):
    pytest.importorskip("ifcopenshell")
    from bim_import import read_ifc_model
    from tests.bim_import.test_kernels import assert_same_building

    path = real_data / "ifc" / "ISSUE_021_Mini Project.ifc"  # the one real model over SPLIT_TRIANGLES
    streamed = read_ifc_model(path, in_process=True)
    after = read_ifc_model(path)
    assert_same_building(streamed, after)
