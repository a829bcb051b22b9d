"""Attribute column types of a workspace layer and the values both backends bind for them.

A pandas column maps to one of the GeoPackage types (INTEGER, REAL, TEXT, BOOLEAN,
DATE, DATETIME, BLOB); its values become plain Python values with None for missing,
converted in bulk wherever the dtype allows.
"""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np

from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")


def field_type(series: pd.Series) -> str:
    """The workspace column type of a pandas column."""
    dt = series.dtype
    if pd.api.types.is_bool_dtype(dt):
        return "BOOLEAN"
    if pd.api.types.is_integer_dtype(dt):
        return "INTEGER"
    if pd.api.types.is_float_dtype(dt):
        return "REAL"
    if pd.api.types.is_datetime64_any_dtype(dt):
        return "DATETIME"
    if dt == object:
        sample = series.dropna()
        sample = sample.iloc[: 1000]
        if len(sample) and all(isinstance(v, (bool, np.bool_)) for v in sample):
            return "BOOLEAN"
        if len(sample) and all(isinstance(v, (bytes, bytearray)) for v in sample):
            return "BLOB"
        if len(sample) and all(type(v).__name__ == "date" for v in sample):
            return "DATE"
        if len(sample) and all(isinstance(v, datetime) for v in sample):
            return "DATETIME"
    return "TEXT"


def column_values(series: pd.Series, ftype: str) -> list:
    """Python values sqlite3 can bind, NULL for missing."""
    return column_array(series, ftype).tolist()


def column_array(series: pd.Series, ftype: str) -> np.ndarray:
    """``column_values`` as an object array, converted in bulk wherever the dtype allows."""
    n = len(series)
    if ftype == "DATETIME":
        s = pd.to_datetime(series, errors="coerce")
        suffix = ""
        if getattr(s.dt, "tz", None) is not None:  # aware: stored in UTC with 'Z'
            s, suffix = s.dt.tz_convert("UTC").dt.tz_localize(None), "Z"
        arr = s.to_numpy(dtype="datetime64[ms]")
        text = np.datetime_as_string(arr, unit="ms")
        text = (np.char.add(text, suffix) if suffix else text).astype(object)
        text[np.isnat(arr)] = None
        return text
    if ftype == "REAL":
        arr = series.to_numpy(dtype="float64", na_value=np.nan)
        out = arr.astype(object)
        out[np.isnan(arr)] = None
        return out
    if ftype == "INTEGER" or (ftype == "BOOLEAN" and pd.api.types.is_bool_dtype(series.dtype)):
        missing = series.isna().to_numpy()
        if not missing.any():
            return series.to_numpy(dtype=np.int64).astype(object)
        if ftype == "INTEGER" and series.dtype != object:
            out = np.full(n, None, dtype=object)
            out[~missing] = series[~missing].to_numpy(dtype=np.int64).astype(object)
            return out
    if ftype == "TEXT":
        if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
            return series.to_numpy(dtype=object, na_value=None)  # pandas/Arrow strings
        obj = series.to_numpy(dtype=object)
        if pd.api.types.infer_dtype(obj, skipna=True) in ("string", "empty"):
            missing = pd.isna(obj)
            if all(v is None or v is pd.NA or v is pd.NaT or type(v) is float for v in obj[missing]):
                obj = obj.copy()
                obj[missing] = None
                return obj
    return np.array(_column_values_by_row(series, ftype), dtype=object)


def _column_values_by_row(series: pd.Series, ftype: str) -> list:
    """One value at a time, for the dtypes the bulk conversions do not cover."""
    if ftype == "DATE":
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v.isoformat()
                for v in series.astype(object)]
    if ftype == "BOOLEAN":
        return [None if pd.isna(v) else int(bool(v)) for v in series.astype(object)]
    if ftype == "INTEGER":
        return [None if pd.isna(v) else int(v) for v in series.astype(object)]
    if ftype == "BLOB":
        return [None if v is None else bytes(v) for v in series.astype(object)]
    obj = series.astype(object)
    return [None if (v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA
                     or v is pd.NaT) else str(v) for v in obj]
