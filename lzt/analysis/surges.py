"""Surges (异动): this period's count of a category in an area against its own baseline.

A count model of the public-health outbreak-detection family (DOMAIN.md §7.3, [M] there):

- Baseline periods as in CDC EARS C2/C3 (Hutwagner et al. 2003, "The bioterrorism
  preparedness and response Early Aberration Reporting System (EARS)", J Urban Health
  80(2 Suppl 1)): the ``trailing`` periods before the one examined, separated from it by a
  ``guard`` band, so that the first days of an outbreak do not raise its own baseline.
- Seasonality and small counts as in Farrington et al. 1996 ("A statistical algorithm for
  the early detection of outbreaks of infectious disease", JRSS A 159:547–563) and its
  improved form, Noufaily et al. 2013 (Statistics in Medicine 32:1206–1222): counts are
  quasi-Poisson (variance φ·μ, φ ≥ 1 estimated from the baseline), a year-earlier window
  (the same period ± w, against the trailing window that preceded it a year earlier)
  gives a seasonal factor, the alarm threshold is an upper quantile of a negative-binomial
  predictive distribution (Noufaily's choice over Farrington's 2/3-power transform), and no
  alarm is raised on fewer than ``min_count`` records (Farrington's "at least 5 reports"
  rule for rare organisms, [M]).
- Our choices [P]: the seasonal factor is taken per category from the whole district's
  series (a cell's own year-earlier counts are too few to estimate it) and bounded to
  [1/2, 2]; φ is pooled per category over the areas' trailing windows; the expected count
  is φ-free: μ = f · (Σ trailing + ½) / m (½: the Jeffreys prior, so an area with an empty
  baseline still has a finite expectation).

``probability`` is P(Y ≥ observed) under the predictive distribution; an alarm needs it
below ``alpha`` and at least ``min_count`` records.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

#: per period kind: trailing periods, guard band, half-width of the year-earlier window [P]
BASELINE = {"day": (28, 2, 7), "week": (8, 1, 3), "month": (6, 0, 1)}


@dataclass
class SurgeResult:
    """Per series (rows) for the examined period ``t``."""

    observed: np.ndarray
    expected: np.ndarray
    probability: np.ndarray
    alarm: np.ndarray
    seasonal_factor: np.ndarray  # per row (its category's)
    dispersion: np.ndarray
    seasonal: bool  # was a year-earlier window available
    trailing: int
    guard: int


def history_needed(kind: str, per_year: int) -> int:
    """Periods of history (before the examined one) the full model uses."""
    m, g, w = BASELINE[kind]
    return per_year + w + g + m


def surges(counts: np.ndarray, group: np.ndarray, t: int, *, kind: str, per_year: int,
           alpha: float = 0.001, min_count: int = 5, pooled_dispersion: bool = True) -> SurgeResult:
    """Surge test of column ``t`` of ``counts`` (series × periods), one row per category × area.

    ``group`` gives each row's category (ints): the seasonal factor and, when
    ``pooled_dispersion``, φ are estimated per category.
    """
    m, g, w = BASELINE[kind]
    lo = t - g - m
    if lo < 0:
        m = max(t - g, 1)
        lo = max(t - g - m, 0)
    if t - g > lo:
        hi = t - g
    else:  # too short a history for the guard band: the period before
        lo, hi = max(t - 1, 0), t
    trail = counts[:, lo:hi].astype(np.float64)  # only the columns the model reads
    m_eff = trail.shape[1]
    y = counts[:, t].astype(np.float64)
    n_groups = int(group.max()) + 1 if len(group) else 0
    season_lo = t - per_year - w
    seasonal = season_lo - g - m >= 0 and t - per_year + w < counts.shape[1]
    factor_g = np.ones(n_groups)
    if seasonal:
        from scipy import sparse

        a, b = season_lo - g - m, t - per_year + w + 1
        onehot = sparse.csr_matrix((np.ones(len(group)), (group, np.arange(len(group)))),
                                   shape=(n_groups, len(group)))
        tot = np.asarray(onehot @ counts[:, a:b].astype(np.float64))  # district series of each category
        same = tot[:, b - a - 2 * w - 1:].mean(axis=1)
        before = tot[:, :m].mean(axis=1)  # the trailing window before it
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(before > 0, same / before, 1.0)
        factor_g = np.clip(f, 0.5, 2.0)
    factor = factor_g[group]
    level = (trail.sum(axis=1) + 0.5) / m_eff
    mu = factor * level
    # dispersion: Pearson statistic of the trailing window about its mean (m - 1 degrees of freedom)
    tm = trail.mean(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        pear = np.where(tm > 0, (trail - tm) ** 2 / tm, 0.0).sum(axis=1)
    dof = np.where(tm[:, 0] > 0, m_eff - 1, 0)
    if pooled_dispersion:
        num = np.bincount(group, weights=pear, minlength=n_groups)
        den = np.bincount(group, weights=dof, minlength=n_groups)
        phi_g = np.where(den > 0, num / np.maximum(den, 1), 1.0)
        phi = np.maximum(phi_g[group], 1.0)
    else:
        phi = np.maximum(np.where(dof > 0, pear / np.maximum(dof, 1), 1.0), 1.0)
    p = upper_tail(y, mu, phi * mu * (1.0 + 1.0 / m_eff))
    alarm = (y >= min_count) & (p < alpha) & (y > mu)
    return SurgeResult(observed=y.astype(np.int64), expected=mu, probability=p, alarm=alarm,
                       seasonal_factor=factor, dispersion=phi, seasonal=bool(seasonal), trailing=m_eff, guard=g)


def upper_tail(y: np.ndarray, mu: np.ndarray, var: np.ndarray) -> np.ndarray:
    """P(Y ≥ y) for Y negative binomial with mean ``mu`` and variance ``var`` (Poisson if var ≤ mu)."""
    y = np.asarray(y, dtype=float)
    mu = np.maximum(np.asarray(mu, dtype=float), 1e-12)
    var = np.asarray(var, dtype=float)
    over = var > mu * (1 + 1e-9)
    p = np.empty_like(mu)
    p[~over] = stats.poisson.sf(y[~over] - 1, mu[~over])
    size = mu[over] ** 2 / (var[over] - mu[over])
    p[over] = stats.nbinom.sf(y[over] - 1, size, size / (size + mu[over]))
    return np.where(y <= 0, 1.0, p)
