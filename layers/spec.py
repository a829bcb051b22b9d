"""Plain values that readers return: what was asked, and what was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd

#: ``LoadedLayer.coords_kind`` values. Tables built from x/y columns say what their
#: numbers look like ("lonlat", "projected", or "unknown" when no row has coordinates);
#: everything else (GDAL formats, WKT columns) is "geometry".
COORDS_KINDS = ("lonlat", "projected", "unknown", "geometry")


@dataclass(frozen=True)
class ReadOptions:
    """What the caller may say about a file."""

    layer: str | None = None  # one layer (GeoPackage/KML layer, Excel sheet, zip member); None: all
    x_field: str | None = None  # tables: the x / easting / longitude column (overrides detection)
    y_field: str | None = None  # tables: the y / northing / latitude column
    encoding: str | None = None  # attribute/text encoding, overriding .cpg and detection
    src_crs: Any = None  # the CRS the coordinates are in, overriding the file's (not reprojected)
    allow_no_geometry: bool = False  # tables: no coordinate columns -> records without geometry
    # tables with x/y columns: keep the coordinates as ``LoadedLayer.xy`` and leave the geometry
    # column empty (an importer that reprojects builds each point once, in the target CRS)
    points_as_xy: bool = False


@dataclass(frozen=True, eq=False)
class LoadedLayer:
    """One layer read from a file, in the file's own CRS (``crs`` None when it has none).

    ``stats`` keys (present when they apply): ``null_geometries``, ``empty_geometries``,
    ``rows_without_coords`` (tables: rows kept without a location), ``curves_linearised``.
    ``xy`` (with ``ReadOptions.points_as_xy``, tables with x/y columns): n x 2 coordinates, NaN
    for rows without a location; the geometry column is then all None.
    """

    name: str
    gdf: gpd.GeoDataFrame
    crs: Any  # pyproj.CRS or None
    source: Path
    source_layer: str | None = None
    coords_kind: str = "geometry"
    x_field: str | None = None
    y_field: str | None = None
    encoding: str | None = None
    warnings: tuple[str, ...] = ()
    stats: dict[str, int] = field(default_factory=dict)
    xy: Any = None  # numpy n x 2 float array or None
