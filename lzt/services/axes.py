"""Axis order of service coordinates.

WFS 2.0 and GML follow the CRS's own axis order: ``urn:ogc:def:crs:EPSG::4326`` and
``::4490`` are latitude first, and so is a CGCS2000 Gauss-Krüger CRS such as EPSG:4547
(northing first). OGC API Features and GeoJSON are x/east first (CRS84). We always name
CRSs in the URN form, so the order is known from the CRS and never guessed from the
server; ``settle_order`` only checks GeoJSON answers of WFS servers that write lat/lon in
GeoJSON anyway, against the box that was asked for.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from lzt.core.lazy import lazy_module

pyproj = lazy_module("pyproj")
shapely = lazy_module("shapely")

_EPSG = re.compile(r"(?:EPSG[:/](?:[\d.]*[:/])?|epsg\.xml#)(\d+)$", re.IGNORECASE)
CRS84_URIS = ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84",
              "urn:ogc:def:crs:OGC::CRS84")


def epsg_of(uri: str) -> int | None:
    """The EPSG code named by ``uri`` in any of its spellings (``EPSG:4326``,
    ``urn:ogc:def:crs:EPSG::4326``, ``http://www.opengis.net/def/crs/EPSG/0/4326``);
    4326 for CRS84; None when it names no EPSG code."""
    text = (uri or "").strip()
    if text in CRS84_URIS or text.upper().endswith("CRS84"):
        return 4326
    m = _EPSG.search(text)
    return int(m.group(1)) if m else None


def urn(epsg: int) -> str:
    """The OGC URN of an EPSG CRS (the spelling whose axis order is the CRS's own)."""
    return f"urn:ogc:def:crs:EPSG::{int(epsg)}"


@lru_cache(maxsize=64)
def north_first(epsg: int) -> bool:
    """Whether the CRS's first axis points north (latitude or northing first)."""
    axes = pyproj.CRS.from_epsg(int(epsg)).axis_info
    return bool(axes) and axes[0].direction.lower() in ("north", "south")


def bbox_in_axis_order(bbox_xy: tuple[float, float, float, float], epsg: int) -> tuple[float, ...]:
    """``(minx, miny, maxx, maxy)`` (x east) in the CRS's own axis order, for a WFS 2.0 BBOX."""
    x0, y0, x1, y1 = bbox_xy
    return (y0, x0, y1, x1) if north_first(epsg) else (x0, y0, x1, y1)


def swap_xy(geoms: np.ndarray) -> np.ndarray:
    """The same geometries with the first two coordinates of every vertex swapped."""
    return shapely.transform(np.asarray(geoms, dtype=object), lambda c: c[:, ::-1].copy())


def settle_order(geoms: np.ndarray, bbox_xy: tuple[float, float, float, float] | None) -> tuple[np.ndarray, bool]:
    """Geometries in x/east-first order, judged against the box that was asked for: when
    more vertices fall inside the box read swapped than read as given, the answer came in
    y-first order and is swapped. Returns the geometries and whether they were swapped."""
    geoms = np.asarray(geoms, dtype=object)
    xy = shapely.get_coordinates(geoms)
    if bbox_xy is None or not len(xy):
        return geoms, False
    x0, y0, x1, y1 = bbox_xy

    def inside(a: np.ndarray, b: np.ndarray) -> int:
        return int(((a >= x0) & (a <= x1) & (b >= y0) & (b <= y1)).sum())

    if inside(xy[:, 1], xy[:, 0]) > inside(xy[:, 0], xy[:, 1]):
        return swap_xy(geoms), True
    return geoms, False
