"""Small DEMs over Longgang in the CRSs real DEMs come in, with heights known independently.

- ``EPSG:4326``: lon/lat, 1" pixels, as SRTM, ASTER and Copernicus GLO-30 tiles come;
- ``EPSG:32650``: UTM zone 50N, 30 m pixels;
- ``EPSG:4547``: the workspace CRS itself, 30 m pixels.

Heights are a function of the raster's own coordinates (``height_at``), so a test can compute
the true height at any point without lzt: ``plane`` rises eastwards at a fixed slope in metres,
``hill`` is a round hill on flat ground that shows where the DEM is drawn.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from pyproj import Transformer

SLOPE = 0.3  # the plane rises 30 m per 100 m eastwards (in metres on the ground)
HILL = (525_000.0, 2_512_000.0, 500.0, 400.0)  # x, y (EPSG:4547), height, sigma (m)
NODATA = -9999.0

#: crs -> (x of the left edge, y of the top edge, pixel size, columns, rows)
GRIDS = {
    "EPSG:4326": (114.18, 22.76, 1 / 3600, 420, 330),
    "EPSG:32650": (211_000.0, 2_518_500.0, 30.0, 400, 320),
    "EPSG:4547": (518_000.0, 2_518_000.0, 30.0, 400, 320),
}


def _metres_per_unit(crs: str) -> tuple[float, float]:
    """Ground metres per unit of x and y of ``crs`` at the grid's centre (lon/lat: per degree)."""
    if crs != "EPSG:4326":
        return 1.0, 1.0
    x0, y0, px, w, h = GRIDS[crs]
    lat = math.radians(y0 - h * px / 2)
    # WGS84 meridian and parallel arc per degree
    a, e2 = 6_378_137.0, 0.00669437999014
    m = math.pi / 180 * a * (1 - e2) / (1 - e2 * math.sin(lat) ** 2) ** 1.5
    n = math.pi / 180 * a * math.cos(lat) / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    return n, m


def height_at(crs: str, x, y, kind: str = "plane") -> np.ndarray:
    """True height at points given in the DEM's own ``crs``."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    x0, y0, _, _, _ = GRIDS[crs]
    mx, _ = _metres_per_unit(crs)
    if kind == "plane":
        return 20.0 + SLOPE * (x - x0) * mx  # linear in the raster's own x: bilinear sampling is exact
    hx, hy, top, sigma = HILL
    ex, ey = Transformer.from_crs(crs, "EPSG:4547", always_xy=True).transform(x, y)
    return 20.0 + top * np.exp(-((ex - hx) ** 2 + (ey - hy) ** 2) / (2 * sigma ** 2))


def write_dem(path: Path, crs: str, kind: str = "plane", *, nodata_corner: bool = True, tags=None,
              file_crs: str | None = None) -> Path:
    """A float32 GeoTIFF DEM on ``GRIDS[crs]`` (pixel centres hold ``height_at``), with a nodata
    corner of 6 x 6 pixels. ``file_crs`` overrides the CRS written (e.g. a compound one)."""
    import rasterio
    from rasterio.transform import Affine

    x0, y0, px, w, h = GRIDS[crs]
    cols, rows = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
    z = height_at(crs, x0 + cols * px, y0 - rows * px, kind).astype(np.float32)
    if nodata_corner:
        z[:6, :6] = NODATA
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=1, dtype="float32",
                       crs=file_crs or crs, transform=Affine(px, 0, x0, 0, -px, y0), nodata=NODATA) as ds:
        ds.write(z, 1)
        if tags:
            ds.update_tags(**tags)
    return path


def dem_workspace(tmp_path: Path, crs: str, kind: str = "plane", name: str = "srtm", ws_crs: str = "EPSG:4547"):
    """A workspace (``ws_crs``) holding one DEM in ``crs``, imported the ordinary way."""
    from lzt.ingest import ImportOptions, import_paths
    from lzt.workspace import create_workspace

    tif = write_dem(tmp_path / f"{name}.tif", crs, kind)
    ws = create_workspace(tmp_path / f"ws_{name}.gpkg", crs=ws_crs)
    import_paths(ws, [tif], ImportOptions(layer=name))
    return ws
