"""Sun samples in grid north, the longest run, and the per-building fold."""

from datetime import date

import numpy as np
import pytest

from lzt.analysis.sun import sun_position
from lzt.analysis.sunlight.analyse import lonlat_and_convergence
from lzt.analysis.sunlight.receivers import Receivers
from lzt.analysis.sunlight.rule import SunlightRule
from lzt.analysis.sunlight.run import ReceiverHours, building_results, longest_run, sun_samples


def test_grid_azimuth_follows_a_geodesic_step_towards_the_sun():
    """Grid azimuth = the bearing, in EPSG:4547 coordinates, of a short geodesic step taken
    towards the Sun's true azimuth (an independent construction of the convergence)."""
    from pyproj import Geod, Transformer

    x, y = 530_000.0, 2_510_000.0  # east of the zone's 114°E meridian: convergence is not small
    lon, lat, gamma = lonlat_and_convergence("EPSG:4547", x, y)
    sun = sun_samples(date(2026, 1, 20), SunlightRule(), 30.0, lat, lon, gamma)
    true_az = sun_position(sun.utc, lat, lon).azimuth
    lon2, lat2, _ = Geod(ellps="GRS80").fwd(np.full(len(true_az), lon), np.full(len(true_az), lat), true_az,
                                            np.full(len(true_az), 100.0))
    x2, y2 = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True).transform(lon2, lat2)
    bearing = np.arctan2(np.asarray(x2) - x, np.asarray(y2) - y) % (2 * np.pi)
    assert np.degrees(np.abs(bearing - sun.azimuth)).max() < 1e-3
    assert abs(gamma) > 0.05  # the test means something


def test_longest_run_against_a_plain_loop():
    rng = np.random.default_rng(3)
    flags = rng.random((50, 40)) < 0.6
    flags[0] = False
    flags[1] = True

    def loop(row):
        best = cur = 0
        for f in row:
            cur = cur + 1 if f else 0
            best = max(best, cur)
        return best

    assert longest_run(flags).tolist() == [loop(r) for r in flags]


def test_building_fold_worst_point_and_facades_that_cannot_meet():
    # building 5: a south wall (2 points) and a north wall (1 point, never any sun)
    rec = Receivers(owner=np.array([5, 5, 5]), facade=np.array([0, 0, 1]), x=np.array([0.0, 1.0, 0.5]),
                    y=np.array([0.0, 0.0, 9.0]), z=np.full(3, 0.9), nx=np.zeros(3), ny=np.array([-1.0, -1.0, 1.0]))
    hrs = ReceiverHours(hours=np.array([3.5, 2.75, 0.0]), continuous=np.array([3.5, 1.5, 0.0]),
                        potential=np.array([8.0, 8.0, 0.0]))
    (res,) = building_results(rec, hrs, SunlightRule(), {5: "B5"})
    assert res.building == "B5"
    assert res.min_hours == pytest.approx(2.75) and res.max_continuous_hours == pytest.approx(1.5)
    assert res.status == "FAIL" and res.worst_point == [1.0, 0.0, 0.9]
    assert [f["facade"] for f in res.facades_cannot_meet] == [1]


def test_terrain_horizon_of_a_ridge_by_hand():
    """A ridge 100 m high from 480 to 520 m south of a point on flat ground at 0 m: due south
    its horizon is 100/480 (the ridge's near edge, on a 10 m DEM); due north there is none."""
    from lzt.analysis.sunlight.horizon import terrain_horizon
    from lzt.analysis.terrain import Terrain

    cell = 10.0
    ys = 1000 - (np.arange(200) + 0.5) * cell  # cell centres from y = 995 down to y = -995
    z = np.zeros((200, 200))
    z[(ys <= -480) & (ys >= -520), :] = 100.0
    ter = Terrain((-1000.0, -1000.0, 1000.0, 1000.0), z, "dem")
    az = np.radians([180.0, 0.0])
    r = terrain_horizon(ter, 0.0, 0.0, 0.0, az)
    assert r[0] == pytest.approx(100.0 / 480.0, rel=0.03)  # bilinear ramp: within a cell of the edge
    assert r[1] <= 0.0


def test_rule_setting_round_trip_and_bad_setting(ws):
    from lzt.analysis.sunlight.rule import SETTING_KEY, rule_of, save_rule
    from lzt.core.errors import LztInputError

    assert rule_of(ws) == SunlightRule()  # GB 50180 zone IV default [M]
    mine = SunlightRule(min_hours=2.0).for_day("冬至")
    save_rule(ws, mine)
    assert rule_of(ws) == mine
    ws.set_setting(SETTING_KEY, {"standard_day": "立春"})
    with pytest.raises(LztInputError, match="not a sunlight rule"):
        rule_of(ws)
