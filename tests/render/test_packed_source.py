"""The renderer draws a big polygon layer from the workspace's packed polygons when they are there
for the layer as it is (lzt.render.cache, lzt.analysis.polygon_cache): the same packed rings,
bounds, ids, columns and shapes as decoding the layer, and the decoded path once it changed."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from lzt.analysis.polygon_cache import layer_polygons
from lzt.render import cache as render_cache
from lzt.render.cache import FeatureSource
from lzt.render.geometry import pack, pack_ragged
from lzt.workspace import create_workspace

X0, Y0 = 520_000.0, 2_510_000.0


def _polygons(n: int) -> list:
    rng = np.random.default_rng(7)
    xy = rng.random((n, 2)) * 5_000
    out = [shapely.box(X0 + x, Y0 + y, X0 + x + 20, Y0 + y + 35) for x, y in xy]
    out[3] = out[3].difference(shapely.box(X0 + xy[3, 0] + 5, Y0 + xy[3, 1] + 5, X0 + xy[3, 0] + 9, Y0 + xy[3, 1] + 9))
    out[5] = shapely.MultiPolygon([out[5], shapely.box(X0 + 6_000, Y0, X0 + 6_010, Y0 + 10)])
    return out


@pytest.fixture
def big(tmp_path, monkeypatch):
    monkeypatch.setattr(render_cache, "QUICK_LAYER_FEATURES", 10)  # "big": read whole, not at once
    ws = create_workspace(tmp_path / "ws.gpkg")
    polys = _polygons(60)
    gdf = gpd.GeoDataFrame({"code": [f"C{i % 4}" for i in range(60)], "area": np.arange(60) * 1.5},
                           geometry=polys, crs=ws.crs)
    ws.write_layer("parcels", gdf)
    yield ws
    ws.close()


def _full(ws):
    info = ws.layer("parcels")
    from lzt.render.request import layer_stamp

    return FeatureSource(ws).vectors("parcels", layer_stamp(info), info.extent, columns=("code", "area"))


def test_pack_ragged_is_pack():
    polys = np.array(_polygons(40) + [None, shapely.Polygon()], dtype=object)
    for geoms in (polys, np.array([g for g in polys if not isinstance(g, shapely.MultiPolygon)], dtype=object)):
        a = pack(geoms)
        t, coords, offsets = shapely.to_ragged_array(geoms)
        b = pack_ragged(int(t), coords, offsets)
        for name in ("xy", "start", "ring_feat", "bounds"):
            assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name
        assert a.kind == b.kind == "polygon"


def test_drawn_from_the_packed_polygons_as_from_the_layer(big):
    decoded = _full(big)
    assert not callable(decoded.shapes)  # no packed polygons yet: decoded
    layer_polygons(big, "parcels")  # a count stores them (lzt stats --polygons, the GUI's counts)
    packed = _full(big)
    assert callable(packed.shapes)  # from the packed arrays: no shapely polygon made yet
    assert np.array_equal(packed.fids, decoded.fids)
    for name in ("xy", "start", "ring_feat", "bounds"):
        assert np.array_equal(getattr(packed.packed, name), getattr(decoded.packed, name), equal_nan=True), name
    for col in ("code", "area"):
        assert list(packed.attrs[col]) == list(decoded.attrs[col])
    # made when asked (labels, selection); a layer mixing polygons and multi-polygons comes back
    # as multi-polygons (the cache's one type): the same shapes and label anchors
    assert shapely.equals(packed.geoms, decoded.geoms).all()
    assert shapely.equals_exact(shapely.point_on_surface(packed.geoms), shapely.point_on_surface(decoded.geoms)).all()


def test_a_changed_layer_is_decoded_again(big):
    layer_polygons(big, "parcels")
    with big._write() as conn:
        conn.execute("DELETE FROM parcels WHERE fid = 2")
    data = _full(big)
    assert not callable(data.shapes) and 2 not in set(data.fids) and len(data.fids) == 59
