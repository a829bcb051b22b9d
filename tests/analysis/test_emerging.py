"""Space-time Gi* against PySAL esda (a test-only oracle) and the ArcGIS pattern definitions."""

import numpy as np
import pytest
from libpysal.weights import W

from lzt.analysis.emerging import NO_PATTERN, SpaceTimeGi, benjamini_hochberg, classify, space_time_gi
from lzt.analysis.spacetime import square_locations


def _cube(rng, nx=5, ny=4, nt=6):
    cx, cy = np.meshgrid(np.arange(nx) * 100 + 50.0, np.arange(ny) * 100 + 50.0)
    inv, loc = square_locations(cx.ravel(), cy.ravel(), 100.0)
    counts = rng.poisson(2.0, size=(2, len(loc), nt))
    counts[0, 3, -2:] += 9  # something to find
    return counts, loc


@pytest.mark.filterwarnings("ignore:The weights matrix is not fully connected")
@pytest.mark.parametrize("lag", [0, 1, 2])
def test_space_time_gi_matches_esda_g_local_star(lag):
    import esda

    rng = np.random.default_rng(lag)
    counts, loc = _cube(rng)
    got = space_time_gi(counts, loc.neighbours, time_lag=lag, fdr=False)
    n_loc, n_t = counts.shape[1], counts.shape[2]
    # independent space-time neighbours: Chebyshev distance <= 1 cell, same period or up to ``lag`` before
    ix = np.array([int(i.split(":")[1]) // 100 for i in loc.ids])
    iy = np.array([int(i.split(":")[2]) // 100 for i in loc.ids])
    neighbours = {}
    for t in range(n_t):
        for a in range(n_loc):
            b = t * n_loc + a
            neighbours[b] = [t2 * n_loc + c for t2 in range(max(0, t - lag), t + 1) for c in range(n_loc)
                             if max(abs(ix[a] - ix[c]), abs(iy[a] - iy[c])) <= 1 and (t2 * n_loc + c) != b]
    w = W(neighbours, silence_warnings=True)
    for g in range(counts.shape[0]):
        y = counts[g].T.ravel().astype(float)  # bin id = t * L + l
        ref = esda.G_Local(y, w, transform="B", star=True, permutations=0)
        np.testing.assert_allclose(got.z[g].T.ravel(), ref.Zs, rtol=1e-9, atol=1e-9)


def test_fdr_is_benjamini_hochberg():
    p = np.array([[0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216]])
    # BH at 0.05 with m = 10: thresholds 0.005, 0.01, 0.015, ... -> the first two only
    assert benjamini_hochberg(p, 0.05).tolist() == [[True, True] + [False] * 8]
    assert benjamini_hochberg(p[:, ::-1], 0.05).tolist() == [[False] * 8 + [True, True]]


def _pattern(sig, trend=0.0):
    sig = np.asarray(sig, dtype=np.int8)[None, None, :]
    n = sig.shape[2]
    z = sig * 3.0 + np.linspace(-1, 1, n) * trend  # the z series carries the trend
    return classify(SpaceTimeGi(z=z, sig=sig)).pattern[0, 0]


@pytest.mark.parametrize("sig,trend,want", [
    ([0] * 11 + [1], 0, "新增热点"),
    ([0] * 9 + [1, 1, 1], 0, "连续热点"),
    ([1] * 12, 5.0, "加强热点"),
    ([1] * 12, 0, "持续热点"),
    ([1] * 12, -5.0, "减弱热点"),
    ([0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1], 0, "零星热点"),
    ([0, -1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1], 0, "振荡热点"),
    ([1] * 11 + [0], 0, "历史热点"),
    ([0] * 11 + [-1], 0, "新增冷点"),
    ([-1] * 12, 0, "持续冷点"),
    ([0, 0, 1, 0, 0, -1, 0, 0, 0, -1, -1, -1], 0, "振荡冷点"),
    ([0, 0, 1, 0, 0, 0, 0, 0, 0, -1, -1, -1], 0, "连续冷点"),  # consecutive says nothing of hot periods
    ([0] * 12, 0, NO_PATTERN),
    ([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], 0, NO_PATTERN),
])
def test_patterns_follow_the_arcgis_definitions(sig, trend, want):
    assert _pattern(sig, trend) == want


def test_consecutive_needs_no_earlier_hot_period():
    # hot earlier, then a final run: sporadic, not consecutive
    assert _pattern([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]) == "零星热点"
