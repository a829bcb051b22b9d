"""layers.raster: inspection, embeddable GeoTIFFs, reprojected windows, hillshade."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import pytest
import rasterio
from pyproj import Transformer
from rasterio.io import MemoryFile
from rasterio.transform import Affine

from layers.raster import RasterInfo, hillshade, inspect_raster, prepare_for_storage, read_window
from lzt.core.errors import LztInputError

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


def test_read_window_speed_4096_dem(tmp_path):
    path = tmp_path / "dem4096.tif"
    write_dem(path, 4096, 4096, px=2.0)
    data, info = prepare_for_storage(path)
    assert info.overviews == (2, 4, 8, 16)
    print(f"stored 4096x4096 float32 DEM: {len(data) / 1e6:.1f} MB")
    minx, miny, maxx, maxy = info.bounds
    cx, cy, px = (minx + maxx) / 2, (miny + maxy) / 2, (maxy - miny) / 1080
    views = {"whole": (cx - 960 * px, miny, cx + 960 * px, maxy),
             "1:1": (cx - 1920, cy - 1080, cx + 1920, cy + 1080)}
    for name, b in views.items():
        read_window(data, "EPSG:4547", b, 1920, 1080)  # warm the block cache
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            out = read_window(data, "EPSG:4547", b, 1920, 1080)
            times.append(time.perf_counter() - t0)
        print(f"read_window {name} 1920x1080: best {min(times):.3f} s")
        assert out.shape == (1, 1080, 1920)
        assert min(times) < 0.2, (name, times)


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
