"""Sunlight hours (日照分析) per façade point and per building, with a proposal's impact.

Time: samples at the middle of each ``step``-minute slice of the rule's band in true solar
time on the standard day; a receiver's hours are the lit samples × step (so they agree with
an exact computation within one step). The Sun's direction is computed once for the centre
of the analysed area and turned from true to grid north (the CGCS2000 zone's meridian
convergence).

Façades that cannot meet the rule on their own — even without any obstruction the Sun is
in front of them for less than the minimum (north-facing walls) — do not decide the
building's PASS/FAIL: they are listed separately in each result (``facades_cannot_meet``),
because a dwelling is judged on its sunlit side. A building none of whose façades can meet
the rule FAILs with that said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from lzt.analysis.sun import sun_position, true_solar_to_utc
from lzt.analysis.sunlight.horizon import horizon, terrain_horizon
from lzt.analysis.sunlight.receivers import Receivers
from lzt.analysis.sunlight.rule import SunlightRule

MAX_REACH_M = 2000.0


@dataclass(frozen=True)
class SunSamples:
    """The Sun at each sample: grid azimuth (radians) and tan of the apparent altitude."""

    day: date
    step_min: float
    solar_hours: np.ndarray
    utc: np.ndarray
    azimuth: np.ndarray
    tan_alt: np.ndarray

    @property
    def tan_alt_min(self) -> float:
        up = self.tan_alt[self.tan_alt > 0]
        return float(up.min()) if len(up) else 1.0


def sun_samples(day: date, rule: SunlightRule, step_min: float, lat: float, lon: float,
                convergence_deg: float = 0.0) -> SunSamples:
    """Mid-slice samples of the rule's band on ``day`` (true solar time at ``lon``)."""
    n = max(1, int(round((rule.band_end - rule.band_start) * 60.0 / step_min)))
    hours = rule.band_start + (np.arange(n) + 0.5) * step_min / 60.0
    utc = true_solar_to_utc(day, hours, lon)
    pos = sun_position(utc, lat, lon)
    tan_alt = np.where(pos.elevation > 0, np.tan(np.radians(np.clip(pos.elevation, -89, 89.9))), -np.inf)
    az = np.radians(np.mod(pos.azimuth - convergence_deg, 360.0))
    return SunSamples(day, float(step_min), hours, utc, az, tan_alt)


def lit(rec: Receivers, sun: SunSamples, hor: np.ndarray, terrain_tan: np.ndarray | None = None) -> np.ndarray:
    """(n, m) booleans: the Sun is up, in front of the wall and above every horizon."""
    front = ((rec.nx == 0) & (rec.ny == 0))[:, None] | (
        rec.nx[:, None] * np.sin(sun.azimuth)[None, :] + rec.ny[:, None] * np.cos(sun.azimuth)[None, :] > 1e-9)
    ok = front & (sun.tan_alt[None, :] > hor)
    if terrain_tan is not None:
        ok &= sun.tan_alt[None, :] > terrain_tan
    return ok & (sun.tan_alt[None, :] > 0)


def longest_run(flags: np.ndarray) -> np.ndarray:
    """Length of the longest run of True in each row."""
    n, m = flags.shape
    if m == 0:
        return np.zeros(n, dtype=int)
    f = np.concatenate([np.zeros((n, 1), bool), flags, np.zeros((n, 1), bool)], axis=1).astype(np.int8)
    d = np.diff(f, axis=1)
    best = np.zeros(n, dtype=int)
    rows_s, cols_s = np.nonzero(d == 1)
    rows_e, cols_e = np.nonzero(d == -1)
    # starts and ends alternate within each row, in order
    lengths = cols_e - cols_s
    np.maximum.at(best, rows_s, lengths)
    return best


def terrain_tans(rec: Receivers, sun: SunSamples, terrain) -> np.ndarray | None:
    """tan of the DEM's horizon for each receiver, computed once per building (its mean
    position and lowest receiver)."""
    if terrain is None or terrain.layer is None or not len(rec):
        return None
    out = np.empty((len(rec), len(sun.azimuth)), dtype=np.float32)
    for owner in np.unique(rec.owner):
        sel = rec.owner == owner
        out[sel] = terrain_horizon(terrain, rec.x[sel].mean(), rec.y[sel].mean(), rec.z[sel].min(), sun.azimuth)
    return out


@dataclass
class ReceiverHours:
    """Per receiver: hours lit, the longest continuous run, and the unobstructed potential."""

    hours: np.ndarray
    continuous: np.ndarray
    potential: np.ndarray

    @staticmethod
    def concat(parts: list["ReceiverHours"]) -> "ReceiverHours":
        if not parts:
            return ReceiverHours(np.zeros(0), np.zeros(0), np.zeros(0))
        return ReceiverHours(*(np.concatenate([getattr(p, f) for p in parts])
                               for f in ("hours", "continuous", "potential")))


def receiver_hours(rec: Receivers, sun: SunSamples, hor: np.ndarray, terrain_tan=None) -> ReceiverHours:
    flags = lit(rec, sun, hor, terrain_tan)
    free = lit(rec, sun, np.full((1, len(sun.azimuth)), -np.inf))
    step_h = sun.step_min / 60.0
    return ReceiverHours(flags.sum(axis=1) * step_h, longest_run(flags) * step_h, free.sum(axis=1) * step_h)


def horizons(rec: Receivers, sun: SunSamples, segments, *, feedback=None) -> np.ndarray:
    """(receivers, instants) horizon ratios of ``segments`` (see horizon.py)."""
    return horizon(rec.x, rec.y, rec.z, sun.azimuth, sun.tan_alt, segments, nx=rec.nx, ny=rec.ny,
                   max_reach=MAX_REACH_M, feedback=feedback)


@dataclass
class BuildingResult:
    """One analysed building (the JSON contract's entry)."""

    building: object
    min_hours: float
    max_continuous_hours: float
    status: str
    worst_point: list[float]
    facades: list[dict] = field(default_factory=list)
    facades_cannot_meet: list[dict] = field(default_factory=list)
    note: str | None = None
    min_hours_before: float | None = None
    min_hours_after: float | None = None
    status_before: str | None = None
    points_losing: int | None = None  # receivers with less sun after the proposal
    points_newly_failing: int | None = None  # receivers at or above the rule before, below after

    @property
    def lost_minutes(self) -> float | None:
        """Minutes the worst point loses to the proposal (worst before − worst after)."""
        if self.min_hours_before is None:
            return None
        return round((self.min_hours_before - self.min_hours_after) * 60.0, 2)

    def to_json(self) -> dict:
        d = {"building": self.building, "min_hours": round(self.min_hours, 4),
             "max_continuous_hours": round(self.max_continuous_hours, 4), "status": self.status,
             "worst_point": [round(v, 3) for v in self.worst_point]}
        if self.min_hours_before is not None:
            d.update(min_hours_before=round(self.min_hours_before, 4), min_hours_after=round(self.min_hours_after, 4),
                     status_before=self.status_before, lost_minutes=self.lost_minutes,
                     points_losing=self.points_losing, points_newly_failing=self.points_newly_failing)
        d["facades"] = self.facades
        d["facades_cannot_meet"] = self.facades_cannot_meet
        if self.note:
            d["note"] = self.note
        return d


def _round(v: float) -> float:
    return round(float(v), 4)


def building_results(rec: Receivers, hrs: ReceiverHours, rule: SunlightRule, labels: dict) -> list[BuildingResult]:
    """Fold receiver hours into one result per building (see the module's note on façades
    that cannot meet the rule on their own)."""
    need = rule.min_hours - 1e-9
    df = pd.DataFrame({"owner": rec.owner, "facade": rec.facade, "hours": hrs.hours, "cont": hrs.continuous,
                       "potential": hrs.potential, "az": rec.facade_azimuth, "i": np.arange(len(rec))})
    out = []
    for owner, g in df.groupby("owner", sort=True):
        facades, cannot = [], []
        for fac, f in g.groupby("facade", sort=True):
            j = int(f["hours"].to_numpy().argmin())
            row = {"facade": int(fac), "azimuth": _round(f["az"].iloc[0]), "points": int(len(f)),
                   "min_hours": _round(f["hours"].iloc[j]), "max_continuous_hours": _round(f["cont"].iloc[j]),
                   "potential_hours": _round(f["potential"].max())}
            if f["potential"].max() < need:
                cannot.append(row)
            else:
                row["status"] = "PASS" if row["min_hours"] >= need else "FAIL"
                facades.append(row)
        able = g[g["potential"] >= need]
        note = None
        if not len(able):
            able, note = g, "没有一个立面能自身满足日照标准（朝向所限）"
        k = int(able["i"].to_numpy()[able["hours"].to_numpy().argmin()])
        status = "PASS" if hrs.hours[k] >= need and note is None else "FAIL"
        out.append(BuildingResult(labels.get(owner, int(owner)), float(hrs.hours[k]), float(hrs.continuous[k]),
                                  status, [float(rec.x[k]), float(rec.y[k]), float(rec.z[k])],
                                  facades, cannot, note))
    return out


def compare_results(rec: Receivers, before: ReceiverHours, after: ReceiverHours, rule: SunlightRule,
                    labels: dict) -> list[BuildingResult]:
    """Per building, the result after a proposal with the before values beside it: the worst
    point's hours before and after (each the building's own worst, which may be another
    point), the status before, and how many points lose sun or drop below the rule."""
    need = rule.min_hours - 1e-9
    res0 = building_results(rec, before, rule, labels)
    res1 = building_results(rec, after, rule, labels)
    losing = pd.Series(after.hours < before.hours - 1e-9).groupby(rec.owner).sum()
    newly = pd.Series((before.hours >= need) & (after.hours < need)).groupby(rec.owner).sum()
    for owner, r0, r1 in zip(sorted(np.unique(rec.owner)), res0, res1):
        r1.min_hours_before, r1.min_hours_after, r1.status_before = r0.min_hours, r1.min_hours, r0.status
        r1.points_losing, r1.points_newly_failing = int(losing[owner]), int(newly[owner])
    return res1
