"""Apparent solar position and true solar time (日照分析's clock).

Meeus, *Astronomical Algorithms* ch. 22, 25 and 12: the Sun's geometric longitude and
distance from the largest VSOP87 terms, corrected for nutation (the four largest terms) and
aberration; apparent sidereal time; topocentric parallax as in NREL's SPA; and the
SPA's refraction formula. pvlib's SPA is the oracle in the tests (< 0.01°, 2000–2050).
Vectorised over times (numpy ``datetime64`` in UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import numpy as np

BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class SunPosition:
    """Arrays over the times asked: degrees, azimuth clockwise from north."""

    azimuth: np.ndarray
    elevation: np.ndarray  # apparent (with refraction)
    true_elevation: np.ndarray  # without refraction (the geometric direction)
    equation_of_time_min: np.ndarray

    def direction(self, apparent: bool = True) -> np.ndarray:
        """Unit vectors (n, 3) towards the Sun: x east, y north, z up."""
        el = np.radians(self.elevation if apparent else self.true_elevation)
        az = np.radians(self.azimuth)
        return np.column_stack([np.cos(el) * np.sin(az), np.cos(el) * np.cos(az), np.sin(el)])


def _as_utc(times) -> np.ndarray:
    t = np.atleast_1d(np.asarray(times))
    if t.dtype == object:
        t = np.array([(x.astimezone(timezone.utc).replace(tzinfo=None) if getattr(x, "tzinfo", None) else x)
                      for x in t], dtype="datetime64[ns]")
    return t.astype("datetime64[ns]")


# Earth's heliocentric longitude and radius vector: the largest terms of VSOP87 (Bretagnon &
# Francou 1988) as tabulated in Meeus, App. III: (A, B, C) -> A cos(B + C tau), units 1e-8.
_L0 = np.array([
    (175347046, 0, 0), (3341656, 4.6692568, 6283.0758500), (34894, 4.6261, 12566.1517),
    (3497, 2.7441, 5753.3849), (3418, 2.8289, 3.5231), (3136, 3.6277, 77713.7715), (2676, 4.4181, 7860.4194),
    (2343, 6.1352, 3930.2097), (1324, 0.7425, 11506.7698), (1273, 2.0371, 529.6910), (1199, 1.1096, 1577.3435),
    (990, 5.233, 5884.927), (902, 2.045, 26.298), (857, 3.508, 398.149), (780, 1.179, 5223.694),
    (753, 2.533, 5507.553), (505, 4.583, 18849.228), (492, 4.205, 775.523), (357, 2.920, 0.067),
    (317, 5.849, 11790.629), (284, 1.899, 796.298), (271, 0.315, 10977.079), (243, 0.345, 5486.778),
    (206, 4.806, 2544.314), (205, 1.869, 5573.143), (202, 2.458, 6069.777), (156, 0.833, 213.299),
    (132, 3.411, 2942.463), (126, 1.083, 20.775), (115, 0.645, 0.980), (103, 0.636, 4694.003),
    (102, 0.976, 15720.839), (102, 4.267, 7.114), (99, 6.21, 2146.17), (98, 0.68, 155.42),
    (86, 5.98, 161000.69), (85, 1.30, 6275.96), (85, 3.67, 71430.70), (80, 1.81, 17260.15)])
_L1 = np.array([
    (628331966747, 0, 0), (206059, 2.678235, 6283.07585), (4303, 2.6351, 12566.1517), (425, 1.590, 3.523),
    (119, 5.796, 26.298), (109, 2.966, 1577.344), (93, 2.59, 18849.23), (72, 1.14, 529.69), (68, 1.87, 398.15),
    (67, 4.41, 5507.55), (59, 2.89, 5223.69), (56, 2.17, 155.42), (45, 0.40, 796.30), (36, 0.47, 775.52)])
_L2 = np.array([(52919, 0, 0), (8720, 1.0721, 6283.0758), (309, 0.867, 12566.152), (27, 0.05, 3.52),
                (16, 5.19, 26.30), (16, 3.68, 155.42), (10, 0.76, 18849.23), (9, 2.06, 77713.77)])
_L3 = np.array([(289, 5.844, 6283.076), (35, 0, 0), (17, 5.49, 12566.15)])
_L4 = np.array([(114, 3.142, 0)])
_R0 = np.array([
    (100013989, 0, 0), (1670700, 3.0984635, 6283.0758500), (13956, 3.05525, 12566.15170),
    (3084, 5.1985, 77713.7715), (1628, 1.1739, 5753.3849), (1576, 2.8469, 7860.4194), (925, 5.453, 11506.770),
    (542, 4.564, 3930.210), (472, 3.661, 5884.927), (346, 0.964, 5507.553), (329, 5.900, 5223.694),
    (307, 0.299, 5573.143), (243, 4.273, 11790.629), (212, 5.847, 1577.344), (186, 5.022, 10977.079),
    (175, 3.012, 18849.228), (110, 5.055, 5486.778)])
_R1 = np.array([(103019, 1.107490, 6283.075850), (1721, 1.0644, 12566.1517), (702, 3.142, 0),
                (32, 1.02, 18849.23), (31, 2.84, 5507.55), (25, 1.32, 5223.69)])
_R2 = np.array([(4359, 5.7846, 6283.0758), (124, 5.579, 12566.152)])


def _series(terms: np.ndarray, tau: np.ndarray) -> np.ndarray:
    a, b, c = terms[:, 0:1], terms[:, 1:2], terms[:, 2:3]
    return (a * np.cos(b + c * tau[None, :])).sum(axis=0)


def _vsop_earth(tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Sun's geometric geocentric longitude (degrees) and distance (AU) at ``tau`` Julian
    millennia (TT) from J2000."""
    tau = np.atleast_1d(np.asarray(tau, dtype=float))
    L = sum(_series(t, tau) * tau ** k for k, t in enumerate((_L0, _L1, _L2, _L3, _L4))) / 1e8
    R = sum(_series(t, tau) * tau ** k for k, t in enumerate((_R0, _R1, _R2))) / 1e8
    return np.mod(np.degrees(L) + 180.0, 360.0), R


def delta_t(year: np.ndarray) -> np.ndarray:
    """TT − UT in seconds (Espenak–Meeus polynomial, 2005–2050; fine a few decades either side)."""
    t = np.asarray(year, dtype=float) - 2000.0
    return 62.92 + 0.32217 * t + 0.005589 * t * t


def julian_day(utc: np.ndarray) -> np.ndarray:
    """Julian day (UT) of UTC datetime64 values."""
    return (utc - np.datetime64("2000-01-01T12:00:00", "ns")) / np.timedelta64(1, "D") + 2451545.0


def sun_position(times, lat: float, lon: float, height: float = 0.0, *, pressure_hpa: float = 1013.25,
                 temperature_c: float = 12.0) -> SunPosition:
    """The Sun's apparent position seen from (lat, lon, height) at UTC ``times``."""
    utc = _as_utc(times)
    jd = julian_day(utc)
    year = 2000.0 + (jd - 2451545.0) / 365.25
    jde = jd + delta_t(year) / 86400.0
    T = (jde - 2451545.0) / 36525.0
    rad = np.radians
    L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T  # mean longitude (for the equation of time)
    true_long, R = _vsop_earth(T / 10.0)
    omega = rad(125.04452 - 1934.136261 * T + 0.0020708 * T * T)
    Ls = rad(280.4665 + 36000.7698 * T)
    Lm = rad(218.3165 + 481267.8813 * T)
    dpsi = (-17.20 * np.sin(omega) - 1.32 * np.sin(2 * Ls) - 0.23 * np.sin(2 * Lm) + 0.21 * np.sin(2 * omega)) / 3600
    deps = (9.20 * np.cos(omega) + 0.57 * np.cos(2 * Ls) + 0.10 * np.cos(2 * Lm) - 0.09 * np.cos(2 * omega)) / 3600
    eps0 = 23.0 + 26.0 / 60 + (21.448 - 46.8150 * T - 0.00059 * T * T + 0.001813 * T ** 3) / 3600
    eps = rad(eps0 + deps)
    lam = rad(true_long + dpsi - 20.4898 / 3600 / R)
    alpha = np.arctan2(np.cos(eps) * np.sin(lam), np.cos(lam))
    delta = np.arcsin(np.sin(eps) * np.sin(lam))
    Tu = (jd - 2451545.0) / 36525.0
    gmst = 280.46061837 + 360.98564736629 * (jd - 2451545.0) + 0.000387933 * Tu * Tu - Tu ** 3 / 38710000
    gast = gmst + dpsi * np.cos(eps)
    H = rad(np.mod(gast + lon - np.degrees(alpha), 360.0))
    # topocentric parallax (SPA §3.12–3.13)
    phi = rad(lat)
    xi = rad(8.794 / 3600 / R)
    u = np.arctan(0.99664719 * np.tan(phi))
    x = np.cos(u) + height / 6378140.0 * np.cos(phi)
    y = 0.99664719 * np.sin(u) + height / 6378140.0 * np.sin(phi)
    den = np.cos(delta) - x * np.sin(xi) * np.cos(H)
    dalpha = np.arctan2(-x * np.sin(xi) * np.sin(H), den)
    delta_p = np.arctan2((np.sin(delta) - y * np.sin(xi)) * np.cos(dalpha), den)
    Hp = H - dalpha
    e0 = np.degrees(np.arcsin(np.sin(phi) * np.sin(delta_p) + np.cos(phi) * np.cos(delta_p) * np.cos(Hp)))
    az = np.mod(np.degrees(np.arctan2(np.sin(Hp), np.cos(Hp) * np.sin(phi) - np.tan(delta_p) * np.cos(phi))) + 180.0,
                360.0)
    refr = np.where(e0 >= -0.83337, pressure_hpa / 1010.0 * 283.0 / (273.0 + temperature_c)
                    * 1.02 / (60.0 * np.tan(rad(e0 + 10.3 / (e0 + 5.11)))), 0.0)
    # equation of time (SPA A.1): mean longitude − 0.0057183° − α + Δψ cos ε, in minutes
    eot = L0 - 0.0057183 - np.degrees(alpha) + dpsi * np.cos(eps)
    eot = (np.mod(eot + 180.0, 360.0) - 180.0) * 4.0
    return SunPosition(azimuth=az, elevation=e0 + refr, true_elevation=e0, equation_of_time_min=eot)


def equation_of_time(times) -> np.ndarray:
    """Apparent − mean solar time, minutes, at UTC ``times``."""
    return sun_position(times, 0.0, 0.0).equation_of_time_min


def true_solar_to_utc(day: date, hours, lon: float) -> np.ndarray:
    """UTC datetime64 of true solar times ``hours`` (decimal, 0–24) on ``day`` at longitude ``lon``.

    True solar time = UTC + lon/15 h + equation of time; solved by two fixed-point steps
    (the equation of time changes by < 30 s a day)."""
    h = np.atleast_1d(np.asarray(hours, dtype=float))
    base = np.datetime64(day.isoformat(), "ns")
    mean = base + ((h - lon / 15.0) * 3600e9).astype("timedelta64[ns]")
    utc = mean
    for _ in range(2):
        eot = equation_of_time(utc)
        utc = mean - (eot * 60e9).astype("timedelta64[ns]")
    return utc


def true_solar_time(times, lon: float) -> np.ndarray:
    """True solar time of UTC ``times`` at longitude ``lon``, decimal hours (0–24)."""
    utc = _as_utc(times)
    day = (utc - utc.astype("datetime64[D]")) / np.timedelta64(1, "h")
    return np.mod(day + lon / 15.0 + equation_of_time(utc) / 60.0, 24.0)


#: solar terms the sunlight rules use, by the Sun's apparent ecliptic longitude
SOLAR_TERMS = {"大寒": 300.0, "冬至": 270.0}


def _apparent_longitude(utc: np.ndarray) -> np.ndarray:
    jd = julian_day(utc)
    T = (jd + delta_t(2000.0 + (jd - 2451545.0) / 365.25) / 86400.0 - 2451545.0) / 36525.0
    lon, R = _vsop_earth(T / 10.0)
    omega = np.radians(125.04 - 1934.136 * T)
    return np.mod(lon - 20.4898 / 3600 / R - 0.00478 * np.sin(omega), 360.0)


def solar_term_date(name: str, year: int) -> date:
    """The Beijing-time date of solar term ``name`` (大寒 or 冬至) in ``year``.

    大寒 falls in January (about the 20th), 冬至 in December (about the 21st/22nd)."""
    if name not in SOLAR_TERMS:
        raise ValueError(f"unknown standard day {name!r} (known: {', '.join(SOLAR_TERMS)})")
    target = SOLAR_TERMS[name]
    month = 1 if name == "大寒" else 12
    t0 = np.datetime64(f"{year}-{month:02d}-10T00:00", "ns")
    hours = np.arange(0, 20 * 24 + 1)
    ts = t0 + (hours * 3600e9).astype("timedelta64[ns]")
    d = np.mod(_apparent_longitude(ts) - target + 180.0, 360.0) - 180.0
    i = int(np.flatnonzero((d[:-1] < 0) & (d[1:] >= 0))[0])
    frac = -d[i] / (d[i + 1] - d[i])
    when = ts[i] + np.timedelta64(int(frac * 3600e9), "ns")
    utc = datetime.fromisoformat(str(when.astype("datetime64[s]"))).replace(tzinfo=timezone.utc)
    return utc.astimezone(BEIJING).date()
