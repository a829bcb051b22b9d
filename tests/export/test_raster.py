"""Raster layers leave the workspace as GeoTIFF in the workspace CRS, whatever CRS they came in;
a copy on the raster's own grid is lossless, a reprojected one says how it was resampled."""

import numpy as np
import pytest
import rasterio
from rasterio.transform import Affine
from rasterio.warp import Resampling, reproject

from lzt.core.errors import LztInputError
from lzt.export.raster import export_raster
from tests.dems import GRIDS, NODATA, dem_workspace


def _rasterio_warp(src_path, dst_path):
    """rasterio's own bilinear warp of the source file onto the exported file's grid."""
    with rasterio.open(dst_path) as dst, rasterio.open(src_path) as src:
        out = np.full(dst.shape, np.nan, np.float32)
        reproject(src.read(1), out, src_transform=src.transform, src_crs=src.crs, src_nodata=src.nodata,
                  dst_transform=dst.transform, dst_crs=dst.crs, dst_nodata=np.nan, resampling=Resampling.bilinear)
        got = dst.read(1, masked=True).astype(np.float32).filled(np.nan)
    return got, out


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:32650"])
def test_export_is_in_the_workspace_crs_and_matches_rasterio(tmp_path, crs):
    ws = dem_workspace(tmp_path, crs, "hill")
    try:
        r = export_raster(ws, "srtm", tmp_path / "out.tif")
    finally:
        ws.close()
    assert r.crs == "EPSG:4547" and r.source_crs == crs and r.resampling == "bilinear"
    with rasterio.open(r.path) as ds:
        assert ds.crs.to_epsg() == 4547 and ds.transform.a == pytest.approx(-ds.transform.e)
        assert ds.tags()["LZT_RESAMPLING"] == "bilinear" and ds.tags()["LZT_SOURCE_CRS"] == crs
        assert ds.nodata == NODATA
    got, ref = _rasterio_warp(tmp_path / "srtm.tif", r.path)
    both = ~np.isnan(got) & ~np.isnan(ref)
    assert (np.isnan(got) != np.isnan(ref)).mean() < 0.01  # the same footprint, up to its edge
    assert np.abs(got - ref)[both].max() < 0.5  # heights 20..520 m


def test_export_on_its_own_grid_is_lossless(tmp_path):
    ws = dem_workspace(tmp_path, "EPSG:4547", "hill")
    try:
        r = export_raster(ws, "srtm", tmp_path / "same.tif")
        back = export_raster(ws, "srtm", tmp_path / "back.tif", crs="EPSG:4547",
                             bbox=(520_000, 2_510_000, 521_000, 2_511_000))
    finally:
        ws.close()
    assert r.resampling == "none"
    with rasterio.open(r.path) as a, rasterio.open(tmp_path / "srtm.tif") as b:
        assert a.transform == b.transform and a.crs == b.crs
        full = b.read(1)
        np.testing.assert_array_equal(a.read(1), full)
    with rasterio.open(back.path) as c:
        assert (c.width, c.height) == (34, 34)  # the 30 m cells the 1 km box touches
        x0, y0 = GRIDS["EPSG:4547"][:2]
        col, row = round((c.transform.c - x0) / 30), round((y0 - c.transform.f) / 30)
        assert (col, row) == (66, 233)
        np.testing.assert_array_equal(c.read(1), full[row:row + 34, col:col + 34])


def test_export_back_to_the_source_crs_gives_the_source_pixels(tmp_path):
    ws = dem_workspace(tmp_path, "EPSG:4326", "hill")
    try:
        r = export_raster(ws, "srtm", tmp_path / "ll.tif", crs="EPSG:4326")
    finally:
        ws.close()
    assert r.resampling == "none"
    with rasterio.open(r.path) as a, rasterio.open(tmp_path / "srtm.tif") as b:
        assert a.transform.almost_equals(b.transform) and a.crs == b.crs
        np.testing.assert_array_equal(a.read(1), b.read(1))


def test_bad_output_and_bbox_leave_no_file(tmp_path):
    ws = dem_workspace(tmp_path, "EPSG:4326", "plane")
    try:
        with pytest.raises(LztInputError, match="GeoTIFF"):
            export_raster(ws, "srtm", tmp_path / "x.gpkg")
        with pytest.raises(LztInputError, match="does not meet"):
            export_raster(ws, "srtm", tmp_path / "x.tif", bbox=(0, 0, 10, 10))
        with pytest.raises(LztInputError, match="does not exist"):
            export_raster(ws, "srtm", tmp_path / "nowhere" / "x.tif")
    finally:
        ws.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["srtm.tif", "ws_srtm.gpkg"]


def test_categorical_raster_is_exported_by_nearest_neighbour(tmp_path):
    from lzt.ingest import import_paths
    from lzt.workspace import create_workspace

    src = tmp_path / "landuse.tif"
    classes = np.random.default_rng(5).choice(np.array([11, 21, 31, 41], np.uint8), (90, 120))
    with rasterio.open(src, "w", driver="GTiff", width=120, height=90, count=1, dtype="uint8", nodata=0,
                       crs="EPSG:4326", transform=Affine(1 / 3600, 0, 114.2, 0, -1 / 3600, 22.7)) as ds:
        ds.write(classes, 1)
    ws = create_workspace(tmp_path / "ws.gpkg")
    try:
        import_paths(ws, [src])
        r = export_raster(ws, "landuse", tmp_path / "lu.tif")
    finally:
        ws.close()
    assert r.resampling == "nearest"
    with rasterio.open(r.path) as ds:
        assert set(np.unique(ds.read(1, masked=True).compressed())) <= {11, 21, 31, 41}  # no invented classes
