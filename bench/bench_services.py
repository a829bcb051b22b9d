"""Raster services (issue 14): a local MapProxy (WMTS over MapServer over a GeoTIFF, the
tests' server) drawn into EPSG:4547 at 1920x1080.

Rows: cold tiles (new fetcher, empty disk cache) filling a view; the same view from the disk
cache (new process state); a warm 1 km pan frame (tiles in memory) through the warp, and
through the whole renderer. References: the same tiles fetched one by one with urllib (no
decoding), and GDAL's warp (rasterio.reproject, nearest) of the same tiles' mosaic onto the
view grid. Run: ``python bench/bench_services.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import print_rows, timed  # noqa: E402

WS_CRS = "EPSG:4547"
W, H = 1920, 1080
_APPS: list = []


def view(cx: float, cy: float, res: float):
    return (cx - W / 2 * res, cy - H / 2 * res, cx + W / 2 * res, cy + H / 2 * res)


def run(rows: list) -> None:
    from lzt.services.catalog import ServiceRecord
    from lzt.services.rastersource import open_source
    from lzt.services.tilefetch import DiskCache, Fetcher, Tally
    from lzt.services.warp import lattice_box, render_source, source_coords
    from tests.services.tileservers import ORTHO, start_mapproxy

    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        srv = start_mapproxy(root, "bench", store=True)
        try:
            rec = ServiceRecord("o", "wmts", srv.url + "/service", layer="ortho", matrix_set="webmercator")
            cx, cy = ORTHO.x0 + ORTHO.size / 2, ORTHO.y0 + ORTHO.size / 2
            ext = view(cx, cy, 1.0)  # 1920 m x 1080 m at 1 m per pixel
            # MapProxy renders each tile once through MapServer; the rows measure lzt against a warm
            # server: a first pass through a throwaway fetcher fills MapProxy's own cache
            warm = Fetcher(cache=None)
            src = open_source(rec, warm)
            render_source(src, warm, Tally(), WS_CRS, ext, W, H)
            cold = Fetcher(cache=DiskCache(root / "cache"))
            t_cold, img = timed(lambda: render_source(src, cold, Tally(), WS_CRS, ext, W, H))
            n = img.tiles
            urls = []
            lattice, res = source_coords(src, WS_CRS, ext, W, H)
            m = src.grid.level_for(res)
            c0, c1, r0, r1 = m.tiles_for(lattice_box(lattice, res))
            urls = [src.url(m, c, r) for r in range(r0, r1) for c in range(c0, c1)]
            t_ref, _ = timed(lambda: [urllib.request.urlopen(u, timeout=30).read() for u in urls])
            rows.append((f"cold tiles (warm server) from local MapProxy fill a {W}x{H} view ({n} tiles, 6 workers)", t_cold, t_ref,
                         "the same tiles fetched one by one with urllib, not decoded", "< 2 s"))
            disk = Fetcher(cache=DiskCache(root / "cache"))
            t_disk, _ = timed(lambda: render_source(src, disk, Tally(), WS_CRS, ext, W, H))
            rows.append((f"the same view from the disk cache (new fetcher: decode {n} tiles)", t_disk, None, "", ""))
            # a 1 km pan at 0.52 m per pixel (1 km across the view), tiles in memory
            res1 = 1000.0 / W
            pans = [view(cx - 300 + 60 * i, cy, res1) for i in range(10)]
            for e in pans:
                render_source(src, warm, Tally(), WS_CRS, e, W, H)  # MapProxy renders them once
                render_source(src, disk, Tally(), WS_CRS, e, W, H)  # lzt's memory
            times = []
            for e in pans:
                t = time.perf_counter()
                render_source(src, disk, Tally(), WS_CRS, e, W, H)
                times.append(time.perf_counter() - t)
            t_pan = float(np.median(times))
            t_gdal = _gdal_reference(src, disk, pans[0])
            rows.append((f"warm 1 km pan frame {W}x{H}: tiles warped into EPSG:4547, median of 10", t_pan, t_gdal,
                         "rasterio.reproject (GDAL, nearest) of the tiles' mosaic", "< 50 ms"))
            t_full = _renderer_frame(rec, disk, pans)
            rows.append((f"warm 1 km pan frame {W}x{H} through the renderer (QImage), median of 10", t_full, None, "",
                         "< 50 ms"))
        finally:
            srv.stop()


def _gdal_reference(src, fetcher, ext) -> float:
    import rasterio.warp
    from affine import Affine

    from lzt.services.warp import lattice_box, source_coords

    lattice, res = source_coords(src, WS_CRS, ext, W, H)
    m = src.grid.level_for(res)
    c0, c1, r0, r1 = m.tiles_for(lattice_box(lattice, res))
    mosaic = np.zeros(((r1 - r0) * m.tile_h, (c1 - c0) * m.tile_w, 4), np.uint8)
    for r in range(r0, r1):
        for c in range(c0, c1):
            img = fetcher.cached(src.public_url(src.url(m, c, r)))
            if img is not None:
                mosaic[(r - r0) * 256:(r - r0 + 1) * 256, (c - c0) * 256:(c - c0 + 1) * 256] = img
    left, top = m.left + c0 * m.tile_w * m.res, m.top - r0 * m.tile_h * m.res
    src_t = Affine(m.res, 0, left, 0, -m.res, top)
    dst_t = Affine((ext[2] - ext[0]) / W, 0, ext[0], 0, -(ext[3] - ext[1]) / H, ext[3])
    out = np.zeros((4, H, W), np.uint8)
    band_first = np.ascontiguousarray(np.moveaxis(mosaic, 2, 0))

    def warp():
        rasterio.warp.reproject(band_first, out, src_transform=src_t, src_crs=src.crs, dst_transform=dst_t,
                                dst_crs=WS_CRS, resampling=rasterio.warp.Resampling.nearest)

    warp()
    return min(timed(warp)[0] for _ in range(5))


def _renderer_frame(rec, fetcher, pans) -> float:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _APPS.append(QGuiApplication.instance() or QGuiApplication([]))  # fonts need an application, kept alive
    from lzt.render.cache import FeatureSource
    from lzt.render.job import render_to_image
    from lzt.render.request import RenderRequest, snapshot_layers
    from lzt.services.live import WithServices
    from lzt.services.rasterlayer import RasterServiceLayer
    from lzt.workspace import create_workspace

    with tempfile.TemporaryDirectory() as d:
        ws = create_workspace(str(Path(d) / "ws.gpkg"))
        try:
            view_ws = WithServices(ws, [RasterServiceLayer(rec, ws.crs, fetcher=fetcher)])
            src = FeatureSource(view_ws)
            snaps = snapshot_layers(view_ws, ["o"])
            times = []
            for e in pans:
                req = RenderRequest(e, W, H, 96.0, snaps, "#ffffff")
                t = time.perf_counter()
                render_to_image(req, src)
                times.append(time.perf_counter() - t)
            return float(np.median(times))
        finally:
            ws.close()


if __name__ == "__main__":
    out: list = []
    run(out)
    print_rows(out)
