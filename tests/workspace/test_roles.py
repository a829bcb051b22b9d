"""lzt roles init: viewers cannot write, analysts never see raw personal data, supervisors edit safely."""

from __future__ import annotations

import uuid

import geopandas as gpd
import pandas as pd
import psycopg
import pytest
import shapely

from lzt.analysis.masking import mask_frame
from lzt.cli.main import main
from lzt.core.errors import ConflictError, LztInputError
from lzt.workspace import create_workspace, open_workspace
from lzt.workspace.postgis.roles import masked_view_name
from lzt.workspace.postgis.url import with_schema
from tests.conftest import longgang_points

NAMES = ["张三", "王小明", "欧阳小明", "李", " 赵六 ", "", None]
PHONES = ["13812341234", "0755-12345678", "12345", "+86 138 1234 1234", "  ", None, "1381234123"]
IDS = ["440307199001011234", "44030719900101123X", "440307900101123", "AB1234", "abc", None, ""]
TEXTS = ["电话13812341234，身份证440307199001011234", "号码 440307900101123 和 15912345678a",
         "没有个人信息", None, "x13812341234", "ID44030719900101123x", "2024年1月1日"]


def _complaints(crs: str) -> gpd.GeoDataFrame:
    n = len(NAMES)
    return gpd.GeoDataFrame(
        {"case_id": [f"LG{i}" for i in range(n)], "citizen_name": NAMES, "citizen_phone": PHONES,
         "citizen_id": IDS, "content": TEXTS, "address": ["龙岗大道13800001111号"] * n, "reply": [None] * n,
         "category": ["噪声"] * n},
        geometry=shapely.points([(515_000 + i, 2_510_000) for i in range(n)]), crs=crs)


@pytest.fixture
def shared(pg_url, postgis_cluster):
    """A workspace with complaint, supervision and plain layers, roles granted, and one login per role."""
    ws = create_workspace(pg_url)
    ws.write_layer("complaints", _complaints(ws.crs), kind="complaints")
    sup = gpd.GeoDataFrame({"parcel_id": ["A01"], "status": ["在建"], "version": [1]},
                           geometry=[shapely.box(510_000, 2_510_000, 510_100, 2_510_100)], crs=ws.crs)
    ws.write_layer("supervision", sup, kind="supervision")
    ws.write_layer("poi", longgang_points(5))
    ws.close()
    assert main(["roles", "init", pg_url]) == 0
    assert main(["roles", "init", pg_url]) == 0  # again: nothing breaks
    tag = uuid.uuid4().hex[:6]
    logins = {"viewer": f"v_{tag}", "analyst": f"a_{tag}", "supervisor": f"s_{tag}", "supervisor2": f"t_{tag}"}
    with psycopg.connect(postgis_cluster.url(), autocommit=True) as conn:
        for role, login in logins.items():
            conn.execute(f"CREATE ROLE {login} LOGIN IN ROLE {role.rstrip('2')}")
    urls = {role: pg_url.replace("postgres@", f"{login}@") for role, login in logins.items()}
    return pg_url, urls, logins


def _values(series) -> list:
    return [None if v is None or (isinstance(v, float) and v != v) else v for v in series.tolist()]


def _sql(url: str):
    from lzt.workspace.postgis.url import parse_url

    u = parse_url(url)
    conn = psycopg.connect(u.conninfo, autocommit=True)
    conn.execute(f"SET search_path TO {u.schema}, public")
    return conn


def test_viewer_reads_but_cannot_write(shared):
    _, urls, _ = shared
    with _sql(urls["viewer"]) as conn:
        assert conn.execute("SELECT count(*) FROM poi").fetchone()[0] == 5
        for stmt in ["INSERT INTO poi (名称) VALUES ('x')", "UPDATE supervision SET status = 'x'",
                     "DELETE FROM lzt_layers", "INSERT INTO lzt_settings VALUES ('k', '1')",
                     "INSERT INTO lzt_audit (action, detail) VALUES ('x', '{}')", "CREATE TABLE t (a int)",
                     "SELECT citizen_name FROM complaints"]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(stmt)
    ws = open_workspace(urls["viewer"])
    try:
        assert ws.layer("poi").count == 5
        with pytest.raises(LztInputError, match="permission denied"):
            ws.write_layer("mine", longgang_points(2))
        with pytest.raises(LztInputError, match="permission denied"):
            ws.update_feature("supervision", 1, {"status": "已竣工"}, expected_version=1)
        with pytest.raises(LztInputError, match="permission denied"):
            ws.set_setting("style.poi", {})
        assert ws.layers()[-1].name == "poi" and ws.audit_entries() == []
    finally:
        ws.close()


def test_analyst_cannot_read_raw_personal_data_even_with_sql(shared):
    owner_url, urls, _ = shared
    raw = open_workspace(owner_url)
    try:
        raw_df = pd.DataFrame(raw.read_features("complaints", geometry=False))
    finally:
        raw.close()
    assert raw_df["citizen_phone"].iloc[0] == "13812341234"  # the owner (admin) sees raw data
    expected = mask_frame(raw_df)
    with _sql(urls["analyst"]) as conn:
        for col in ("citizen_name", "citizen_phone", "citizen_id", "content", "*"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT {col} FROM complaints")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM complaints")
        cur = conn.execute(f"SELECT * FROM {masked_view_name('complaints')} ORDER BY fid")
        names = [d.name for d in cur.description]
        got = pd.DataFrame(cur.fetchall(), columns=names).drop(columns=["fid", "geom"])
    for col in ("citizen_name", "citizen_phone", "citizen_id", "content", "address", "reply"):
        assert _values(got[col]) == _values(expected[col]), col
    assert got["citizen_name"].tolist()[:3] == ["张*", "王*明", "欧**明"]
    assert got["content"].iloc[0] == "电话138****1234，身份证440307********1234"
    assert got["category"].tolist() == raw_df["category"].tolist()
    ws = open_workspace(urls["analyst"])  # lzt itself reads the masking view for an analyst
    try:
        df = ws.read_features("complaints")
        assert _values(df["citizen_phone"]) == _values(expected["citizen_phone"])
        assert len(ws.read_features("complaints", bbox=(514_999, 2_509_999, 515_002, 2_510_001))) == 3
        fid, x, _ = ws.point_coords("complaints")
        assert len(fid) == len(NAMES)
        ws.audit("stats", {"layer": "complaints"})  # analysts may append audit entries...
        with pytest.raises(LztInputError, match="permission denied"):
            ws.update_feature("supervision", 1, {"status": "x"}, expected_version=1)
    finally:
        ws.close()
    with _sql(urls["analyst"]) as conn:  # ...but never rewrite them
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM lzt_audit")


def test_an_analyst_pulls_complaints_masked_and_is_told_so(shared, tmp_path, capsys):
    _, urls, _ = shared
    out = tmp_path / "mine.gpkg"
    assert main(["pull", urls["analyst"], str(out)]) == 0
    assert "已脱敏复制：complaints" in capsys.readouterr().out
    ws = open_workspace(out)
    try:
        assert ws.read_features("complaints")["citizen_phone"].iloc[0] == "138****1234"
    finally:
        ws.close()


def test_layers_written_after_init_are_granted_and_masked(shared):
    owner_url, urls, _ = shared
    ws = open_workspace(owner_url)
    try:
        ws.write_layer("complaints_2025", _complaints(ws.crs), kind="complaints")
        ws.write_layer("roads", longgang_points(3))
    finally:
        ws.close()
    with _sql(urls["analyst"]) as conn:
        assert conn.execute("SELECT count(*) FROM roads").fetchone()[0] == 3
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT citizen_id FROM complaints_2025")
        row = conn.execute(f"SELECT citizen_id FROM {masked_view_name('complaints_2025')} "
                           "ORDER BY fid LIMIT 1").fetchone()
    assert row[0] == "440307********1234"


def test_supervisors_edit_with_optimistic_locking_under_their_own_names(shared):
    _, urls, logins = shared
    a, b = open_workspace(urls["supervisor"]), open_workspace(urls["supervisor2"])
    try:
        v = int(b.read_features("supervision", geometry=False)["version"].iloc[0])
        a.add_inspection("supervision", 1, {"inspected_on": "2026-11-21", "inspector": "张工", "result": "已竣工"},
                         expected_version=v, photos={"p.jpg": b"jpeg"}, changes={"status": "已竣工"})
        with pytest.raises(ConflictError, match="changed by someone else"):
            b.update_feature("supervision", 1, {"status": "停工"}, expected_version=v)
        row = b.read_features("supervision", geometry=False).iloc[0]
        assert (row["status"], row["version"]) == ("已竣工", v + 1)
        (rec,) = b.inspections("supervision", "A01")
        assert rec["recorded_by"] == logins["supervisor"]
        assert {e["user"] for e in b.audit_entries()} == {logins["supervisor"]}
        with pytest.raises(LztInputError, match="permission denied"):
            a.write_layer("poi", longgang_points(1), replace=True)
    finally:
        a.close()
        b.close()
    with _sql(urls["supervisor"]) as conn:  # nobody writes in someone else's name
        for stmt in ["INSERT INTO lzt_audit (action, detail, \"user\") VALUES ('edit', '{}', 'boss')",
                     "INSERT INTO lzt_audit (action, detail, at) VALUES ('edit', '{}', '2020-01-01')",
                     "INSERT INTO lzt_inspections (layer, fid, inspected_on, inspector, result, recorded_by) "
                     "VALUES ('supervision', 1, '2026-01-01', 'x', 'y', 'boss')",
                     "UPDATE lzt_inspections SET result = 'z'"]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(stmt)
        with pytest.raises(psycopg.errors.CheckViolation, match="version = version \\+ 1"):
            conn.execute("UPDATE supervision SET status = '停工'")  # a silent overwrite is refused
        conn.execute("UPDATE supervision SET status = '停工', version = version + 1")
        conn.execute("INSERT INTO lzt_audit (action, detail) VALUES ('note', '{}')")
        assert conn.execute("SELECT \"user\" FROM lzt_audit ORDER BY id DESC LIMIT 1").fetchone()[0] == \
            logins["supervisor"]


def test_roles_init_needs_a_shared_workspace(tmp_path, capsys):
    assert main(["roles", "init", str(tmp_path / "ws.gpkg")]) == 2
    assert "postgresql://" in capsys.readouterr().err


def test_with_schema_helper():
    assert with_schema("postgresql://u@h/db?schema=a&sslmode=disable", "b") == \
        "postgresql://u@h/db?sslmode=disable&schema=b"


# -- personal data in free text and in layers derived from complaints (issues 12.6, 19.1) -------
def _with_text(crs: str, df: pd.DataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(df.assign(order_id=[f"LG{13812345678 + i}" for i in range(len(df))],
                                      street="龙城"),
                            geometry=shapely.points([(515_000 + i % 100, 2_510_000 + i // 100) for i in range(len(df))]),
                            crs=crs)


def test_the_analyst_view_masks_a_records_own_values_in_its_text_as_python_does(shared):
    from tests.analysis.test_masking import _cases_frame, random_records

    owner_url, urls, _ = shared
    cases = _cases_frame().drop(columns=["order_id", "street"])
    records = pd.concat([cases, random_records(600, seed=11)], ignore_index=True)
    records["reply"] = records["content"].where(records.index % 3 == 0)
    records["备注"] = records["address"]
    ws = open_workspace(owner_url)
    try:
        ws.write_layer("calls", _with_text(ws.crs, records), kind="complaints")
        raw = pd.DataFrame(ws.read_features("calls", geometry=False))
    finally:
        ws.close()
    expected = mask_frame(raw)
    with _sql(urls["analyst"]) as conn:
        cur = conn.execute(f"SELECT * FROM {masked_view_name('calls')} ORDER BY fid")
        got = pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description]).set_index("fid")
    for col in raw.columns.drop("geometry"):
        assert _values(got[col]) == _values(expected[col]), col
    assert got["content"].iloc[1] == "王*英反映小区噪声扰民，请回电王*英"
    assert got["order_id"].tolist() == raw["order_id"].tolist()  # coded columns as they are
    assert (got["content"].fillna("") != raw["content"].fillna("")).sum() > 300


def test_layers_derived_from_complaints_are_readable_only_masked(shared):
    owner_url, urls, _ = shared
    ws = open_workspace(owner_url)
    try:
        gdf = ws.read_features("complaints")
        # a query result kept by an administrator: the lineage marks it, whatever its kind
        from lzt.workspace.personal import lineage

        ws.write_layer("kept", gdf, kind="vector", details=lineage(ws, ["complaints"]))
        ws.write_layer("text_only", gdf[["content", "geometry"]], kind="analysis",
                       details=lineage(ws, ["complaints"]))
        ws.write_layer("sheet", gdf.rename(columns={"citizen_name": "姓名", "citizen_phone": "联系电话"}))
    finally:
        ws.close()
    with _sql(urls["viewer"]) as conn:
        for table in ("kept", "text_only", "sheet"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT count(*) FROM {table}")
        kept = conn.execute(f"SELECT citizen_phone, content FROM {masked_view_name('kept')} ORDER BY fid").fetchall()
        sheet = conn.execute(f"SELECT 联系电话, 姓名 FROM {masked_view_name('sheet')} ORDER BY fid").fetchall()
        text = conn.execute(f"SELECT content FROM {masked_view_name('text_only')} ORDER BY fid").fetchall()
    assert kept[0] == ("138****1234", "电话138****1234，身份证440307********1234")
    assert sheet[1] == ("075*-****5678", "王*明")
    assert text[0] == ("电话138****1234，身份证440307********1234",)
    viewer = open_workspace(urls["viewer"])
    try:
        assert viewer.reads_masked("kept") and viewer.reads_masked("sheet")
        assert viewer.read_features("kept")["citizen_name"].iloc[1] == "王*明"
    finally:
        viewer.close()


def test_roles_init_again_takes_the_table_away_from_a_layer_that_became_personal(shared):
    owner_url, urls, _ = shared
    with psycopg.connect(owner_url.split("?")[0], autocommit=True) as conn:  # as an older lzt left it
        schema = owner_url.split("schema=")[1]
        conn.execute(f"ALTER TABLE {schema}.poi ADD COLUMN 手机 text")
        conn.execute(f"UPDATE {schema}.poi SET 手机 = '13812345678'")
    with _sql(urls["viewer"]) as conn:
        assert conn.execute("SELECT 手机 FROM poi LIMIT 1").fetchone()[0] == "13812345678"
    assert main(["roles", "init", owner_url]) == 0
    with _sql(urls["viewer"]) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT 手机 FROM poi")
        assert conn.execute(f"SELECT 手机 FROM {masked_view_name('poi')} LIMIT 1").fetchone()[0] == "138****5678"


def test_an_analyst_pulls_a_derived_layer_masked_and_it_stays_personal(shared, tmp_path, capsys):
    owner_url, urls, _ = shared
    ws = open_workspace(owner_url)
    try:
        from lzt.workspace.personal import lineage

        ws.write_layer("查询结果", ws.read_features("complaints"), kind="analysis",
                       details=lineage(ws, ["complaints"]))
    finally:
        ws.close()
    out = tmp_path / "mine.gpkg"
    assert main(["pull", urls["analyst"], str(out)]) == 0
    assert "已脱敏复制：complaints, 查询结果" in capsys.readouterr().out
    mine = open_workspace(out)
    try:
        info = mine.layer("查询结果")
        assert info.details["personal_from"] == ["complaints"]
        assert mine.read_features("查询结果")["citizen_phone"].iloc[0] == "138****1234"
    finally:
        mine.close()


def test_a_pushed_query_result_gets_a_masking_view(shared, tmp_path, postgis_cluster):
    import psycopg as pg

    from lzt.workspace.personal import lineage

    _, urls, _ = shared
    local = tmp_path / "local.gpkg"
    ws = create_workspace(local)
    try:
        ws.write_layer("complaints", _complaints(ws.crs), kind="complaints")
        ws.write_layer("kept", ws.read_features("complaints"), details=lineage(ws, ["complaints"]))
    finally:
        ws.close()
    schema = "t_" + uuid.uuid4().hex[:12]
    target = postgis_cluster.url(schema=schema)
    try:
        assert main(["push", str(local), target]) == 0
        assert main(["roles", "init", target]) == 0
        viewer = with_schema(urls["viewer"], schema)
        with _sql(viewer) as conn:
            with pytest.raises(pg.errors.InsufficientPrivilege):
                conn.execute("SELECT citizen_phone FROM kept")
            assert conn.execute(f"SELECT citizen_phone FROM {masked_view_name('kept')} ORDER BY fid LIMIT 1"
                                ).fetchone()[0] == "138****1234"
        w = open_workspace(viewer)
        try:
            assert w.layer("kept").details["personal_from"] == ["complaints"] and w.reads_masked("kept")
        finally:
            w.close()
    finally:
        with pg.connect(postgis_cluster.url(), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
