"""Bulk conversions of lzt.workspace.field_types against numpy's and pandas' own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lzt.workspace.field_types import column_array, iso_ms, shared_texts


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
