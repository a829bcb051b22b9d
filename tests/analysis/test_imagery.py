"""Imagery chosen by date: acquisitions, coverage, a parcel's before/after pair."""

from __future__ import annotations

import numpy as np
import rasterio
import shapely
from rasterio.transform import from_origin

from lzt.analysis.imagery import acquisitions, before_after, covering
from lzt.ingest import ImportOptions, import_paths

X0, Y1 = 510_000.0, 2_505_000.0


def _tif(path, colour, size=200, px=1.0, x0=X0):
    arr = np.empty((3, size, size), np.uint8)
    arr[:] = np.asarray(colour, np.uint8)[:, None, None]
    with rasterio.open(path, "w", driver="GTiff", width=size, height=size, count=3, dtype="uint8",
                       crs="EPSG:4547", transform=from_origin(x0, Y1, px, px)) as ds:
        ds.write(arr)
    return path


def test_pairs_follow_the_start_of_work_and_the_coverage(ws, tmp_path):
    for name, day, colour in (("img_2020", "2020-05-01", (10, 10, 10)), ("img_2022", "2022-10-01", (200, 0, 0)),
                              ("img_2026", "2026-10-01", (0, 0, 200))):
        import_paths(ws, [_tif(tmp_path / f"{name}.tif", colour)], ImportOptions(layer=name, acquired=day))
    # a newer acquisition elsewhere and an undated raster: never chosen for this parcel
    import_paths(ws, [_tif(tmp_path / "far.tif", (0, 200, 0), x0=X0 + 5000)], ImportOptions(layer="far", acquired="2027-01-01"))
    import_paths(ws, [_tif(tmp_path / "undated.tif", (9, 9, 9))], ImportOptions(layer="undated"))
    assert [a.layer for a in acquisitions(ws)] == ["img_2020", "img_2022", "img_2026", "far"]
    parcel = shapely.box(X0 + 50, Y1 - 150, X0 + 120, Y1 - 60)
    assert [a.layer for a in covering(ws, parcel.bounds)] == ["img_2020", "img_2022", "img_2026"]
    before, after = before_after(ws, parcel, "2024-03-01")
    assert (before.layer, before.acquired, after.layer) == ("img_2022", "2022-10-01", "img_2026")
    before, after = before_after(ws, parcel, None)  # not started: the oldest against the newest
    assert (before.layer, after.layer) == ("img_2020", "img_2026")
    before, _ = before_after(ws, parcel, "2019-01-01")  # started before any acquisition
    assert before.layer == "img_2020"
    # a parcel reaching out of the imagery has no pair
    assert before_after(ws, shapely.box(X0 + 150, Y1 - 150, X0 + 260, Y1 - 60), None) is None
    assert before_after(ws, None) is None
