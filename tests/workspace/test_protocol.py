"""The parts of the Workspace protocol the other tests touch least, on both backends."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from lzt.core.errors import LztInputError
from lzt.workspace import Workspace
from tests.conftest import longgang_points


def test_is_a_workspace_and_settings_default(ws):
    assert isinstance(ws, Workspace)
    assert ws.get_setting("nothing", 42) == 42
    ws.set_setting("k", [1, "二", {"x": None}])
    ws.set_setting("k", {"replaced": True})
    assert ws.get_setting("k") == {"replaced": True}


def test_iter_batches_and_fids_in_bboxes(ws):
    gdf = longgang_points(250, seed=2)
    ws.write_layer("poi", gdf)
    batches = list(ws.iter_batches("poi", columns=["FLOORS"], batch_size=100))
    assert [len(b) for b in batches] == [100, 100, 50]
    assert np.concatenate([b.index for b in batches]).tolist() == list(range(1, 251))
    assert list(batches[0].columns) == ["floors", "geometry"]
    boxes = np.array([[510_000, 2_500_000, 515_000, 2_505_000], [530_000, 2_515_000, 536_100, 2_524_300]])
    got = ws.fids_in_bboxes("poi", boxes)
    expect = set()
    for b in boxes:
        expect |= set((np.flatnonzero(shapely.intersects(gdf.geometry.values, shapely.box(*b))) + 1).tolist())
    assert sorted(got.tolist()) == sorted(expect) and len(expect) > 0
    assert ws.read_features("poi", limit=3, geometry=False).index.tolist() == [1, 2, 3]
    assert len(ws.read_features("poi", limit=0).columns) == 6
    with pytest.raises(LztInputError, match="no field 'nope'"):
        ws.read_features("poi", columns=["nope"])


def test_rasters_blobs_and_drop(ws):
    info = ws.write_raster("dem", b"tiff-bytes", info={"width": 4, "height": 2, "crs": ws.crs,
                                                       "bounds": [0.0, 0.0, 40.0, 20.0]})
    assert (info.kind, info.count, info.extent) == ("raster", 8, (0.0, 0.0, 40.0, 20.0))
    assert ws.raster_bytes("dem") == b"tiff-bytes"
    with pytest.raises(LztInputError, match="already exists"):
        ws.write_raster("dem", b"x", info={})
    ws.write_raster("dem", b"new", info={"width": 1, "height": 1}, replace=True)
    assert ws.raster_bytes("dem") == b"new"
    with pytest.raises(LztInputError, match="raster"):
        ws.read_features("dem")
    ws.put_blobs("mesh", {"a": b"1", "b": b"2"})
    ws.put_blobs("mesh", {"a": b"3"})
    assert (ws.get_blob("mesh", "a"), ws.get_blob("mesh", "b"), ws.get_blob("mesh", "c")) == (b"3", b"2", None)
    ws.write_layer("poi", longgang_points(3))
    ws.drop_layer("dem")
    ws.drop_layer("poi")
    assert ws.layers() == [] and not ws.has_layer("poi")
    with pytest.raises(LztInputError):
        ws.drop_layer("poi")


def test_inner_failure_inside_a_transaction_keeps_the_outer_work(ws):
    with ws.transaction():
        ws.write_layer("a", longgang_points(2))
        with pytest.raises(LztInputError):
            ws.write_layer("a", longgang_points(2))  # refused: exists
        ws.set_setting("after", 1)
    assert [i.name for i in ws.layers()] == ["a"] and ws.get_setting("after") == 1


def test_empty_layer_round_trips(ws):
    empty = gpd.GeoDataFrame({"n": np.array([], dtype=np.int64)}, geometry=[], crs=ws.crs)
    info = ws.write_layer("empty", empty)
    assert (info.count, info.extent, info.geometry_type) == (0, None, "Geometry")
    assert len(ws.read_features("empty")) == 0 and len(ws.point_coords("empty")[0]) == 0


def _squares(n: int, offset: float = 0.0) -> gpd.GeoDataFrame:
    x = 520_000 + np.arange(n) * 50.0 + offset
    return gpd.GeoDataFrame({"k": np.arange(n)}, geometry=shapely.box(x, 2_510_000, x + 40, 2_510_040),
                            crs="EPSG:4547")


def test_geometries_are_kept_until_the_layer_changes(ws):
    ws.write_layer("zones", _squares(30))
    fid, geoms = ws.geometries("zones")
    assert fid.tolist() == list(range(1, 31))
    assert shapely.equals(geoms, _squares(30).geometry.values).all()
    again = ws.geometries("zones")[1]
    assert all(a is b for a, b in zip(again, geoms))  # the same decoded objects: not read again
    ws.write_layer("zones", _squares(5, offset=7.0), replace=True)  # the layer changes
    fid2, geoms2 = ws.geometries("zones")
    assert fid2.tolist() == [1, 2, 3, 4, 5]
    assert shapely.equals(geoms2, _squares(5, offset=7.0).geometry.values).all()
    geoms2[0] = None  # callers get their own arrays
    assert ws.geometries("zones")[1][0] is not None


def test_geometries_cache_keeps_the_most_recent_layers(ws, monkeypatch):
    from lzt.workspace import rows

    monkeypatch.setattr(rows, "GEOMETRY_CACHE_COORDINATES", 150)  # 5 coordinates a square
    for name in ("a", "b", "c"):
        ws.write_layer(name, _squares(20))
        ws.geometries(name)
    assert list(ws._geometry_cache) == ["c"]  # 100 coordinates each: only the last one stays
    assert len(ws.geometries("a")[0]) == 20
