"""Tile matrix sets: the grids WMTS, XYZ/TMS and 天地图 tiles are cut on.

A ``TileMatrix`` is one zoom level: the CRS units per pixel, the top-left corner (x east,
y north, whatever the CRS's axis order), the tile size and the number of tiles. Standard sets:
``web_mercator`` (XYZ, GoogleMapsCompatible, 天地图 ``_w``) and ``tianditu_c`` (天地图 ``_c``:
EPSG:4490 lon/lat, first level 1 with 2 x 1 tiles of 0.703125° per pixel).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: WMTS: metres per CRS unit of a degree-based CRS (the standard's value for the WGS84 ellipsoid)
METRES_PER_DEGREE = 6378137.0 * 2 * math.pi / 360
#: WMTS: the standardised rendering pixel size (m) linking scale denominators and resolutions
STANDARD_PIXEL = 0.28e-3
MERC_HALF = 20037508.342789244


@dataclass(frozen=True)
class TileMatrix:
    id: str
    res: float  # CRS units per pixel
    left: float
    top: float
    tile_w: int = 256
    tile_h: int = 256
    matrix_w: int = 1
    matrix_h: int = 1

    @property
    def tile_span(self) -> tuple[float, float]:
        return self.res * self.tile_w, self.res * self.tile_h

    def tile_bounds(self, col: int, row: int) -> tuple[float, float, float, float]:
        sx, sy = self.tile_span
        return (self.left + col * sx, self.top - (row + 1) * sy, self.left + (col + 1) * sx, self.top - row * sy)

    def tiles_for(self, bounds) -> tuple[int, int, int, int]:
        """Columns c0..c1 and rows r0..r1 (exclusive ends) of the tiles meeting ``bounds``."""
        sx, sy = self.tile_span
        c0 = max(0, math.floor((bounds[0] - self.left) / sx))
        c1 = min(self.matrix_w, math.ceil((bounds[2] - self.left) / sx))
        r0 = max(0, math.floor((self.top - bounds[3]) / sy))
        r1 = min(self.matrix_h, math.ceil((self.top - bounds[1]) / sy))
        return c0, max(c0, c1), r0, max(r0, r1)


@dataclass(frozen=True)
class TileMatrixSet:
    id: str
    crs: str  # "EPSG:3857", "EPSG:4490"...
    matrices: tuple[TileMatrix, ...]

    def level_for(self, res: float, *, coarser: float = 1.2) -> TileMatrix:
        """The matrix whose pixel is closest to ``res`` CRS units, accepting one up to
        ``coarser`` times coarser (as GDAL does), else the finest."""
        fine = [m for m in self.matrices if m.res <= res * coarser]
        if not fine:
            return min(self.matrices, key=lambda m: m.res)
        return max(fine, key=lambda m: m.res)

    def by_id(self, mid: str) -> TileMatrix:
        return next(m for m in self.matrices if m.id == mid)


def web_mercator(first: int = 0, last: int = 20, *, tile: int = 256, ids=str, id: str = "GoogleMapsCompatible"
                 ) -> TileMatrixSet:
    """The XYZ / GoogleMapsCompatible set (EPSG:3857), levels ``first``..``last``."""
    res0 = 2 * MERC_HALF / tile
    return TileMatrixSet(id, "EPSG:3857", tuple(
        TileMatrix(ids(z), res0 / 2 ** z, -MERC_HALF, MERC_HALF, tile, tile, 2 ** z, 2 ** z)
        for z in range(first, last + 1)))


def tianditu_c(first: int = 1, last: int = 18) -> TileMatrixSet:
    """天地图's ``c`` set: EPSG:4490 lon/lat, level z has 2^z x 2^(z-1) tiles of 256 px."""
    return TileMatrixSet("c", "EPSG:4490", tuple(
        TileMatrix(str(z), 0.703125 / 2 ** (z - 1), -180.0, 90.0, 256, 256, 2 ** z, 2 ** (z - 1))
        for z in range(first, last + 1)))


def tianditu_w(first: int = 1, last: int = 18) -> TileMatrixSet:
    """天地图's ``w`` set: EPSG:3857, level ids ``1``..``18`` as in XYZ."""
    return web_mercator(first, last, id="w")


def resolution_of(scale_denominator: float, crs_is_degrees: bool) -> float:
    """CRS units per pixel of a WMTS scale denominator."""
    per_unit = METRES_PER_DEGREE if crs_is_degrees else 1.0
    return scale_denominator * STANDARD_PIXEL / per_unit
