"""Imagery chosen by date: the workspace's dated acquisitions and a parcel's before/after pair.

A raster layer is an acquisition when its facts carry an ``acquired`` date (from the file's
metadata or ``lzt import --date``). For a supervised parcel, "before" is the latest
acquisition on or before the work started (or the earliest one when nothing was started),
"after" the latest one; both must cover the parcel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")


@dataclass(frozen=True)
class Acquisition:
    layer: str
    acquired: str  # ISO date
    bounds: tuple[float, float, float, float]  # workspace CRS


def acquisitions(ws) -> list[Acquisition]:
    """The dated raster layers of ``ws``, oldest first."""
    out = []
    for li in ws.layers():
        d = li.details or {}
        if li.kind == "raster" and d.get("acquired"):
            b = d.get("bounds_workspace") or li.extent or d.get("bounds")
            out.append(Acquisition(li.name, str(d["acquired"]), tuple(float(v) for v in b)))
    return sorted(out, key=lambda a: (a.acquired, a.layer))


def covering(ws, bounds) -> list[Acquisition]:
    """Acquisitions whose extent holds all of ``bounds`` (minx, miny, maxx, maxy), oldest first."""
    x0, y0, x1, y1 = bounds
    return [a for a in acquisitions(ws)
            if a.bounds[0] <= x0 and a.bounds[1] <= y0 and a.bounds[2] >= x1 and a.bounds[3] >= y1]


def _day(v) -> str | None:
    if v is None or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)[:10] or None


def before_after(ws, geometry, started=None) -> tuple[Acquisition, Acquisition] | None:
    """(before, after) acquisitions covering ``geometry`` around the date work ``started``
    (None: not started); None when fewer than two dated acquisitions cover it."""
    if geometry is None or geometry.is_empty:
        return None
    cands = covering(ws, geometry.bounds)
    if len(cands) < 2:
        return None
    after = cands[-1]
    start = _day(started)
    earlier = [a for a in cands[:-1] if start is not None and a.acquired <= start]
    return (earlier[-1] if earlier else cands[0]), after


__all__ = ["Acquisition", "acquisitions", "before_after", "covering"]
