"""Write a raster layer out of the workspace as a GeoTIFF, in the workspace CRS (or another).

The workspace keeps a raster's pixels as they came in. On the way out they are put on a
north-up grid of square cells in the target CRS, the cell being the source pixel's own size
there: a raster already on such a grid is copied pixel for pixel; any other is reprojected
with its resampling (bilinear, nearest for categorical rasters), through the same
``read_window`` that draws it. The source CRS and the resampling are written into the file's
tags and returned, so nobody mistakes a resampled copy for the original.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from layers import formats
from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace

SUFFIXES = tuple(formats.export_formats("raster"))
ROWS = 1024  # rows written per step (a multiple of the 256-px tiles)
RESAMPLING_ZH = {"none": "像元原样复制", "bilinear": "双线性重采样", "nearest": "最邻近重采样"}


@dataclass(frozen=True)
class RasterExport:
    path: Path
    crs: str
    width: int
    height: int
    cell: float  # target CRS units (metres in a workspace CRS)
    resampling: str  # "none" (pixels copied unchanged), "bilinear" or "nearest"
    source_crs: str


def export_raster(ws: Workspace, layer: str, out: str | Path, *, crs: str | None = None,
                  bbox: tuple[float, float, float, float] | None = None) -> RasterExport:
    """Write raster ``layer`` to the GeoTIFF ``out`` in ``crs`` (default: the workspace CRS),
    limited to ``bbox`` (workspace CRS) if given. The file appears whole or not at all."""
    import rasterio
    from rasterio.crs import CRS
    from rasterio.enums import Resampling
    from rasterio.io import MemoryFile
    from rasterio.transform import Affine
    from rasterio.windows import Window

    from layers.raster import (RasterInfo, north_up_grid, north_up_in, overview_factors, pixel_size_in,
                               read_window, resampling_of)

    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise LztInputError(out, f"a raster layer is written as GeoTIFF; name the file .tif, not {out.suffix or '(none)'}")
    if not out.parent.exists():
        raise LztInputError(out, f"folder {out.parent} does not exist")
    target = CRS.from_user_input(crsmod.crs_string(crsmod.parse_crs(crs or ws.crs, source="--crs")))
    info = RasterInfo.from_json(ws.layer(layer).details)
    data = ws.raster_bytes(layer)
    cell = pixel_size_in(info, target)
    (gx0, gy0, gx1, gy1), nx, ny = north_up_grid(info, target, cell)
    c0, r0, c1, r1 = 0, 0, nx, ny
    if bbox is not None:
        bx0, by0, bx1, by1 = crsmod.transformer(ws.crs, target.to_wkt()).transform_bounds(*bbox, densify_pts=21)
        c0, c1 = max(0, math.floor((bx0 - gx0) / cell)), min(nx, math.ceil((bx1 - gx0) / cell))
        r0, r1 = max(0, math.floor((gy1 - by1) / cell)), min(ny, math.ceil((gy1 - by0) / cell))
        if c1 <= c0 or r1 <= r0:
            raise LztInputError("--bbox", f"does not meet raster layer {layer!r}")
    copied = north_up_in(info, target)  # its own grid: pixels copied, not resampled
    resampling = "none" if copied else resampling_of(data)
    width, height = c1 - c0, r1 - r0
    x0, y1 = gx0 + c0 * cell, gy1 - r0 * cell
    dtype = np.result_type(*info.dtypes).name
    kind = np.dtype(dtype).kind
    profile = dict(driver="GTiff", width=width, height=height, count=info.count, dtype=dtype, crs=target,
                   transform=Affine(cell, 0, x0, 0, -cell, y1), nodata=info.nodata, tiled=True,
                   blockxsize=256, blockysize=256, compress="deflate", predictor=3 if kind == "f" else 2,
                   bigtiff="if_safer")
    tmp = out.with_name(f".{out.stem}.lzt-tmp{out.suffix}")
    try:
        with MemoryFile(data) as mem, mem.open() as stored:
            tags = stored.tags()
        with rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True), rasterio.open(tmp, "w", **profile) as dst:
            dst.update_tags(**tags, LZT_SOURCE_CRS=info.crs or "", LZT_RESAMPLING=resampling)
            for row in range(0, height, ROWS):
                n = min(ROWS, height - row)
                win = (x0, y1 - (row + n) * cell, x0 + width * cell, y1 - row * cell)
                arr = read_window(data, target, win, width, n, resampling="nearest" if copied else resampling)
                w = Window(0, row, width, n)
                dst.write(arr.filled(info.nodata) if info.nodata is not None else arr.data, window=w)
                if info.nodata is None:
                    dst.write_mask(np.where(arr.mask.any(axis=0), 0, 255).astype(np.uint8), window=w)
            factors = overview_factors(width, height)
            if factors:
                dst.build_overviews(factors, Resampling.nearest if resampling == "nearest"
                                    else Resampling.average)
        os.replace(tmp, out)
    except LztInputError:
        tmp.unlink(missing_ok=True)
        raise
    except Exception as exc:  # GDAL/driver failures are reported against the output
        tmp.unlink(missing_ok=True)
        raise LztInputError(out, f"cannot write: {exc}") from None
    return RasterExport(out, crsmod.crs_string(crsmod.parse_crs(target.to_wkt())), width, height, cell, resampling,
                        info.crs or "")
