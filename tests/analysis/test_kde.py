"""Kernel density: the FFT result against the direct quartic sum, and its raster form."""

from __future__ import annotations

import numpy as np
import pytest

from lzt.analysis.kde import direct_density, kernel_density, quartic
from lzt.core.errors import LztInputError


def test_fft_density_matches_the_direct_sum():
    rng = np.random.default_rng(7)
    x = np.r_[rng.normal(510_000, 150, 300), rng.uniform(509_000, 511_000, 100)]
    y = np.r_[rng.normal(2_510_000, 150, 300), rng.uniform(2_509_000, 2_511_000, 100)]
    g = kernel_density(x, y, cell=10.0, bandwidth=200.0)
    cx, cy = g.centres()
    xx, yy = np.meshgrid(cx, cy)
    exact = direct_density(x, y, xx.ravel(), yy.ravel(), 200.0).reshape(g.shape)
    assert np.abs(g.values - exact).max() < 0.01 * exact.max()  # binning error O((cell/h)^2)
    # the raster integrates to the number of points (per km² x cell area)
    assert g.values.sum() * (10.0 * 10.0) / 1e6 == pytest.approx(400, rel=1e-3)


def test_quartic_kernel_integrates_to_one():
    h = 100.0
    d = np.arange(-h, h + 0.5, 0.5)
    xx, yy = np.meshgrid(d, d)
    assert quartic(xx ** 2 + yy ** 2, h).sum() * 0.25 == pytest.approx(1.0, rel=1e-3)


def test_bad_parameters():
    with pytest.raises(LztInputError, match="--cell"):
        kernel_density(np.r_[0.0], np.r_[0.0], cell=0, bandwidth=100)
    with pytest.raises(LztInputError, match="narrower than a cell"):
        kernel_density(np.r_[0.0], np.r_[0.0], cell=100, bandwidth=50)
    with pytest.raises(LztInputError, match="no located points"):
        kernel_density(np.array([np.nan]), np.array([np.nan]), cell=10, bandwidth=50)
