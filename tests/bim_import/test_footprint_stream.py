"""The footprint united while tessellating equals the one united afterwards."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from bim_import.footprint import SPLIT_TRIANGLES, closed_surface, footprint_of, one_side, projected_area_union
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


def _box(x0: float, y0: float, n: int, cell: float, z0: float, z1: float, skew: float = 0.0):
    """A closed solid: the slab's top and bottom with its four sides, outward faces; ``skew``
    moves the top's grid sideways (sloping sides: its top and bottom project differently)."""
    verts, faces = _slab(x0, y0, n, cell, z0, z1)
    k = (n + 1) ** 2
    verts[k:, 0] += skew
    idx = np.arange(k).reshape(n + 1, n + 1)
    ring = np.concatenate([idx[:, 0], idx[-1, 1:], idx[-2::-1, -1], idx[0, -2:0:-1]])  # anticlockwise
    nxt = np.roll(ring, -1)
    sides = np.vstack([np.column_stack([ring, nxt, nxt + k]), np.column_stack([ring, nxt + k, ring + k])])
    return verts, np.vstack([faces, sides])


def test_closed_solids_are_united_by_one_side():
    v, f = _box(0, 0, 20, 0.5, 0.0, 3.0, skew=0.7)
    assert closed_surface(f) and not closed_surface(_slab(0, 0, 20, 0.5, 0.0, 3.0)[1])
    assert not closed_surface(f[1:])  # one face missing: open
    top = one_side(v, f)
    kept = {tuple(t) for t in top.tolist()}
    n_flat = 2 * 20 * 20
    assert all(tuple(t) in kept for t in f[n_flat:2 * n_flat].tolist())  # the top, whole
    assert not any(tuple(t) in kept for t in f[:n_flat].tolist())  # not the bottom (it turns the other way)
    union = projected_area_union(v, f)
    assert shapely.union_all(shapely.polygons(v[top][:, [0, 1, 2, 0], :2])).area == pytest.approx(union.area, rel=1e-12)
    assert union.area == pytest.approx(10 * 10 + 0.7 * 10, rel=1e-9)  # the sheared solid's shadow
    # streamed: a solid wholly above the reference level by one side, one reaching below it whole
    stream = FootprintStream(base_z=0.0)
    parts = [_box(0, 0, 80, 0.25, 0.0, 3.0, skew=0.5), _box(30, 0, 80, 0.25, -2.0, 3.0, skew=-0.5)]
    for p in parts:
        stream.add("IfcSlab", *p)
    offsets = np.cumsum([0] + [len(v) for v, _ in parts[:1]])
    verts = np.vstack([v for v, _ in parts])
    faces = np.vstack([f + o for (_, f), o in zip(parts, offsets)])
    reaching = faces[verts[faces][:, :, 2].max(axis=1) > 0.1]
    t = verts[reaching][:, :, :2]
    area2 = (t[:, 1, 0] - t[:, 0, 0]) * (t[:, 2, 1] - t[:, 0, 1]) - (t[:, 2, 0] - t[:, 0, 0]) * (t[:, 1, 1] - t[:, 0, 1])
    assert stream.triangles == np.count_nonzero(np.abs(area2) > 1e-8) >= SPLIT_TRIANGLES
    assert stream.result().area == pytest.approx(projected_area_union(verts, reaching).area, rel=1e-9)


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
