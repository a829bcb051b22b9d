"""Emerging hot spots: Gi* per space-time bin, a Mann–Kendall trend per location, patterns.

Follows ArcGIS Pro, "How Emerging Hot Spot Analysis works" (Space Time Pattern Mining
toolbox; DOMAIN.md §7.2, tagged [M] there and checked here against that page's
definitions, which DOMAIN.md paraphrases):

1. Each bin (location × period) gets the Getis-Ord Gi* z-score over its space-time
   neighbourhood: the neighbouring locations (itself included, ``spacetime``) in the same
   period and in the ``time_lag`` periods before it ("neighborhood time step", default 1),
   against the mean and standard deviation of all bins of the cube (``hotspots.gi_star_z``).
   A bin is a significant hot (cold) spot when z > 0 (< 0) and its two-sided p-value passes
   the Benjamini–Hochberg false-discovery-rate correction over the cube's bins at ``alpha``
   (ArcGIS Pro applies an FDR correction; over which bins exactly is not stated — [M]).
2. Each location's z-series gets a Mann–Kendall trend test (``mann_kendall``), significant
   at ``alpha`` ([M]: the page does not state the level).
3. Patterns, with n periods, h significant hot periods, "final" the last period:
   新增 new: hot in the final period only (h = 1); 连续 consecutive: one unbroken run of
   ≥ 2 hot periods ending in the final one, never hot before it, h < 90 % of n;
   加强 intensifying: h ≥ 90 % incl. the final, significant upward trend; 持续 persistent:
   h ≥ 90 % incl. the final, no significant trend; 减弱 diminishing: h ≥ 90 % incl. the
   final, significant downward trend; 零星 sporadic: final hot, h < 90 %, never a
   significant cold spot; 振荡 oscillating: final hot, h < 90 %, a significant cold spot
   before; 历史 historical: final not hot, h ≥ 90 %. Cold spots mirror all of them.
   The checks run in that order (new before consecutive before sporadic).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.special import ndtr

from lzt.analysis.hotspots import gi_star_z
from lzt.analysis.mann_kendall import mann_kendall

HOT_PATTERNS = ("新增热点", "连续热点", "加强热点", "持续热点", "减弱热点", "零星热点", "振荡热点", "历史热点")
COLD_PATTERNS = tuple(p.replace("热点", "冷点") for p in HOT_PATTERNS)
NO_PATTERN = "无显著模式"
PATTERN_EN = dict(zip(HOT_PATTERNS + COLD_PATTERNS + (NO_PATTERN,),
                      [f"{w} hot spot" for w in ("new", "consecutive", "intensifying", "persistent", "diminishing",
                                                 "sporadic", "oscillating", "historical")]
                      + [f"{w} cold spot" for w in ("new", "consecutive", "intensifying", "persistent", "diminishing",
                                                    "sporadic", "oscillating", "historical")] + ["no pattern detected"]))
SHARE = 0.9  # "ninety percent of the time-step intervals"


@dataclass
class SpaceTimeGi:
    """Per category × location × period: the Gi* z-score and significance (hot +1, cold -1, 0)."""

    z: np.ndarray  # float, (G, L, T)
    sig: np.ndarray  # int8, (G, L, T)


def space_time_gi(counts: np.ndarray, neighbours: sparse.csr_matrix, *, time_lag: int = 1,
                  alpha: float = 0.05, fdr: bool = True) -> SpaceTimeGi:
    """Gi* z-scores of every bin of ``counts`` (G, L, T) and their FDR-corrected significance."""
    g, n_loc, n_t = counts.shape
    c = counts.astype(np.float64)
    # spatial sums of every (category, period) at once: (L, L) @ (L, G*T)
    flat = c.transpose(1, 0, 2).reshape(n_loc, g * n_t)
    spatial = np.asarray(neighbours @ flat).reshape(n_loc, g, n_t).transpose(1, 0, 2)
    local = spatial.copy()
    for k in range(1, time_lag + 1):
        local[:, :, k:] += spatial[:, :, :-k]
    deg = np.asarray(neighbours.sum(axis=1)).ravel()
    steps = np.minimum(np.arange(n_t), time_lag) + 1
    w = deg[None, :, None] * steps[None, None, :]
    n = n_loc * n_t
    mean = c.mean(axis=(1, 2))[:, None, None]
    sd = np.sqrt(np.maximum((c ** 2).mean(axis=(1, 2))[:, None, None] - mean ** 2, 0.0))
    z = gi_star_z(local, np.broadcast_to(w, local.shape), n, mean, sd)
    p = 2.0 * ndtr(-np.abs(z))
    ok = benjamini_hochberg(p.reshape(g, -1), alpha).reshape(p.shape) if fdr else p <= alpha
    sig = np.where(ok, np.sign(z), 0).astype(np.int8)
    return SpaceTimeGi(z=z, sig=sig)


def benjamini_hochberg(p: np.ndarray, alpha: float) -> np.ndarray:
    """Rows of p-values -> which are significant under BH FDR control at ``alpha`` (per row)."""
    p = np.atleast_2d(p)
    m = p.shape[1]
    order = np.argsort(p, axis=1, kind="stable")
    ranked = np.take_along_axis(p, order, axis=1)
    passed = ranked <= alpha * np.arange(1, m + 1) / m
    # the largest rank k with p_(k) <= alpha k / m: every p-value up to it is significant
    last = np.where(passed.any(axis=1), m - 1 - np.argmax(passed[:, ::-1], axis=1), -1)
    keep_ranked = np.arange(m)[None, :] <= last[:, None]
    out = np.zeros_like(passed)
    np.put_along_axis(out, order, keep_ranked, axis=1)
    return out


@dataclass
class Patterns:
    """Per category × location: the pattern name, the MK trend and the counts behind it."""

    pattern: np.ndarray  # str (G, L)
    trend_z: np.ndarray  # (G, L)
    trend_p: np.ndarray
    hot_periods: np.ndarray  # int (G, L): significant hot periods
    cold_periods: np.ndarray
    run_start: np.ndarray  # int (G, L): first period of the final hot/cold run (-1 if final not significant)


def classify(gi: SpaceTimeGi, *, alpha: float = 0.05) -> Patterns:
    """ArcGIS Pro's emerging hot/cold spot patterns of every location (see the module doc)."""
    g, n_loc, n_t = gi.z.shape
    mk = mann_kendall(gi.z.reshape(g * n_loc, n_t))
    tz, tp = mk.z.reshape(g, n_loc), mk.p.reshape(g, n_loc)
    up, down = (tp <= alpha) & (tz > 0), (tp <= alpha) & (tz < 0)
    out = np.full((g, n_loc), NO_PATTERN, dtype=object)
    hot, cold = gi.sig > 0, gi.sig < 0
    run_start = np.full((g, n_loc), -1, dtype=np.int64)
    for same, other, names, rising, falling in ((hot, cold, HOT_PATTERNS, up, down),
                                                (cold, hot, COLD_PATTERNS, down, up)):
        count = same.sum(axis=2)
        final = same[:, :, -1]
        # length of the unbroken run ending in the final period
        run = np.argmin(np.concatenate([same[:, :, ::-1], np.zeros((g, n_loc, 1), bool)], axis=2), axis=2)
        mostly = count >= SHARE * n_t
        ever_other = other.any(axis=2)
        rules = [
            (names[0], final & (count == 1)),
            (names[1], final & (run >= 2) & (count == run) & ~mostly),
            (names[2], final & mostly & rising),
            (names[3], final & mostly & ~rising & ~falling),
            (names[4], final & mostly & falling),
            (names[5], final & ~mostly & ~ever_other),
            (names[6], final & ~mostly & ever_other),
            (names[7], ~final & mostly),
        ]
        free = out == NO_PATTERN
        for name, cond in rules:
            hit = free & cond
            out[hit] = name
            free &= ~hit
        run_start = np.where(final, n_t - run, run_start)
    return Patterns(pattern=out, trend_z=tz, trend_p=tp, hot_periods=hot.sum(axis=2),
                    cold_periods=cold.sum(axis=2), run_start=run_start)
