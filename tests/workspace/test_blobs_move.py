"""Keyed blobs moved from one kind to another and deleted by kind, on both backends: what an import
staged becomes the stored blobs in one transaction, or is removed."""

from __future__ import annotations

import pytest

from lzt.workspace import create_workspace


@pytest.fixture(params=["gpkg", "postgis"])
def any_ws(request, tmp_path):
    uri = str(tmp_path / "ws.gpkg") if request.param == "gpkg" else request.getfixturevalue("pg_url")
    ws = create_workspace(uri)
    yield ws
    ws.close()


def _kinds(ws) -> dict:
    return {(kind, key): data for kind, key, data in ws.blob_items()}


def test_move_replaces_same_keys_and_keeps_the_others(any_ws):
    ws = any_ws
    ws.put_blobs("mesh", {"a": b"old a", "c": b"old c"})
    ws.put_blobs("mesh:staged", {"a": b"new a", "b": b"new b"})
    ws.put_blobs("other", {"a": b"other a"})
    assert ws.move_blobs("mesh:staged", "mesh") == 2
    assert _kinds(ws) == {("mesh", "a"): b"new a", ("mesh", "b"): b"new b", ("mesh", "c"): b"old c",
                          ("other", "a"): b"other a"}
    assert ws.move_blobs("mesh:staged", "mesh") == 0  # nothing left to move


def test_delete_by_kind(any_ws):
    ws = any_ws
    assert ws.delete_blobs("mesh:staged") == 0  # none yet (GeoPackage: no table yet)
    ws.put_blobs("mesh", {"a": b"a"})
    ws.put_blobs("mesh:staged", {"a": b"x", "b": b"y"})
    assert ws.delete_blobs("mesh:staged") == 2
    assert _kinds(ws) == {("mesh", "a"): b"a"}


def test_a_move_in_a_failed_transaction_leaves_both_kinds(any_ws):
    ws = any_ws
    ws.put_blobs("mesh", {"a": b"old"})
    ws.put_blobs("mesh:staged", {"a": b"new"})
    with pytest.raises(RuntimeError):
        with ws.transaction():
            ws.move_blobs("mesh:staged", "mesh")
            raise RuntimeError("the layer write failed")
    assert _kinds(ws) == {("mesh", "a"): b"old", ("mesh:staged", "a"): b"new"}
