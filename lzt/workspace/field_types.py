"""Attribute column types of a workspace layer and the values both backends bind for them.

A pandas column maps to one of the GeoPackage types (INTEGER, REAL, TEXT, BOOLEAN,
DATE, DATETIME, BLOB); its values become plain Python values with None for missing,
converted in bulk wherever the dtype allows.
"""

from __future__ import annotations

import functools
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
        text = iso_ms(arr)
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


class ColumnBatches:
    """``column_array(series.iloc[rows], ftype)`` for many ``rows`` of one column, with the
    column converted once (date-times to milliseconds, numbers and Arrow texts to numpy or
    Arrow arrays) and each batch taken from that without pandas' per-call indexing. Columns
    it has no fast path for go through ``column_array`` itself."""

    def __init__(self, series: pd.Series, ftype: str):
        self._series, self._ftype, self._take = series, ftype, None
        if ftype == "DATETIME":
            s = pd.to_datetime(series, errors="coerce")
            self._suffix = ""
            if getattr(s.dt, "tz", None) is not None:  # aware: stored in UTC with 'Z'
                s, self._suffix = s.dt.tz_convert("UTC").dt.tz_localize(None), "Z"
            self._ms = s.to_numpy(dtype="datetime64[ms]")
            self._take = self._datetimes
        elif ftype == "REAL" and pd.api.types.is_float_dtype(series.dtype):
            self._floats = series.to_numpy(dtype="float64", na_value=np.nan)
            self._take = self._reals
        elif ftype == "TEXT" and series.dtype == object:
            self._objects = series.to_numpy(dtype=object)
            self._take = self._object_texts
        elif (ftype == "TEXT" and pd.api.types.is_string_dtype(series.dtype)
              and hasattr(series.array, "__arrow_array__")):
            import pyarrow as pa

            self._arrow = pa.chunked_array(series.array.__arrow_array__()).combine_chunks()
            self._take = self._arrow_texts

    def take(self, rows) -> np.ndarray:
        """The values of ``rows`` (a slice or an integer array of positions)."""
        if self._take is None:
            return column_array(self._series.iloc[rows], self._ftype)
        return self._take(rows)

    def _datetimes(self, rows) -> np.ndarray:
        return iso_ms_objects(self._ms[rows], self._suffix)

    def _reals(self, rows) -> np.ndarray:
        arr = self._floats[rows]
        out = arr.astype(object)
        out[np.isnan(arr)] = None
        return out

    def _object_texts(self, rows) -> np.ndarray:
        obj = self._objects[rows]
        if pd.api.types.infer_dtype(obj, skipna=True) in ("string", "empty"):
            missing = pd.isna(obj)
            if all(v is None or v is pd.NA or v is pd.NaT or type(v) is float for v in obj[missing]):
                if missing.any():
                    obj = obj.copy()  # a slice is a view of the column
                    obj[missing] = None
                return obj
        return column_array(self._series.iloc[rows], self._ftype)

    def _arrow_texts(self, rows) -> np.ndarray:
        if isinstance(rows, slice):
            part = self._arrow.slice(rows.start, rows.stop - rows.start)
        else:
            part = self._arrow.take(rows)
        return part.to_numpy(zero_copy_only=False).astype(object, copy=False)


def iso_ms_objects(arr: np.ndarray, suffix: str = "") -> np.ndarray:
    """``iso_ms(arr)`` + ``suffix`` as an object array of str, None for NaT: the texts are cut
    from one ASCII string by ``str.split`` (in C), not converted from a fixed-width unicode
    array one by one (0.34 -> 0.12 s for a million)."""
    table = _iso_table(arr, suffix.encode("ascii") + b"\x1f")  # the separator: never in these texts
    if table is None:
        text = iso_ms(arr)
        text = (np.char.add(text, suffix) if suffix else text).astype(object)
        text[np.isnat(arr)] = None
        return text
    n = len(arr)
    text = np.empty(n, dtype=object)
    text[:] = table.tobytes().decode("ascii").split("\x1f")[:n]
    nat = np.isnat(arr)
    if nat.any():
        text[nat] = None
    return text


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


_DAY_MS = 86_400_000
_FAST_YEARS = (np.datetime64("1000-01-01", "D").astype(np.int64), np.datetime64("9999-12-31", "D").astype(np.int64))


def _ascii_table(text: np.ndarray, width: int) -> np.ndarray:
    """Fixed-width ASCII texts as a (n, width) uint8 table."""
    return np.frombuffer(text.astype(f"S{width}").tobytes(), dtype=np.uint8).reshape(len(text), width)


@functools.lru_cache(maxsize=1)
def _time_tables() -> tuple[np.ndarray, np.ndarray]:
    """"THH:MM:SS" of every second of a day and ".mmm" of every millisecond, as ASCII texts."""
    secs = _ascii_table(np.datetime_as_string(np.arange(_DAY_MS // 1000).astype("datetime64[s]")), 19)[:, 10:]
    return np.ascontiguousarray(secs).view("S9").ravel(), np.char.mod(".%03d", np.arange(1000)).astype("S4")


def iso_ms(arr: np.ndarray) -> np.ndarray:
    """``np.datetime_as_string(arr, unit="ms")`` (datetime64[ms] in, fixed-width text out,
    NaT as "NaT"), built from per-day, per-second and per-millisecond tables: a third of
    the time on a million values. Years outside 1000-9999 take numpy's own path."""
    table = _iso_table(arr)
    if table is None:
        return np.datetime_as_string(arr, unit="ms")
    text = table.view("S23").astype("U23")
    ok = ~np.isnat(arr)
    if not ok.all():
        text[~ok] = "NaT"
    return text


def _iso_table(arr: np.ndarray, tail: bytes = b"") -> np.ndarray | None:
    """The ISO texts of ``iso_ms`` (NaT rows hold some date), each followed by ``tail``, as
    fixed-width ASCII records (date, time, milliseconds, tail) gathered from per-day,
    per-second and per-millisecond tables; None where numpy's own ``datetime_as_string`` is
    the way (no date, years outside 1000-9999, few values spread over many days)."""
    ms = arr.view(np.int64)
    ok = ~np.isnat(arr)
    if not ok.any():
        return None
    day, tod = np.divmod(ms, _DAY_MS)
    lo, hi = int(day[ok].min()), int(day[ok].max())
    if lo < _FAST_YEARS[0] or hi > _FAST_YEARS[1] or hi - lo > len(arr) or len(arr) < 1000:
        return None
    days = np.datetime_as_string(np.arange(lo, hi + 1).astype("datetime64[D]")).astype("S10")
    secs, frac = _time_tables()
    fields = [("d", "S10"), ("s", "S9"), ("f", "S4")] + ([("t", f"S{len(tail)}")] if tail else [])
    out = np.empty(len(arr), dtype=np.dtype(fields))
    sec_i, ms_i = np.divmod(np.where(ok, tod, 0), 1000)
    out["d"] = days[np.where(ok, day - lo, 0)]
    out["s"] = secs[sec_i]
    out["f"] = frac[ms_i]
    if tail:
        out["t"] = tail
    return out


def shared_texts(series: pd.Series) -> pd.Series:
    """An Arrow-backed text column of few distinct values as an object column in which equal
    texts are one Python object: built from Arrow's dictionary in a fraction of the time of a
    million separate strings, and bound by sqlite3 without encoding each again. Other columns
    are returned as they are."""
    if len(series) < 10_000 or not hasattr(series.array, "__arrow_array__"):
        return series
    import pyarrow as pa
    import pyarrow.compute as pc

    col = pa.chunked_array(series.array.__arrow_array__())
    if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
        return series
    if len(pc.unique(col.slice(0, 10_000))) > 500:  # mostly distinct: nothing to share
        return series
    enc = pc.dictionary_encode(col).combine_chunks()
    if len(enc.dictionary) > len(series) // 8:
        return series
    values = np.append(enc.dictionary.to_numpy(zero_copy_only=False).astype(object), None)
    idx = enc.indices.fill_null(len(enc.dictionary)).to_numpy(zero_copy_only=False)
    return pd.Series(values[idx], index=series.index, dtype=object)


def _kind(v) -> str | None:
    """The kind of a plain value for ``plain_columns`` (None: one it does not type)."""
    if v is None:
        return "none"
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, np.integer)):
        return "int" if -(1 << 63) <= int(v) < (1 << 63) else None
    if isinstance(v, (float, np.floating)):
        return "float"
    if isinstance(v, str):
        return "str"
    return None


def plain_columns(records: list[dict]) -> tuple[list[str], dict[str, str], list[np.ndarray]] | None:
    """Column names (in the records' order), workspace types and the values sqlite3 binds of plain
    Python records (str, bool, int, float, None), typed as ``pd.DataFrame(records)`` with
    ``field_type`` and ``column_array`` type them, without pandas: a bool column with None is
    BOOLEAN, an int column with None (or with floats) REAL, a column of None alone TEXT, NaN is
    missing. None when a record lacks a key or a column mixes kinds this does not type (the
    caller builds the frame then)."""
    if not records:
        return None
    names = list(records[0])
    if any(list(r) != names for r in records[1:]):
        return None
    ftypes: dict[str, str] = {}
    out = []
    for name in names:
        vals = [r[name] for r in records]
        kinds = {_kind(v) for v in vals}
        if None in kinds:
            return None
        missing = "none" in kinds
        kinds.discard("none")
        arr = np.empty(len(vals), dtype=object)
        if not kinds:  # None alone: an object column, TEXT
            ftype = "TEXT"
        elif kinds == {"bool"}:
            ftype = "BOOLEAN"
            arr[:] = [None if v is None else int(bool(v)) for v in vals]
        elif kinds == {"int"} and not missing:
            ftype = "INTEGER"
            arr[:] = [int(v) for v in vals]
        elif kinds <= {"int", "float"}:
            ftype = "REAL"
            arr[:] = [None if v is None or v != v else float(v) for v in vals]
        elif kinds == {"str"}:
            ftype = "TEXT"
            arr[:] = vals
        else:
            return None
        ftypes[name] = ftype
        out.append(arr)
    return names, ftypes, out
