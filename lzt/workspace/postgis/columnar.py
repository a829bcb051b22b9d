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

from lzt.core.lazy import lazy_module
from lzt.workspace.postgis.ddl import col_out, geom_out
from lzt.workspace.postgis.sql import q
from lzt.workspace.rows import to_series

gpd = lazy_module("geopandas")
pd = lazy_module("pandas")

_NULL_I8 = "'\\x8000000000000000'::bytea"  # int64 minimum: NaT for date-times
_NAN_F8 = "'\\x7ff8000000000000'::bytea"  # NaN (what the row path makes of NULL in a REAL column)
# date-times the row path's ISO text parses to (pd.to_datetime(errors="coerce")): years 1 to 9999;
# outside (BC, five-digit years, infinity): NaT
_US = ("CASE WHEN {c} >= '0001-01-01' AND {c} < '10000-01-01' "
       "THEN (extract(epoch FROM {c}) * 1000000)::int8 END")
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
            parts.append(f"string_agg(coalesce(int8send({_US.format(c=col)}), {_NULL_I8}), '')")
            how.append("us")
        else:
            parts.append(f"array_agg({col_out(alias, c, ftype)})")
            how.append("list")
    return ", ".join(parts), how


def columns_frame(row: tuple | None, how: list[str], cols: list[str], types: dict[str, str], crs,
                  decode_geometries) -> gpd.GeoDataFrame:
    """The GeoDataFrame (index fid, ascending) of one aggregate row from ``aggregate_select``."""
    fids = np.frombuffer(row[0], dtype=">i8").astype(np.int64) if row and row[0] is not None \
        else np.zeros(0, dtype=np.int64)
    n = len(fids)
    order = None if n < 2 or bool((np.diff(fids) > 0).all()) else np.argsort(fids, kind="stable")
    if order is not None:
        fids = fids[order]
    index = pd.Index(fids, name="fid")
    data: dict[str, Any] = {}
    geoms = None
    off = 2 if "geom" in how else 1
    for j, kind in enumerate(how[1:], start=1):
        value = row[j] if n else None
        if kind == "geom":
            blobs = [] if value is None else list(value)
            if order is not None:
                blobs = [blobs[i] for i in order]
            geoms = decode_geometries(blobs) if n else np.empty(0, dtype=object)
            continue
        c = cols[j - off]
        if kind == "f8":
            arr = np.frombuffer(value, dtype=">f8").astype(np.float64) if n else np.zeros(0)
            s = pd.Series(arr if order is None else arr[order])
        elif kind == "us":
            us = np.frombuffer(value, dtype=">i8").astype(np.int64) if n else np.zeros(0, dtype=np.int64)
            us = (us if order is None else us[order]).view("datetime64[us]")  # int64 minimum: NaT
            if np.isnat(us).all():  # as the row path: no date-time parsed, pandas' unit for none
                s = to_series([None] * n, "DATETIME")
            else:
                if _datetime_dtype() == np.dtype("M8[ns]"):  # pandas 2: outside 1677-2262 the cast wraps
                    out_of_range = (us < np.datetime64("1677-09-22", "us")) | (us > np.datetime64("2262-04-11", "us"))
                    us = np.where(out_of_range, np.datetime64("NaT", "us"), us)  # NaT, as the row path
                s = pd.Series(us.astype(_datetime_dtype()))
        else:
            raw = [] if value is None else list(value)
            if order is not None:
                raw = [raw[i] for i in order]
            s = to_series(raw, types[c])
        data[c] = s.set_axis(index)
    df = pd.DataFrame(data, index=index)
    if geoms is None:
        geoms = np.full(n, None)
    if "geometry" in data:  # an attribute of that name: let geopandas sort it out
        return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, index=df.index, crs=crs), crs=crs)
    df["geometry"] = gpd.array.GeometryArray(np.asarray(geoms, dtype=object), crs=crs)
    return gpd.GeoDataFrame(df, geometry="geometry")
