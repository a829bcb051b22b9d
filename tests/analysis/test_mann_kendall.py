"""Mann–Kendall against pymannkendall (a test-only oracle) on the same series."""

import numpy as np
import pymannkendall
import pytest

from lzt.analysis.mann_kendall import mann_kendall


@pytest.mark.parametrize("n", [4, 7, 12, 24])
def test_matches_pymannkendall_on_random_series_with_ties(n):
    rng = np.random.default_rng(n)
    series = np.vstack([rng.normal(size=n), np.round(rng.normal(size=n), 0),  # many ties
                        np.arange(n) + rng.normal(0, 0.5, n), -np.arange(n, dtype=float),
                        np.r_[np.zeros(n - 1), 3.0]])
    got = mann_kendall(series)
    for i, s in enumerate(series):
        ref = pymannkendall.original_test(s)
        assert got.s[i] == pytest.approx(ref.s)
        assert got.var_s[i] == pytest.approx(ref.var_s)
        assert got.z[i] == pytest.approx(ref.z)
        assert got.p[i] == pytest.approx(ref.p)
        assert got.tau[i] == pytest.approx(ref.Tau)


def test_constant_series_has_no_trend():
    got = mann_kendall(np.ones((2, 10)))
    assert (got.z == 0).all() and (got.p == 1).all()
