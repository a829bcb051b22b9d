"""The horizon test against an independent brute-force ray cast (brute.py) on small scenes —
a block, a courtyard, a row of towers — and against hand geometry (a long wall due south)."""

from datetime import date

import numpy as np
import pytest
import shapely

from lzt.analysis.sunlight.horizon import Segments
from lzt.analysis.sunlight.obstacles import prism_segments
from lzt.analysis.sunlight.receivers import facade_receivers, point_receivers
from lzt.analysis.sunlight.rule import SunlightRule
from lzt.analysis.sunlight.run import horizons, lit, receiver_hours, sun_samples
from tests.analysis.sunlight.brute import blocked

LAT, LON = 22.72, 114.25
DAY = date(2026, 1, 20)  # 大寒 2026
X0, Y0 = 500_000.0, 2_500_000.0


def _segments(prisms) -> Segments:
    return Segments(np.vstack([prism_segments(g, top) for g, top in prisms]))


def _compare(rec, prisms, step_min=5.0):
    """Engine hours and brute-force hours per receiver, and the count of differing instants."""
    sun = sun_samples(DAY, SunlightRule(), step_min, LAT, LON)
    hor = horizons(rec, sun, _segments(prisms))
    mine = lit(rec, sun, hor)
    free = lit(rec, sun, np.full((1, len(sun.azimuth)), -np.inf))
    ref = np.array([free[i] & ~blocked(rec.x[i], rec.y[i], rec.z[i], sun.azimuth, sun.tan_alt, prisms)
                    for i in range(len(rec))])
    step_h = step_min / 60
    return mine.sum(axis=1) * step_h, ref.sum(axis=1) * step_h, int((mine != ref).sum()), sun


def test_single_block_south_of_free_points_agrees_with_a_ray_cast():
    block = shapely.box(X0 - 15, Y0 - 40, X0 + 15, Y0 - 25)  # 30 × 15 m, 15 m south
    xs = np.array([X0 - 30, X0 - 10, X0, X0 + 12, X0 + 35])
    rec = point_receivers(np.arange(5), xs, np.full(5, Y0), np.full(5, 1.5))
    mine, ref, diff, _ = _compare(rec, [(block, 30.0)])
    assert np.abs(mine - ref).max() <= 5 / 60 + 1e-9
    assert diff <= len(rec) * 2  # only instants grazing an edge may differ
    assert mine.min() < 8.0 - 1.0  # the block takes real sun away


def test_block_north_of_a_point_takes_no_winter_sun():
    block = shapely.box(X0 - 15, Y0 + 10, X0 + 15, Y0 + 25)
    rec = point_receivers([0], [X0], [Y0], [1.0])
    sun = sun_samples(DAY, SunlightRule(), 1.0, LAT, LON)
    hrs = receiver_hours(rec, sun, horizons(rec, sun, _segments([(block, 80.0)])))
    assert hrs.hours[0] == pytest.approx(8.0)  # the whole 08:00–16:00 band
    assert hrs.continuous[0] == pytest.approx(8.0)


def test_courtyard_walls_agree_with_a_ray_cast():
    court = shapely.Polygon([(X0, Y0), (X0 + 60, Y0), (X0 + 60, Y0 + 60), (X0, Y0 + 60)],
                            [[(X0 + 20, Y0 + 20), (X0 + 40, Y0 + 20), (X0 + 40, Y0 + 40), (X0 + 20, Y0 + 40)]])
    rec = facade_receivers([1], [court], [0.0], spacing=4.0, sill=0.9)
    inner = shapely.contains_xy(shapely.box(X0 + 20, Y0 + 20, X0 + 40, Y0 + 40), rec.x, rec.y)
    assert inner.sum() == 20  # 4 walls of 20 m inside the courtyard, every 4 m
    pick = np.flatnonzero(inner)[::2].tolist() + np.flatnonzero(~inner)[::6].tolist()
    rec = rec.take(np.array(pick))
    mine, ref, diff, _ = _compare(rec, [(court, 18.0)])
    assert np.abs(mine - ref).max() <= 5 / 60 + 1e-9
    # the courtyard's north wall (facing south) is lit in the middle of the day only
    assert 0 < mine[:len(np.flatnonzero(inner)[::2])].max() < 8.0


def test_row_of_towers_agrees_with_a_ray_cast():
    towers = [(shapely.box(X0 + k * 35, Y0 - 60, X0 + k * 35 + 20, Y0 - 40), 60.0 + 10 * k) for k in range(-3, 4)]
    slab = shapely.box(X0 - 60, Y0, X0 + 60, Y0 + 12)  # a housing slab north of the towers
    rec = facade_receivers([7], [slab], [0.0], spacing=6.0, sill=0.9)
    south = rec.ny < -0.5
    rec = rec.take(np.flatnonzero(south))
    mine, ref, diff, _ = _compare(rec, towers + [(slab, 30.0)])
    assert np.abs(mine - ref).max() <= 5 / 60 + 1e-9
    assert mine.min() < mine.max()  # some windows lose more than others


@pytest.mark.parametrize("offset_deg", [-0.3, 0.3])
def test_long_wall_due_south_by_hand(offset_deg):
    """A wall H high at D due south, 20 km long: at solar noon the Sun clears it exactly when
    its altitude exceeds atan(H/D); at any instant when tan(alt) > H·cos(az − 180°)/D."""
    sun = sun_samples(DAY, SunlightRule(), 1.0, LAT, LON)
    noon = int(np.argmin(np.abs(sun.solar_hours - 12.0)))
    alt_noon = np.degrees(np.arctan(sun.tan_alt[noon]))
    D = 40.0
    H = D * np.tan(np.radians(alt_noon + offset_deg))
    wall = shapely.box(X0 - 10_000, Y0 - D - 1.0, X0 + 10_000, Y0 - D)
    rec = point_receivers([0], [X0], [Y0], [0.0])
    flags = lit(rec, sun, horizons(rec, sun, _segments([(wall, H)])))[0]
    assert flags[noon] == (offset_deg < 0)
    expect = sun.tan_alt > H * np.cos(sun.azimuth - np.pi) / D
    assert (flags == expect).all()


def test_no_obstacle_gives_the_whole_band_in_front_of_the_wall():
    box = shapely.box(X0, Y0, X0 + 30, Y0 + 10)
    rec = facade_receivers([1], [box], [0.0], spacing=10.0, sill=0.9)
    sun = sun_samples(DAY, SunlightRule(), 1.0, LAT, LON)
    hrs = receiver_hours(rec, sun, horizons(rec, sun, Segments(np.zeros((0, 6)))))
    south, north, east = rec.ny < -0.5, rec.ny > 0.5, rec.nx > 0.5
    assert np.allclose(hrs.hours[south], 8.0)
    assert np.allclose(hrs.hours[north], 0.0)
    # an east wall sees the Sun from 08:00 until it crosses the meridian (true solar noon)
    assert np.allclose(hrs.hours[east], 4.0, atol=1 / 60)
    # and its own building does not shade it: with the box itself as an obstacle nothing changes
    hrs2 = receiver_hours(rec, sun, horizons(rec, sun, _segments([(box, 30.0)])))
    assert np.allclose(hrs2.hours, hrs.hours)
