"""Import steps for point tables held as coordinates (``LoadedLayer.xy``), not point objects.

The same arithmetic as ``lzt.ingest.geometry`` on shapely points (China offsets, the
area-of-use check, reprojection), on an n x 2 array with NaN for rows without a location:
a million-row CSV is reprojected without building (and freeing) a million lon/lat points,
and each point is built once, in the workspace CRS.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS

from lzt.core import chinacoords
from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError
from lzt.ingest.geometry import check_area_of_use, shift_metres


def located(xy: np.ndarray) -> np.ndarray:
    """Rows with a location (both coordinates finite)."""
    return np.isfinite(xy).all(axis=1)


def bounds(xy: np.ndarray) -> np.ndarray:
    """minx, miny, maxx, maxy of the located rows (all NaN when there is none)."""
    ok = located(xy)
    if not ok.any():
        return np.full(4, np.nan)
    p = xy[ok]
    return np.array([p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()])


def _apply(xy: np.ndarray, func, ok: np.ndarray | None = None) -> np.ndarray:
    ok = located(xy) if ok is None else ok
    out = np.full(xy.shape, np.nan)
    if ok.all():  # no row to leave out: no masked copies
        out[:, 0], out[:, 1] = func(xy[:, 0], xy[:, 1])
    elif ok.any():
        x, y = func(xy[ok, 0], xy[ok, 1])
        out[ok, 0], out[ok, 1] = x, y
    return out


def convert_china_offsets(xy: np.ndarray, coords: str, source: str) -> np.ndarray:
    """GCJ-02 / BD-09 lon/lat -> WGS84 lon/lat (``geometry.convert_china_offsets`` on points)."""
    if coords in (None, "wgs84", "cgcs2000"):
        return xy
    b = bounds(xy)
    if not np.isnan(b).all() and not crsmod.looks_like_lonlat(*b):
        raise LztInputError(source, f"--coords {coords} needs lon/lat degrees, but the coordinates "
                                    f"span {b[0]:.0f},{b[1]:.0f} – {b[2]:.0f},{b[3]:.0f}")
    return _apply(xy, lambda x, y: chinacoords.to_wgs84(x, y, coords))


def offset_summary(before: np.ndarray, after: np.ndarray) -> dict:
    """``geometry.offset_summary`` for points: each located row is one feature and one vertex."""
    ok = located(before)
    b, a = before[ok], after[ok]
    if not len(b):
        return {"moved": 0, "features": 0, "median_m": 0.0}
    d = shift_metres(b, a)
    moved = d > 1e-6
    return {"moved": int(moved.sum()), "features": int(len(b)),
            "median_m": round(float(np.median(d[moved])), 1) if moved.any() else 0.0}


def reproject(xy: np.ndarray, src: CRS, dst: CRS, source: str) -> tuple[np.ndarray, int]:
    """``geometry.reproject`` for points: the coordinates in ``dst`` and how many lie outside
    its area of use; the same input errors."""
    ok = located(xy)
    if not ok.any():
        return xy, 0
    every = bool(ok.all())
    if dst.area_of_use is None:
        outside = 0
    else:
        lonlat = xy if every else xy[ok]
        if not src.is_geographic:
            lonlat = _apply(lonlat, lambda x, y: crsmod.transformer(src, CRS.from_epsg(4326)).transform(x, y))
        outside = check_area_of_use(lonlat, src, dst, source)  # points: n x 2
    if crsmod.crs_string(src) == crsmod.crs_string(dst):
        return xy, outside
    tr = crsmod.transformer(src, dst)
    out = _apply(xy, lambda x, y: tr.transform(x, y), ok)
    bad = ~np.isfinite(out).all(axis=1) & ok
    if bad.any():
        raise LztInputError(source, f"{int(bad.sum())} features cannot be expressed in "
                                    f"{crsmod.crs_string(dst)} (outside the projection's domain); "
                                    "check the source CRS (--src-crs)")
    return out, outside


def points(xy: np.ndarray) -> np.ndarray:
    """Shapely points of the located rows, None elsewhere."""
    ok = located(xy)
    out = np.full(len(xy), None, dtype=object)
    if ok.any():
        out[ok] = shapely.points(xy[ok, 0], xy[ok, 1])
    return out
