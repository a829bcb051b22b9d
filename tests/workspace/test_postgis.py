"""What only the PostGIS backend has: URLs and credentials, server errors, COPY, GiST, column types."""

from __future__ import annotations

import socket
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pytest
import shapely

from lzt.core.errors import CancelledError, LztInputError
from lzt.core.feedback import Feedback
from lzt.workspace import create_workspace, open_workspace
from lzt.workspace.postgis.url import parse_url
from tests import pg_cluster
from tests.conftest import longgang_points


@pytest.fixture
def pws(pg_url):
    w = create_workspace(pg_url)
    yield w
    w.close()


def _admin(cluster, database=pg_cluster.DATABASE):
    return psycopg.connect(cluster.url(database=database), autocommit=True)


def test_url_parsing_strips_passwords_and_reads_the_schema():
    u = parse_url("postgresql://wang:pa%40ss@db.example:5433/cim?schema=longgang&sslmode=require")
    assert u.schema == "longgang" and u.password == "pa@ss"
    assert u.safe == "postgresql://wang@db.example:5433/cim?schema=longgang&sslmode=require"
    assert "schema" not in u.conninfo and "sslmode=require" in u.conninfo
    assert parse_url("postgresql://wang@h/cim").schema == "public"
    assert "secret" not in parse_url("postgresql://h/cim?password=secret&schema=a").safe
    for bad, why in [("postgresql://h/cim?schema=Bad-Name", "invalid schema"),
                     ("postgresql://wang:pw@h:5432/", "names no database")]:
        with pytest.raises(LztInputError, match=why) as exc:
            parse_url(bad)
        assert ":pw@" not in str(exc.value)


def test_unreachable_server_is_one_line_without_the_password():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://wang:hunter2@127.0.0.1:{port}/cim?schema=a"
    with pytest.raises(LztInputError, match="cannot connect") as exc:
        open_workspace(url)
    text = str(exc.value)
    assert "hunter2" not in text and "\n" not in text
    assert text.startswith(f"postgresql://wang@127.0.0.1:{port}/cim?schema=a: ")


def test_password_from_pgpassfile_or_url_is_never_stored(postgis_cluster, tmp_path, monkeypatch):
    pw, role = pg_cluster.PASSWORD, pg_cluster.PASSWORD_ROLE
    url = postgis_cluster.url(user=role, schema="pw_ws")
    with pytest.raises(LztInputError, match="password") as exc:
        create_workspace(url)
    assert pw not in str(exc.value)
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{postgis_cluster.port}:*:{role}:{pw}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    ws = create_workspace(url)
    try:
        ws.write_layer("poi", longgang_points(5), source=url)
        assert ws.actor == role and ws.uri == url
    finally:
        ws.close()
    monkeypatch.delenv("PGPASSFILE")
    with_pw = postgis_cluster.url(user=role, password="s3cret-p%C3%A4ssw%C3%B6rd", schema="pw_ws")
    with pytest.raises(LztInputError):  # the URL form needs percent-encoding; a wrong one is refused...
        open_workspace(with_pw.replace("%C3%A4", "a"))
    ws = open_workspace(with_pw)  # ...the right one opens, and is shown without it
    try:
        assert ws.uri == url and pw not in repr(ws)
        ws.audit("export", {"target": ws.uri})
    finally:
        ws.close()
    with _admin(postgis_cluster) as conn:
        dump = " ".join(str(r) for t in ("lzt_settings", "lzt_layers", "lzt_audit")
                        for r in conn.execute(f"SELECT * FROM pw_ws.{t}").fetchall())
        conn.execute("DROP SCHEMA pw_ws CASCADE")
    assert role in dump and pw not in dump and "p%C3" not in dump


def test_missing_postgis_extension_is_a_clear_error(postgis_cluster):
    with _admin(postgis_cluster, "postgres") as conn:
        conn.execute("DROP DATABASE IF EXISTS plain_db")
        conn.execute(f"CREATE DATABASE plain_db OWNER {pg_cluster.PASSWORD_ROLE}")
    url = postgis_cluster.url(user="lzt_pw", password="s3cret-p%C3%A4ssw%C3%B6rd", database="plain_db",
                              schema="ws")
    with pytest.raises(LztInputError, match="PostGIS extension is not installed") as exc:
        create_workspace(url)
    assert "CREATE EXTENSION postgis" in str(exc.value) and "s3cret" not in str(exc.value)
    with pytest.raises(LztInputError, match="PostGIS extension is not installed"):
        open_workspace(url)


def test_open_and_create_refuse_wrong_schemas(pws, postgis_cluster):
    with pytest.raises(LztInputError, match="already holds an lzt workspace"):
        create_workspace(pws.uri)
    with pytest.raises(LztInputError, match="no lzt workspace in schema 'nothing_here'"):
        open_workspace(postgis_cluster.url(schema="nothing_here"))
    with pytest.raises(LztInputError, match="EPSG code|metre|projected"):
        create_workspace(postgis_cluster.url(schema="geo_ws"), "EPSG:4326")


def test_layer_is_a_table_with_gist_index_and_typed_columns(pws, postgis_cluster):
    pws.write_layer("兴趣点", longgang_points(50))
    with _admin(postgis_cluster) as conn:
        idx = [r[0] for r in conn.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = %s "
                                          "AND tablename = '兴趣点'", (pws.schema,))]
        assert any("USING gist (geom)" in d for d in idx) and any("(fid)" in d for d in idx)
        gc = conn.execute("SELECT type, srid FROM geometry_columns WHERE f_table_schema = %s "
                          "AND f_table_name = '兴趣点'", (pws.schema,)).fetchone()
        assert gc == ("POINT", 4547)
        types = dict(conn.execute("SELECT column_name, data_type FROM information_schema.columns "
                                  "WHERE table_schema = %s AND table_name = '兴趣点'", (pws.schema,)).fetchall())
    assert types["floors"] == "bigint" and types["面积"] == "double precision"
    assert types["opened"] == "timestamp without time zone" and types["名称"] == "text"


def test_types_z_geometries_and_mixed_rows_round_trip(pws):
    gdf = gpd.GeoDataFrame({
        "day": [date(2024, 1, 2), None, date(2025, 12, 31)],
        "at": pd.to_datetime(["2024-05-01T08:30:00.123Z", None, "2025-01-01T00:00:00Z"], format="ISO8601"),
        "raw": [b"\x00\x01", None, b"\xff"],
        "ok": pd.array([True, None, False], dtype="boolean"),
        "n": pd.array([1, None, -(2**62)], dtype="Int64"),
        "text": ["引号\"和,逗号\n换行", "", None],
    }, geometry=[shapely.Point(510_000, 2_510_000, 12.5), shapely.Polygon(), None], crs="EPSG:4547")
    info = pws.write_layer("mixed", gdf)
    assert {f.name: f.type for f in info.fields} == {"day": "DATE", "at": "DATETIME", "raw": "BLOB",
                                                     "ok": "BOOLEAN", "n": "INTEGER", "text": "TEXT"}
    back = pws.read_features("mixed")
    assert back.geometry.iloc[0].has_z and back.geometry.iloc[0].z == 12.5
    assert back.geometry.iloc[1].is_empty and back.geometry.iloc[2] is None
    assert back["day"].iloc[0] == pd.Timestamp("2024-01-02") and pd.isna(back["day"].iloc[1])
    assert back["at"].iloc[0] == pd.Timestamp("2024-05-01T08:30:00.123Z")
    assert back["raw"].tolist() == [b"\x00\x01", None, b"\xff"]
    assert back["ok"].tolist()[::2] == [True, False] and back["n"].iloc[2] == -(2**62)
    assert back["text"].tolist() == ["引号\"和,逗号\n换行", "", None]


def test_cancel_midway_leaves_nothing_on_the_server(pws, postgis_cluster):
    pws.write_layer("keep", longgang_points(10))
    fb = Feedback()

    def progress(done, total, msg):
        if done >= 100_000:
            fb.cancel()

    fb._on_progress = progress
    with pytest.raises(CancelledError):
        pws.write_layer("big", longgang_points(220_000), feedback=fb)
    assert [i.name for i in pws.layers()] == ["keep"]
    with _admin(postgis_cluster) as conn:
        assert conn.execute("SELECT to_regclass(%s)", (f"{pws.schema}.big",)).fetchone()[0] is None


def test_names_postgresql_cannot_hold_are_refused(pws):
    with pytest.raises(LztInputError, match="63 bytes"):
        pws.write_layer("很长的图层名" * 4, longgang_points(1))
    gdf = longgang_points(1).rename(columns={"名称": "名" * 22})
    with pytest.raises(LztInputError, match="63 bytes"):
        pws.write_layer("poi", gdf)
    assert pws.layers() == []


def test_point_coords_refuses_polygons_and_fids_follow_writes(pws):
    polys = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4547")
    pws.write_layer("zones", polys)
    with pytest.raises(LztInputError, match="not a point layer"):
        pws.point_coords("zones")
    pts = longgang_points(20)
    pws.write_layer("poi", pts, fids=np.arange(100, 120) * 2)
    fid, x, _ = pws.point_coords("poi")
    assert fid.tolist() == list(range(200, 240, 2))
    np.testing.assert_array_equal(x, shapely.get_x(pts.geometry.values))
    assert pws.read_features("poi", fids=[202, 5]).index.tolist() == [202]


def test_where_clauses_match_the_evaluator(pws):
    from lzt.query.expr import evaluate, parse

    gdf = longgang_points(2000, seed=4)
    gdf.loc[::7, "category"] = None
    pws.write_layer("poi", gdf)
    full = pws.read_features("poi")
    for text in ["floors > 20 AND category = '学校'", "category LIKE '住%'", "category IS NULL",
                 "面积 BETWEEN 100 AND 200 OR floors IN (3, 4)", "NOT (floors < 10)",
                 "opened >= '2022-01-01'", "名称 LIKE '点1_'"]:
        expr = parse(text)
        got = pws.read_features("poi", where=expr, geometry=False).index.tolist()
        expect = full.index[evaluate(expr, full)].tolist()
        assert got == expect and got, text


def test_point_coords_follow_changes_by_other_clients(pws, postgis_cluster):
    pws.write_layer("poi", longgang_points(100))
    assert len(pws.point_coords("poi")[0]) == 100
    with _admin(postgis_cluster) as conn:  # e.g. QGIS adding a point
        conn.execute(f'INSERT INTO {pws.schema}.poi (geom, "名称") '
                     "VALUES (ST_SetSRID(ST_MakePoint(520000.5, 2510000.5), 4547), '新点')")
    fid, x, y = pws.point_coords("poi")
    assert len(fid) == 101 and fid[-1] == 101 and (x[-1], y[-1]) == (520000.5, 2510000.5)
    got = pws.read_features("poi", bbox=(520000, 2510000, 520001, 2510001))
    assert got["名称"].tolist() == ["新点"]
    with _admin(postgis_cluster) as conn:
        conn.execute(f"DELETE FROM {pws.schema}.poi WHERE fid <= 50")
    assert pws.point_coords("poi")[0][0] == 51


def test_a_name_taken_by_a_foreign_table_is_an_input_error(pws, postgis_cluster):
    with _admin(postgis_cluster) as conn:
        conn.execute(f"CREATE TABLE {pws.schema}.roads (id int)")  # made by another tool
    with pytest.raises(LztInputError, match="taken"):
        pws.write_layer("roads", longgang_points(2))
    assert pws.layers() == []


def test_geopackage_users_never_load_the_postgis_backend(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from lzt.workspace import create_workspace, open_workspace; "
            f"create_workspace({str(tmp_path / 'w.gpkg')!r}).close(); open_workspace({str(tmp_path / 'w.gpkg')!r}); "
            "print(sorted(m for m in sys.modules if m.startswith(('psycopg', 'lzt.workspace.postgis'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_reads_as_column_aggregates_equal_the_row_path(pws, postgis_cluster):
    """read_features fetches one row of column aggregates; every value, dtype and NULL equals the
    row-per-feature path (iter_batches), also with rows stored out of fid order, date-times outside
    pandas' range or infinite, NaN and NULL floats, a window, a window with no rows and a limit."""
    n = 300
    rng = np.random.default_rng(4)
    at = pd.Series(pd.date_range("2024-01-01", periods=n, freq="37min") + pd.to_timedelta(rng.integers(0, 10**6, n), "us"))
    at[::7] = pd.NaT
    real = rng.uniform(-1e6, 1e6, n)
    real[::5], real[1::11] = np.nan, np.inf
    gdf = gpd.GeoDataFrame({
        "at": at, "aware": at.dt.tz_localize("Asia/Shanghai"),
        "real": real, "n": pd.array([None if i % 9 == 0 else i * 1000 for i in range(n)], dtype="Int64"),
        "text": [None if i % 4 == 0 else f"第{i}号" for i in range(n)],
        "day": [None if i % 6 == 0 else date(2020, 1, 1 + i % 28) for i in range(n)],
    }, geometry=shapely.points(510_000 + rng.uniform(0, 2_000, n), 2_510_000 + rng.uniform(0, 2_000, n)),
        crs="EPSG:4547")
    pws.write_layer("pts", gdf)
    with _admin(postgis_cluster) as conn:  # updates move rows: the heap is no longer in fid order
        conn.execute(f'UPDATE "{pws.schema}".pts SET real = real + 1 WHERE fid % 3 = 0')
        conn.execute(f'UPDATE "{pws.schema}".pts SET '
                     "at = CASE fid WHEN 2 THEN 'infinity'::timestamp WHEN 3 THEN '0044-03-15 BC'::timestamp "
                     "WHEN 4 THEN '12000-01-01'::timestamp WHEN 5 THEN '1500-06-01 12:00'::timestamp END "
                     "WHERE fid IN (2, 3, 4, 5)")
    rows_path = next(pws.iter_batches("pts"))
    got = pws.read_features("pts")
    assert not got.index.to_series().diff().iloc[1:].le(0).any()
    pd.testing.assert_frame_equal(got, rows_path)
    assert pd.isna(got.loc[[2, 3, 4], "at"]).all() and got.loc[5, "at"] == pd.Timestamp("1500-06-01 12:00")
    all_nat = pws.read_features("pts", fids=[2, 3, 4, 8], columns=["at"])  # no date-time at all
    pd.testing.assert_frame_equal(all_nat, rows_path.loc[[2, 3, 4, 8], ["at", "geometry"]].assign(
        at=pd.to_datetime(pd.Series([None] * 4, dtype=object, index=all_nat.index))))
    window = (510_500, 2_510_500, 511_200, 2_511_400)
    want = rows_path[shapely.intersects(rows_path.geometry.values, shapely.box(*window))]
    pd.testing.assert_frame_equal(pws.read_features("pts", bbox=window), want)
    pd.testing.assert_frame_equal(pws.read_features("pts", bbox=window, columns=["text", "at"], geometry=False),
                                  want[["text", "at"]].assign(geometry=None).set_geometry("geometry", crs=want.crs),
                                  check_dtype=False)
    none = pws.read_features("pts", bbox=(0, 0, 1, 1))
    assert len(none) == 0 and list(none.columns) == list(rows_path.columns)
    pd.testing.assert_frame_equal(pws.read_features("pts", limit=10), rows_path.iloc[:10])
