"""The frame handed to the export child: stored and loaded unchanged; what a stopped write leaves is removed."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, Polygon

from lzt.export.layer_job import load_frame, remove_partial, save_frame, write_saved_frame
from lzt.core.feedback import Feedback


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["甲", None, "丙"], "n": pd.array([1, None, 3], dtype="Int64"), "x": [0.5, np.nan, 2.0],
         "when": pd.to_datetime(["2024-01-01", None, "2024-03-01"]),
         "geometry": [Point(500000, 2500000), None, Polygon([(0, 0), (1, 0), (1, 1)])]},
        index=pd.Index([10, 20, 30], name="fid"), crs="EPSG:4547")


def test_a_frame_round_trips_with_index_dtypes_crs_and_geometry(tmp_path):
    gdf = _frame()
    save_frame(gdf, tmp_path / "f.pickle")
    got = load_frame(tmp_path / "f.pickle")
    assert got.crs == gdf.crs and got.geometry.name == "geometry"
    pd.testing.assert_frame_equal(pd.DataFrame(got.drop(columns="geometry")), pd.DataFrame(gdf.drop(columns="geometry")))
    assert [None if g is None else g.wkt for g in got.geometry] == [None if g is None else g.wkt for g in gdf.geometry]


def test_the_child_job_writes_the_file(tmp_path):
    import pyogrio

    gdf = _frame()
    save_frame(gdf, tmp_path / "f.pickle")
    out = tmp_path / "out.gpkg"
    write_saved_frame(str(tmp_path / "f.pickle"), str(out), None, "t", Feedback())
    back = pyogrio.read_dataframe(out)
    assert list(back["name"].fillna("-")) == ["甲", "-", "丙"] and list(back["n"].fillna(-1)) == [1, -1, 3]


def test_remove_partial_removes_the_temporary_dataset_only(tmp_path):
    out = tmp_path / "a.shp"
    parts = [tmp_path / f".a.lzt-tmp{s}" for s in (".shp", ".dbf", ".shx")]
    for p in parts + [tmp_path / "keep.txt"]:
        p.write_bytes(b"x")
    remove_partial(str(out))
    assert not any(p.exists() for p in parts) and (tmp_path / "keep.txt").exists()


def test_remove_partial_removes_what_gdal_keeps_beside_a_geopackage(tmp_path):
    """The names GDAL gave them when a child writing a GeoPackage was killed (seen with 400,000 points)."""
    out = tmp_path / "out.gpkg"
    left = [tmp_path / n for n in (".out.lzt-tmp.gpkg", ".out.lzt-tmp.gpkg-journal", ".out.lzt-tmp.gpkg-wal",
                                   ".out.lzt-tmp.gpkg.tmp_rtree_t.db")]
    kept = [out, tmp_path / "out.gpkg-journal", tmp_path / ".other.lzt-tmp.gpkg"]
    for p in left + kept:
        p.write_bytes(b"x")
    remove_partial(str(out))
    assert [p.name for p in left if p.exists()] == [] and all(p.exists() for p in kept)


def _write_big(out, fb):
    """The export child's job on a frame big enough to be stopped mid-write."""
    import shapely

    n = 400_000
    gdf = gpd.GeoDataFrame({"a": np.arange(n), "s": ["x" * 20] * n},
                           geometry=shapely.points(np.arange(n) * 1.0, np.arange(n) * 2.0), crs="EPSG:4547")
    frame = out.parent.parent / "frame.pickle"
    save_frame(gdf, frame)
    from lzt.core.child_process import run_in_child

    return run_in_child(write_saved_frame, (str(frame), str(out), None, "t"), fb)


def test_a_cancelled_child_write_leaves_nothing_beside_the_output(tmp_path):
    import threading
    import time

    import pytest

    from lzt.core.errors import CancelledError

    d = tmp_path / "out"
    d.mkdir()
    out = d / "big.gpkg"
    fb = Feedback()

    def cancel_mid_write():
        end = time.monotonic() + 120
        while time.monotonic() < end and not list(d.glob(".big.lzt-tmp.gpkg?*")):  # the journal: writing
            time.sleep(0.005)
        fb.cancel()

    threading.Thread(target=cancel_mid_write, daemon=True).start()
    try:
        _write_big(out, fb)
    except CancelledError:
        remove_partial(str(out))  # as the export dialog does
    else:
        pytest.skip("the write finished before the cancel reached it")
    assert sorted(p.name for p in d.iterdir()) == []
