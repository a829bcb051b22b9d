"""Raster layers: a DEM (colour ramp and hillshade) or imagery (RGB), in the workspace CRS.

A raster is drawn on a north-up grid of square cells in the workspace CRS: its own grid when
it is stored that way, else its pixels reprojected onto one (warp on read; the stored pixels
stay as they came). For a view, the overview whose cell (in metres) is closest to the device
pixel is chosen; that level's grid is cut into TILE x TILE tiles, each read once, coloured
and kept in a tile cache (bounded in bytes), so a pan reads only the tiles that come into view
and a return visit reads nothing. A draw assembles the cached tiles around the view.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

import numpy as np

from lzt.render.colors import ramp_lut
from lzt.workspace.base import Workspace

#: tile side in cells of the level grid
TILE = 512
#: coloured tiles kept (bytes); the stored raster bytes kept for the last few layers
_CACHE_BYTES = 384 << 20
_DATA_ENTRIES = 4
_cache: OrderedDict[tuple, np.ndarray] = OrderedDict()
_data: OrderedDict[tuple, bytes] = OrderedDict()
_lock = threading.Lock()
_stats = {"tiles_read": 0, "tiles_hit": 0}


def stats() -> dict[str, int]:
    """Tiles read from the raster and served from the cache since the start (for benchmarks)."""
    return dict(_stats)


def clear() -> None:
    """Drop every cached tile and raster."""
    with _lock:
        _cache.clear()
        _data.clear()


def has_data(ws, name: str, stamp: str) -> bool:
    """Whether a view has read this raster's data already (drawing it again reads nothing new
    but the tiles around the view)."""
    with _lock:
        return (ws.uri, name, stamp) in _data


def _raster_data(ws, name: str, stamp: str) -> bytes:
    """The stored raster bytes, one object per layer version: the dataset opened on them by
    layers.raster stays open across tiles and draws (its cache is keyed by the object)."""
    key = (ws.uri, name, stamp)
    with _lock:
        if key in _data:
            _data.move_to_end(key)
            return _data[key]
    data = ws.raster_bytes(name)
    with _lock:
        data = _data.setdefault(key, data)
        while len(_data) > _DATA_ENTRIES:
            _data.popitem(last=False)
    return data


def _colour(arr: np.ma.MaskedArray, renderer, cell: float) -> np.ndarray:
    """RGBA float32 image of the bands read for ``renderer``."""
    if renderer.mode == "rgb":
        bands = np.ma.filled(arr.astype(np.float32), 0)
        img = np.empty(bands.shape[1:] + (4,), np.float32)
        for i in range(3):
            img[..., i] = bands[min(i, len(bands) - 1)]
        masked = np.ma.getmaskarray(arr).any(axis=0)
        img[..., 3] = np.where(masked, 0, 255)
        return img
    z = arr[0].astype(np.float32).filled(np.nan)
    lut_vals, lut_cols = ramp_lut(renderer.stops)
    lo, hi = float(lut_vals[0]), float(lut_vals[-1])
    zi = np.nan_to_num((z - lo) * ((len(lut_vals) - 1) / max(hi - lo, 1e-9)), nan=0.0)
    zi = np.clip(zi, 0, len(lut_vals) - 1).astype(np.int32)
    img = lut_cols.astype(np.float32)[zi]
    if renderer.hillshade:
        from layers.raster import hillshade

        shade = hillshade(z * np.float32(renderer.z_factor), cell, renderer.azimuth, renderer.altitude)
        light = (np.maximum(shade, 1).astype(np.float32) - 1) / 254  # 0 (shadow) .. 1 (lit)
        img[..., :3] *= (0.35 + 0.65 * light)[..., None]
    img[..., 3] = np.where(np.isnan(z), 0, img[..., 3])
    return img


def colour_pixels(arr: np.ma.MaskedArray, renderer, cell: float) -> np.ndarray:
    """RGBA uint8 image (rows, cols, 4) of raster values read for ``renderer`` (its bands, or
    band 1 through its ramp and hillshade); ``cell`` is the pixel size in metres. Tile packages
    colour their tiles with it, as the canvas does."""
    return np.clip(_colour(arr, renderer, cell), 0, 255).astype(np.uint8)


def _tile(ws, name, stamp, info, renderer, factor, grid, tx, ty) -> np.ndarray:
    """The coloured tile (tx, ty) of the level grid, from the cache or read once."""
    from layers.raster import read_window, resampling_of

    bounds, cell, nx, ny = grid
    key = (ws.uri, name, stamp, factor, tx, ty, repr(renderer))
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            _stats["tiles_hit"] += 1
            return hit
    c0, r0 = tx * TILE, ty * TILE
    c1, r1 = min(nx, c0 + TILE), min(ny, r0 + TILE)
    # a DEM reads one more cell around the tile, so the hillshade has its neighbours at the seams
    pad = 1 if renderer.mode != "rgb" and renderer.hillshade else 0
    b0, d0, b1, d1 = max(0, c0 - pad), max(0, r0 - pad), min(nx, c1 + pad), min(ny, r1 + pad)
    data = _raster_data(ws, name, stamp)
    win = (bounds[0] + b0 * cell, bounds[3] - d1 * cell, bounds[0] + b1 * cell, bounds[3] - d0 * cell)
    if renderer.mode == "rgb":
        bands = [b for b in renderer.bands if 1 <= b <= info.count] or [1]
        rs = "bilinear"
    else:
        bands, rs = [1], resampling_of(data)
    arr = read_window(data, ws.crs, win, b1 - b0, d1 - d0, bands=bands, resampling=rs)
    img = _colour(arr, renderer, cell)[r0 - d0:r0 - d0 + (r1 - r0), c0 - b0:c0 - b0 + (c1 - c0)]
    out = np.ascontiguousarray(np.clip(img, 0, 255).astype(np.uint8))
    with _lock:
        _stats["tiles_read"] += 1
        _cache[key] = out
        total = sum(v.nbytes for v in _cache.values())
        while len(_cache) > 1 and total > _CACHE_BYTES:
            total -= _cache.popitem(last=False)[1].nbytes
    return out


def raster_view(ws: Workspace, name: str, stamp: str, res: float, renderer, extent) -> tuple[np.ndarray, tuple]:
    """The coloured raster around ``extent`` (workspace CRS) at the overview level suited to
    ``res`` metres per device pixel: (RGBA (rows, cols, 4) uint8, (x of the left edge, y of the
    top edge, cell size in metres))."""
    from layers.raster import RasterInfo, north_up_grid, pixel_size_in

    info = RasterInfo.from_json(ws.layer(name).details)
    base = pixel_size_in(info, ws.crs)  # metres, whatever the raster's own CRS
    # like GDAL, accept a level up to 20 % coarser than the device pixel
    factor = max([f for f in (1, *info.overviews) if base * f <= max(res * 1.2, base)] or [1])
    cell = base * factor
    bounds, nx, ny = north_up_grid(info, ws.crs, cell)
    ex0, ey0, ex1, ey1 = extent
    tx0 = max(0, math.floor((ex0 - bounds[0]) / cell / TILE))
    tx1 = min(math.ceil(nx / TILE), math.ceil((ex1 - bounds[0]) / cell / TILE))
    ty0 = max(0, math.floor((bounds[3] - ey1) / cell / TILE))
    ty1 = min(math.ceil(ny / TILE), math.ceil((bounds[3] - ey0) / cell / TILE))
    if tx1 <= tx0 or ty1 <= ty0:
        return np.zeros((0, 0, 4), np.uint8), (bounds[0], bounds[3], cell)
    grid = (bounds, cell, nx, ny)
    tiles = {(tx, ty): _tile(ws, name, stamp, info, renderer, factor, grid, tx, ty)
             for ty in range(ty0, ty1) for tx in range(tx0, tx1)}
    if len(tiles) == 1:
        out = next(iter(tiles.values()))
    else:
        w = sum(tiles[(tx, ty0)].shape[1] for tx in range(tx0, tx1))
        h = sum(tiles[(tx0, ty)].shape[0] for ty in range(ty0, ty1))
        out = np.empty((h, w, 4), np.uint8)
        for (tx, ty), t in tiles.items():
            r, c = (ty - ty0) * TILE, (tx - tx0) * TILE
            out[r:r + t.shape[0], c:c + t.shape[1]] = t
    return out, (bounds[0] + tx0 * TILE * cell, bounds[3] - ty0 * TILE * cell, cell)


__all__ = ["TILE", "clear", "has_data", "raster_view", "stats"]
