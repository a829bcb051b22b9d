"""Coded complaint fields (问数's counts) against pandas on the raw table and the database's GROUP BY."""

from __future__ import annotations

import sqlite3
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from lzt.analysis import coded_columns as cc
from lzt.core.filters import And, Compare, In, Not

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

ODD_TIMES = ["2025-03-01", "2025-03-01 08:00:00", "2025-02-28T23:59:59.999", "2025-03-01T00:00:00.000",
             "2025-04-01T00:00:00.000", None]


@pytest.fixture
def layer(ws, tmp_path):
    rng = np.random.default_rng(5)
    n = 3000
    pts = gpd.GeoDataFrame({
        "received_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 200 * 86400, n), "s"),
        "street": rng.choice(["布吉", "坂田", "龙城", None], n),
        "cat_l1": rng.choice(["噪声扰民", "市容环境", "交通出行"], n),
        "status": rng.choice(["已办结", "办理中", "已退回", None], n),
        "channel": rng.choice(["电话", "网站"], n),
    }, geometry=shapely.points(rng.uniform(510_000, 520_000, n), rng.uniform(2_500_000, 2_510_000, n)),
        crs="EPSG:4547")
    ws.write_layer("complaints", pts, kind="complaints")
    # texts SQLite compares as text: a bare date sorts before its midnight, a space before the T
    for i, t in enumerate(ODD_TIMES):
        _edit(ws, "UPDATE complaints SET received_at = ? WHERE fid = ?", (t, i + 1))
    return ws


def _edit(ws, sql, params=()):
    """An edit as GDAL or QGIS makes it (the row, and the layer's last_change)."""
    with ws._write() as con:
        con.execute(sql, params)
        con.execute("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') || ? "
                    "WHERE table_name = 'complaints'", (str(params),))


def _raw(ws) -> pd.DataFrame:
    con = sqlite3.connect(ws.uri)
    df = pd.read_sql("SELECT received_at, street, cat_l1, status, channel FROM complaints", con)
    con.close()
    return df


def _pandas_counts(df, by, filters, window, month=False):
    keep = pd.Series(True, index=df.index)
    for f, op, v in filters:
        col = df[f]
        if op == "=":
            keep &= col == v
        elif op == "in":
            keep &= col.isin(v)
        else:
            keep &= col.notna() & ~col.isin(v)
    t = df["received_at"]
    if window[0] is not None:
        keep &= t.notna() & (t.fillna("") >= window[0].isoformat() + "T00:00:00.000")
    if window[1] is not None:
        nxt = (pd.Timestamp(window[1]) + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
        keep &= t.notna() & (t.fillna("") < nxt + "T00:00:00.000")
    col = df.loc[keep, by]
    if month:
        col = col.str[:7]
    out = col.value_counts(dropna=False)
    return {(None if pd.isna(k) else k): int(v) for k, v in out.items()}


def _tree(filters, window):
    terms = []
    for f, op, v in filters:
        terms.append(Compare(f, "=", v) if op == "=" else In(f, tuple(v)) if op == "in" else Not(In(f, tuple(v))))
    if window[0] is not None:
        terms.append(Compare("received_at", ">=", window[0].isoformat() + "T00:00:00.000"))
    if window[1] is not None:
        nxt = (pd.Timestamp(window[1]) + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
        terms.append(Compare("received_at", "<", nxt + "T00:00:00.000"))
    return None if not terms else terms[0] if len(terms) == 1 else And(tuple(terms))


CASES = [
    ("street", [], (None, None), False),
    ("street", [("cat_l1", "=", "噪声扰民")], (date(2025, 3, 1), date(2025, 3, 31)), False),
    ("status", [("street", "in", ("布吉", "龙城"))], (date(2025, 2, 28), None), False),
    ("street", [("status", "not in", ("已办结", "已退回"))], (None, date(2025, 2, 28)), False),
    ("cat_l1", [("channel", "=", "电话"), ("street", "=", "坂田")], (date(2025, 1, 1), date(2025, 1, 1)), False),
    ("received_at", [("street", "=", "布吉")], (None, None), True),
    ("received_at", [], (date(2025, 3, 1), date(2025, 5, 31)), True),
    ("street", [("status", "=", "没有这个状态")], (None, None), False),
]


@pytest.mark.parametrize("by,filters,window,month", CASES)
def test_counts_match_pandas_and_the_group_by(layer, by, filters, window, month):
    cc.forget()
    c = cc.coded(layer, "complaints")
    assert c is not None and c.n == 3000
    got = cc.count_by(c, by, filters, window, month=month)
    assert got == _pandas_counts(_raw(layer), by, filters, window, month)
    assert got == layer.count_values("complaints", by, where=_tree(filters, window), prefix=7 if month else None)


def test_kept_in_the_workspace_and_recounted_when_the_layer_changes(layer):
    cc.forget()
    first = cc.coded(layer, "complaints")
    cc.forget()  # a new process: read back from the workspace, same codes
    again = cc.coded(layer, "complaints")
    assert again.values == first.values and np.array_equal(again.codes["street"], first.codes["street"])
    assert np.array_equal(again.day, first.day) and np.array_equal(again.late, first.late)
    _edit(layer, "UPDATE complaints SET street = '新街道' WHERE fid = 100")
    got = cc.count_by(cc.coded(layer, "complaints"), "street", [], (None, None))
    assert got == _pandas_counts(_raw(layer), "street", [], (None, None)) and got["新街道"] == 1


def test_what_it_cannot_count_exactly_is_left_to_the_database(layer):
    cc.forget()
    c = cc.coded(layer, "complaints")
    assert cc.count_by(c, "street", [("street", ">", "a")], (None, None)) is None
    assert cc.count_by(c, "street", [("order_id", "=", "x")], (None, None)) is None
    _edit(layer, "UPDATE complaints SET received_at = '昨天' WHERE fid = 7")
    assert cc.coded(layer, "complaints") is None
