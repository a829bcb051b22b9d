"""Feature reads of a PostGIS workspace as columns: one row of aggregates instead of a row per feature.

A 1 km² window of the 1M-point benchmark layer (~2,140 features, five attributes) spent its client
time building a Python tuple per row, transposing them, and parsing ISO date-time text (cProfile:
psycopg fetch + transpose ~2 ms CPU, date-time parsing and the frame ~3.5 ms, of ~9 ms). Here the
server aggregates each column: fids, floats and ``timestamp`` values as one ``bytea`` of
big-endian fixed-width values (``string_agg`` of ``int8send``/``float8send``, a sentinel for
NULL), decoded with one ``numpy.frombuffer``; the geometries as one array of WKB (points decoded
in numpy); other columns as one array each (a list, no per-row tuple). Values, dtypes and NULLs
are the same as the row path (``VectorRowsMixin._frame``): only the transport changes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from lzt.core.lazy import lazy_module
from lzt.workspace.postgis.copy_rows import _WKB_POINT
from lzt.workspace.postgis.ddl import col_out, geom_out
from lzt.workspace.postgis.sql import q
from lzt.workspace.rows import to_series

gpd = lazy_module("geopandas")
pd = lazy_module("pandas")

_NULL_I8 = "'\\x8000000000000000'::bytea"  # int64 minimum: NaT for date-times
_NAN_F8 = "'\\x7ff8000000000000'::bytea"  # NaN (what the row path makes of NULL in a REAL column)
# ``timestamp_send``: microseconds since 2000-01-01 (infinities: the int64 extremes). Cheaper on the
# server than ``extract(epoch ...)``, whose numeric arithmetic took 0.55 of a window's 1.8 ms.
_Y2000_US = 946_684_800_000_000
# date-times the row path's ISO text parses to (pd.to_datetime(errors="coerce")): years 1 to 9999;
# outside (BC, five-digit years, infinity): NaT
_FIRST_US = -62_135_596_800_000_000  # 0001-01-01, microseconds since 1970
_END_US = 253_402_300_800_000_000  # 10000-01-01
_parsed_dtype = None


def _datetime_dtype():
    """The dtype ``to_series`` gives ISO date-time text (datetime64[us] with pandas 3, [ns] before)."""
    global _parsed_dtype
    if _parsed_dtype is None:
        _parsed_dtype = to_series(["2000-01-01T00:00:00.000001"], "DATETIME").dtype
    return _parsed_dtype


def aggregate_select(alias: str, cols: list[str], types: dict[str, str], pg_types: dict[str, str],
                     geometry: bool) -> tuple[str, list[str]]:
    """The aggregate list for ``SELECT ... FROM (rows) alias`` and how each column is carried
    (``fid``, ``geom``, ``i8``, ``f8``, ``us`` or ``list``)."""
    parts = [f"string_agg(int8send({alias}.fid), '')"]
    how = ["fid"]
    if geometry:
        parts.append(f"array_agg({geom_out(alias)})")
        how.append("geom")
    for c in cols:
        col, ftype = f"{alias}.{q(c)}", types[c]
        if ftype == "REAL":
            parts.append(f"string_agg(coalesce(float8send({col}::float8), {_NAN_F8}), '')")
            how.append("f8")
        elif ftype == "DATETIME" and pg_types.get(c) == "timestamp":
            parts.append(f"string_agg(coalesce(timestamp_send({col}), {_NULL_I8}), '')")
            how.append("us")
        else:
            parts.append(f"array_agg({col_out(alias, c, ftype)})")
            how.append("list")
    return ", ".join(parts), how


def _microseconds(value, n: int) -> np.ndarray:
    """``timestamp_send`` values as datetime64[us] since 1970; NULL, infinities and years outside
    1-9999 as NaT (what the row path's ISO text parses to)."""
    if not n:
        return np.zeros(0, dtype="datetime64[us]")
    raw = np.frombuffer(value, dtype=">i8").astype(np.int64)
    us = raw + _Y2000_US  # the sentinels: int64 minimum stays far below 0001-01-01, maximum wraps
    bad = (raw == np.iinfo(np.int64).max) | (us < _FIRST_US) | (us >= _END_US)
    us[bad] = np.iinfo(np.int64).min  # NaT
    return us.view("datetime64[us]")


def _points(blobs: list, bbox):
    """(x, y, keep) of 2D point WKB values when every value is one, keep = inside ``bbox`` (None
    when there is none); None for any other geometry (the caller decodes those)."""
    try:
        if not blobs or set(map(len, blobs)) != {21}:  # in C: a tenth of a generator's time
            return None
    except TypeError:  # a None among them
        return None
    rec = np.frombuffer(b"".join(blobs), dtype=_WKB_POINT)
    if not ((rec["order"] == 1).all() and (rec["type"] == 1).all()):
        return None
    x, y = rec["x"], rec["y"]
    if np.isnan(x).any() or np.isnan(y).any():  # POINT EMPTY: shapely decides
        return None
    keep = None
    if bbox is not None:  # shapely.intersects(point, box): inside or on the boundary
        keep = (x >= bbox[0]) & (x <= bbox[2]) & (y >= bbox[1]) & (y <= bbox[3])
    return x, y, keep


def columns_frame(row: tuple | None, how: list[str], cols: list[str], types: dict[str, str], crs,
                  decode_geometries, bbox=None) -> gpd.GeoDataFrame:
    """The GeoDataFrame (index fid, ascending) of one aggregate row from ``aggregate_select``.

    ``bbox``: keep only the features whose geometry intersects that box (``shapely.intersects``),
    chosen before any column is built."""
    fids = np.frombuffer(row[0], dtype=">i8").astype(np.int64) if row and row[0] is not None \
        else np.zeros(0, dtype=np.int64)
    n = len(fids)
    sel = None if n < 2 or bool((np.diff(fids) > 0).all()) else np.argsort(fids, kind="stable")
    geoms = None
    if "geom" in how:
        value = row[how.index("geom")] if n else None
        blobs = [] if value is None else list(value)
        pts = _points(blobs, bbox)
        if pts is not None:
            x, y, keep = pts
            if keep is not None and not keep.all():
                sel = np.flatnonzero(keep) if sel is None else sel[keep[sel]]
            if sel is not None:
                x, y = x[sel], y[sel]
            geoms = shapely.points(np.ascontiguousarray(x), np.ascontiguousarray(y))
        else:
            geoms = decode_geometries(blobs) if n else np.empty(0, dtype=object)
            if sel is not None:
                geoms = geoms[sel]
            if bbox is not None and len(geoms):
                inside = shapely.intersects(geoms, shapely.box(*bbox))
                if not inside.all():
                    geoms = geoms[inside]
                    sel = np.flatnonzero(inside) if sel is None else sel[inside]
    if sel is not None:
        fids = fids[sel]
    m = len(fids)
    index = pd.Index(fids, name="fid")
    data: dict[str, Any] = {}
    off = 2 if "geom" in how else 1
    for j, kind in enumerate(how[1:], start=1):
        if kind == "geom":
            continue
        value = row[j] if n else None
        c = cols[j - off]
        if kind == "f8":
            arr = np.frombuffer(value, dtype=">f8").astype(np.float64) if n else np.zeros(0)
            s = pd.Series(arr if sel is None else arr[sel], index=index, copy=False)
        elif kind == "us":
            us = _microseconds(value, n)
            if sel is not None:
                us = us[sel]
            if np.isnat(us).all():  # as the row path: no date-time parsed, pandas' unit for none
                s = to_series([None] * m, "DATETIME").set_axis(index)
            else:
                if _datetime_dtype() == np.dtype("M8[ns]"):  # pandas 2: outside 1677-2262 the cast wraps
                    out_of_range = (us < np.datetime64("1677-09-22", "us")) | (us > np.datetime64("2262-04-11", "us"))
                    us = np.where(out_of_range, np.datetime64("NaT", "us"), us)  # NaT, as the row path
                s = pd.Series(us.astype(_datetime_dtype(), copy=False), index=index, copy=False)
        else:
            raw = [] if value is None else list(value)
            if sel is not None:
                raw = [raw[i] for i in sel.tolist()]
            s = to_series(raw, types[c]).set_axis(index)
        data[c] = s
    if geoms is None:
        geoms = np.full(m, None)
    if "geometry" in data:  # an attribute of that name: let geopandas sort it out
        df = pd.DataFrame(data, index=index)
        return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, index=df.index, crs=crs), crs=crs)
    data["geometry"] = pd.Series(gpd.array.GeometryArray(np.asarray(geoms, dtype=object), crs=crs),
                                 index=index, copy=False)
    return _geo_frame(pd.DataFrame(data, index=index, copy=False))


def _geo_frame(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """``df`` (its last column "geometry", a GeometryArray with the CRS) as a GeoDataFrame.

    As geopandas itself makes the frames of its slices (``GeoDataFrame._constructor_from_mgr``):
    on the same columns, without ``set_geometry``'s checks and copy, which took half of a window's
    frame (0.65 of 1.3 ms CPU); the public constructor where that pandas hook is missing."""
    from_mgr = getattr(gpd.GeoDataFrame, "_from_mgr", None)
    if from_mgr is None:  # pragma: no cover - pandas < 2.1
        return gpd.GeoDataFrame(df, geometry="geometry", copy=False)
    gdf = from_mgr(df._mgr, df._mgr.axes)
    gdf._geometry_column_name = "geometry"
    return gdf
