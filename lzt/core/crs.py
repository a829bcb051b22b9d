"""Coordinate reference systems: parsing, naming, cached transformers.

The workspace CRS defaults to EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM
114E). All transformers use ``always_xy=True``: x = easting/longitude first,
whatever the CRS's official axis order (EPSG:4547 and 4490 list northing /
latitude first).
"""

from __future__ import annotations

import functools
import math
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lzt.core.errors import LztInputError
from lzt.core.lazy import lazy_module

pyproj = lazy_module("pyproj")
if TYPE_CHECKING:
    from pyproj import CRS, Transformer

DEFAULT_CRS = "EPSG:4547"


def parse_crs(value, *, source: str | None = None) -> CRS:
    """A pyproj CRS from an EPSG code ("EPSG:4547", "4547"), WKT, PROJ string, CRS or .prj path."""
    if isinstance(value, pyproj.CRS):
        return value
    text = str(value).strip() if value is not None else ""
    if not text:
        raise LztInputError(source or "CRS", "empty CRS")
    if isinstance(value, PathLike) or (text.lower().endswith(".prj") and len(text) < 4096):
        path = Path(text)
        if not path.is_file():
            raise LztInputError(path, "no such .prj file")
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        source = source or str(path)
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return _cached_crs(text)
    except pyproj.exceptions.CRSError:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise LztInputError(source or shown, f"unknown CRS {shown!r}: not an EPSG code, WKT or "
                                             "PROJ string that PROJ recognises") from None


@functools.lru_cache(maxsize=256)
def _cached_crs(text: str) -> CRS:
    return pyproj.CRS.from_user_input(text)


def crs_string(crs: CRS) -> str:
    """``"EPSG:nnnn"`` when the CRS is (exactly) an EPSG one, else its WKT2."""
    crs = parse_crs(crs)
    auth = crs.to_authority(min_confidence=100)
    if auth is not None:
        return f"{auth[0]}:{auth[1]}"
    epsg = crs.to_epsg(min_confidence=90)
    return f"EPSG:{epsg}" if epsg is not None else crs.to_wkt()


def require_projected_metres(crs: CRS, source: str | None = None) -> None:
    """``LztInputError`` unless ``crs`` is projected with metre units (workspace CRSs are)."""
    crs = parse_crs(crs, source=source)
    units = {(a.unit_name or "").lower() for a in crs.axis_info}
    if not crs.is_projected or not units or not units <= {"metre", "meter", "m"}:
        raise LztInputError(source or crs_string(crs),
                            f"{crs.name} is not a projected CRS in metres; a workspace needs one "
                            "(e.g. EPSG:4547)")


@functools.lru_cache(maxsize=128)
def _transformer(src_wkt: str, dst_wkt: str) -> Transformer:
    return pyproj.Transformer.from_crs(pyproj.CRS.from_wkt(src_wkt), pyproj.CRS.from_wkt(dst_wkt), always_xy=True)


def transformer(src, dst) -> Transformer:
    """A cached x/y-ordered transformer from ``src`` to ``dst``."""
    return _transformer(parse_crs(src).to_wkt(), parse_crs(dst).to_wkt())


def reproject_xy(x, y, src, dst) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised reprojection of coordinate arrays."""
    xx, yy = transformer(src, dst).transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(xx), np.asarray(yy)


def is_wgs84_like(crs) -> bool:
    """True for lon/lat on WGS84 or CGCS2000 (EPSG:4326, 4490, CRS84 ...): the systems that
    GCJ-02 and BD-09 data are mistaken for."""
    crs = parse_crs(crs)
    if not crs.is_geographic or crs.datum is None:
        return False
    name = crs.datum.name.lower()
    return "world geodetic system 1984" in name or "wgs 84" in name or "china 2000" in name


def looks_like_lonlat(xmin: float, ymin: float, xmax: float, ymax: float) -> bool:
    """True when a bounding box fits in lon [-180, 180], lat [-90, 90]."""
    vals = (xmin, ymin, xmax, ymax)
    if not all(math.isfinite(v) for v in vals):
        return False
    return -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90

