"""Bulk conversions of lzt.workspace.field_types against numpy's and pandas' own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lzt.workspace.field_types import ColumnBatches, column_array, iso_ms, iso_ms_objects, shared_texts


@pytest.mark.parametrize("start, span_days, n", [("2024-01-01", 730, 50_000), ("1969-12-31", 30_000, 5_000),
                                                 ("1000-01-01", 10, 2_000), ("9999-12-01", 20, 2_000),
                                                 ("2024-01-01", 1, 500)])
def test_iso_ms_is_numpys_datetime_as_string(start, span_days, n):
    rng = np.random.default_rng(n)
    arr = np.datetime64(start, "ms") + rng.integers(0, span_days * 86_400_000, n).astype("timedelta64[ms]")
    arr[rng.random(n) < 0.05] = np.datetime64("NaT")
    assert (iso_ms(arr) == np.datetime_as_string(arr, unit="ms")).all()


def test_shared_texts_keep_values_and_nulls():
    rng = np.random.default_rng(0)
    cats = np.array(["噪声扰民", "市容环境", "交通出行", None], dtype=object)
    s = pd.Series(cats[rng.integers(0, 4, 40_000)], dtype="str")
    shared = shared_texts(s)
    assert shared.dtype == object
    assert list(column_array(shared, "TEXT")) == list(column_array(s, "TEXT"))
    texts = [v for v in shared if v is not None]
    assert len({id(v) for v in texts}) == 3  # one object per distinct text
    unique = pd.Series([f"LG{i}" for i in range(40_000)], dtype="str")
    assert shared_texts(unique) is unique  # mostly distinct: left as it is


def _columns(n: int) -> dict[str, pd.Series]:
    rng = np.random.default_rng(n)
    ms = np.datetime64("2024-01-01", "ms") + rng.integers(0, 400 * 86_400_000, n).astype("timedelta64[ms]")
    ms[rng.random(n) < 0.1] = np.datetime64("NaT")
    texts = np.array([f"LG{i}" if i % 7 else None for i in range(n)], dtype=object)
    floats = rng.random(n)
    floats[rng.random(n) < 0.1] = np.nan
    mixed = np.array([i if i % 3 else f"t{i}" for i in range(n)], dtype=object)
    return {
        "datetime": (pd.Series(ms), "DATETIME"),
        "datetime_s": (pd.Series(ms.astype("datetime64[s]")), "DATETIME"),
        "aware": (pd.Series(ms).dt.tz_localize("Asia/Shanghai"), "DATETIME"),
        "old_years": (pd.Series((ms - np.timedelta64(600 * 365, "D")).astype("datetime64[s]")), "DATETIME"),
        "arrow_text": (pd.Series(texts, dtype="str"), "TEXT"),
        "object_text": (pd.Series(np.where(pd.isna(texts), np.nan, texts), dtype=object), "TEXT"),
        "mixed_object": (pd.Series(mixed, dtype=object), "TEXT"),
        "real": (pd.Series(floats), "REAL"),
        "nullable_real": (pd.Series(floats, dtype="Float64"), "REAL"),
        "integer": (pd.Series(rng.integers(0, 9, n)), "INTEGER"),
    }


@pytest.mark.parametrize("n", [600, 5_000])
def test_column_batches_take_what_column_array_gives(n):
    rng = np.random.default_rng(1)
    order = rng.permutation(n)
    columns = _columns(n)
    for name, (series, ftype) in columns.items():
        src = ColumnBatches(series, ftype)
        for rows in (slice(0, n), slice(n // 3, n // 3 + 257), order[:1200], order):
            got, want = src.take(rows).tolist(), column_array(series.iloc[rows], ftype).tolist()
            assert got == want, name
            assert [type(v) for v in got] == [type(v) for v in want], name
    obj = columns["object_text"][0]  # the column is not changed by the takes (NaN stays NaN)
    assert all(type(v) is float for v in obj[obj.isna()]) and obj.isna().sum() > 0


def test_iso_ms_objects_is_iso_ms_with_none_for_nat():
    rng = np.random.default_rng(2)
    arr = np.datetime64("2020-02-28", "ms") + rng.integers(0, 900 * 86_400_000, 20_000).astype("timedelta64[ms]")
    arr[::13] = np.datetime64("NaT")
    want = [None if t == "NaT" else t + "Z" for t in iso_ms(arr)]
    assert iso_ms_objects(arr, "Z").tolist() == want
