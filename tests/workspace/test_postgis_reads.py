"""PostGIS reads in one round trip: the kept read plan follows every change another client makes."""

from __future__ import annotations

import os
import tempfile

import psycopg
import pytest

from lzt.core.errors import LztInputError
from lzt.query.run import QuerySpec, run_query
from lzt.workspace import create_workspace, open_workspace
from tests.conftest import longgang_points

BOX = (400000, 2400000, 700000, 2700000)  # all of longgang_points


@pytest.fixture
def pws(pg_url):
    w = create_workspace(pg_url)
    w.write_layer("poi", longgang_points(30))
    yield w
    w.close()


def _admin(cluster):
    return psycopg.connect(cluster.url(), autocommit=True)


def _round_trips(ws, action) -> int:
    """Statements ``action`` sends to the server (Sync messages in libpq's protocol trace)."""
    with tempfile.TemporaryFile("w+") as f:
        ws._conn.pgconn.trace(f.fileno())
        try:
            action()
        finally:
            ws._conn.pgconn.untrace()
        os.fsync(f.fileno())
        f.seek(0)
        return sum(1 for line in f if "\tSync" in line or "\tQuery\t" in line)


def test_a_window_query_is_one_round_trip(pws):
    run_query(pws, QuerySpec(layer="poi", bbox=BOX))  # the plan is made once
    assert _round_trips(pws, lambda: pws.read_features("poi", bbox=BOX)) == 1
    assert _round_trips(pws, lambda: run_query(pws, QuerySpec(layer="poi", bbox=BOX))) == 1


def test_reads_follow_column_changes_by_other_clients(pws, postgis_cluster):
    t = f'{pws.schema}.poi'
    before = pws.read_features("poi", bbox=BOX)
    assert "名称" in before.columns
    with _admin(postgis_cluster) as conn:  # e.g. QGIS editing the table's structure
        conn.execute(f"ALTER TABLE {t} ADD COLUMN extra text DEFAULT 'x'")
    got = pws.read_features("poi", bbox=BOX)
    assert got["extra"].tolist() == ["x"] * 30
    with _admin(postgis_cluster) as conn:
        conn.execute(f'ALTER TABLE {t} DROP COLUMN "名称"')  # the kept plan's statement fails: planned again
    got = pws.read_features("poi", bbox=BOX)
    assert "名称" not in got.columns and len(got) == 30
    with _admin(postgis_cluster) as conn:
        conn.execute(f"ALTER TABLE {t} RENAME COLUMN extra TO other")
    assert "other" in pws.read_features("poi", bbox=BOX).columns
    with _admin(postgis_cluster) as conn:
        conn.execute(f"ALTER TABLE {t} ALTER COLUMN other DROP DEFAULT, ALTER COLUMN other TYPE integer USING 7")
    assert pws.read_features("poi", columns=["other"])["other"].tolist() == [7] * 30
    with pws.transaction():  # a changed plan inside a transaction block: read first, nothing aborted
        with _admin(postgis_cluster) as conn:
            conn.execute(f"ALTER TABLE {t} ADD COLUMN late real DEFAULT 1.5")
        assert pws.read_features("poi", columns=["late"])["late"].tolist() == [1.5] * 30
        pws.set_setting("after", 1)
    assert pws.get_setting("after") == 1


def test_a_rename_between_the_plan_and_the_statement_is_read_again(pws, postgis_cluster, monkeypatch):
    """Another client renames a column after a new read plan is made and before its statement runs:
    the read is planned again and gets the renamed column (a raw psycopg error before); a rename
    at every plan is said in one line."""
    t = f"{pws.schema}.poi"
    real = pws._read_plan
    renames = iter(["renamed", "again", "more"])
    limit = [1]

    def plan_then_rename(name, fresh):
        plan = real(name, fresh)
        if limit[0]:
            limit[0] -= 1
            with _admin(postgis_cluster) as conn:
                names = {f.name for f in plan.info.fields}
                old = [c for c in ("名称", "renamed", "again") if c in names][0]
                conn.execute(f'ALTER TABLE {t} RENAME COLUMN "{old}" TO {next(renames)}')
        return plan

    monkeypatch.setattr(pws, "_read_plan", plan_then_rename)
    pws._plans.clear()
    got = pws.read_features("poi", bbox=BOX)
    assert "renamed" in got.columns and "名称" not in got.columns and len(got) == 30
    pws._plans.clear()
    limit[0] = 2  # renamed again after each new plan
    with pytest.raises(LztInputError, match="missing column"):
        pws.read_features("poi", bbox=BOX)
    assert limit[0] == 0
    assert pws.read_features("poi", bbox=BOX)["more"].tolist() == got["renamed"].tolist()


def test_reads_follow_a_layer_replaced_or_dropped_elsewhere(pws, pg_url):
    pws.read_features("poi", bbox=BOX)
    other = open_workspace(pg_url)
    try:
        other.write_layer("poi", longgang_points(5).rename(columns={"名称": "name"}), replace=True)
        got = pws.read_features("poi", bbox=BOX)
        assert len(got) == 5 and "name" in got.columns and "名称" not in got.columns
        other.drop_layer("poi")
    finally:
        other.close()
    with pytest.raises(LztInputError, match="no layer named 'poi'"):
        pws.read_features("poi", bbox=BOX)


def test_a_large_read_goes_in_fid_order_chunks_with_the_same_frame(pws, monkeypatch):
    from lzt.workspace.postgis import reads

    pws.write_layer("many", longgang_points(400, seed=3))
    whole = pws.read_features("many")
    window = (510_000, 2_500_000, 525_000, 2_515_000)
    expect = {"whole": whole, "window": pws.read_features("many", bbox=window),
              "fids": pws.read_features("many", fids=range(50, 300)),
              "limit": pws.read_features("many", bbox=window, limit=70)}
    # as if the table were over CHUNK_BYTES: ~40 rows a statement
    monkeypatch.setattr(reads, "CHUNK_BYTES", pws._sizes["many"][0] // 10)
    monkeypatch.setattr(pws, "_plans", {})
    assert _round_trips(pws, lambda: pws.read_features("many", columns=[])) > 5
    got = {"whole": pws.read_features("many"), "window": pws.read_features("many", bbox=window),
           "fids": pws.read_features("many", fids=range(50, 300)),
           "limit": pws.read_features("many", bbox=window, limit=70)}
    for k, frame in expect.items():
        assert len(frame) > 30, k
        assert frame.equals(got[k]) and list(frame.dtypes) == list(got[k].dtypes), k
    rows = [r for b in pws.iter_batches("many", batch_size=64) for r in b.itertuples()]
    assert [r.Index for r in rows] == whole.index.tolist()


@pytest.mark.slow
def test_a_layer_over_postgresqls_1_gb_value_limit_is_read_whole(pws, postgis_cluster):
    """1,030 rows of 1 MiB text (stored compressed, a few MB): one aggregate of them is over 1 GB."""
    pws.write_layer("big", longgang_points(1030, seed=5)[["geometry", "名称"]])
    with _admin(postgis_cluster) as conn:
        conn.execute(f'UPDATE {pws.schema}.big SET "名称" = repeat(md5(fid::text), 32768)')
    got = pws.read_features("big", columns=["名称"])
    assert len(got) == 1030 and got.index.tolist() == list(range(1, 1031))
    assert got["名称"].str.len().eq(1 << 20).all() and got["名称"].iloc[0][:32] == "c4ca4238a0b923820dcc509a6f75849b"


def test_a_plan_is_made_of_one_catalogue_read_while_another_thread_reads_the_catalogue(pws, postgis_cluster,
                                                                                       monkeypatch):
    """A read plan's layer facts and its fingerprint come from the same catalogue read. Here another
    client adds a column and another thread of this client (a panel asking ``layer()``) reads the
    catalogue while the plan is being made: the plan kept the layer's old columns with the new
    fingerprint, so every later read matched it and never showed the column."""
    import threading

    t = f'{pws.schema}.poi'
    orig = pws._require_vector
    others: list[threading.Thread] = []

    def other_thread():
        with _admin(postgis_cluster) as conn:
            conn.execute(f"ALTER TABLE {t} ADD COLUMN extra text DEFAULT 'x'")
        pws.layer("poi")

    def require_vector(name):
        info = orig(name)
        if not others:
            th = threading.Thread(target=other_thread)
            others.append(th)
            th.start()
            th.join(2.0)  # done unless it waits for this read's plan to be made
        return info

    monkeypatch.setattr(pws, "_require_vector", require_vector)
    pws.read_features("poi", bbox=BOX)  # planned as the column was added: with or without it
    others[0].join()
    assert pws.read_features("poi", bbox=BOX)["extra"].tolist() == ["x"] * 30


def test_a_read_in_chunks_sees_one_snapshot_of_the_layer(pws, postgis_cluster, monkeypatch):
    """Another client's edit between two chunk statements of one read: the frame is the layer as it
    was (one statement's read was one snapshot; the chunks were each their own, half old, half new)."""
    from lzt.workspace.postgis import reads

    pws.write_layer("many", longgang_points(400, seed=3))
    monkeypatch.setattr(reads, "CHUNK_BYTES", pws._sizes["many"][0] // 10)
    monkeypatch.setattr(pws, "_plans", {})
    fetch, calls, edit = pws._fetch, [], []

    def edited_after_the_first(stmt, params, **kw):
        rows = fetch(stmt, params, **kw)
        calls.append(stmt)
        if len(calls) == 1 and edit:
            with _admin(postgis_cluster) as conn:
                conn.execute(f'UPDATE {pws.schema}.many SET "名称" = %s, floors = %s', edit[-1])
        return rows

    monkeypatch.setattr(pws, "_fetch", edited_after_the_first)
    for value in (("edited", -1), ("again", -2)):  # planned afresh, then with the kept plan
        calls.clear()
        expect = pws.read_features("many")
        calls.clear()
        edit.append(value)
        got = pws.read_features("many")
        edit.clear()
        assert len(calls) > 3
        assert got.equals(expect), value
        assert (pws.read_features("many")["floors"] == value[1]).all()


def test_derived_caches_follow_a_table_rewritten_by_another_client(pws, pg_url, postgis_cluster):
    """ALTER ... TYPE ... USING rewrites every geometry and fires no row trigger: the layer's stamp
    stayed the same, so the packed polygons (and their convex flags) kept in the workspace, and the
    points kept in memory, were used as they were before the rewrite: counts against the old shapes."""
    import geopandas as gpd
    import numpy as np
    import shapely

    from lzt.analysis.overlay import count_points_in_polygons
    from lzt.analysis.polygon_cache import layer_polygon_set

    rng = np.random.default_rng(8)
    ox, oy = rng.uniform(510_000, 520_000, 300), rng.uniform(2_500_000, 2_510_000, 300)
    pws.write_layer("zones", gpd.GeoDataFrame({"name": [f"z{i}" for i in range(300)]},
                                              geometry=shapely.box(ox, oy, ox + 200, oy + 150), crs="EPSG:4547"))
    layer_polygon_set(pws, "zones")  # packed in the workspace, with their convex flags
    pws.point_coords("poi")
    with _admin(postgis_cluster) as conn:
        for t in ("zones", "poi"):
            typ = conn.execute(f"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                               f"'{pws.schema}.{t}'::regclass AND attname = 'geom'").fetchone()[0]
            conn.execute(f"ALTER TABLE {pws.schema}.{t} ALTER COLUMN geom TYPE {typ} "
                         "USING ST_Translate(geom, 120, 0)")
    _, x, y = pws.point_coords("poi")
    assert np.array_equal(np.sort(x), np.sort(pws.read_features("poi", columns=[]).geometry.x.to_numpy()))
    again = open_workspace(pg_url)
    try:
        fids, polys = layer_polygon_set(again, "zones")
        geoms = np.asarray(again.read_features("zones", columns=[]).geometry.values, dtype=object)
        px, py = rng.uniform(510_000, 520_400, 50_000), rng.uniform(2_500_000, 2_510_200, 50_000)
        want = np.bincount(shapely.STRtree(geoms).query(shapely.points(px, py), predicate="intersects")[1],
                           minlength=len(geoms))
        np.testing.assert_array_equal(count_points_in_polygons(px, py, polys), want)
    finally:
        again.close()
