"""The packed caches: a workspace that cannot keep or give a cache means "no cache" (the caller
computes again); any other error is a bug and reaches the caller instead of hiding as a miss."""

from __future__ import annotations

import numpy as np
import pytest

from lzt.workspace.packed import load_packed, store_many, store_packed

pytestmark = pytest.mark.gpkg_only


def test_a_read_only_workspace_keeps_no_cache_and_says_so_quietly(ws):
    assert store_packed(ws, "t", "k", "s", {"a": np.arange(3)})
    ws._conn.execute("PRAGMA query_only = 1")  # as a read-only file: every write refused by SQLite
    try:
        assert store_packed(ws, "t", "k2", "s", {"a": np.arange(3)}) is False
        assert store_many(ws, "t", {"k3": ("s", {"a": np.arange(2)})}) is False
        assert np.array_equal(load_packed(ws, "t", "k", "s")["a"], np.arange(3))
        assert load_packed(ws, "t", "k2", "s") is None
    finally:
        ws._conn.execute("PRAGMA query_only = 0")


def test_a_workspace_without_the_blob_table_gives_no_cache(ws):
    assert load_packed(ws, "never", "stored", "s") is None


def test_arrays_that_cannot_be_packed_raise_instead_of_passing_for_a_busy_workspace(ws):
    with pytest.raises(TypeError, match="Python objects"):
        store_packed(ws, "t", "k", "s", {"names": np.array(["a", None], dtype=object)})
    with pytest.raises(TypeError, match="Python objects"):
        store_many(ws, "t", {"k": ("s", {"names": np.array([1, "b"], dtype=object)})})


def test_a_closed_workspace_is_an_error_not_a_cache_miss(tmp_path):
    from lzt.workspace import create_workspace

    w = create_workspace(tmp_path / "c.gpkg")
    assert store_packed(w, "t", "k", "s", {"a": np.arange(3)})
    w.close()
    with pytest.raises(Exception):  # noqa: B017 - whatever the closed connection raises
        load_packed(w, "t", "k", "s")
    with pytest.raises(Exception):  # noqa: B017 - whatever the closed connection raises
        store_packed(w, "t", "k", "s", {"a": np.arange(3)})
