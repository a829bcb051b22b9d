"""Polygons for overlays: packed in the workspace, equal to the layer's own, rebuilt when it changes."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from lzt.analysis.polygon_cache import KIND, layer_polygons
from lzt.workspace import open_workspace

X0, Y0 = 520_000.0, 2_510_000.0


def _zones(n=50, seed=1):
    rng = np.random.default_rng(seed)
    ox, oy = X0 + rng.uniform(0, 5000, n), Y0 + rng.uniform(0, 5000, n)
    polys = list(shapely.box(ox, oy, ox + 80, oy + 60))
    polys[3] = shapely.MultiPolygon([polys[3], shapely.box(X0 + 9000, Y0, X0 + 9100, Y0 + 50)])
    polys[4] = polys[4].difference(polys[4].centroid.buffer(10))  # a hole
    return gpd.GeoDataFrame({"name": [f"z{i}" for i in range(n)]}, geometry=polys, crs="EPSG:4547")


def _in_new_session(ws, layer: str):
    """``layer_polygons`` of ``layer`` read by another workspace object (a new session)."""
    again = open_workspace(ws.uri)
    try:
        return layer_polygons(again, layer)
    finally:
        again.close()


def test_packed_polygons_cover_the_same_points_in_a_new_session(ws):
    ws.write_layer("zones", _zones())
    fid, geoms = ws.geometries("zones")
    got_fid, got = layer_polygons(ws, "zones")  # decoded and packed
    assert ws.get_blob(KIND, "zones")
    f2, g2 = _in_new_session(ws, "zones")  # from the packed cache
    np.testing.assert_array_equal(f2, fid)
    np.testing.assert_array_equal(got_fid, fid)
    # mixed Polygon/MultiPolygon come back as MultiPolygons with the same coordinates
    assert shapely.equals(g2, geoms).all()
    assert shapely.get_num_coordinates(g2).tolist() == shapely.get_num_coordinates(geoms).tolist()


def test_a_changed_layer_is_read_again(ws):
    ws.write_layer("zones", _zones())
    layer_polygons(ws, "zones")
    ws.write_layer("zones", _zones(20, seed=2), replace=True)
    fid, geoms = layer_polygons(ws, "zones")
    assert len(fid) == 20
    ref = ws.read_features("zones", columns=[])
    assert shapely.equals(geoms, np.asarray(ref.geometry.values, dtype=object)).all()


def test_an_unreadable_cache_is_rebuilt(ws):
    ws.write_layer("zones", _zones())
    ws.put_blobs(KIND, {"zones": b"not a cache"})
    fid, geoms = _in_new_session(ws, "zones")
    assert len(fid) == 50 and ws.get_blob(KIND, "zones") != b"not a cache"


def test_a_big_polygon_layer_is_written_with_its_packed_polygons(ws, monkeypatch):
    """Imports (and the demo) store them for big layers, so the map's first view reads no blob."""
    import lzt.workspace.polygon_pack as pc

    monkeypatch.setattr(pc, "STORE_ON_WRITE", 40)
    ws.write_layer("small", _zones(40))
    assert ws.get_blob(KIND, "small") is None  # not big: decoded when a count or the map needs it
    for spatial in (False, True):
        name = f"big{int(spatial)}"
        ws.write_layer(name, _zones(60, seed=3), spatial_order=spatial)
        z = pc.packed_arrays(ws, name)  # stored for the stamp the layer has now
        assert z is not None
        fid, geoms = ws.geometries(name)  # decoded from the layer itself (rows in Z-order or not)
        stored = shapely.from_ragged_array(shapely.GeometryType(int(z["type"])), z["coords"], pc.ragged_offsets(z))
        np.testing.assert_array_equal(z["fid"], fid)
        assert shapely.equals(stored, geoms).all()
    with ws._write() as conn:
        conn.execute("DELETE FROM big0 WHERE fid = 7")
    assert pc.packed_arrays(ws, "big0") is None  # the layer changed: stale, not used


def test_an_empty_polygon_among_multipolygons_is_read_back(ws):
    """shapely writes a part without rings for an empty polygon in a mixed layer, and its
    from_ragged_array crashed the interpreter on it when a new session read the packed cache."""
    zones = _zones()
    zones.loc[7, "geometry"] = shapely.Polygon()
    zones.loc[9, "geometry"] = None
    ws.write_layer("zones", zones)
    fid, geoms = ws.geometries("zones")
    layer_polygons(ws, "zones")  # decoded and packed
    f2, g2 = _in_new_session(ws, "zones")  # from the packed cache
    np.testing.assert_array_equal(f2, fid)
    empty = shapely.is_empty(geoms) | shapely.is_missing(geoms)
    assert empty.sum() >= 1 and shapely.is_empty(g2[empty]).all()
    assert shapely.equals(g2[~empty], geoms[~empty]).all()


def test_a_cache_holding_ringless_parts_is_read(ws):
    """A cache stored before ring-less parts were dropped is still read, the empty one empty."""
    from lzt.workspace.packed import stamp_text, store_packed

    zones = _zones()
    ws.write_layer("zones", zones)
    polys = np.asarray(zones.geometry.to_numpy(), dtype=object)
    polys[7] = shapely.Polygon()
    gtype, coords, offsets = shapely.to_ragged_array(polys)
    assert gtype == shapely.GeometryType.MULTIPOLYGON and (np.diff(offsets[1]) == 0).any()
    fids, _ = ws.geometries("zones")
    store_packed(ws, KIND, "zones", stamp_text(ws.layer_stamp("zones")), {
        "fid": np.asarray(fids, dtype=np.int64), "coords": coords, "type": np.array(int(gtype)),
        "levels": np.array(len(offsets)), **{f"offsets{i}": o for i, o in enumerate(offsets)}})
    _, g2 = _in_new_session(ws, "zones")
    assert shapely.is_empty(g2[7]) and shapely.equals(np.delete(g2, 7), np.delete(polys, 7)).all()


def test_convex_flags_and_bounds_are_kept_beside_the_packed_polygons(ws, monkeypatch):
    """Stored on write and on a count's decode; a new session tests points with them, not worked
    out again, and counts as sjoin; stored ones of the wrong shape, or none (an older cache), are
    worked out again, same counts."""
    import lzt.workspace.polygon_pack as pc
    from lzt.analysis.overlay import count_points_in_polygons
    from lzt.analysis.polygon_cache import layer_polygon_set
    from lzt.analysis.ragged import RaggedPolygons
    from lzt.workspace.packed import stamp_text, store_packed

    zones = _zones(300, seed=4)
    rng = np.random.default_rng(4)
    for i in range(10, 300, 5):  # pentagons and triangles (convex), some clockwise
        c = zones.geometry.iloc[i].centroid
        n = 3 + i % 3
        ang = np.arange(n) * 2 * np.pi / n * (1 if i % 2 else -1)
        zones.loc[i, "geometry"] = shapely.Polygon(np.column_stack([c.x + 40 * np.cos(ang), c.y + 40 * np.sin(ang)]))
    monkeypatch.setattr(pc, "STORE_ON_WRITE", 100)
    ws.write_layer("zones", zones)
    z = pc.packed_arrays(ws, "zones")
    fid, geoms = ws.geometries("zones")
    want_flags, want_bounds = RaggedPolygons.from_geometries(geoms).convex_flags(), shapely.bounds(geoms)
    np.testing.assert_array_equal(z["convex"], want_flags)
    np.testing.assert_array_equal(z["bounds"], want_bounds)
    assert (z["convex"] == 4).any() and (z["convex"] == -3).any() and (z["convex"] == 0).any()
    x = rng.uniform(X0 - 100, X0 + 9200, 60_000)
    y = rng.uniform(Y0 - 100, Y0 + 5200, 60_000)
    pts = gpd.GeoDataFrame(geometry=shapely.points(x, y), crs="EPSG:4547")
    j = gpd.sjoin(pts, gpd.GeoDataFrame(geometry=geoms, crs="EPSG:4547"), predicate="intersects")
    want = np.bincount(j["index_right"].to_numpy(), minlength=len(geoms))

    def count_in_new_session():
        again = open_workspace(ws.uri)
        try:
            _, polys = layer_polygon_set(again, "zones")
            return polys, count_points_in_polygons(x, y, polys)
        finally:
            again.close()

    import lzt.analysis.ragged as ragged

    def not_again(*args):
        raise AssertionError("worked out again")
    with monkeypatch.context() as m:
        m.setattr(ragged, "convex_flags", not_again)
        polys, got = count_in_new_session()  # with the stored flags and bounds
    np.testing.assert_array_equal(got, want)
    stamp = stamp_text(ws.layer_stamp("zones"))
    old = {k: v for k, v in z.items() if k not in ("convex", "bounds")}
    for extra in ({}, {"convex": z["convex"][:-1], "bounds": z["bounds"]}):  # none; one flag short
        store_packed(ws, KIND, "zones", stamp, {**old, **extra})
        polys, got = count_in_new_session()
        np.testing.assert_array_equal(polys.convex_flags(), want_flags)
        np.testing.assert_array_equal(got, want)
