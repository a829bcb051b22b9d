"""门牌 (door plates) of the gazetteer: road plates by road, and numbers placed between plates.

A road plate is a gazetteer place of role 门牌 named ``<road><n>号``. A number written in an
address that has no plate of its own is placed along the road between the two nearest plates of
the same parity (same side of the road) on the same stretch of road: at the distance along the
road and the distance beside it interpolated linearly in the number. Only between two plates,
never beyond the last; and when the number falls between plates on two stretches of the road in
the area that are not the same place, nothing is placed (the reason says so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import shapely

from lzt.search.gazetteer import Gazetteer

PLATE_ROLE = "门牌"
_ROAD_PLATE = re.compile(r"^(.+?)(\d+)号$")
#: plates farther than this from a stretch of road (beyond its half width) are not on it (m)
ON_STRETCH = 60.0
#: interpolated places this close together are one place (m)
SAME_PLACE = 100.0


@dataclass
class Interpolated:
    x: float
    y: float
    low: int  # the numbers of the plates it was placed between
    high: int


def road_plates(gz: Gazetteer) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Normalised road name -> (rows of its plates, their numbers), built once per gazetteer."""
    got = gz.__dict__.get("_road_plates")
    if got is not None:
        return got
    role, norm = gz.col("role"), gz.col("norm")
    by: dict[str, tuple[list[int], list[int]]] = {}
    for r in np.flatnonzero(role == PLATE_ROLE).tolist():
        m = _ROAD_PLATE.match(norm[r])
        if m:
            rows, nums = by.setdefault(m.group(1), ([], []))
            rows.append(r)
            nums.append(int(m.group(2)))
    got = {k: (np.asarray(v[0], dtype=np.int64), np.asarray(v[1], dtype=np.int64)) for k, v in by.items()}
    gz.__dict__["_road_plates"] = got
    return got


def _normal_at(line, d: float) -> tuple[float, float, float, float]:
    """Point at ``d`` along ``line`` and the unit normal to its left there."""
    a = line.interpolate(max(d - 1.0, 0.0))
    b = line.interpolate(min(d + 1.0, line.length))
    p = line.interpolate(d)
    tx, ty = b.x - a.x, b.y - a.y
    n = float(np.hypot(tx, ty)) or 1.0
    return p.x, p.y, -ty / n, tx / n


def interpolate(lines: list, x: np.ndarray, y: np.ndarray, numbers: np.ndarray,
                number: int) -> tuple[list[Interpolated], int]:
    """Places of ``number`` between plates (x, y, numbers) on each stretch of ``lines``.

    Returns the places found (one per stretch that brackets the number) and how many stretches
    carried plates of the number's side at all."""
    out: list[Interpolated] = []
    same = (numbers % 2) == (number % 2)
    x, y, numbers = x[same], y[same], numbers[same]
    plated = 0
    pts = shapely.points(x, y)
    for line in lines:
        if line.is_empty or line.length == 0:
            continue
        near = shapely.distance(pts, line) <= ON_STRETCH
        if not near.any():
            continue
        plated += 1
        nums = numbers[near]
        lo, hi = nums[nums < number], nums[nums > number]
        if not len(lo) or not len(hi):
            continue
        i_lo = np.flatnonzero(near)[np.flatnonzero(nums == lo.max())[0]]
        i_hi = np.flatnonzero(near)[np.flatnonzero(nums == hi.min())[0]]
        ends = []
        for i in (i_lo, i_hi):
            d = line.project(pts[i])
            px, py, nx, ny = _normal_at(line, d)
            ends.append((d, (x[i] - px) * nx + (y[i] - py) * ny))
        t = (number - numbers[i_lo]) / (numbers[i_hi] - numbers[i_lo])
        d = ends[0][0] + t * (ends[1][0] - ends[0][0])
        s = ends[0][1] + t * (ends[1][1] - ends[0][1])
        px, py, nx, ny = _normal_at(line, d)
        out.append(Interpolated(px + s * nx, py + s * ny, int(numbers[i_lo]), int(numbers[i_hi])))
    return out, plated


def one_place(found: list[Interpolated]) -> Interpolated | None:
    """The place when all candidates are one (within ``SAME_PLACE``), else None."""
    if not found:
        return None
    xs = np.array([f.x for f in found])
    ys = np.array([f.y for f in found])
    if float(np.hypot(xs.max() - xs.min(), ys.max() - ys.min())) <= SAME_PLACE:
        return found[0]
    return None
