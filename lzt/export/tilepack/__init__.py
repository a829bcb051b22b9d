"""Offline tile packages (``lzt tiles``): MBTiles or GeoPackage tile sets in the Web-Mercator
XYZ grid, built from any ``TileSource`` (a raster layer of the workspace; a tile service
through ``FetchedTiles`` or its own ``read``).

    source = raster_layer_source(ws, "imagery_2026")
    plan = plan_package(source, extent, ws.crs, (10, 16), "out.mbtiles")
    print(estimate(source, plan).bytes)
    build_package(source, plan, feedback=fb)
"""

from lzt.export.tilepack.build import (BuildReport, Estimate, PackagePlan, build_package, check_space, estimate,
                                       plan_package)
from lzt.export.tilepack.source import FetchedTiles, RasterLayerSource, TileSource, raster_layer_source

__all__ = ["BuildReport", "Estimate", "FetchedTiles", "PackagePlan", "RasterLayerSource", "TileSource",
           "build_package", "check_space", "estimate", "plan_package", "raster_layer_source"]
