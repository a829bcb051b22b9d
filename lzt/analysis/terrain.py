"""Ground heights from the workspace's DEM, as a grid read once over an area and sampled
bilinearly (sunlight receivers, building bases, height limits, elevation profiles)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lzt.workspace.base import Workspace

DEFAULT_CELL = 5.0  # metres: never finer than this (the demo's DEM is ~30 m)


def terrain_layer(ws) -> str | None:
    """The DEM layer: ``dem``, else the workspace's only single-band continuous raster that is
    not an analysis result; None when there is none or the choice is not clear."""
    if ws.has_layer("dem"):
        return "dem"
    found = [i.name for i in ws.layers() if i.kind == "raster" and (d := i.details or {}).get("count") == 1
             and "analysis" not in d and str((d.get("dtypes") or ["uint8"])[0]) not in ("uint8", "int8", "bool")]
    return found[0] if len(found) == 1 else None


@dataclass
class Terrain:
    """Heights on a north-up grid: ``z[0]`` is the row at ``y1`` (north), nodes at cell centres."""

    bounds: tuple[float, float, float, float]
    z: np.ndarray
    layer: str | None = None

    @property
    def cell(self) -> float:
        return (self.bounds[2] - self.bounds[0]) / self.z.shape[1]

    def height(self, x, y) -> np.ndarray:
        """Bilinear ground height at points (clamped to the grid's edge)."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        x0, y0, x1, y1 = self.bounds
        ny, nx = self.z.shape
        if nx == 1 or ny == 1:
            return np.full(np.shape(x), float(self.z.mean()))
        fx = np.clip((x - x0) / (x1 - x0) * nx - 0.5, 0, nx - 1)
        fy = np.clip((y1 - y) / (y1 - y0) * ny - 0.5, 0, ny - 1)
        j0 = np.minimum(fx.astype(int), nx - 2)
        i0 = np.minimum(fy.astype(int), ny - 2)
        tx, ty = fx - j0, fy - i0
        z = self.z
        return ((z[i0, j0] * (1 - tx) + z[i0, j0 + 1] * tx) * (1 - ty)
                + (z[i0 + 1, j0] * (1 - tx) + z[i0 + 1, j0 + 1] * tx) * ty)


def flat(height: float = 0.0) -> Terrain:
    """Ground at one height everywhere (a workspace without a DEM)."""
    return Terrain((-1e9, -1e9, 1e9, 1e9), np.full((1, 1), float(height)), None)


def load_terrain(ws, bounds, *, cell: float | None = None, layer: str | None = None) -> Terrain:
    """The DEM over ``bounds`` (padded by a cell) at its own resolution (or ``cell`` m); flat
    ground at 0 m when the workspace has no DEM. Nodata cells take the window's mean."""
    layer = layer or terrain_layer(ws)
    if layer is None:
        return flat(0.0)
    from layers.raster import pixel_size_in, read_window

    info = ws.layer(layer)
    if cell is None:
        from layers.raster import RasterInfo

        d = info.details or {}
        try:
            facts = RasterInfo(**{k: d[k] for k in RasterInfo.__dataclass_fields__ if k in d})
            cell = max(DEFAULT_CELL, pixel_size_in(facts, ws.crs))
        except (TypeError, KeyError, ValueError):  # facts missing from an old import: a safe default
            cell = 10.0
    x0, y0, x1, y1 = map(float, bounds)
    x0, y0, x1, y1 = x0 - cell, y0 - cell, x1 + cell, y1 + cell
    nx = max(2, int(np.ceil((x1 - x0) / cell)))
    ny = max(2, int(np.ceil((y1 - y0) / cell)))
    x1, y1 = x0 + nx * cell, y0 + ny * cell
    arr = read_window(ws.raster_bytes(layer), ws.crs, (x0, y0, x1, y1), nx, ny, bands=[1])[0]
    fill = float(arr.mean()) if arr.count() else 0.0
    return Terrain((x0, y0, x1, y1), np.asarray(arr.filled(fill), dtype=float), layer)


def ground_heights(ws: Workspace, xs, ys, *, layer: str | None = None) -> np.ndarray:
    """Ground heights at workspace points straight from the DEM's own pixels: bilinear between
    pixel centres in the raster's CRS, nodata pixels left out; NaN where the DEM has no value
    (or the workspace has no DEM)."""
    xs, ys = np.atleast_1d(np.asarray(xs, float)), np.atleast_1d(np.asarray(ys, float))
    layer = layer or terrain_layer(ws)
    if layer is None or not len(xs):
        return np.full(xs.shape, np.nan)
    from layers.raster import sample_points

    return sample_points(ws.raster_bytes(layer), ws.crs, xs, ys)
