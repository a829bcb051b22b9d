"""layers.raster: inspection, embeddable GeoTIFFs, reprojected windows, hillshade."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import rasterio
from pyproj import Transformer
from rasterio.io import MemoryFile
from rasterio.transform import Affine

from layers.raster import (RasterInfo, hillshade, inspect_raster, north_up_grid, pixel_size_in,
                           prepare_for_storage, read_window, sample_points)
from lzt.core.errors import LztInputError
from tests.dems import GRIDS, height_at
from tests.dems import write_dem as write_crs_dem

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
# name -> True when the file has no CRS (error without src_crs, fine with EPSG:4547)
RASTERS = {"RGB.byte.tif": False, "byte.tif": False, "cogeo.tif": False, "float_nan.tif": True,
           "rotated.tif": True, "test_esri_wkt.tif": False}


def real(*parts: str) -> Path:
    p = REAL.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"real test data not found: {p}")
    return p


def stored(data: bytes):
    """Open GeoTIFF bytes directly with rasterio (independent of read_window)."""
    mem = MemoryFile(data)
    return mem, mem.open()


def write_dem(path: Path, n_x: int, n_y: int, *, seed: int = 0, nodata: float = -9999.0,
              px: float = 2.0) -> np.ndarray:
    """A float32 DEM over Longgang (EPSG:4547) with noise and a nodata corner."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:n_y, 0:n_x].astype(np.float32)
    dem = 60 + 40 * np.sin(x / 300) * np.cos(y / 250) + rng.normal(0, 3, (n_y, n_x))
    dem = dem.astype(np.float32)
    dem[: n_y // 10, : n_x // 10] = nodata
    with rasterio.open(path, "w", driver="GTiff", width=n_x, height=n_y, count=1, dtype="float32",
                       crs="EPSG:4547", transform=Affine(px, 0, 515_000, 0, -px, 2_515_000),
                       nodata=nodata) as ds:
        ds.write(dem, 1)
    return dem


def test_every_real_raster_is_covered():
    d = real("raster")
    assert sorted(p.name for p in d.glob("*.tif")) == sorted(RASTERS)


@pytest.mark.parametrize("name", sorted(RASTERS))
def test_real_raster_prepares_and_reads_back(name):
    path = real("raster", name)
    src_crs = None
    if RASTERS[name]:
        for call in (inspect_raster, prepare_for_storage):
            with pytest.raises(LztInputError, match="has no CRS") as e:
                call(path)
            assert name in str(e.value) and "\n" not in str(e.value)
        src_crs = "EPSG:4547"
    info = inspect_raster(path, src_crs=src_crs)
    data, sinfo = prepare_for_storage(path, src_crs=src_crs)
    with rasterio.open(path) as src:
        expect = src.read()
        assert (info.width, info.height, info.count) == (src.width, src.height, src.count)
        assert info.transform == pytest.approx(tuple(src.transform)[:6])
        if not info.rotated and src.transform.e < 0:
            assert info.bounds == pytest.approx(tuple(src.bounds))
        crs = src_crs or src.crs
    mem, ds = stored(data)
    with mem, ds:
        assert ds.profile["tiled"] and ds.block_shapes[0] == (256, 256) or max(ds.shape) <= 256
        assert ds.compression.name == "deflate"
        assert rasterio.crs.CRS.from_user_input(sinfo.crs) == rasterio.crs.CRS.from_user_input(crs)
        assert ds.crs == rasterio.crs.CRS.from_user_input(crs)
        assert tuple(ds.transform)[:6] == pytest.approx(info.transform)
        got = ds.read()
    np.testing.assert_array_equal(got, expect)  # lossless (NaN == NaN here)
    for f in ("width", "height", "count", "dtypes", "bounds", "transform", "rotated", "res"):
        assert getattr(sinfo, f) == getattr(info, f), f


def test_esri_wkt_crs_is_kept_as_wkt():
    info = inspect_raster(real("raster", "test_esri_wkt.tif"))
    assert info.crs.startswith("PROJCS[") and "Albers" in info.crs
    assert inspect_raster(real("raster", "byte.tif")).crs == "EPSG:26711"


def test_corrupt_tif_header_opens_but_pixels_fail():
    path = real("malformed", "corrupt.tif")
    with rasterio.open(path) as ds:  # the trap: metadata (and even overviews) look fine
        assert ds.shape == (1024, 1024)
    for call in (inspect_raster, prepare_for_storage):
        with pytest.raises(LztInputError, match="pixels cannot be read|cannot read raster") as e:
            call(path)
        assert "corrupt.tif" in str(e.value) and "\n" not in str(e.value)


def test_non_raster_missing_file_and_bad_crs(tmp_path):
    with pytest.raises(LztInputError, match="not recognized|cannot read"):
        inspect_raster(real("SOURCES.md"))
    with pytest.raises(LztInputError, match="No such file|cannot read"):
        inspect_raster(tmp_path / "missing.tif")
    with pytest.raises(LztInputError, match="invalid CRS"):
        inspect_raster(real("raster", "rotated.tif"), src_crs="EPSG:999999")


def test_rotated_bounds_from_four_corners_and_read():
    path = real("raster", "rotated.tif")
    info = inspect_raster(path, src_crs="EPSG:4547")
    a, b, c, d, e, f = info.transform
    xs = [a * col + b * row + c for col in (0, 10) for row in (0, 15)]
    ys = [d * col + e * row + f for col in (0, 10) for row in (0, 15)]
    assert info.rotated
    assert info.bounds == pytest.approx((min(xs), min(ys), max(xs), max(ys)))
    assert info.bounds == pytest.approx((100, 70.096, 348.205, 300), abs=1e-3)
    data, _ = prepare_for_storage(path, src_crs="EPSG:4547")
    with rasterio.open(path) as src:
        px = src.read(1)
    for col, row in [(3, 4), (9, 14), (0, 0), (5, 10)]:
        x, y = a * (col + 0.5) + b * (row + 0.5) + c, d * (col + 0.5) + e * (row + 0.5) + f
        win = read_window(data, "EPSG:4547", (x - 0.5, y - 0.5, x + 0.5, y + 0.5), 1, 1,
                          resampling="nearest")
        assert win.shape == (1, 1, 1) and int(win[0, 0, 0]) == px[row, col]
    # outside the sheared parallelogram but inside its bounding box: masked
    out = read_window(data, "EPSG:4547", (100, 280, 101, 281), 1, 1, resampling="nearest")
    assert out.mask.all()


def test_south_up_float_nan_reads_north_up():
    path = real("raster", "float_nan.tif")
    data, info = prepare_for_storage(path, src_crs="EPSG:4547")
    assert info.bounds == pytest.approx((0, 0, 300, 200)) and not info.rotated
    with rasterio.open(path) as src:
        px = src.read(1)
    win = read_window(data, "EPSG:4547", info.bounds, 3, 2, resampling="nearest")
    expect = np.flipud(px)  # row 0 of the file is the southern row
    np.testing.assert_array_equal(win.mask[0], np.isnan(expect))
    np.testing.assert_array_equal(win.data[0][~np.isnan(expect)], expect[~np.isnan(expect)])


def test_rgb_reprojected_pixels_land_where_pyproj_says():
    path = real("raster", "RGB.byte.tif")
    data, info = prepare_for_storage(path)
    assert info.overviews == (2, 4)
    with rasterio.open(path) as src:
        px, t = src.read(), src.transform
    to_4547 = Transformer.from_crs("EPSG:32618", "EPSG:4547", always_xy=True)
    checked = 0
    for col, row in [(400, 300), (200, 500), (600, 150), (350, 650), (123, 456)]:
        if not px[:, row, col].all():
            continue
        x, y = to_4547.transform(t.c + (col + 0.5) * t.a, t.f + (row + 0.5) * t.e)
        h = 1.0  # 2 m window around the point: far inside the 300 m source pixel
        win = read_window(data, "EPSG:4547", (x - h, y - h, x + h, y + h), 3, 3,
                          resampling="nearest")
        assert not win.mask[:, 1, 1].any()
        np.testing.assert_array_equal(win.data[:, 1, 1], px[:, row, col])
        checked += 1
    assert checked >= 3
    # a whole-extent view: nodata (0) and out-of-raster pixels are masked, bands subset works
    from rasterio.warp import transform_bounds
    b = transform_bounds("EPSG:32618", "EPSG:4547", *info.bounds)
    view = read_window(data, "EPSG:4547", b, 400, 300, bands=[3, 1])
    assert view.shape == (2, 300, 400) and view.dtype == np.uint8
    assert 0.2 < view.mask.mean() < 0.8 and (view.compressed() > 0).all()


def test_too_large_to_embed():
    with pytest.raises(LztInputError, match="too large to embed"):
        prepare_for_storage(real("raster", "RGB.byte.tif"), max_bytes=100_000)


def test_generated_dem_round_trips_exactly(tmp_path):
    path = tmp_path / "dem.tif"
    dem = write_dem(path, 1100, 900)
    data, info = prepare_for_storage(path)
    assert info.nodata == -9999 and info.crs == "EPSG:4547" and info.overviews == (2, 4, 8)
    mem, ds = stored(data)
    with mem, ds:
        np.testing.assert_array_equal(ds.read(1), dem)
        assert ds.tags(ns="rio_overview") == {"resampling": "average"}
        assert ds.tags(ns="IMAGE_STRUCTURE")["PREDICTOR"] == "3"  # floating-point predictor
    win = read_window(data, "EPSG:4547", info.bounds, info.width, info.height, resampling="nearest")
    assert win.shape == (1, 900, 1100)
    np.testing.assert_array_equal(win.mask[0], dem == -9999)
    np.testing.assert_array_equal(win.filled(-9999)[0], dem)
    js = info.to_json()
    assert RasterInfo.from_json(json.loads(json.dumps(js, allow_nan=False))) == info


def test_coarse_read_uses_overview_block_average(tmp_path):
    path = tmp_path / "dem.tif"
    dem = write_dem(path, 1024, 1024, seed=3)
    data, info = prepare_for_storage(path)
    # 64 x 64 output pixels of 8 x 8 source pixels each, aligned to the grid, away from nodata
    x0, y1 = 515_000 + 256 * 2.0, 2_515_000 - 256 * 2.0
    bounds = (x0, y1 - 512 * 2.0, x0 + 512 * 2.0, y1)
    win = read_window(data, "EPSG:4547", bounds, 64, 64)
    blocks = dem[256:768, 256:768].astype(np.float64).reshape(64, 8, 64, 8).mean(axis=(1, 3))
    assert not win.mask.any()
    np.testing.assert_allclose(win.data[0], blocks, rtol=1e-4)
    # the noise makes a single full-resolution sample differ clearly from the block average
    centre = dem[256 + 4:768:8, 256 + 4:768:8]
    assert np.abs(centre - blocks).mean() > 1.0


def test_bytes_cache_is_per_object(tmp_path):
    write_dem(tmp_path / "a.tif", 300, 300, seed=1)
    write_dem(tmp_path / "b.tif", 300, 300, seed=2)
    a, info = prepare_for_storage(tmp_path / "a.tif")
    b, _ = prepare_for_storage(tmp_path / "b.tif")
    ra = read_window(a, "EPSG:4547", info.bounds, 300, 300, resampling="nearest")
    rb = read_window(b, "EPSG:4547", info.bounds, 300, 300, resampling="nearest")
    assert not np.array_equal(ra, rb)
    np.testing.assert_array_equal(read_window(a, "EPSG:4547", info.bounds, 300, 300,
                                              resampling="nearest"), ra)


def test_categorical_overviews_use_nearest(tmp_path):
    path = tmp_path / "landuse.tif"
    classes = np.random.default_rng(5).choice(np.array([11, 21, 31, 41], np.uint8), (600, 700))
    with rasterio.open(path, "w", driver="GTiff", width=700, height=600, count=1, dtype="uint8",
                       crs="EPSG:4547", transform=Affine(5, 0, 515_000, 0, -5, 2_515_000)) as ds:
        ds.write(classes, 1)
    data, info = prepare_for_storage(path)
    mem, ds = stored(data)
    with mem, ds:
        assert ds.tags(ns="rio_overview") == {"resampling": "nearest"}
    coarse = read_window(data, "EPSG:4547", info.bounds, 88, 75, resampling="nearest")
    assert set(np.unique(coarse.compressed())) <= {11, 21, 31, 41}  # no invented classes


def test_concurrent_reads_of_one_raster(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    write_dem(tmp_path / "dem.tif", 800, 800)
    data, info = prepare_for_storage(tmp_path / "dem.tif")
    grids = [(info.bounds, 400 + 10 * k, 300 + 10 * k) for k in range(8)]
    expect = [read_window(data, "EPSG:4547", *g) for g in grids]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda g: read_window(data, "EPSG:4547", *g), grids * 3))
    for k, arr in enumerate(got):
        np.testing.assert_array_equal(arr.filled(0), expect[k % 8].filled(0))


def test_hillshade():
    res = 2.0
    flat = np.full((20, 30), 50.0, dtype=np.float32)
    hs = hillshade(flat, res)
    assert hs.dtype == np.uint8 and hs.shape == (20, 30)
    assert (hs == int(1 + 254 * math.cos(math.radians(45)))).all()
    x = np.arange(30, dtype=np.float64) * res
    rising_east = np.tile(x, (20, 1))  # faces west: towards a NW light
    assert hillshade(rising_east, res)[10, 15] > hillshade(-rising_east, res)[10, 15]
    rising_south = np.tile(np.arange(20.0)[:, None] * res, (1, 30))  # faces north: lit
    assert hillshade(rising_south, res)[10, 15] > hillshade(-rising_south, res)[10, 15]
    holey = rising_east.copy()
    holey[5, 5] = np.nan
    hs = hillshade(holey, (res, res))
    assert hs[5, 5] == 0 and hs[5, 6] > 0  # only the nodata cell goes blank
    assert hs[8, 8] == hillshade(rising_east, res)[8, 8]
    masked = hillshade(np.ma.masked_equal(flat, 50.0), res)
    assert (masked == 0).all()


# -- rasters in another CRS: their grid in the workspace CRS, point samples, vertical datum --------
def test_pixel_size_in_metres_of_a_lonlat_pixel():
    from pyproj import Geod

    x0, y0, px, w, h = GRIDS["EPSG:4326"]
    info = RasterInfo(w, h, 1, ("float32",), None, "EPSG:4326", (x0, y0 - h * px, x0 + w * px, y0),
                      (px, 0, x0, 0, -px, y0), (px, px), (), False)
    lon, lat = x0 + w * px / 2, y0 - h * px / 2
    geod = Geod(ellps="WGS84")  # independent: geodesic lengths of the pixel's sides
    east = geod.inv(lon, lat, lon + px, lat)[2]
    north = geod.inv(lon, lat, lon, lat - px)[2]
    assert pixel_size_in(info, "EPSG:4547") == pytest.approx(math.sqrt(east * north), rel=1e-3)
    assert 28 < east < 29 and 30.5 < north < 31  # 1" at 22.7°N: not square on the ground
    native = RasterInfo(10, 10, 1, ("float32",), None, "EPSG:4547", (0, 0, 300, 300),
                        (30, 0, 0, 0, -30, 300), (30, 30), (), False)
    assert pixel_size_in(native, "EPSG:4547") == 30
    assert north_up_grid(native, "EPSG:4547", 30) == ((0, 0, 300, 300), 10, 10)  # its own grid


def test_grid_of_a_lonlat_dem_covers_it_in_the_workspace_crs(tmp_path):
    from pyproj import Transformer

    info = inspect_raster(write_crs_dem(tmp_path / "ll.tif", "EPSG:4326"))
    cell = pixel_size_in(info, "EPSG:4547")
    (x0, y0, x1, y1), nx, ny = north_up_grid(info, "EPSG:4547", cell)
    assert (x1 - x0, y1 - y0) == pytest.approx((nx * cell, ny * cell))
    t = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True)
    b = info.bounds
    corners = t.transform([b[0], b[2], b[0], b[2]], [b[1], b[1], b[3], b[3]])
    assert min(corners[0]) >= x0 - 1e-6 and max(corners[0]) <= x1 + 1e-6
    assert min(corners[1]) >= y0 - 1e-6 and max(corners[1]) <= y1 + 1e-6
    assert x1 - max(corners[0]) < cell  # no more than one cell of margin


@pytest.mark.parametrize("crs", sorted(GRIDS))
def test_sample_gives_the_height_at_a_point(tmp_path, crs):
    from pyproj import Transformer

    data, _ = prepare_for_storage(write_crs_dem(tmp_path / "d.tif", crs))
    x0, y0, px, w, h = GRIDS[crs]
    rng = np.random.default_rng(1)
    # points in the raster's own CRS, inside the pixel centres and away from the nodata corner
    sx = x0 + px * rng.uniform(8, w - 1, 200)
    sy = y0 - px * rng.uniform(8, h - 1, 200)
    wx, wy = Transformer.from_crs(crs, "EPSG:4547", always_xy=True).transform(sx, sy)
    got = sample_points(data, "EPSG:4547", wx, wy)
    # the plane is linear in the raster's own x, so bilinear sampling is exact (float32 pixels)
    np.testing.assert_allclose(got, height_at(crs, sx, sy), atol=2e-3)
    # outside the raster and inside the nodata corner: NaN; next to it, only valid pixels count
    cx, cy = Transformer.from_crs(crs, "EPSG:4547", always_xy=True).transform(
        [x0 - 50 * px, x0 + 2 * px, x0 + 6.2 * px], [y0, y0 - 2 * px, y0 - 3 * px])
    out, hole, edge = sample_points(data, "EPSG:4547", cx, cy)
    assert np.isnan(out) and np.isnan(hole)
    assert edge == pytest.approx(height_at(crs, x0 + 6.5 * px, y0 - 3 * px), abs=1e-3)


def test_sample_of_categorical_raster_is_the_containing_pixel(tmp_path):
    path = tmp_path / "landuse.tif"
    classes = np.random.default_rng(5).choice(np.array([11, 21, 31, 41], np.uint8), (60, 70))
    with rasterio.open(path, "w", driver="GTiff", width=70, height=60, count=1, dtype="uint8",
                       crs="EPSG:4326", transform=Affine(1 / 3600, 0, 114.2, 0, -1 / 3600, 22.7)) as ds:
        ds.write(classes, 1)
    data, _ = prepare_for_storage(path)
    from pyproj import Transformer

    lon = 114.2 + (np.array([3, 40, 69]) + 0.8) / 3600
    lat = 22.7 - (np.array([0, 30, 59]) + 0.2) / 3600
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True).transform(lon, lat)
    got = sample_points(data, "EPSG:4547", x, y)
    assert got.tolist() == [float(classes[r, c]) for r, c in ((0, 3), (30, 40), (59, 69))]


def test_vertical_datum_is_read_only_when_the_file_declares_it(tmp_path):
    assert inspect_raster(write_crs_dem(tmp_path / "a.tif", "EPSG:4547")).vertical_datum is None
    compound = write_crs_dem(tmp_path / "b.tif", "EPSG:4547", file_crs="EPSG:4547+5737")
    info = inspect_raster(compound)
    assert info.vertical_datum == "Yellow Sea 1985" and info.crs == "EPSG:4547"  # horizontal CRS kept
    data, stored = prepare_for_storage(compound)
    assert stored.vertical_datum == "Yellow Sea 1985"
    tagged = write_crs_dem(tmp_path / "c.tif", "EPSG:4326", tags={"VERTICAL_DATUM": "EGM96 geoid"})
    assert prepare_for_storage(tagged)[1].vertical_datum == "EGM96 geoid"
    # facts stored by an older lzt (no vertical_datum key) still load
    js = inspect_raster(compound).to_json()
    del js["vertical_datum"]
    assert RasterInfo.from_json(js).vertical_datum is None
