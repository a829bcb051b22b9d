"""Sun position against pvlib's SPA (NREL), the oracle: < 0.01° over 2000–2050 in Longgang."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from lzt.analysis.sun import solar_term_date, sun_position, true_solar_time, true_solar_to_utc

pvlib = pytest.importorskip("pvlib")
LAT, LON = 22.72, 114.25  # 龙岗


def _unit(el, az):
    el, az = np.radians(el), np.radians(az)
    return np.column_stack([np.cos(el) * np.sin(az), np.cos(el) * np.cos(az), np.sin(el)])


def test_position_matches_spa_within_a_hundredth_of_a_degree():
    times = pd.date_range("2000-01-01", "2050-12-31", freq="37h", tz="UTC")
    ref = pvlib.solarposition.spa_python(times, LAT, LON, altitude=50, delta_t=None)
    mine = sun_position(times.tz_convert(None).values, LAT, LON, 50)
    up = ref.apparent_elevation.values > 0
    assert np.abs(mine.elevation - ref.apparent_elevation.values)[up].max() < 0.01
    assert np.abs(mine.true_elevation - ref.elevation.values).max() < 0.01
    sep = np.degrees(np.arccos(np.clip((mine.direction(False) * _unit(ref.elevation.values, ref.azimuth.values))
                                       .sum(axis=1), -1, 1)))
    assert sep.max() < 0.01
    # azimuth itself where it is well defined (away from the zenith)
    ok = up & (ref.elevation.values < 80)
    daz = np.abs((mine.azimuth - ref.azimuth.values + 180) % 360 - 180)
    assert daz[ok].max() < 0.01
    assert np.abs(mine.equation_of_time_min - ref.equation_of_time.values).max() < 0.01  # minutes


def test_true_solar_time_round_trip_and_noon():
    day = date(2026, 1, 20)
    utc = true_solar_to_utc(day, [8.0, 12.0, 16.0], LON)
    assert np.allclose(true_solar_time(utc, LON), [8.0, 12.0, 16.0], atol=1 / 3600)
    # at true solar noon the Sun is due south (Longgang is north of the Sun on 大寒)
    pos = sun_position(utc[1:2], LAT, LON)
    assert abs(pos.azimuth[0] - 180.0) < 0.05
    ref = pvlib.solarposition.spa_python(pd.DatetimeIndex(utc, tz="UTC"), LAT, LON, delta_t=None)
    assert np.allclose(pos.elevation, ref.apparent_elevation.values[1], atol=0.01)


def test_solar_term_dates():
    # published dates (Beijing time): 大寒 2024-01-20, 2025-01-20; 冬至 2024-12-21, 2025-12-21
    assert solar_term_date("大寒", 2024) == date(2024, 1, 20)
    assert solar_term_date("大寒", 2025) == date(2025, 1, 20)
    assert solar_term_date("冬至", 2024) == date(2024, 12, 21)
    assert solar_term_date("冬至", 2025) == date(2025, 12, 21)
    with pytest.raises(ValueError):
        solar_term_date("小暑", 2025)
