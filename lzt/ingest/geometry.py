"""Geometry normalisation on import: China offsets, reprojection, repair, promotion.

All vectorised over shapely 2 arrays: one coordinate array through pyproj, no
per-feature Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS

from lzt.core import chinacoords
from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError


@dataclass
class GeometryStats:
    repaired: int = 0
    null_geometries: int = 0
    empty_geometries: int = 0
    promoted_to_multi: int = 0
    outside_area_of_use: int = 0


def _xy_transform(geoms: np.ndarray, func) -> np.ndarray:
    """Apply ``func(x, y) -> (x, y)`` to every vertex, keeping any Z."""
    tid = shapely.get_type_id(geoms)
    if (tid == 0).any() and (tid <= 0).all() and not shapely.has_z(geoms).any() and not shapely.is_empty(geoms).any():
        # 2D points (and None): one coordinate array in, new points out
        present = tid == 0
        xy = shapely.get_coordinates(geoms[present])
        x, y = func(xy[:, 0], xy[:, 1])
        out = np.full(len(geoms), None, dtype=object)
        out[present] = shapely.points(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return out

    def apply(coords: np.ndarray) -> np.ndarray:
        out = coords.copy()
        x, y = func(coords[:, 0], coords[:, 1])
        out[:, 0], out[:, 1] = x, y
        return out

    return shapely.transform(geoms, apply, include_z=None)


def convert_china_offsets(geoms: np.ndarray, coords: str, source: str) -> np.ndarray:
    """GCJ-02 / BD-09 lon/lat -> WGS84 lon/lat (iterative inverse)."""
    if coords in (None, "wgs84", "cgcs2000"):
        return geoms
    b = shapely.total_bounds(geoms)
    if not np.isnan(b).all() and not crsmod.looks_like_lonlat(*b):
        raise LztInputError(source, f"--coords {coords} needs lon/lat degrees, but the coordinates "
                                    f"span {b[0]:.0f},{b[1]:.0f} – {b[2]:.0f},{b[3]:.0f}")
    return _xy_transform(geoms, lambda x, y: chinacoords.to_wgs84(x, y, coords))


def shift_metres(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """How far each lon/lat vertex (n x 2) moved, in metres (local approximation)."""
    return np.hypot((after[:, 0] - before[:, 0]) * 111_320.0 * np.cos(np.radians(before[:, 1])),
                    (after[:, 1] - before[:, 1]) * 110_574.0)


def offset_summary(before: np.ndarray, after: np.ndarray) -> dict:
    """How a China-offset conversion moved lon/lat geometries: features with a moved vertex,
    features with coordinates, and the median vertex shift in metres (local approximation)."""
    b, idx = shapely.get_coordinates(before, return_index=True)
    a = shapely.get_coordinates(after)
    features = int(len(np.unique(idx)))
    if not len(b):
        return {"moved": 0, "features": 0, "median_m": 0.0}
    d = shift_metres(b, a)
    moved = d > 1e-6
    return {"moved": int(len(np.unique(idx[moved]))), "features": features,
            "median_m": round(float(np.median(d[moved])), 1) if moved.any() else 0.0}


def reproject(geoms: np.ndarray, src: CRS, dst: CRS, source: str) -> tuple[np.ndarray, int]:
    """Reproject to ``dst``; returns the geometries and how many lie outside dst's area of use.

    Coordinates that cannot be expressed in ``dst`` (non-finite after the
    transform) and data entirely outside ``dst``'s area of use are input errors:
    they mean a wrong source CRS or a workspace for another region.
    """
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    if not present.any():
        return geoms, 0
    outside = _outside_area_of_use(geoms[present], src, dst, source)
    if crsmod.crs_string(src) == crsmod.crs_string(dst):
        return geoms, outside
    tr = crsmod.transformer(src, dst)
    out = _xy_transform(geoms, lambda x, y: tr.transform(x, y))
    bad = ~np.isfinite(shapely.bounds(out[present])).all(axis=1)
    if bad.any():
        raise LztInputError(source, f"{int(bad.sum())} features cannot be expressed in "
                                    f"{crsmod.crs_string(dst)} (outside the projection's domain); "
                                    "check the source CRS (--src-crs)")
    return out, outside


def _outside_area_of_use(geoms: np.ndarray, src: CRS, dst: CRS, source: str) -> int:
    aou = dst.area_of_use
    if aou is None:
        return 0
    geo = CRS.from_epsg(4326)
    if src.is_geographic:
        lonlat = geoms
    else:
        tr = crsmod.transformer(src, geo)
        lonlat = _xy_transform(geoms, lambda x, y: tr.transform(x, y))
    return check_area_of_use(shapely.bounds(lonlat), src, dst, source)


def check_area_of_use(b: np.ndarray, src: CRS, dst: CRS, source: str) -> int:
    """How many of the lon/lat envelopes ``b`` (n x 4; n x 2: points, an envelope each) lie
    outside ``dst``'s area of use; an input error when none is inside, or when latitudes pass
    ±90°."""
    aou = dst.area_of_use
    if aou is None:
        return 0
    minx, miny = b[:, 0], b[:, 1]
    maxx, maxy = (b[:, 2], b[:, 3]) if b.shape[1] == 4 else (minx, miny)
    finite = np.isfinite(b).all(axis=1)
    if not finite.any():
        raise LztInputError(source, f"coordinates are not valid in the source CRS {crsmod.crs_string(src)}"
                                    " (wrong CRS?)")
    beyond = np.abs(miny) > 90.0001
    if maxy is not miny:
        beyond |= np.abs(maxy) > 90.0001
    if src.is_geographic and (finite & beyond).any():
        raise LztInputError(source, "latitudes beyond ±90°: the coordinates are not lon/lat degrees; "
                                    "give the right CRS with --src-crs")
    margin = 1.0  # degrees of slack around the official area of use
    inside = ((maxx >= aou.west - margin) & (minx <= aou.east + margin)
              & (maxy >= aou.south - margin) & (miny <= aou.north + margin) & finite)
    if not inside.any():
        f = finite
        raise LztInputError(
            source,
            f"all data lies outside the area of use of {crsmod.crs_string(dst)} ({aou.name}: "
            f"{aou.west:g}–{aou.east:g}°E, {aou.south:g}–{aou.north:g}°N); the data spans "
            f"{minx[f].min():.3f}–{maxx[f].max():.3f}°E, {miny[f].min():.3f}–{maxy[f].max():.3f}°N: "
            "wrong source CRS, or a workspace for another region")
    return int((~inside).sum())


def repair(geoms: np.ndarray, stats: GeometryStats) -> np.ndarray:
    """Count null/empty geometries and make invalid ones valid (same dimension kept)."""
    missing = shapely.is_missing(geoms)
    stats.null_geometries = int(missing.sum())
    empty = ~missing & shapely.is_empty(geoms)
    stats.empty_geometries = int(empty.sum())
    check = ~missing & ~empty
    invalid = np.zeros(len(geoms), dtype=bool)
    invalid[check] = ~shapely.is_valid(geoms[check])
    if invalid.any():
        geoms = geoms.copy()
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        geoms[invalid] = fixed
        stats.repaired = int(invalid.sum())
    return geoms


def promote_to_multi(geoms: np.ndarray, stats: GeometryStats) -> np.ndarray:
    """Mixed single/multi of one family (Polygon + MultiPolygon, ...) becomes all multi."""
    tid = shapely.get_type_id(geoms)
    present = tid >= 0
    kinds = set(np.unique(tid[present]).tolist())
    makers = {0: (4, shapely.multipoints), 1: (5, shapely.multilinestrings), 3: (6, shapely.multipolygons)}
    for single, (multi, make) in makers.items():
        if single in kinds and multi in kinds and kinds <= {single, multi}:
            idx = np.flatnonzero(tid == single)
            geoms = geoms.copy()
            geoms[idx] = make(geoms[idx], indices=np.arange(len(idx)))
            stats.promoted_to_multi = len(idx)
    return geoms
