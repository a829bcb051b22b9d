"""Raster layers (the DEM): colour ramp and hillshade, in the workspace CRS whatever the raster's.

A raster is drawn on a north-up grid of square cells in the workspace CRS: its own grid when
it is stored that way, else its pixels reprojected onto one (warp on read; the stored pixels
stay as they came). For a view, the overview whose cell (in metres) is closest to the device
pixel is read onto that grid, coloured (ramp x hillshade, the slope in metres) once and cached
as an RGBA array; each draw then only crops and scales it. A small level is read whole, so
pans cost nothing; a large one only around the view.
"""

from __future__ import annotations

import math
import threading

import numpy as np

from lzt.render.colors import ramp_lut
from lzt.workspace.base import Workspace

#: a level of up to this many cells is read and coloured whole; a larger one around the view,
#: in pieces snapped to SNAP cells (so nearby views share them)
WHOLE_LEVEL_CELLS = 4_000_000
SNAP = 256
#: cached RGBA images (entries, bytes)
_CACHE_ENTRIES, _CACHE_BYTES = 8, 400_000_000
_cache: dict[tuple, tuple[np.ndarray, tuple]] = {}
_lock = threading.Lock()


def _cells(extent, bounds, cell: float, nx: int, ny: int) -> tuple[int, int, int, int]:
    """Columns c0:c1 and rows r0:r1 of the level grid around ``extent`` (padded by a quarter
    view each side, snapped to SNAP cells)."""
    ex0, ey0, ex1, ey1 = extent
    pw, ph = (ex1 - ex0) / 4, (ey1 - ey0) / 4
    snap = SNAP
    c0 = max(0, math.floor((ex0 - pw - bounds[0]) / cell / snap) * snap)
    c1 = min(nx, math.ceil((ex1 + pw - bounds[0]) / cell / snap) * snap)
    r0 = max(0, math.floor((bounds[3] - ey1 - ph) / cell / snap) * snap)
    r1 = min(ny, math.ceil((bounds[3] - ey0 + ph) / cell / snap) * snap)
    return c0, r0, c1, r1


def _level(ws, name: str, stamp: str, want_res: float, renderer, extent) -> tuple[np.ndarray, tuple]:
    """(RGBA image, (x0, y0, cell)) of the best overview level around ``extent``, cached."""
    from layers.raster import RasterInfo, hillshade, north_up_grid, pixel_size_in, read_window, resampling_of

    info = RasterInfo.from_json(ws.layer(name).details)
    base = pixel_size_in(info, ws.crs)  # metres, whatever the raster's own CRS
    # like GDAL, accept a level up to 20 % coarser than the device pixel
    factor = max([f for f in (1, *info.overviews) if base * f <= max(want_res * 1.2, base)] or [1])
    cell = base * factor
    bounds, nx, ny = north_up_grid(info, ws.crs, cell)
    c0, r0, c1, r1 = (0, 0, nx, ny) if nx * ny <= WHOLE_LEVEL_CELLS else _cells(extent, bounds, cell, nx, ny)
    if c1 <= c0 or r1 <= r0:
        return np.zeros((0, 0, 4), np.uint8), (bounds[0], bounds[3], cell)
    key = (ws.uri, name, stamp, factor, c0, r0, c1, r1, repr(renderer))
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    # one more cell around the part drawn, so the hillshade has its neighbours at the seams
    b0, d0, b1, d1 = max(0, c0 - 1), max(0, r0 - 1), min(nx, c1 + 1), min(ny, r1 + 1)
    data = ws.raster_bytes(name)
    win = (bounds[0] + b0 * cell, bounds[3] - d1 * cell, bounds[0] + b1 * cell, bounds[3] - d0 * cell)
    arr = read_window(data, ws.crs, win, b1 - b0, d1 - d0, bands=[1], resampling=resampling_of(data))
    z = arr[0].astype(np.float32).filled(np.nan)
    lut_vals, lut_cols = ramp_lut(renderer.stops)
    lo, hi = float(lut_vals[0]), float(lut_vals[-1])
    zi = np.nan_to_num((z - lo) * ((len(lut_vals) - 1) / max(hi - lo, 1e-9)), nan=0.0)
    zi = np.clip(zi, 0, len(lut_vals) - 1).astype(np.int32)
    img = lut_cols.astype(np.float32)[zi]
    if renderer.hillshade:
        shade = hillshade(z * np.float32(renderer.z_factor), cell, renderer.azimuth, renderer.altitude)
        light = (np.maximum(shade, 1).astype(np.float32) - 1) / 254  # 0 (shadow) .. 1 (lit)
        img[..., :3] *= (0.35 + 0.65 * light)[..., None]
    img[..., 3] = np.where(np.isnan(z), 0, img[..., 3])
    img = img[r0 - d0:r0 - d0 + (r1 - r0), c0 - b0:c0 - b0 + (c1 - c0)]
    out = (np.ascontiguousarray(np.clip(img, 0, 255).astype(np.uint8)),
           (bounds[0] + c0 * cell, bounds[3] - r0 * cell, cell))
    with _lock:
        _cache[key] = out
        while len(_cache) > 1 and (len(_cache) > _CACHE_ENTRIES
                                   or sum(v[0].nbytes for v in _cache.values()) > _CACHE_BYTES):
            _cache.pop(next(iter(_cache)))
    return out


def raster_view(ws: Workspace, name: str, stamp: str, res: float, renderer, extent) -> tuple[np.ndarray, tuple]:
    """The coloured raster around ``extent`` (workspace CRS) at the overview level suited to
    ``res`` metres per device pixel: (RGBA (rows, cols, 4) uint8, (x of the left edge, y of the
    top edge, cell size in metres))."""
    return _level(ws, name, stamp, res, renderer, extent)


__all__ = ["raster_view"]
