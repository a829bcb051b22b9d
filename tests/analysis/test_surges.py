"""Surges: the count model's expectation and tail probability, recomputed by hand."""

import numpy as np
import pytest
from scipy import stats

from lzt.analysis.surges import BASELINE, surges, upper_tail


def test_upper_tail_is_poisson_or_negative_binomial():
    assert upper_tail(np.array([3]), np.array([1.0]), np.array([1.0]))[0] == pytest.approx(stats.poisson.sf(2, 1.0))
    # mean 2, variance 6 -> size r = 4/(6-2) = 1, p = r/(r+mu) = 1/3
    assert upper_tail(np.array([5]), np.array([2.0]), np.array([6.0]))[0] == pytest.approx(stats.nbinom.sf(4, 1, 1 / 3))
    assert upper_tail(np.array([0]), np.array([2.0]), np.array([2.0]))[0] == 1.0


def test_expected_count_and_probability_without_a_year_of_history():
    m, g, _ = BASELINE["week"]
    series = np.array([[2, 1, 3, 2, 2, 1, 3, 2, 9, 12], [0, 0, 0, 0, 0, 0, 0, 0, 0, 6]])
    res = surges(series, np.array([0, 0]), 9, kind="week", per_year=52, alpha=0.001, min_count=5)
    trail = series[:, 9 - g - m:9 - g]
    mu = (trail.sum(axis=1) + 0.5) / m
    np.testing.assert_allclose(res.expected, mu)
    assert not res.seasonal and res.trailing == m and res.guard == g
    # pooled dispersion of the category: Pearson statistic over the trailing windows
    tm = trail[0].mean()
    phi = max(((trail[0] - tm) ** 2 / tm).sum() / (m - 1), 1.0)
    assert res.dispersion[0] == pytest.approx(phi)
    assert res.probability[1] == pytest.approx(upper_tail(np.array([6]), mu[1:], phi * mu[1:] * (1 + 1 / m))[0])
    assert res.alarm.tolist() == [True, True]


def test_min_count_and_no_alarm_on_a_steady_series():
    steady = np.tile([5, 6, 4, 5, 6, 5, 4, 5, 6, 5], (1, 1))
    assert not surges(steady, np.array([0]), 9, kind="week", per_year=52).alarm[0]
    few = np.array([[0] * 9 + [4]])
    assert not surges(few, np.array([0]), 9, kind="week", per_year=52, min_count=5).alarm[0]


def test_seasonal_factor_from_the_year_before():
    m, g, w = BASELINE["month"]
    n = 12 + w + m + g + 2
    base = np.full(n + 1, 10.0)
    base[n - 12 - w:n - 12 + w + 1] = 20.0  # a year ago this season doubled the level
    res = surges(base[None, :].astype(int), np.array([0]), n, kind="month", per_year=12)
    assert res.seasonal
    assert res.seasonal_factor[0] == pytest.approx(2.0)
    assert res.expected[0] == pytest.approx(2.0 * (10 * m + 0.5) / m)
