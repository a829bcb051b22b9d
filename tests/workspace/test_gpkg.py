"""The GeoPackage workspace: round trips, spatial index, GDAL compatibility, atomicity."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from lzt.core.errors import CancelledError, LztInputError
from lzt.core.feedback import Feedback
from lzt.workspace import create_workspace, open_workspace
from lzt.workspace.gpkg.ddl import APPLICATION_ID, USER_VERSION
from tests.conftest import longgang_points


@pytest.mark.gpkg_only
def test_create_sets_crs_and_is_a_geopackage_13(ws):
    assert ws.crs == "EPSG:4547"
    conn = sqlite3.connect(ws.path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == USER_VERSION == 10300
    assert conn.execute("SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id = 4547").fetchone()[0] == 1
    conn.close()


@pytest.mark.gpkg_only
def test_create_refuses_geographic_crs_and_existing_file(tmp_path, ws):
    with pytest.raises(LztInputError, match="metre|projected"):
        create_workspace(tmp_path / "geo.gpkg", "EPSG:4326")
    assert not (tmp_path / "geo.gpkg").exists()
    with pytest.raises(LztInputError, match="already exists"):
        create_workspace(ws.path)


def test_open_rejects_what_is_not_a_workspace(tmp_path, real_data):
    with pytest.raises(LztInputError, match="no such workspace"):
        open_workspace(tmp_path / "missing.gpkg")
    text = tmp_path / "notes.gpkg"
    text.write_text("hello")
    with pytest.raises(LztInputError, match="not an SQLite"):
        open_workspace(text)
    with pytest.raises(LztInputError, match="not an lzt workspace"):
        open_workspace(real_data / "vector" / "test_gdal_error.gpkg")


def test_points_round_trip_with_chinese_fields(ws):
    gdf = longgang_points(1000)
    gdf.loc[3, "面积"] = np.nan
    info = ws.write_layer("兴趣点", gdf, source="memory")
    assert (info.count, info.geometry_type, info.crs) == (1000, "Point", "EPSG:4547")
    assert info.extent == pytest.approx(tuple(gdf.total_bounds))
    assert {f.name: f.type for f in info.fields} == {
        "名称": "TEXT", "category": "TEXT", "面积": "REAL", "floors": "INTEGER", "opened": "DATETIME"}
    back = ws.read_features("兴趣点")
    assert list(back.index) == list(range(1, 1001))
    assert shapely.equals(back.geometry.values, gdf.geometry.values).all()
    assert back["名称"].tolist() == gdf["名称"].tolist()
    assert np.isnan(back.loc[4, "面积"])
    assert (back["opened"].to_numpy() == gdf["opened"].to_numpy()).all()
    assert back.crs == "EPSG:4547"


def test_polygons_nulls_and_empties_round_trip(ws):
    ring = shapely.Polygon([(0, 0), (100, 0), (100, 100), (0, 100)], [[(10, 10), (20, 10), (20, 20)]])
    multi = shapely.MultiPolygon([ring, shapely.box(200, 200, 300, 300)])
    gdf = gpd.GeoDataFrame({"k": [1, 2, None, 4], "ok": [True, False, None, True]},
                           geometry=[multi, multi, None, shapely.MultiPolygon()], crs="EPSG:4547")
    gdf["k"] = gdf["k"].astype("Int64")
    ws.write_layer("polys", gdf)
    back = ws.read_features("polys")
    assert back.geometry.iloc[0].equals(multi)
    assert back.geometry.iloc[2] is None
    assert back.geometry.iloc[3].is_empty
    assert back["k"].isna().tolist() == [False, False, True, False]
    assert back["ok"].tolist()[:2] == [True, False]


@pytest.mark.gpkg_only
def test_gdal_reads_the_workspace_layers(ws):
    gdf = longgang_points(500)
    ws.write_layer("poi", gdf)
    ws.close()
    layers = dict(pyogrio.list_layers(ws.path))
    assert layers == {"poi": "Point", "lzt_layers": None}  # the catalogue, as a table
    read = pyogrio.read_dataframe(ws.path, layer="poi")
    assert len(read) == 500 and read.crs.to_epsg() == 4547
    assert read["名称"].tolist() == gdf["名称"].tolist()
    info = pyogrio.read_info(ws.path, layer="poi")
    assert info["capabilities"]["fast_spatial_filter"]


@pytest.mark.gpkg_only
def test_gdal_append_maintains_our_rtree(ws):
    """GDAL writes through the R-tree triggers; lzt's index then sees the new rows."""
    ws.write_layer("poi", longgang_points(100))
    path = ws.path
    ws.close()
    extra = gpd.GeoDataFrame({"名称": ["新点"], "category": ["学校"], "面积": [1.0], "floors": [3],
                              "opened": pd.to_datetime(["2024-05-01"])},
                             geometry=[shapely.Point(520000.5, 2510000.5)], crs="EPSG:4547")
    pyogrio.write_dataframe(extra, path, layer="poi", append=True)
    w = open_workspace(path)
    fids = w.fids_in_bbox("poi", (519999, 2509999, 520001, 2510001))
    got = w.read_features("poi", fids=fids)
    assert got["名称"].tolist() == ["新点"]
    w.close()


def test_bbox_reads_match_shapely(ws):
    gdf = longgang_points(20_000, seed=7)
    ws.write_layer("poi", gdf)
    bbox = (515_000.0, 2_505_000.0, 516_000.0, 2_506_000.0)
    got = ws.read_features("poi", bbox=bbox)
    expect = np.flatnonzero(shapely.intersects(gdf.geometry.values, shapely.box(*bbox))) + 1
    assert sorted(got.index) == sorted(expect.tolist())
    assert len(expect) > 0


def test_point_coords_fast_path(ws):
    gdf = longgang_points(5000)
    ws.write_layer("poi", gdf)
    fid, x, y = ws.point_coords("poi")
    assert (fid == np.arange(1, 5001)).all()
    np.testing.assert_array_equal(x, shapely.get_x(gdf.geometry.values))
    np.testing.assert_array_equal(y, shapely.get_y(gdf.geometry.values))


def test_existing_layer_needs_replace(ws):
    ws.write_layer("poi", longgang_points(10))
    with pytest.raises(LztInputError, match="already exists"):
        ws.write_layer("poi", longgang_points(20))
    assert ws.layer("poi").count == 10
    ws.write_layer("poi", longgang_points(20), replace=True)
    assert ws.layer("poi").count == 20
    assert len(ws.fids_in_bbox("poi", (0, 0, 1e7, 1e7))) == 20


@pytest.mark.gpkg_only
def test_cancel_midway_leaves_nothing(ws):
    ws.write_layer("keep", longgang_points(10))
    fb = Feedback()
    seen = []

    def progress(done, total, msg):
        seen.append(done)
        if done >= 50_000:
            fb.cancel()

    fb._on_progress = progress
    with pytest.raises(CancelledError):
        ws.write_layer("big", longgang_points(120_000), feedback=fb)
    assert [i.name for i in ws.layers()] == ["keep"]
    assert ws.integrity_check() == "ok"
    tables = {r[0] for r in ws._conn.execute("SELECT name FROM sqlite_master")}
    assert not any("big" in t for t in tables)


def test_nested_transaction_rolls_back_all(ws):
    with pytest.raises(RuntimeError):
        with ws.transaction():
            ws.write_layer("a", longgang_points(5))
            ws.write_layer("b", longgang_points(5))
            raise RuntimeError("boom")
    assert ws.layers() == []


@pytest.mark.parametrize("name", ["", "1abc", "a b", "gpkg_x", "rtree_x", "lzt_layers", "a;drop", "x" * 64])
def test_bad_layer_names(ws, name):
    with pytest.raises(LztInputError, match="layer name"):
        ws.write_layer(name, longgang_points(1))


def test_unknown_layer_lists_layers(ws):
    ws.write_layer("poi", longgang_points(1))
    with pytest.raises(LztInputError, match="poi"):
        ws.layer("parcels")


def test_settings_round_trip(ws):
    ws.set_setting("style.poi", {"color": "#ff0000", "名称": "兴趣点"})
    assert ws.get_setting("style.poi") == {"color": "#ff0000", "名称": "兴趣点"}
    with pytest.raises(LztInputError):
        ws.set_setting("crs", "EPSG:4326")


@pytest.mark.gpkg_only
def test_bulk_loaded_rtree_passes_sqlite_rtreecheck(ws):
    ws.write_layer("poi", longgang_points(30_000, seed=9))
    polys = gpd.GeoDataFrame(geometry=shapely.buffer(longgang_points(5000).geometry.values, 30),
                             crs="EPSG:4547")
    ws.write_layer("zones", polys)
    for t in ("poi", "zones"):
        assert ws._conn.execute(f"SELECT rtreecheck('rtree_{t}_geom')").fetchone()[0] == "ok"


@pytest.mark.gpkg_only
def test_point_cache_follows_gdal_edits(ws):
    ws.write_layer("poi", longgang_points(100))
    fid, x, _ = ws.point_coords("poi")
    assert len(fid) == 100
    path = ws.path
    ws.close()
    extra = longgang_points(3, seed=11)
    pyogrio.write_dataframe(extra, path, layer="poi", append=True)
    w = open_workspace(path)
    fid2, x2, _ = w.point_coords("poi")
    assert len(fid2) == 103 and x2[-1] == pytest.approx(extra.geometry.x.iloc[-1])
    w.close()


def test_spatial_order_keeps_every_feature_and_query_answers(ws):
    gdf = longgang_points(20_000, seed=3)
    ws.write_layer("plain", gdf)
    ws.write_layer("ordered", gdf, spatial_order=True)
    bbox = (515_000.0, 2_505_000.0, 517_000.0, 2_507_000.0)
    a = ws.read_features("plain", bbox=bbox).sort_values("名称")
    b = ws.read_features("ordered", bbox=bbox).sort_values("名称")
    assert a["名称"].tolist() == b["名称"].tolist() and len(a) > 0
    # consecutive fids are spatial neighbours: far shorter steps than in file order
    pts = ws.read_features("ordered").geometry
    step_ordered = np.hypot(np.diff(pts.x), np.diff(pts.y)).mean()
    step_plain = np.hypot(np.diff(gdf.geometry.x), np.diff(gdf.geometry.y)).mean()
    assert step_ordered < step_plain / 10


def test_catalogue_sees_other_connections(ws):
    other = open_workspace(ws.uri)
    try:
        assert other.layers() == []
        ws.write_layer("poi", longgang_points(10))
        assert [i.name for i in other.layers()] == ["poi"]
        ws.drop_layer("poi")
        assert other.layers() == [] and not other.has_layer("poi")
    finally:
        other.close()


def _holding_the_connection(ws):
    """A thread holding ``ws``'s connection lock (a worker inside a long statement) until the
    returned event is set."""
    import threading

    held, release = threading.Event(), threading.Event()

    def hold():
        with ws._lock:
            held.set()
            release.wait(30)

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    held.wait(10)
    return release, t


@pytest.mark.gpkg_only
def test_catalogue_does_not_wait_on_a_busy_connection_when_nothing_changed(ws):
    """The GUI thread asking for a layer while a worker reads through the shared connection
    (the renderer: 100-220 ms a statement on the district) is answered from the catalogue."""
    import threading

    ws.write_layer("poi", longgang_points(10))
    assert ws.layer("poi").count == 10  # read once: cached
    release, holder = _holding_the_connection(ws)
    got = []
    try:
        asker = threading.Thread(target=lambda: got.append(ws.layer("poi").count), daemon=True)
        asker.start()
        asker.join(20)  # (a deadlock check: on the old code it waits for the holder, i.e. for ever here)
        assert got == [10]
    finally:
        release.set()
        holder.join(10)


@pytest.mark.gpkg_only
def test_catalogue_waits_on_a_busy_connection_after_another_commit(ws):
    """Another connection committed (a worker writing a query's result layer on its own
    connection): a caller finding the connection busy waits for it and sees the new layer."""
    import threading

    ws.write_layer("poi", longgang_points(10))
    assert [i.name for i in ws.layers()] == ["poi"]
    other = open_workspace(ws.uri)
    try:
        other.write_layer("result", longgang_points(3))
    finally:
        other.close()
    release, holder = _holding_the_connection(ws)
    got = []
    asker = threading.Thread(target=lambda: got.append(sorted(i.name for i in ws.layers())), daemon=True)
    asker.start()
    asker.join(0.5)
    assert got == []  # it waits for the connection: the cached catalogue is out of date
    release.set()
    asker.join(20)
    holder.join(10)
    assert got == [["poi", "result"]]


@pytest.mark.gpkg_only
def test_geometries_follow_edits_by_another_connection(ws):
    zones = gpd.GeoDataFrame({"k": [1, 2]}, geometry=[shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)],
                             crs="EPSG:4547")
    ws.write_layer("zones", zones)
    assert len(ws.geometries("zones")[0]) == 2
    from lzt.workspace.gpkg.connection import connect as _connect

    other = _connect(ws.path)  # another process, e.g. QGIS moving a polygon: same row count and fids
    blob = other.execute("SELECT geom FROM zones WHERE fid = 2").fetchone()[0]
    other.execute("UPDATE zones SET geom = ? WHERE fid = 1", (blob,))
    other.close()
    fid, geoms = ws.geometries("zones")
    assert fid.tolist() == [1, 2] and geoms[0].equals(shapely.box(2, 2, 3, 3))


@pytest.mark.gpkg_only
def test_packed_blobs_are_the_geopackage_encoding(ws):
    """Header and envelope written by hand per the GeoPackage spec, WKB by shapely, against
    encode_packed's numpy assembly."""
    import struct

    from lzt.workspace.gpkg import geom as gpkg_geom

    geoms = np.array([shapely.Point(1.5, 2.5), None, shapely.box(0, 0, 2, 3), shapely.Point(1, 2, 3),
                      shapely.Polygon(), shapely.LineString([(0, 0), (4, 1)])], dtype=object)

    def by_hand(g):
        if g is None:
            return None
        wkb = shapely.to_wkb(g, flavor="iso", byte_order=1, output_dimension=3)
        if g.is_empty or g.geom_type == "Point":
            return b"GP\x00" + bytes([0x01 | (0x10 if g.is_empty else 0)]) + struct.pack("<i", 4547) + wkb
        minx, miny, maxx, maxy = g.bounds
        return b"GP\x00\x03" + struct.pack("<i4d", 4547, minx, maxx, miny, maxy) + wkb

    assert gpkg_geom.encode(geoms, 4547) == [by_hand(g) for g in geoms]
    pts = shapely.points(np.arange(5.0), np.arange(5.0) * 2)  # the numpy-only point path
    assert gpkg_geom.encode(pts, 4547) == [by_hand(g) for g in pts]
    back = gpkg_geom.decode(gpkg_geom.encode(geoms, 4547))
    assert all((a is None and b is None) or a.equals(b) or (a.is_empty and b.is_empty)
               for a, b in zip(geoms, back))
    # sizes 81, 29, 133: the total is three times the first, yet they are not all one size
    mixed = np.array([shapely.LineString([(0, 0), (1, 1)]), shapely.Point(5, 5), shapely.box(0, 0, 1, 1)])
    assert gpkg_geom.encode(mixed, 4547) == [by_hand(g) for g in mixed]


@pytest.mark.gpkg_only
def test_multi_row_inserts_store_what_row_by_row_inserts_store(ws):
    from lzt.workspace.gpkg.bulk import BackgroundInserter, insert_columns

    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute("CREATE TABLE a (i INTEGER, r REAL, t TEXT, b BLOB)")
    conn.execute("CREATE TABLE b (i INTEGER, r REAL, t TEXT, b BLOB)")
    n = 1234  # not a multiple of the rows per statement
    cols = [np.arange(n).tolist(), np.where(np.arange(n) % 3 == 0, None, np.arange(n) / 7).astype(object),
            [f"名{i}" if i % 5 else None for i in range(n)], [bytes([i % 256]) if i % 4 else None for i in range(n)]]
    insert_columns(conn, "a", ["i", "r", "t", "b"], cols)
    with BackgroundInserter(conn, "a", ["i", "r", "t", "b"]) as ins:
        ins.put([c[:600] for c in cols])
        ins.put([c[600:] for c in cols])
    conn.executemany("INSERT INTO b VALUES (?, ?, ?, ?)", zip(*(list(c) for c in cols)))
    conn.executemany("INSERT INTO b VALUES (?, ?, ?, ?)", zip(*(list(c) for c in cols)))
    dump = "SELECT typeof(i), i, typeof(r), r, typeof(t), t, typeof(b), b FROM {} ORDER BY rowid"
    assert conn.execute(dump.format("a")).fetchall() == conn.execute(dump.format("b")).fetchall()
    with pytest.raises(sqlite3.IntegrityError):  # an error in the thread reaches the caller
        conn.execute("CREATE TABLE c (i INTEGER NOT NULL)")
        with BackgroundInserter(conn, "c", ["i"]) as ins:
            ins.put([[1, None]])


def test_page_cache_is_large_only_while_writing(tmp_path):
    """A long reading session keeps a small SQLite page cache; a write transaction a large one."""
    from lzt.workspace.gpkg.connection import READ_CACHE_KIB, WRITE_CACHE_KIB

    ws = create_workspace(tmp_path / "cache.gpkg")
    conn = ws._conn
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == READ_CACHE_KIB
    seen = []
    with ws._write() as c:
        seen.append(c.execute("PRAGMA cache_size").fetchone()[0])
    assert seen == [WRITE_CACHE_KIB]
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == READ_CACHE_KIB
    with pytest.raises(RuntimeError), ws._write():
        raise RuntimeError("rolled back")
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == READ_CACHE_KIB
    ws.close()
