"""Rasters in another CRS (issue 12): a 1° SRTM-like lon/lat DEM in the EPSG:4547 workspace.

Two ways to draw a raster stored in another CRS were measured on the same tile:
- warp on read (what lzt does): the file is stored as it came; the level a view needs is
  reprojected to the workspace grid when first drawn (then cached), samples are read from
  the original pixels;
- warp on import (the reference column): the tile is reprojected to the workspace grid once
  (bilinear, the pixel's own size in metres) and stored; drawing and sampling then read
  the warped copy.
Also the speed of one 1920x1080 window read of a 4096² DEM in the workspace CRS (the figure a
test used to assert).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

WS_CRS = "EPSG:4547"
N = 3601  # an SRTM 1" / Copernicus GLO-30 tile: 3601 x 3601 pixels, 1° x 1°


def write_tile(path: Path) -> None:
    """A deterministic N22E114 tile (int16 metres, EPSG:4326): hills and fractal roughness."""
    import rasterio
    from rasterio.transform import from_origin

    rng = np.random.default_rng(7)
    lat, lon = np.mgrid[0:N, 0:N].astype(np.float32) / (N - 1)
    z = 60 + 500 * np.exp(-((lon - 0.3) ** 2 + (lat - 0.35) ** 2) / 0.01) + 150 * np.sin(9 * lon) * np.cos(7 * lat)
    for wavelength, amp in ((200, 40.0), (40, 12.0), (6, 4.0)):
        k = np.fft.rfftfreq(N)[None, :] ** 2 + np.fft.fftfreq(N)[:, None] ** 2
        noise = np.fft.irfft2(np.fft.rfft2(rng.standard_normal((N, N))) * np.exp(-2 * (np.pi * wavelength / 2) ** 2 * k),
                              s=(N, N))
        z += amp * noise / noise.std()
    a = 1 / 3600
    with rasterio.open(path, "w", driver="GTiff", width=N, height=N, count=1, dtype="int16", nodata=-32768,
                       crs="EPSG:4326", transform=from_origin(114 - a / 2, 23 + a / 2, a, a),
                       tiled=True, compress="deflate") as ds:
        ds.write(np.round(z).astype(np.int16), 1)


def warp_on_import(src: Path, dst: Path) -> str:
    """The reference: the tile reprojected to the workspace CRS before it is stored."""
    import rasterio
    from rasterio.warp import Resampling, reproject

    from layers.raster import inspect_raster, north_up_grid, pixel_size_in

    info = inspect_raster(src)
    cell = pixel_size_in(info, WS_CRS)
    (x0, y0, x1, y1), nx, ny = north_up_grid(info, WS_CRS, cell)
    from rasterio.transform import from_origin

    with rasterio.open(src) as s:
        out = np.full((ny, nx), s.nodata, dtype=s.dtypes[0])
        reproject(rasterio.band(s, 1), out, dst_transform=from_origin(x0, y1, cell, cell), dst_crs=WS_CRS,
                  src_nodata=s.nodata, dst_nodata=s.nodata, resampling=Resampling.bilinear, num_threads=2)
        with rasterio.open(dst, "w", driver="GTiff", width=nx, height=ny, count=1, dtype=out.dtype,
                           nodata=s.nodata, crs=WS_CRS, transform=from_origin(x0, y1, cell, cell)) as d:
            d.write(out, 1)
    return f"{nx}x{ny} cells of {cell:.2f} m"


def _cold():
    from layers.raster import clear_cache
    from lzt.render import raster as rr

    clear_cache()
    rr.clear()


def _draw(ws, name, extent):
    from lzt.render import render_image

    t = time.perf_counter()
    render_image(ws, extent, 1920, 1080, [name])
    return time.perf_counter() - t


def source_bilinear(path: Path, xs, ys) -> np.ndarray:
    """Bilinear heights of the original tile (numpy, independent of lzt), points in EPSG:4547."""
    import rasterio
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(WS_CRS, "EPSG:4326", always_xy=True).transform(xs, ys)
    with rasterio.open(path) as ds:
        z = ds.read(1).astype(float)
        c, r = ~ds.transform * (lon, lat)
    c, r = np.asarray(c) - 0.5, np.asarray(r) - 0.5
    c0, r0 = np.floor(c).astype(int), np.floor(r).astype(int)
    tx, ty = c - c0, r - r0
    return (z[r0, c0] * (1 - tx) * (1 - ty) + z[r0, c0 + 1] * tx * (1 - ty)
            + z[r0 + 1, c0] * (1 - tx) * ty + z[r0 + 1, c0 + 1] * tx * ty)


def bench_warp(rows: list, d: Path) -> None:
    from layers.raster import sample_points
    from lzt.ingest import import_paths
    from lzt.render.fonts import ensure_app
    from lzt.workspace import create_workspace

    ensure_app()
    tile = d / "n22e114.tif"
    write_tile(tile)
    warped = d / "n22e114_4547.tif"
    ws_read, ws_imp = create_workspace(d / "read.gpkg"), create_workspace(d / "import.gpkg")
    try:
        t = time.perf_counter()
        import_paths(ws_read, [tile])
        t_read_import = time.perf_counter() - t
        t = time.perf_counter()
        grid = warp_on_import(tile, warped)
        import_paths(ws_imp, [warped])
        t_imp_import = time.perf_counter() - t
        a, b = ws_read.layers()[0], ws_imp.layers()[0]
        size_read, size_imp = len(ws_read.raster_bytes(a.name)), len(ws_imp.raster_bytes(b.name))
        rows.append((f"import a 1° lon/lat DEM tile ({N}², int16) into an EPSG:4547 workspace; stored "
                     f"{size_read / 1e6:.1f} MB (warped on import: {grid}, {size_imp / 1e6:.1f} MB)",
                     t_read_import, t_imp_import, "warp on import (bilinear) + store", ""))
        whole = a.extent
        cx, cy = 525_000.0, 2_512_000.0
        zoom = (cx - 2540, cy - 1430, cx + 2540, cy + 1430)  # ~1:10,000 on a 96 dpi screen
        for label, ext in (("whole tile", whole), ("~1:10,000 in Longgang", zoom)):
            times = {}
            for key, ws, name in (("read", ws_read, a.name), ("import", ws_imp, b.name)):
                _cold()
                first = _draw(ws, name, ext)
                again = min(_draw(ws, name, ext) for _ in range(3))
                times[key] = (first, again)
            rows.append((f"draw the lon/lat DEM, {label}, 1920×1080, first draw (warp on read)",
                         times["read"][0], times["import"][0], "the same draw of the copy warped on import", ""))
            rows.append(("… the same view again (cached level), best of 3", times["read"][1], times["import"][1],
                         "the same, warped on import", ""))
        rng = np.random.default_rng(3)
        xs, ys = rng.uniform(508_000, 534_000, 2000), rng.uniform(2_500_000, 2_522_000, 2000)
        truth = source_bilinear(tile, xs, ys)
        t = time.perf_counter()
        got_read = sample_points(ws_read.raster_bytes(a.name), WS_CRS, xs, ys)
        t_sample = time.perf_counter() - t
        got_imp = sample_points(ws_imp.raster_bytes(b.name), WS_CRS, xs, ys)
        err_read, err_imp = np.abs(got_read - truth), np.abs(got_imp - truth)
        rows.append((f"sample 2000 points: |error| vs the original pixels, mean {err_read.mean():.3f} m, max "
                     f"{err_read.max():.3f} m (warped on import: mean {err_imp.mean():.2f} m, max "
                     f"{err_imp.max():.1f} m)", t_sample, None, "", ""))
    finally:
        ws_read.close()
        ws_imp.close()


def bench_window(rows: list, d: Path) -> None:
    """One 1920x1080 read of a 4096² DEM stored in the workspace CRS (was a test's < 0.2 s assert)."""
    import rasterio
    from rasterio.transform import Affine

    from layers.raster import prepare_for_storage, read_window

    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:4096, 0:4096].astype(np.float32)
    dem = (60 + 40 * np.sin(x / 300) * np.cos(y / 250) + rng.normal(0, 3, x.shape)).astype(np.float32)
    path = d / "dem4096.tif"
    with rasterio.open(path, "w", driver="GTiff", width=4096, height=4096, count=1, dtype="float32",
                       crs=WS_CRS, transform=Affine(2, 0, 515_000, 0, -2, 2_515_000), nodata=-9999.0) as ds:
        ds.write(dem, 1)
    data, info = prepare_for_storage(path)
    minx, miny, maxx, maxy = info.bounds
    cx, cy, px = (minx + maxx) / 2, (miny + maxy) / 2, (maxy - miny) / 1080
    for name, b in (("whole DEM", (cx - 960 * px, miny, cx + 960 * px, maxy)),
                    ("1:1 pixels", (cx - 1920, cy - 1080, cx + 1920, cy + 1080))):
        read_window(data, WS_CRS, b, 1920, 1080)  # warm GDAL's block cache
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            read_window(data, WS_CRS, b, 1920, 1080)
            best = min(best, time.perf_counter() - t)
        rows.append((f"read_window 1920×1080 of a 4096² float32 DEM ({name}), best of 3", best, None, "", "< 0.2 s"))


def run(demo: Path, rows: list) -> None:
    with tempfile.TemporaryDirectory() as d:
        bench_warp(rows, Path(d))
        bench_window(rows, Path(d))

