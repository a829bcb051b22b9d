"""The filter language: SQL (SQLite) == evaluate() == an independent pandas computation."""

from __future__ import annotations

import sqlite3
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from lzt.core.errors import LztInputError
from lzt.query.expr import evaluate, fields_used, parse, split_spatial
from lzt.workspace.gpkg.where import to_sql

FIELDS = {"用地性质": "TEXT", "面积": "REAL", "街道": "TEXT", "层数": "INTEGER", "x": "INTEGER",
          "受理时间": "DATETIME", "批准日期": "DATE", "已核查": "BOOLEAN"}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 400
    df = pd.DataFrame({
        "用地性质": rng.choice(["R2", "M1", "B1", "G1", None], n),
        "面积": np.where(rng.random(n) < 0.1, np.nan, rng.uniform(100, 20000, n).round(1)),
        "街道": rng.choice(["布吉", "坂田", "龙城", "南湾"], n),
        "层数": rng.integers(1, 40, n),
        "x": rng.integers(-5, 5, n),
        "受理时间": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400 * 86400, n), "s"),
        "批准日期": [date(2023, 1, 1) + pd.Timedelta(days=int(d)) for d in rng.integers(0, 700, n)],
        "已核查": rng.choice([True, False], n),
    })
    df.loc[rng.random(n) < 0.05, "层数"] = None
    df["层数"] = df["层数"].astype("Int64")
    gdf = gpd.GeoDataFrame(df, geometry=shapely.points(rng.uniform(0, 100, n), rng.uniform(0, 100, n)))
    conn = sqlite3.connect(":memory:")
    cols = ", ".join(f'"{c}" {t}' for c, t in FIELDS.items())
    conn.execute(f"CREATE TABLE t (rid INTEGER, {cols})")
    rows = []
    for i, r in df.iterrows():
        rows.append((i, r["用地性质"], None if pd.isna(r["面积"]) else r["面积"], r["街道"],
                     None if pd.isna(r["层数"]) else int(r["层数"]), int(r["x"]),
                     r["受理时间"].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3], r["批准日期"].isoformat(),
                     int(r["已核查"])))
    conn.executemany(f"INSERT INTO t VALUES ({','.join('?' * 9)})", rows)
    return gdf, conn


def sql_rows(conn, text):
    attr, _ = split_spatial(parse(text, fields=FIELDS))
    sql, params = to_sql(attr, {k: k for k in FIELDS})
    return sorted(r[0] for r in conn.execute(f"SELECT rid FROM t WHERE {sql}", params))


CASES = {
    "用地性质 = 'R2' AND 面积 > 5000": lambda d: (d["用地性质"] == "R2") & (d["面积"] > 5000),
    "街道 IN ('布吉','坂田')": lambda d: d["街道"].isin(["布吉", "坂田"]),
    "街道 NOT IN ('布吉')": lambda d: d["街道"] != "布吉",
    "用地性质 LIKE 'r%'": lambda d: d["用地性质"].fillna("").str.upper().str.startswith("R"),
    "用地性质 NOT LIKE '_1'": lambda d: d["用地性质"].notna() & ~d["用地性质"].fillna("").str.match(r"^.1$"),
    "面积 IS NULL": lambda d: d["面积"].isna(),
    "层数 IS NOT NULL AND 层数 BETWEEN 10 AND 20": lambda d: d["层数"].between(10, 20).fillna(False),
    "NOT (面积 < 3000 OR 层数 >= 30)": lambda d: ((d["面积"] >= 3000) & (d["层数"] < 30)).fillna(False),
    "受理时间 >= DATE('2024-06-01') AND 受理时间 < TIMESTAMP('2024-07-01T12:00:00')":
        lambda d: (d["受理时间"] >= "2024-06-01") & (d["受理时间"] < "2024-07-01 12:00"),
    "受理时间 = DATE('2024-03-05')": lambda d: d["受理时间"].dt.date == date(2024, 3, 5),
    "批准日期 > '2024-01-01'": lambda d: pd.to_datetime(d["批准日期"]) > "2024-01-01",
    "已核查 = TRUE AND x <> 0": lambda d: d["已核查"] & (d["x"] != 0),
    "-2 < x": lambda d: d["x"] > -2,
    "\"街道\" = '龙城' OR 面积 <= 200.5": lambda d: (d["街道"] == "龙城") | (d["面积"] <= 200.5),
}


@pytest.mark.parametrize("text", list(CASES))
def test_sql_evaluate_and_pandas_agree(data, text):
    gdf, conn = data
    expect = sorted(np.flatnonzero(CASES[text](gdf).to_numpy(dtype=bool)).tolist())
    assert sql_rows(conn, text) == expect
    got = np.flatnonzero(evaluate(parse(text, fields=FIELDS), gdf)).tolist()
    assert got == expect
    assert len(expect) > 0


def test_spatial_terms_split_and_evaluate(data):
    gdf, _ = data
    e = parse("S_INTERSECTS(geom, POLYGON((0 0, 50 0, 50 50, 0 50, 0 0))) AND 街道 = '布吉'", fields=FIELDS)
    attr, spatial = split_spatial(e)
    assert fields_used(attr) == {"街道"} and spatial[0].op == "intersects"
    mask = evaluate(e, gdf)
    expect = shapely.intersects(gdf.geometry.values, shapely.box(0, 0, 50, 50)) & (gdf["街道"] == "布吉")
    assert (mask == expect.to_numpy()).all()
    d = parse("S_DWITHIN(geometry, POINT(50 50), 0.01, km)", fields=FIELDS)
    assert d.distance == 10.0
    with pytest.raises(LztInputError, match="top level"):
        split_spatial(parse("x = 1 OR S_WITHIN(geom, BBOX(0, 0, 1, 1))", fields=FIELDS))


@pytest.mark.parametrize("bad", [
    "名称 = 'a' OR 1=1; DROP TABLE t", "用地性质 = 'a' OR 1=1 --", "x = 1; DELETE FROM t",
    "\"x\"\" ; drop\" = 1", "foo() = 1", "x = ", "x = 'unterminated", "面积 = 'abc'", "已核查 = 'yes'",
    "nosuch = 1", "用地性质 LIKE 5", "面积 LIKE '1%'", "S_INTERSECTS(面积, POINT(0 0))",
    "S_INTERSECTS(geom, POLYGON((0 0, 1)))", "受理时间 > DATE('2024-13-45')", "", "   ",
    "(" * 5000 + "x = 1" + ")" * 5000, "x = 1 AND", "x BETWEEN 1", "x IS 3",
])
def test_malicious_and_malformed_input_is_one_clean_error(bad):
    with pytest.raises(LztInputError) as e:
        parse(bad, fields=FIELDS)
    assert "\n" not in str(e.value) and str(e.value).startswith("--where")


def test_long_or_chain_and_unknown_field_suggestions():
    text = " OR ".join(f"x = {i}" for i in range(1000))
    e = parse(text, fields=FIELDS)
    assert len(e.items) == 1000
    with pytest.raises(LztInputError, match="did you mean 用地性质"):
        parse("用地性 = 'R2'", fields=FIELDS)
    assert parse("X = 1", fields=FIELDS).field == "x"  # case-insensitive fallback


def test_pygeofilter_rejects_what_we_need():
    """Why lzt has its own CQL2 parser: Chinese and one-letter field names."""
    cql2 = pytest.importorskip("pygeofilter.parsers.cql2_text")
    for text in ("名称 = 'a'", "x > 1"):
        with pytest.raises(Exception):
            cql2.parse(text)
        assert parse(text) is not None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["面积", "x", "层数"]), st.sampled_from(["=", "<>", "<", "<=", ">", ">="]),
                          st.integers(-5, 20000)), min_size=1, max_size=4),
       st.lists(st.sampled_from(["AND", "OR"]), min_size=3, max_size=3), st.booleans())
def test_random_expressions_sql_equals_evaluate(data, terms, joins, negate):
    gdf, conn = data
    text = terms[0][0] + f" {terms[0][1]} {terms[0][2]}"
    for (f, op, v), j in zip(terms[1:], joins):
        text += f" {j} {f} {op} {v}"
    if negate:
        text = f"NOT ({text})"
    assert sql_rows(conn, text) == np.flatnonzero(evaluate(parse(text, fields=FIELDS), gdf)).tolist()


@pytest.mark.parametrize("typed, ascii_form", [
    ("类别 = ‘学校’", "类别 = '学校'"),
    ("类别 = “学校”", "类别 = '学校'"),
    ("类别 IN （‘学校’，“医院”）", "类别 IN ('学校', '医院')"),
    ("面积 ＞＝ 1000 AND 层数 ＜ 3", "面积 >= 1000 AND 层数 < 3"),
    ("面积 ≥ 1000 OR 层数 ≠ 3", "面积 >= 1000 OR 层数 <> 3"),
    ("名称 LIKE ‘%花园%’", "名称 LIKE '%花园%'"),
    ("签订 = DATE（‘2024-01-02’）", "签订 = DATE('2024-01-02')"),
])
def test_chinese_quotes_and_full_width_operators_read_as_their_ascii_forms(typed, ascii_form):
    assert parse(typed) == parse(ascii_form)


def test_text_inside_chinese_quotes_is_kept_as_typed():
    assert parse("名称 = ‘龙城，爱联（一期）’").value == "龙城，爱联（一期）"
    assert parse("名称 = “O'Brien”").value == "O'Brien"
    with pytest.raises(LztInputError, match="unexpected character"):
        parse("名称 = ‘未闭合")


def test_quoted_names_and_literals_parse_back():
    from lzt.query.expr import quote_field, quote_literal

    for name in ("category", "用地性质", "order id", "and", "2x", 'a"b'):
        for value in ("学校", "O'Brien", 3, 2.5, True, date(2024, 1, 2)):
            e = parse(f"{quote_field(name)} = {quote_literal(value)}")
            assert (e.field, e.value) == (name, value)
