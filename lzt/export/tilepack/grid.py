"""The Web-Mercator (EPSG:3857) XYZ tile grid that MBTiles and web maps share.

Level ``z`` cuts the square world ±20037508.34 m into 2^z x 2^z tiles of 256 px, column
``x`` from the west and row ``y`` from the north (XYZ; MBTiles stores rows from the south,
TMS). Pure arithmetic, no I/O.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from lzt.core.errors import LztInputError

TILE = 256
ORIGIN = math.pi * 6378137.0  # half the world's width in EPSG:3857 metres
MAX_LEVEL = 22  # ~3.7 cm per pixel at Shenzhen's latitude: nothing finer is meaningful offline


def tile_span(z: int) -> float:
    """Width of one tile at level ``z`` in EPSG:3857 metres."""
    return 2 * ORIGIN / (1 << z)


def tile_bounds(z: int, x: int, y: int, nx: int = 1, ny: int = 1) -> tuple[float, float, float, float]:
    """EPSG:3857 bounds of the ``nx`` x ``ny`` block of tiles whose north-west tile is (z, x, y)."""
    s = tile_span(z)
    return (-ORIGIN + x * s, ORIGIN - (y + ny) * s, -ORIGIN + (x + nx) * s, ORIGIN - y * s)


@dataclass(frozen=True)
class TileRange:
    """The tiles of one level covering an extent: columns x0..x1 and rows y0..y1, inclusive."""

    z: int
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def count(self) -> int:
        return (self.x1 - self.x0 + 1) * (self.y1 - self.y0 + 1)

    def blocks(self, size: int):
        """(x, y, nx, ny) blocks of at most ``size`` x ``size`` tiles, row by row."""
        for y in range(self.y0, self.y1 + 1, size):
            for x in range(self.x0, self.x1 + 1, size):
                yield x, y, min(size, self.x1 + 1 - x), min(size, self.y1 + 1 - y)


def tile_range(z: int, bounds: tuple[float, float, float, float]) -> TileRange:
    """The tiles of level ``z`` that ``bounds`` (EPSG:3857) touches."""
    s, n = tile_span(z), (1 << z) - 1
    x0, y0, x1, y1 = bounds
    eps = 1e-9 * s

    def clamp(v: float) -> int:
        return min(n, max(0, int(math.floor(v))))

    return TileRange(z, clamp((x0 + ORIGIN) / s), clamp((ORIGIN - y1) / s),
                     clamp((x1 + ORIGIN - eps) / s), clamp((ORIGIN - y0 - eps) / s))


def parse_levels(text: str) -> tuple[int, int]:
    """``"10-16"`` (or ``"12"``) -> (10, 16); LztInputError on anything else."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*(?:-\s*(\d{1,2})\s*)?", str(text))
    if not m:
        raise LztInputError("--levels", f"not a level range: {text!r} (use A-B, e.g. 10-16)")
    lo, hi = int(m[1]), int(m[2] if m[2] is not None else m[1])
    if lo > hi:
        raise LztInputError("--levels", f"{text!r}: the first level must not exceed the last")
    if hi > MAX_LEVEL:
        raise LztInputError("--levels", f"{text!r}: levels go from 0 to {MAX_LEVEL}")
    return lo, hi


def parse_extent(text: str) -> tuple[float, float, float, float]:
    """``"X1,Y1,X2,Y2"`` -> floats, west < east and south < north; LztInputError otherwise."""
    try:
        vals = [float(v) for v in str(text).split(",")]
    except ValueError:
        vals = []
    if len(vals) != 4 or not all(map(math.isfinite, vals)):
        raise LztInputError("--extent", f"not an extent: {text!r} (use X1,Y1,X2,Y2 in the workspace CRS)")
    x0, y0, x1, y1 = vals
    if not (x0 < x1 and y0 < y1):
        raise LztInputError("--extent", f"{text!r} is empty: X1 must be less than X2 and Y1 less than Y2")
    return x0, y0, x1, y1


def level_of_resolution(metres_per_pixel: float, lat: float) -> int:
    """The coarsest level whose pixels (on the ground at latitude ``lat``) are at least as fine."""
    ground = 2 * ORIGIN / TILE * math.cos(math.radians(lat))
    return max(0, min(MAX_LEVEL, math.ceil(math.log2(ground / metres_per_pixel))))
