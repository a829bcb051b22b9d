"""A large model's footprint (united while tessellating) does not depend on the order the elements
come in (issue 18: the Mini Project's moved by 0.01 m² between orders), and is what one union of
all its triangles in floating point gives, within the 5 mm simplification."""

from __future__ import annotations

import random

import numpy as np
import pytest
import shapely

pytest.importorskip("ifcopenshell")

from bim_import import footprint_stream  # noqa: E402
from bim_import.footprint import footprint_of, reference_level  # noqa: E402
from bim_import.footprint_stream import FootprintStream  # noqa: E402
from bim_import.ifc import open_ifc, read_facts  # noqa: E402
from bim_import.tessellate import tessellate_model  # noqa: E402


@pytest.fixture(scope="module")
def example(real_data):
    path = real_data / "ifc" / "example.ifc"
    model = open_ifc(path)
    elements = []
    tessellate_model(model, on_shape=lambda *e: elements.append(e))
    return [e for e in elements if e[0] != "IfcSpace"], [s.elevation_m for s in read_facts(model, path).storeys]


def _orders(n: int):
    yield list(range(n))
    for seed in (1, 2, 3):
        yield random.Random(seed).sample(range(n), n)


def _footprint(elements, storeys):
    offsets = np.cumsum([0] + [len(v) for _, v, _ in elements])[:-1]
    verts = np.vstack([v for _, v, _ in elements])
    faces = np.vstack([f + k for (_, _, f), k in zip(elements, offsets)])
    owner = np.repeat(np.arange(len(elements)), [len(f) for _, _, f in elements])
    shape, keep = reference_level(verts, faces, owner, [t for t, _, _ in elements], storeys)
    return footprint_of(verts, faces[keep]), shape.base_z, verts, faces[keep]


def test_a_streamed_footprint_is_the_same_in_any_order(example, monkeypatch):
    elements, storeys = example
    monkeypatch.setattr(footprint_stream, "SPLIT_TRIANGLES", 1000)  # example.ifc streams: 3,672 triangles
    monkeypatch.setattr(footprint_stream, "CHUNK", 200)
    monkeypatch.setattr(footprint_stream, "BATCH", 150)
    _, base_z, _, _ = _footprint(elements, storeys)
    got = []
    for order in _orders(len(elements)):
        stream = FootprintStream(base_z)
        for i in order:
            stream.add(*elements[i])
        union = stream.result()
        assert union is not None and stream._parts and len(stream._parts) <= 1 + np.log2(len(elements))
        got.append(footprint_of(None, None, union))
    for g in got[1:]:
        assert g.area == pytest.approx(got[0].area, abs=1e-3)
        assert g.symmetric_difference(got[0]).area < 2e-3


def test_a_streamed_footprint_is_what_one_union_of_all_triangles_gives(monkeypatch):
    from tests.bim_import.test_footprint_stream import _box

    monkeypatch.setattr(footprint_stream, "SPLIT_TRIANGLES", 1000)
    monkeypatch.setattr(footprint_stream, "CHUNK", 500)
    monkeypatch.setattr(footprint_stream, "BATCH", 300)
    rng = np.random.default_rng(18)
    elements = []
    for k in range(60):  # overlapping closed solids, turned, some lying across the reference level
        v, f = _box(0, 0, 6, 0.5, rng.uniform(-1, 2), rng.uniform(2.5, 6), skew=rng.uniform(-0.3, 0.3))
        a = rng.uniform(0, np.pi)
        v[:, :2] = v[:, :2] @ np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]]) + rng.uniform(0, 25, 2)
        elements.append(("IfcBeam", v, f))
    got = []
    for order in _orders(len(elements)):
        stream = FootprintStream(0.0)
        for i in order:
            stream.add(*elements[i])
        got.append(footprint_of(None, None, stream.result()))
    assert all(abs(g.area - got[0].area) < 1e-6 for g in got[1:])
    # independent: GEOS' snap-rounding union on the 1 mm grid of every triangle reaching over the
    # reference level, in one go (both sides of each solid, no one-side choice, no chunks)
    tri = np.concatenate([v[f] for _, v, f in elements])
    tri = tri[tri[:, :, 2].max(axis=1) > 0.1][:, :, :2]
    other = footprint_of(None, None, shapely.union_all(shapely.polygons(np.concatenate([tri, tri[:, :1]], axis=1)),
                                                       grid_size=0.001))
    grid = got[0].length * 0.0005  # the area half a 1 mm grid cell along the whole outline can move
    assert got[0].area == pytest.approx(other.area, abs=grid)
    assert got[0].symmetric_difference(other).area < 2 * grid
    assert got[0].difference(other.buffer(0.006)).area == pytest.approx(0, abs=1e-9)
    assert other.difference(got[0].buffer(0.006)).area == pytest.approx(0, abs=1e-9)
