"""GCJ-02 / BD-09 against the published vectors and DOMAIN.md §3.2's Longgang oracles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from lzt.core import chinacoords as cc

TO_4547 = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True)


def metres(lon1, lat1, lon2, lat2):
    x1, y1 = TO_4547.transform(lon1, lat1)
    x2, y2 = TO_4547.transform(lon2, lat2)
    return np.hypot(np.asarray(x1) - x2, np.asarray(y1) - y2)


def test_eviltransform_vector_full_precision():
    lon, lat = cc.wgs84_to_gcj02(113.912316, 22.543847)
    assert lon == pytest.approx(113.9171764808363, abs=1e-12)
    assert lat == pytest.approx(22.540796131694766, abs=1e-12)


@pytest.mark.parametrize("wgs, gcj, bd, en", [
    ((114.2468, 22.7205), (114.2516362, 22.7176664), (114.2580984, 22.7239510), (525354.413, 2513606.263)),
    ((114.0600, 22.6400), (114.0651227, 22.6372991), (114.0716727, 22.6429660), (506167.545, 2504671.880)),
])
def test_longgang_oracles(wgs, gcj, bd, en):
    assert cc.wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=5e-8)
    assert cc.wgs84_to_bd09(*wgs) == pytest.approx(bd, abs=5e-8)
    assert TO_4547.transform(*wgs) == pytest.approx(en, abs=1e-3)
    back = cc.gcj02_to_wgs84(*gcj)
    assert metres(*back, *wgs) < 0.02  # the oracle's own rounding is 1e-7° ≈ 1 cm


def _grid(n=60):
    lon, lat = np.meshgrid(np.linspace(114.04, 114.36, n), np.linspace(22.58, 22.82, n))
    return lon.ravel(), lat.ravel()


def test_iterative_inverse_is_exact_and_one_step_is_not():
    lon, lat = _grid()
    glon, glat = cc.wgs84_to_gcj02(lon, lat)
    wlon, wlat = cc.gcj02_to_wgs84(glon, glat)
    assert metres(wlon, wlat, lon, lat).max() < 0.001
    # the common one-step inverse g - delta(g): more than a metre off somewhere in Longgang
    dlon, dlat = cc._delta(glon, glat)
    assert metres(glon - dlon, glat - dlat, lon, lat).max() > 1.0
    shift = metres(glon, glat, lon, lat)
    assert 580 < shift.min() and shift.max() < 610  # DOMAIN.md: 585–606 m


def test_bd09_round_trip_within_10_cm():
    lon, lat = _grid(30)
    blon, blat = cc.wgs84_to_bd09(lon, lat)
    wlon, wlat = cc.bd09_to_wgs84(blon, blat)
    assert metres(wlon, wlat, lon, lat).max() < 0.10


def test_outside_china_unchanged_nan_and_shapes():
    assert cc.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    lon, lat = cc.gcj02_to_wgs84(np.array([[114.1, np.nan]]), np.array([[22.6, 22.6]]))
    assert lon.shape == (1, 2) and np.isnan(lon[0, 1]) and not np.isnan(lon[0, 0])
    assert cc.to_wgs84(114.1, 22.6, "cgcs2000") == (114.1, 22.6)
    with pytest.raises(ValueError, match="gcj02"):
        cc.to_wgs84(1, 2, "mars")


@settings(max_examples=200, deadline=None)
@given(st.floats(73.0, 135.0), st.floats(18.0, 53.0))
def test_round_trip_property(lon, lat):
    g = cc.wgs84_to_gcj02(lon, lat)
    w = cc.gcj02_to_wgs84(*g)
    assert abs(w[0] - lon) < 1e-8 and abs(w[1] - lat) < 1e-8
