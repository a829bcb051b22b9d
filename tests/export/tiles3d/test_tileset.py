"""3D Tiles export checked by an independent reader (tests/export/tiles3d/reader.py): the
specification's structure, bounding regions enclosing their content, geometric errors not
growing down the tree, and every vertex back in EPSG:4547 on its source footprint and heights."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from tests.export.tiles3d.conftest import buildings, stored_bim_vertices
from tests.export.tiles3d.reader import read_content, to_4547, to_region_units, walk

MM = 1e-3


def _export(ws, out, **kw):
    from lzt.export.tiles3d import export_3d

    return export_3d(ws, out, **kw)


@pytest.mark.parametrize("content", ["b3dm", "glb"])
def test_tileset_structure_regions_and_errors(models_ws, tmp_path, content):
    res = _export(models_ws, tmp_path / "tiles", content=content, cap=2)
    tileset = json.loads((tmp_path / "tiles" / "tileset.json").read_text(encoding="utf-8"))
    assert tileset["asset"]["version"] == ("1.0" if content == "b3dm" else "1.1")
    root = tileset["root"]
    assert root["refine"] == "ADD"
    assert tileset["geometricError"] >= root["geometricError"] > 0
    tiles = list(walk(root))
    assert len(tiles) == res.tiles > 1  # six models, two per tile: a real hierarchy
    seen = 0
    for tile, parent in tiles:
        region = tile["boundingVolume"]["region"]
        assert region[0] < region[2] and region[1] < region[3] and region[4] < region[5]
        if parent is not None:
            assert tile["geometricError"] <= parent["geometricError"]
            p = parent["boundingVolume"]["region"]
            assert p[0] <= region[0] and p[1] <= region[1] and p[2] >= region[2] and p[3] >= region[3]
            assert p[4] <= region[4] and p[5] >= region[5]
        if not tile.get("children"):
            assert tile["geometricError"] == 0
        c = read_content(tmp_path / "tiles" / tile["content"]["uri"])
        rad = to_region_units(c.ecef)
        assert (rad[:, 0] >= region[0]).all() and (rad[:, 0] <= region[2]).all()
        assert (rad[:, 1] >= region[1]).all() and (rad[:, 1] <= region[3]).all(), (rad[:, 1].min() - region[1], rad[:, 1].max() - region[3])
        assert (rad[:, 2] >= region[4]).all() and (rad[:, 2] <= region[5]).all()
        seen += 1
    assert seen == len(tiles)


def test_geometric_error_is_the_tallest_model_left_to_descendants(models_ws, tmp_path):
    _export(models_ws, tmp_path / "t", cap=2)
    root = json.loads((tmp_path / "t" / "tileset.json").read_text(encoding="utf-8"))["root"]

    def heights(tile):
        c = read_content(tmp_path / "t" / tile["content"]["uri"])
        return list(c.batch_table["height"])

    def below(tile):
        return [h for ch in tile.get("children", []) for h in heights(ch) + below(ch)]

    for tile, _ in walk(root):
        rest = below(tile)
        assert tile["geometricError"] == pytest.approx(max(rest) if rest else 0.0)
        if rest:  # additive refinement, tallest first: a tile's models are all at least as tall
            assert min(heights(tile)) >= max(rest)


def test_vertices_return_to_the_source_footprints_and_heights(models_ws, tmp_path):
    res = _export(models_ws, tmp_path / "t", cap=2)
    src = buildings().set_index("building_id")
    found: dict[str, list[np.ndarray]] = {}
    for tile, _ in walk(json.loads((tmp_path / "t" / "tileset.json").read_text(encoding="utf-8"))["root"]):
        c = read_content(tmp_path / "t" / tile["content"]["uri"])
        assert c.batch_length == len(c.batch_table["id"])
        assert set(np.unique(c.batch_ids)) == set(range(c.batch_length))
        xyz = to_4547(c.ecef)
        for k, bid in enumerate(c.batch_table["id"]):
            found.setdefault(bid, []).append(xyz[c.batch_ids == k])
    assert "B5" not in found and any("B5" in s and "no height" in s for s in res.skipped)
    assert all(len(v) == 1 for v in found.values())  # each model in exactly one tile
    for bid in ("B1", "B2", "B3", "B4", "B6"):
        (pts,) = found[bid]
        geom, h = src.loc[bid, "geometry"], src.loc[bid, "height_m"]
        assert np.isin(np.round(pts[:, 2] / MM), np.round(np.array([0.0, h]) / MM)).all()
        d = shapely.distance(shapely.points(pts[:, :2]), geom)
        assert d.max() < MM
        top = pts[np.abs(pts[:, 2] - h) < MM]
        ring_pts = {tuple(p) for p in np.round(shapely.get_coordinates(geom) / MM).astype(int)}
        assert {tuple(p) for p in np.round(top[:, :2] / MM).astype(int)} == ring_pts
        mesh = _solid(pts)
        assert mesh.is_watertight and mesh.is_winding_consistent
        assert mesh.volume == pytest.approx(geom.area * h, rel=1e-4)  # outward faces: positive volume
    bim = {tuple(p) for p in np.round(stored_bim_vertices(models_ws) / MM).astype(int)}
    (pts,) = found["tower"]
    assert {tuple(p) for p in np.round(pts / MM).astype(int)} == bim


def _solid(pts):
    import trimesh

    m = trimesh.Trimesh(pts, np.arange(len(pts)).reshape(-1, 3), process=False)
    m.merge_vertices(digits_vertex=4)
    return m


def test_ground_from_a_dem_lifts_each_model(models_ws, tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    from tests.export.tiles3d.conftest import X0, Y0

    dem = tmp_path / "dem.tif"
    with rasterio.open(dem, "w", driver="GTiff", width=100, height=100, count=1, dtype="float32",
                       crs="EPSG:4547", transform=from_origin(X0 - 100, Y0 + 900, 10, 10)) as d:
        d.write(np.full((1, 100, 100), 37.5, dtype="float32"))
    from lzt.ingest.importer import import_paths

    import_paths(models_ws, [dem])
    _export(models_ws, tmp_path / "t", ground="dem", layers=["buildings"], where="building_id = 'B1'")
    root = json.loads((tmp_path / "t" / "tileset.json").read_text(encoding="utf-8"))["root"]
    z = to_4547(read_content(tmp_path / "t" / root["content"]["uri"]).ecef)[:, 2]
    assert set(np.round(z, 3)) == {37.5, 37.5 + 99.9}


def test_gltf_readable_by_pygltflib(models_ws, tmp_path):
    pygltflib = pytest.importorskip("pygltflib")
    _export(models_ws, tmp_path / "t", content="glb", cap=100)
    root = json.loads((tmp_path / "t" / "tileset.json").read_text(encoding="utf-8"))["root"]
    path = tmp_path / "t" / root["content"]["uri"]
    g = pygltflib.GLTF2.load_binary(str(path))
    mine = read_content(path)
    prim = g.meshes[g.nodes[0].mesh].primitives[0]
    assert g.accessors[prim.indices].count == len(mine.ecef)
    assert g.accessors[prim.attributes.POSITION].count == g.accessors[prim.attributes.NORMAL].count
    assert np.allclose(np.array(g.nodes[0].matrix), mine.gltf["nodes"][0]["matrix"])
