"""Sunlight hours on the ground over an area (场地日照): a raster of free receivers at cell
centres on the DEM, the same horizon test as the façades; cells inside a building are nodata."""

from __future__ import annotations

from datetime import date

import numpy as np
import shapely

from lzt.analysis.sunlight.analyse import hours_in_batches, lonlat_and_convergence, obstacles_of
from lzt.analysis.sunlight.obstacles import read_buildings, read_models
from lzt.analysis.sunlight.receivers import point_receivers
from lzt.analysis.sunlight.rule import SunlightRule
from lzt.analysis.sunlight.run import MAX_REACH_M, sun_samples
from lzt.analysis.terrain import load_terrain
from lzt.core.errors import LztInputError
from lzt.core.feedback import ensure

MAX_CELLS = 1_000_000
GROUND_M = 0.01  # receivers stand just above the ground


def sunlight_grid(ws, layer: str, bbox, cell: float, *, day: date, rule: SunlightRule, step_min: float = 1.0,
                  feedback=None) -> tuple[np.ndarray, tuple, list[str]]:
    """(hours as a north-up float32 array, NaN inside buildings; the affine transform
    (cell, 0, x0, 0, −cell, y1); problems) of direct sun on the ground within the rule's band."""
    fb = ensure(feedback)
    if not ws.has_layer(layer):
        raise LztInputError(layer, "no such layer in the workspace")
    x0, y0, x1, y1 = map(float, bbox)
    cols, rows = int(np.ceil((x1 - x0) / cell)), int(np.ceil((y1 - y0) / cell))
    if cols < 1 or rows < 1 or cols * rows > MAX_CELLS:
        raise LztInputError("--bbox", f"{cols} × {rows} cells: give an area of 1 to {MAX_CELLS:,} cells")
    x1, y0 = x0 + cols * cell, y1 - rows * cell
    lon, lat, gamma = lonlat_and_convergence(ws.crs, (x0 + x1) / 2, (y0 + y1) / 2)
    sun = sun_samples(day, rule, step_min, lat, lon, gamma)
    reach = min(MAX_REACH_M, 300.0 / sun.tan_alt_min)
    box = (x0 - reach, y0 - reach, x1 + reach, y1 + reach)
    terrain = load_terrain(ws, box)
    fb.progress(0, 2, "读取建筑")
    blds = read_buildings(ws, layer, box, terrain)
    models = read_models(ws, box, terrain)
    obstacles = obstacles_of(blds, models)
    problems = [f"{layer}: {len(obstacles.no_height)} 栋建筑没有高度，未计入遮挡"] if obstacles.no_height else []
    cx = x0 + (np.arange(cols) + 0.5) * cell
    cy = y1 - (np.arange(rows) + 0.5) * cell
    gx, gy = (a.ravel() for a in np.meshgrid(cx, cy))
    solids = list(blds.geometry.values) + [m.footprint for m in models.values()]
    inside = np.zeros(len(gx), dtype=bool)
    if solids:
        hit, _ = shapely.STRtree(solids).query(shapely.points(gx, gy), predicate="within")
        inside[hit] = True
    idx = np.flatnonzero(~inside)
    rec = point_receivers(idx, gx[idx], gy[idx], terrain.height(gx[idx], gy[idx]) + GROUND_M)
    fb.progress(1, 2, f"计算遮挡（{len(rec)} 个网格点）")
    hrs, _ = hours_in_batches(rec, sun, obstacles.segments(), None, terrain, fb)
    out = np.full(len(gx), np.nan, dtype=np.float32)
    out[idx] = hrs.hours
    return out.reshape(rows, cols), (cell, 0.0, x0, 0.0, -cell, y1), problems


def grid_geotiff(values: np.ndarray, transform, crs: str) -> tuple[bytes, dict]:
    """The hours as the workspace's raster form (tiled DEFLATE GeoTIFF, nodata NaN) and its facts."""
    import tempfile
    from pathlib import Path

    import rasterio
    from rasterio.transform import Affine

    from layers.raster import prepare_for_storage

    rows, cols = values.shape
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "sunlight.tif"
        with rasterio.open(path, "w", driver="GTiff", width=cols, height=rows, count=1, dtype="float32", crs=crs,
                           transform=Affine(*transform), nodata=float("nan")) as dst:
            dst.write(values.astype(np.float32), 1)
            dst.set_band_description(1, "sunlight hours (日照时数)")
        data, info = prepare_for_storage(path)
    facts = info.to_json()
    facts["bounds_workspace"] = list(info.bounds)
    return data, facts
