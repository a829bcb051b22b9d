"""Plain values that readers return: what was asked, and what was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd


@dataclass(frozen=True)
class ReadOptions:
    """What the caller may say about a file."""

    layer: str | None = None  # one layer of a multi-layer source (None: all)
    x_field: str | None = None  # tables: the x / longitude column
    y_field: str | None = None  # tables: the y / latitude column
    encoding: str | None = None  # attribute encoding, overriding detection


@dataclass
class LoadedLayer:
    """One layer read from a file, in the file's own CRS (``crs`` None when it has none)."""

    name: str
    gdf: gpd.GeoDataFrame
    crs: Any  # pyproj.CRS or None
    source: Path
    source_layer: str | None = None
    coords_kind: str = "geometry"  # tables: "lonlat" | "projected"; else "geometry"
    x_field: str | None = None
    y_field: str | None = None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
