"""Raster layers (the DEM): colour ramp and hillshade, resampled to the view with numpy.

The workspace stores a raster as a tiled GeoTIFF with overviews. For a view, the overview
whose cell is closest to (not coarser than twice) the device pixel is decoded once, coloured
(ramp x hillshade) once and cached as an RGBA array; each draw then only samples it at the
view's pixel centres (nearest neighbour), which is a numpy gather.
"""

from __future__ import annotations

import threading

import numpy as np

from lzt.render.colors import ramp_lut

_cache: dict[tuple, tuple[np.ndarray, tuple]] = {}
_lock = threading.Lock()


def hillshade(z: np.ndarray, res: float, azimuth: float = 315.0, altitude: float = 45.0,
              z_factor: float = 1.0) -> np.ndarray:
    """Lambertian hillshade in [0, 1] (Horn-like central differences; north up)."""
    fill = float(np.nanmean(z)) if np.isfinite(z).any() else 0.0
    gy, gx = np.gradient(np.nan_to_num(z, nan=fill).astype(np.float32) * np.float32(z_factor), res, res)
    dzdx, dzdy = gx, -gy  # rows run southwards: d/d(north) = -d/d(row)
    a, alt = np.radians(azimuth), np.radians(altitude)  # azimuth clockwise from north
    shade = (np.sin(alt) - dzdx * np.cos(alt) * np.sin(a) - dzdy * np.cos(alt) * np.cos(a)) \
        / np.sqrt(1.0 + dzdx * dzdx + dzdy * dzdy)
    return np.clip(shade, 0.0, 1.0)


def _level(ws, name: str, stamp: str, want_res: float, renderer) -> tuple[np.ndarray, tuple]:
    """(RGBA image, (x0, y0, cell)) of the best overview level, cached."""
    import rasterio
    from rasterio.io import MemoryFile

    info = ws.layer(name).details or {}
    base = float((info.get("res") or [10.0])[0])
    levels = [1] + [int(v) for v in info.get("overviews") or []]
    factor = max([f for f in levels if base * f <= max(want_res, base)] or [1])
    key = (ws.uri, name, stamp, factor, repr(renderer))
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    data = ws.raster_bytes(name)
    with MemoryFile(data) as mem:
        kwargs = {"overview_level": levels.index(factor) - 1} if factor > 1 else {}
        with mem.open(**kwargs) as ds:
            z = ds.read(1, masked=True).astype(np.float32).filled(np.nan)
            t = ds.transform
    cell = abs(t.a)
    lut_vals, lut_cols = ramp_lut(renderer.stops)
    lo, hi = float(lut_vals[0]), float(lut_vals[-1])
    zi = np.nan_to_num((z - lo) * ((len(lut_vals) - 1) / max(hi - lo, 1e-9)), nan=0.0)
    zi = np.clip(zi, 0, len(lut_vals) - 1).astype(np.int32)
    img = lut_cols.astype(np.float32)[zi]
    if renderer.hillshade:
        hs = hillshade(z, cell, renderer.azimuth, renderer.altitude, renderer.z_factor)
        img[..., :3] *= (0.35 + 0.65 * hs)[..., None]
    img[..., 3] = np.where(np.isnan(z), 0, img[..., 3])
    out = (np.ascontiguousarray(np.clip(img, 0, 255).astype(np.uint8)), (t.c, t.f, cell))
    with _lock:
        if len(_cache) > 8:
            _cache.pop(next(iter(_cache)))
        _cache[key] = out
    del rasterio
    return out


def raster_view(ws, name: str, stamp: str, res: float, renderer) -> tuple[np.ndarray, tuple]:
    """The coloured raster at the overview level suited to ``res`` metres per device pixel:
    (RGBA (rows, cols, 4) uint8, (x of the left edge, y of the top edge, cell size))."""
    return _level(ws, name, stamp, res, renderer)


__all__ = ["hillshade", "raster_view"]
