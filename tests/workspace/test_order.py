"""Ids and sort ranks from the workspace (lzt.workspace.order) against Python's own sort."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from lzt.core.filters import Compare
from lzt.workspace.order import feature_ids, ordered, sort_ranks

CATS = ["噪声", "交通", None, "Zebra", "apple", "噪声", "", "城管", None, "交通", "b", "噪声"]
NUMS = [3.5, None, -1.0, 2.0, 3.5, 0.0, 10.0, None, -1.0, 7.25, 2.0, 1e9]


class _Generic:
    """The workspace without its SQL readers: the general path other backends take."""

    def __init__(self, ws):
        self._ws = ws

    def read_features(self, *a, **kw):
        return self._ws.read_features(*a, **kw)


def _expected(fids, values, ascending):
    """Python's stable sort of ``fids`` by value, missing values last."""
    by = dict(zip(fids_all := list(range(1, len(values) + 1)), values))
    assert set(fids) <= set(fids_all)
    present = [f for f in fids if by[f] is not None]
    missing = [f for f in fids if by[f] is None]
    return sorted(present, key=lambda f: by[f], reverse=not ascending) + missing


@pytest.fixture
def layer(ws):
    n = len(CATS)
    gdf = gpd.GeoDataFrame({"cat": CATS, "num": NUMS},
                           geometry=shapely.points(range(510_000, 510_000 + n), [2_510_000] * n), crs=ws.crs)
    ws.write_layer("c", gdf)
    assert list(feature_ids(ws, "c")) == list(range(1, n + 1))  # the writer numbers rows from 1
    return ws


@pytest.mark.gpkg_only
@pytest.mark.parametrize("generic", [False, True])
@pytest.mark.parametrize("column,values", [("cat", CATS), ("num", NUMS)])
@pytest.mark.parametrize("ascending", [True, False])
def test_sorted_like_python(layer, generic, column, values, ascending):
    ws = _Generic(layer) if generic else layer
    ranked, ranks = sort_ranks(ws, "c", column)
    assert list(ranked) == list(range(1, len(values) + 1))
    assert [r == 0 for r in ranks] == [v is None for v in values]
    everyone = np.arange(1, len(values) + 1, dtype=np.int64)
    assert list(ordered(everyone, ranked, ranks, ascending=ascending)) == _expected(everyone, values, ascending)
    # a subset in another order: ties keep that order (a sort on top of a sort)
    subset = np.array([12, 1, 6, 3, 9, 2, 10, 8], dtype=np.int64)
    got = ordered(subset, ranked, ranks, ascending=ascending)
    assert list(got) == _expected(list(subset), values, ascending)


@pytest.mark.gpkg_only
@pytest.mark.parametrize("generic", [False, True])
def test_feature_ids_with_a_predicate(layer, generic):
    ws = _Generic(layer) if generic else layer
    got = feature_ids(ws, "c", where=Compare("num", ">", 2.0))
    assert list(got) == [i + 1 for i, v in enumerate(NUMS) if v is not None and v > 2.0]


def test_a_feature_unknown_to_the_ranks_goes_last():
    got = ordered(np.array([5, 1, 2]), np.array([1, 2]), np.array([2, 1]), ascending=True)
    assert list(got) == [2, 1, 5]


@pytest.mark.gpkg_only
def test_uncommitted_rows_of_a_transaction_are_read(layer):
    ws = layer
    gdf = gpd.GeoDataFrame({"cat": ["b", "a", None]},
                           geometry=shapely.points([510_000] * 3, [2_510_000] * 3), crs=ws.crs)
    with ws.transaction():
        ws.write_layer("d", gdf)  # not committed yet: only this connection sees it
        assert list(feature_ids(ws, "d")) == [1, 2, 3]
        ranked, ranks = sort_ranks(ws, "d", "cat")
        assert list(ordered(ranked, ranked, ranks, ascending=True)) == [2, 1, 3]


@pytest.mark.gpkg_only
def test_ids_of_a_layer_with_gaps_and_of_an_empty_one(layer):
    """All ids: a range when the rows are numbered without gaps, else the ids themselves."""
    ws = layer
    with ws._write() as conn:
        conn.execute("DELETE FROM c WHERE fid IN (1, 5, 12)")
    expected = sorted(ws.read_features("c", columns=[], geometry=False).index)
    assert list(feature_ids(ws, "c")) == expected == [2, 3, 4, 6, 7, 8, 9, 10, 11]
    with ws._write() as conn:
        conn.execute("DELETE FROM c WHERE fid NOT IN (6, 7, 8)")
    assert list(feature_ids(ws, "c")) == [6, 7, 8]  # no gap, not from 1
    with ws._write() as conn:
        conn.execute("DELETE FROM c")
    got = feature_ids(ws, "c")
    assert got.dtype == np.int64 and len(got) == 0
