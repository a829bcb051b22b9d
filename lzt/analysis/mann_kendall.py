"""The Mann–Kendall trend test, vectorised over many series of equal length.

Mann (1945), Kendall (1975): S = Σ_{i<j} sign(x_j − x_i); under no trend S has mean 0
and variance [n(n−1)(2n+5) − Σ_p t_p(t_p−1)(2t_p+5)] / 18, the sum running over groups
of t_p tied values. The test statistic is Z = (S − 1)/√Var for S > 0, (S + 1)/√Var for
S < 0, 0 otherwise (continuity correction), with a two-sided normal p-value; Kendall's
tau = S / (n(n−1)/2). This is the form ArcGIS Pro's Emerging Hot Spot Analysis applies to
each location's Gi* z-score series ("How Emerging Hot Spot Analysis works") and the form
of ``pymannkendall.original_test`` (the tests compare both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr


@dataclass
class MannKendall:
    """Per series: S, its variance, Z, the two-sided p-value and Kendall's tau."""

    s: np.ndarray
    var_s: np.ndarray
    z: np.ndarray
    p: np.ndarray
    tau: np.ndarray


def mann_kendall(series: np.ndarray) -> MannKendall:
    """The test on each row of ``series`` (rows = series, columns = time, oldest first)."""
    x = np.atleast_2d(np.asarray(series, dtype=float))
    rows, n = x.shape
    s = np.zeros(rows)
    for k in range(1, n):  # n(n-1)/2 comparisons as n-1 vectorised lags
        s += np.sign(x[:, k:] - x[:, :-k]).sum(axis=1)
    var_s = (n * (n - 1) * (2 * n + 5) - _tie_term(x)) / 18.0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(s > 0, (s - 1) / np.sqrt(var_s), np.where(s < 0, (s + 1) / np.sqrt(var_s), 0.0))
    z = np.where(var_s > 0, z, 0.0)
    p = 2.0 * ndtr(-np.abs(z))
    tau = s / (0.5 * n * (n - 1)) if n > 1 else np.zeros(rows)
    return MannKendall(s=s, var_s=var_s, z=z, p=p, tau=tau)


def _tie_term(x: np.ndarray) -> np.ndarray:
    """Σ t(t−1)(2t+5) over the groups of tied values of each row."""
    rows, n = x.shape
    if rows == 0 or n == 0:
        return np.zeros(rows)
    srt = np.sort(x, axis=1)
    new = np.ones_like(srt, dtype=bool)
    new[:, 1:] = srt[:, 1:] != srt[:, :-1]
    flat = new.ravel()
    run = np.cumsum(flat) - 1
    t = np.bincount(run).astype(float)
    row_of_run = np.flatnonzero(flat) // n
    return np.bincount(row_of_run, weights=t * (t - 1) * (2 * t + 5), minlength=rows)
