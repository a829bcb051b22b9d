"""GDAL never opens a workspace this process holds: reads go to a snapshot, writes are refused.

GDAL's own SQLite, closing its handle on a file that Python's sqlite3 also has open, would
drop this process's locks and delete the workspace's -wal/-shm under the live connection; what
the workspace wrote next was lost (the supervision bench's "no such table: lzt_inspections").
"""

from __future__ import annotations

import os

import geopandas as gpd
import pytest
import shapely

from layers.registry import read_vector
from lzt.core import sqlite_files
from lzt.core.errors import LztInputError
from lzt.export.data import export_features
from lzt.workspace.gpkg.workspace import GeoPackageWorkspace


def _points(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [f"p{i}" for i in range(n)]},
                            geometry=shapely.points([500_000 + i for i in range(n)], [2_500_000] * n),
                            crs="EPSG:4547")


def test_reading_an_open_workspace_with_gdal_loses_nothing(tmp_path):
    path = tmp_path / "ws.gpkg"
    ws = GeoPackageWorkspace.create(path)
    ws.write_layer("a", _points(3))
    assert sqlite_files.is_held(path)
    wal = f"{path}-wal"
    assert os.path.exists(wal)

    loaded = read_vector(path)  # GDAL reads the file the workspace holds open

    assert {ll.name for ll in loaded} >= {"a"}
    a = next(ll for ll in loaded if ll.name == "a")
    assert list(a.gdf["name"]) == ["p0", "p1", "p2"]
    assert os.path.exists(wal), "the workspace's write-ahead log was deleted under it"
    ws.write_layer("b", _points(2))  # written after GDAL's read
    ws.set_setting("after", 1)
    ws.close()
    assert not sqlite_files.is_held(path)

    again = GeoPackageWorkspace.open(path)
    try:
        assert again.has_layer("a") and again.has_layer("b") and again.get_setting("after") == 1
        assert len(again.read_layer("b")) == 2
    finally:
        again.close()


def test_export_over_the_open_workspace_is_refused_and_changes_nothing(tmp_path):
    path = tmp_path / "ws.gpkg"
    ws = GeoPackageWorkspace.create(path)
    try:
        ws.write_layer("a", _points(3))
        before = path.stat().st_ino
        with pytest.raises(LztInputError, match="open workspace"):
            export_features(ws.read_layer("a"), path)
        assert path.stat().st_ino == before and len(ws.read_layer("a")) == 3
    finally:
        ws.close()
    export_features(_points(1), tmp_path / "other.gpkg")  # a file nobody holds is written


def test_holds_are_counted_per_file(tmp_path):
    path = tmp_path / "x.gpkg"
    path.write_bytes(b"")
    t1, t2 = sqlite_files.hold(path), sqlite_files.hold(path)
    sqlite_files.release(t1)
    assert sqlite_files.is_held(path)
    sqlite_files.release(t2)
    assert not sqlite_files.is_held(path)
    with sqlite_files.readable_by_gdal(path) as p:
        assert p == path  # not held: the file itself, no copy


def test_a_workspace_collected_unclosed_holds_its_file_no_longer(tmp_path):
    """A workspace dropped without close (its connection closes with it) releases its hold; left
    behind, the hold named a later file that got the freed inode "an open workspace" and refused
    an export over it (seen in CI once tmp folders were removed after each test). A closed one is
    released once: another workspace open on the same file still holds it."""
    import gc

    path = tmp_path / "ws.gpkg"
    GeoPackageWorkspace.create(path, "EPSG:4547").close()
    key = sqlite_files._key(path)
    ws = GeoPackageWorkspace.open(path)
    assert sqlite_files.is_held(path)
    del ws
    gc.collect()
    assert not sqlite_files.is_held(path) and sqlite_files._held.get(key, 0) == 0
    first, second = GeoPackageWorkspace.open(path), GeoPackageWorkspace.open(path)
    first.close()
    del first
    gc.collect()
    assert sqlite_files.is_held(path)  # the second is open
    second.close()
    assert not sqlite_files.is_held(path)
