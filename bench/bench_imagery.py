"""Large imagery (issue 14): link a big orthophoto, build its pyramid, draw it and pan over it.

A 3-band 8-bit orthophoto at 0.5 m is generated (default 16,384 x 14,336 px, 8.2 x 7.2 km;
``--full`` for the district's ~60,000 x 52,000), JPEG-compressed and tiled like a survey
delivery, without overviews. Measured, each against GDAL's own work in the same run:
- ``lzt import --link``: the pyramid built beside the file (strips with progress, then the
  coarser levels by GDAL) vs rasterio/GDAL ``build_overviews`` (gdaladdo) on a copy;
- linking a file that already has overviews (nothing to build);
- the first 1920x1080 draw (cold caches) at three scales vs GDAL's own decimated read of the
  same window from the same overviews (``rasterio.read(out_shape=...)``, no colouring, no
  painting);
- a pan of 20 steps of 1/10 of the view at 1:1,900 (0.5 m per pixel, full resolution):
  median per frame vs GDAL reading the same window each step (block cache warm), and a
  pan back over the same ground (the tile cache serves every tile).

Run: ``python bench/bench_imagery.py [--full] [--size WxH]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.timing import print_rows  # noqa: E402

WS_CRS = "EPSG:4547"
X0, Y1, PX = 505_000.0, 2_522_000.0, 0.5


def write_ortho(path: Path, w: int, h: int) -> None:
    """A deterministic orthophoto-like GeoTIFF: blocks, roads, texture; JPEG/YCbCr, 256 tiles."""
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.windows import Window

    prof = dict(driver="GTiff", width=w, height=h, count=3, dtype="uint8", crs=WS_CRS,
                transform=from_origin(X0, Y1, PX, PX), tiled=True, blockxsize=256, blockysize=256,
                compress="jpeg", photometric="ycbcr", jpeg_quality=80, bigtiff="if_safer")
    rng = np.random.default_rng(5)
    palette = rng.integers(60, 220, (64, 3)).astype(np.uint8)
    step = 1024
    with rasterio.open(path, "w", **prof) as ds:
        xs = np.arange(w)
        for r0 in range(0, h, step):
            rows = min(step, h - r0)
            ys = np.arange(r0, r0 + rows)[:, None]
            block = ((xs[None, :] // 300) * 7 + (ys // 260) * 13) % 64
            img = palette[block]  # (rows, w, 3)
            road = ((xs[None, :] % 300) < 24) | ((ys % 260) < 20)
            img[road] = (92, 92, 96)
            img = img.astype(np.int16) + rng.integers(-6, 7, (rows, w, 1), dtype=np.int16)
            ds.write(np.clip(img, 0, 255).astype(np.uint8).transpose(2, 0, 1), window=Window(0, r0, w, rows))


def gdal_read(path: Path, extent, out_w: int, out_h: int, ds=None):
    """GDAL's own read of ``extent`` into out_w x out_h (overviews chosen by GDAL)."""
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.windows import from_bounds

    own = ds is None
    ds = ds or rasterio.open(path)
    try:
        return ds.read(window=from_bounds(*extent, transform=ds.transform), out_shape=(3, out_h, out_w),
                       resampling=Resampling.bilinear, boundless=False)
    finally:
        if own:
            ds.close()


def _cold() -> None:
    from layers.raster import clear_cache
    from lzt.render import raster as rr

    clear_cache()
    rr.clear()


def run(rows: list, d: Path, w: int, h: int) -> None:
    import rasterio
    from rasterio.enums import Resampling

    from layers.raster import overview_factors
    from lzt.ingest import ImportOptions, import_paths
    from lzt.render import raster as rr
    from lzt.render import render_image
    from lzt.render.fonts import ensure_app
    from lzt.workspace import create_workspace

    ensure_app()
    src = d / "ortho.tif"
    t = time.perf_counter()
    write_ortho(src, w, h)
    t_gen = time.perf_counter() - t
    mb = src.stat().st_size / 1e6
    ref = d / "ortho_gdal.tif"
    shutil.copyfile(src, ref)
    t = time.perf_counter()
    with rasterio.Env(GDAL_TIFF_OVR_BLOCKSIZE=256, COMPRESS_OVERVIEW="JPEG", PHOTOMETRIC_OVERVIEW="YCBCR"), \
            rasterio.open(ref, "r+") as ds:
        ds.build_overviews(overview_factors(w, h), Resampling.average)
    t_gdal_ovr = time.perf_counter() - t

    ws = create_workspace(d / "ws.gpkg")
    try:
        t = time.perf_counter()
        (rep,) = import_paths(ws, [src], ImportOptions(layer="ortho", link=True, acquired="2026-10-01"))
        t_link = time.perf_counter() - t
        rows.append((f"lzt import --link {w:,}×{h:,} px RGB orthophoto ({mb:.0f} MB JPEG, generated in "
                     f"{t_gen:.0f} s) without overviews: pyramid built, {len(ws.raster_bytes('ortho')):,} B "
                     f"stored in the workspace", t_link, t_gdal_ovr,
                     "GDAL build_overviews (gdaladdo, average) on a copy", ""))
        t = time.perf_counter()
        import_paths(ws, [ref], ImportOptions(layer="ortho_ovr", link=True))
        rows.append(("lzt import --link of the same file with GDAL's overviews (nothing to build)",
                     time.perf_counter() - t, None, "", ""))
        cx, cy = X0 + w * PX / 2, Y1 - h * PX / 2
        views = {"whole image": (X0, Y1 - h * PX, X0 + w * PX, Y1),
                 "~1:20,000 (5 m per pixel)": (cx - 4800, cy - 2700, cx + 4800, cy + 2700),
                 "1:1,900 (full resolution)": (cx - 480, cy - 270, cx + 480, cy + 270)}
        for label, ext in views.items():
            _cold()
            t = time.perf_counter()
            render_image(ws, ext, 1920, 1080, ["ortho"])
            first = time.perf_counter() - t
            t = time.perf_counter()
            gdal_read(src, ext, 1920, 1080)
            ref_t = time.perf_counter() - t
            rows.append((f"first draw 1920×1080, {label}, cold tile cache", first, ref_t,
                         "GDAL decimated read of the window (same overviews, no colouring/painting)", "no lag"))
        # pan at full resolution: 20 steps of 1/10 of the view width
        _cold()
        step = min(96.0, (w * PX / 2 - 480) / 20)
        exts = [(cx - 480 + i * step, cy - 270, cx + 480 + i * step, cy + 270) for i in range(21)]
        render_image(ws, exts[0], 1920, 1080, ["ortho"])
        before = rr.stats()["tiles_read"]
        frames = []
        for e in exts[1:]:
            t = time.perf_counter()
            render_image(ws, e, 1920, 1080, ["ortho"])
            frames.append(time.perf_counter() - t)
        read_on_pan = rr.stats()["tiles_read"] - before
        gdal_frames = []
        with rasterio.open(src) as ds:
            gdal_read(src, exts[0], 1920, 1080, ds)
            for e in exts[1:]:
                t = time.perf_counter()
                gdal_read(src, e, 1920, 1080, ds)
                gdal_frames.append(time.perf_counter() - t)
        rows.append((f"pan at full resolution, 20 steps of 1/10 view, median frame ({read_on_pan} tiles of 512² "
                     "read in all)", statistics.median(frames), statistics.median(gdal_frames),
                     "GDAL read of each window (dataset open, block cache warm)", "< 50 ms"))
        before = rr.stats()["tiles_read"]
        back = []
        for e in exts[::-1]:
            t = time.perf_counter()
            render_image(ws, e, 1920, 1080, ["ortho"])
            back.append(time.perf_counter() - t)
        rows.append((f"pan back over the same ground, median frame ({rr.stats()['tiles_read'] - before} tiles "
                     "read: all from the tile cache)", statistics.median(back), statistics.median(gdal_frames),
                     "GDAL read of each window (as above)", "< 50 ms"))
    finally:
        ws.close()


def run_group(demo: Path, rows: list) -> None:
    """The default size, for ``bench/run.py --only imagery``."""
    with tempfile.TemporaryDirectory() as d:
        run(rows, Path(d), 16384, 14336)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="the district at 0.5 m: 60,000 x 52,000 px")
    ap.add_argument("--size", default="16384x14336", help="WxH of the generated orthophoto")
    a = ap.parse_args()
    w, h = (60_000, 52_000) if a.full else (int(v) for v in a.size.lower().split("x"))
    rows: list = []
    with tempfile.TemporaryDirectory() as d:
        run(rows, Path(d), w, h)
    print_rows(rows, width=120)


if __name__ == "__main__":
    main()
