"""CityJSON export: read back by cjio (an independent reader) and by lzt's own importer; the
footprints and heights make the round trip to the millimetre."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from tests.export.tiles3d.conftest import buildings, stored_bim_vertices

MM = 1e-3


def _export(ws, out, **kw):
    from lzt.export.tiles3d import export_3d

    return export_3d(ws, out, fmt="cityjson", **kw)


def _vertices(doc):
    t = doc["transform"]
    return np.asarray(doc["vertices"], dtype=float) * t["scale"] + t["translate"]


def test_solids_are_closed_and_carry_the_heights(models_ws, tmp_path):
    import trimesh

    out = tmp_path / "m.city.json"
    res = _export(models_ws, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "CityJSON" and doc["version"] == "2.0"
    assert doc["metadata"]["referenceSystem"].endswith("/EPSG/0/4547")
    v = _vertices(doc)
    src = buildings().set_index("building_id")
    objs = {o["attributes"].get("building_id", o["attributes"].get("name")): o for o in doc["CityObjects"].values()}
    assert set(objs) == {"B1", "B2", "B3", "B4", "B6", "tower"} and res.models == 6
    assert any("B5" in s for s in res.skipped)
    for bid in ("B1", "B2", "B3", "B4", "B6"):
        (g,) = objs[bid]["geometry"]
        assert g["type"] == "Solid" and g["lod"] == "1"
        assert objs[bid]["attributes"]["measuredHeight"] == src.loc[bid, "height_m"]
        sem = g["semantics"]
        tris = []
        for surface, value in zip(g["boundaries"][0], sem["values"][0]):
            kind = sem["surfaces"][value]["type"]
            if kind == "GroundSurface":
                assert np.allclose(v[np.concatenate(surface)][:, 2], 0.0)
            if kind == "RoofSurface":
                assert np.allclose(v[np.concatenate(surface)][:, 2], src.loc[bid, "height_m"], atol=MM)
            # triangulate each face in its own plane (walls: in x-z or y-z) to test closure
            tris.extend(_triangulate(v, surface))
        mesh = trimesh.Trimesh(np.concatenate(tris), np.arange(3 * len(tris)).reshape(-1, 3))
        mesh.merge_vertices(digits_vertex=4)
        assert mesh.is_watertight and mesh.is_winding_consistent
        assert mesh.volume == pytest.approx(src.loc[bid, "geometry"].area * src.loc[bid, "height_m"], rel=1e-6)
    (g,) = objs["tower"]["geometry"]
    used = v[np.unique(np.concatenate([np.ravel(s) for s in g["boundaries"]]))]
    assert {tuple(p) for p in np.round(used / MM).astype(int)} == \
        {tuple(p) for p in np.round(stored_bim_vertices(models_ws) / MM).astype(int)}


def _triangulate(v, surface):
    """Triangles of a planar face with holes, through a 2D projection along its normal."""
    pts = v[np.concatenate(surface)]
    ring = v[surface[0]]
    n = np.cross(ring, np.roll(ring, -1, axis=0)).sum(axis=0)  # Newell: the outer ring's normal
    axis = int(np.argmax(np.abs(n)))
    keep = [i for i in range(3) if i != axis]
    poly = shapely.Polygon(v[surface[0]][:, keep], [v[r][:, keep] for r in surface[1:]])
    out = []
    lookup = {tuple(np.round(p[keep], 6)): p for p in pts}
    for t in shapely.get_parts(shapely.constrained_delaunay_triangles(poly)):
        c = np.asarray(t.exterior.coords)[:3]
        tri = np.array([lookup[tuple(np.round(q, 6))] for q in c])
        nn = np.cross(tri[1] - tri[0], tri[2] - tri[0])
        out.append(tri if np.dot(nn, n) > 0 else tri[::-1])
    return np.array(out)


_CJIO = """
import json, sys
from cjio import cityjson
with open(sys.argv[1], encoding="utf-8") as f:
    cm = cityjson.reader(f, ignore_duplicate_keys=True)
print(json.dumps({"epsg": cm.get_epsg(), "level1": cm.number_city_objects_level1(), "bbox": cm.get_bbox(),
                  "duplicates": cm.remove_duplicate_vertices(), "orphans": cm.remove_orphan_vertices()}))
"""


def test_cjio_reads_the_export(models_ws, tmp_path):
    # In a child process: importing cjio changes pyproj's global state for the rest of the process.
    import subprocess
    import sys

    pytest.importorskip("cjio")
    out = tmp_path / "m.city.json"
    _export(models_ws, out)
    got = json.loads(subprocess.run([sys.executable, "-c", _CJIO, str(out)], capture_output=True, text=True,
                                    check=True).stdout)
    assert got["epsg"] == 4547 and got["level1"] == 6
    bbox = got["bbox"]  # cjio's own decoding of the integer vertices and the transform
    src = buildings().dropna(subset=["height_m"]).total_bounds
    assert bbox[0] == pytest.approx(src[0], abs=MM) and bbox[1] == pytest.approx(src[1], abs=MM)
    assert bbox[5] == pytest.approx(99.9, abs=MM)
    assert got["duplicates"] == 0 and got["orphans"] == 0


def test_round_trip_through_lzt_import_is_exact(models_ws, tmp_path):
    from layers.registry import read_vector

    out = tmp_path / "m.city.json"
    _export(models_ws, out, layers=["buildings"])
    (layer,) = read_vector(out)
    assert layer.crs.to_epsg() == 4547 and not layer.warnings
    back = layer.gdf.set_index("building_id")
    src = buildings().set_index("building_id").drop(index="B5")
    assert set(back.index) == set(src.index)
    for bid, row in src.iterrows():
        assert back.loc[bid, "height_m"] == pytest.approx(row["height_m"], abs=MM / 2)
        assert back.loc[bid, "ground_z"] == 0.0
        g = back.loc[bid, "geometry"]
        assert g.symmetric_difference(row["geometry"]).area < 1e-6
        assert shapely.hausdorff_distance(g, row["geometry"]) < MM
