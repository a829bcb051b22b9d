"""Tile sources: where a package's pixels come from.

``lzt tiles`` builds a package from anything that satisfies ``TileSource``: a block of tiles
of the Web-Mercator grid in, RGBA pixels out. ``RasterLayerSource`` draws a raster layer of
the workspace (imagery as its bands, a DEM through its style's ramp and hillshade, exactly as
on the canvas). A tile service plugs in through ``FetchedTiles``, which stitches single tiles
from a ``fetch(z, x, y)`` function (an XYZ/WMTS service in EPSG:3857), or by implementing
``read`` itself (a service in another grid renders the requested EPSG:3857 window).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np

from lzt.core.errors import LztInputError
from lzt.export.tilepack.grid import TILE, tile_bounds, tile_span
from lzt.workspace.base import Workspace

Bounds = tuple[float, float, float, float]


@runtime_checkable
class TileSource(Protocol):
    """What a tile package can be built from.

    ``name``: the package's name; ``attribution``: whose pixels they are ("" when unknown);
    ``origin``: where they come from (a layer and its file, a URL), recorded as the package's
    ``source``; ``coverage``: EPSG:3857 bounds of what it can give (None: anywhere);
    ``native_level``: the level matching its own resolution (None: unknown).
    """

    name: str
    attribution: str
    origin: str
    coverage: Bounds | None
    native_level: int | None

    def read(self, z: int, x: int, y: int, nx: int, ny: int) -> np.ndarray | None:
        """RGBA uint8 pixels (ny*256, nx*256, 4) of the ``nx`` x ``ny`` tiles whose north-west
        tile is (z, x, y) in the XYZ grid, alpha 0 where there is nothing; None when the
        whole block is empty. Raise ``LztInputError`` for a source that cannot answer."""
        ...


class RasterLayerSource:
    """A raster layer of the workspace, coloured by its style (saved or default)."""

    def __init__(self, ws: Workspace, name: str):
        from layers.raster import RasterInfo, pixel_size_in
        from lzt.core.crs import transformer
        from lzt.export.tilepack.grid import level_of_resolution
        from lzt.render.style import styles_for

        info = ws.layer(name)
        self.ws, self.name = ws, name
        self.info = RasterInfo.from_json(info.details)
        self.renderer = styles_for(ws, [name])[name].renderer
        self.data = ws.raster_bytes(name)
        self.attribution = str(info.details.get("package", {}).get("attribution", ""))
        self.origin = f"{name} ({info.source})" if info.source else name
        x0, y0, x1, y1 = transformer(self.info.crs, "EPSG:3857").transform_bounds(*self.info.bounds, densify_pts=21)
        self.coverage = (x0, y0, x1, y1)
        lat = math.degrees(2 * math.atan(math.exp((y0 + y1) / 2 / 6378137.0)) - math.pi / 2)
        self.native_level = level_of_resolution(pixel_size_in(self.info, ws.crs), lat)
        from layers.raster import resampling_of

        rgb = getattr(self.renderer, "mode", "") == "rgb"
        self.bands = ([b for b in self.renderer.bands if 1 <= b <= self.info.count] or [1]) if rgb else [1]
        self.resampling = "bilinear" if rgb else resampling_of(self.data)

    def read(self, z: int, x: int, y: int, nx: int, ny: int) -> np.ndarray | None:
        from layers.raster import read_window
        from lzt.render.raster import colour_pixels

        bounds = tile_bounds(z, x, y, nx, ny)
        if not _overlaps(bounds, self.coverage):
            return None
        arr = read_window(self.data, "EPSG:3857", bounds, nx * TILE, ny * TILE, bands=self.bands,
                          resampling=self.resampling)
        if np.ma.getmaskarray(arr).all():
            return None
        lat = math.degrees(2 * math.atan(math.exp((bounds[1] + bounds[3]) / 2 / 6378137.0)) - math.pi / 2)
        cell = tile_span(z) / TILE * math.cos(math.radians(lat))  # ground metres per pixel (hillshade)
        return colour_pixels(arr, self.renderer, cell)


class FetchedTiles:
    """A source of single 256-px tiles in the XYZ grid, from ``fetch(z, x, y)`` returning RGBA
    uint8 (256, 256, 4) or None (no tile there): the shape of an XYZ/WMTS service in 3857."""

    def __init__(self, fetch: Callable[[int, int, int], np.ndarray | None], *, name: str, origin: str,
                 attribution: str = "", coverage: Bounds | None = None, native_level: int | None = None):
        self.fetch, self.name, self.origin, self.attribution = fetch, name, origin, attribution
        self.coverage, self.native_level = coverage, native_level

    def read(self, z: int, x: int, y: int, nx: int, ny: int) -> np.ndarray | None:
        out, any_tile = np.zeros((ny * TILE, nx * TILE, 4), np.uint8), False
        for j in range(ny):
            for i in range(nx):
                if self.coverage is not None and not _overlaps(tile_bounds(z, x + i, y + j), self.coverage):
                    continue
                tile = self.fetch(z, x + i, y + j)
                if tile is None:
                    continue
                if tile.shape != (TILE, TILE, 4) or tile.dtype != np.uint8:
                    raise LztInputError(self.origin, f"tile {z}/{x + i}/{y + j} is {tile.shape} {tile.dtype}, "
                                                     "not 256x256 RGBA")
                out[j * TILE:(j + 1) * TILE, i * TILE:(i + 1) * TILE] = tile
                any_tile = True
        return out if any_tile else None


def _overlaps(a: Bounds, b: Bounds | None) -> bool:
    return b is None or (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def raster_layer_source(ws: Workspace, name: str) -> TileSource:
    """The raster layer ``name`` as a tile source; LztInputError naming the layer otherwise."""
    from layers.kinds import LayerKind

    if not ws.has_layer(name):
        rasters = [i.name for i in ws.layers() if i.kind == LayerKind.RASTER]
        raise LztInputError(name, f"no such layer in {ws.uri}; raster layers: {', '.join(rasters) or 'none'}")
    kind = ws.layer(name).kind
    if kind != LayerKind.RASTER:
        raise LztInputError(name, f"is a {kind} layer; tile packages are built from raster layers "
                                  "(imagery, DEM)")
    return RasterLayerSource(ws, name)


__all__ = ["FetchedTiles", "RasterLayerSource", "TileSource", "raster_layer_source"]
