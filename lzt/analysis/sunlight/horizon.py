"""Which receivers see the Sun at which instants: horizon ratios along the Sun's azimuths.

Obstructions are 3D segments: the roof edges of extruded footprints (z = the roof) and the
edges of BIM meshes' triangles. Seen from a receiver at height z_r, a vertical half-plane
towards the Sun's azimuth cuts each segment it crosses at a horizontal distance t and a
height z; the ray to the Sun at altitude h is blocked by the solid below that point when
tan h ≤ (z − z_r) / t. For an extruded footprint the roof edge nearest along the azimuth
gives the largest ratio, so the test is exact for prisms; for meshes it treats the solid as
reaching down to the ground below its edges (no light under overhangs or through gaps),
the usual "horizon" simplification of sunlight software.

Acceleration (no per-receiver Python loop, no receivers × segments × instants array):

1. each segment can only shade ground within its *shadow box*: its plan extent pushed away
   from the Sun over the day's azimuths, as far as its longest shadow (height above the
   lowest receiver / tan of the lowest sun). An STRtree of the receivers answers all boxes in
   one query, giving candidate (segment, receiver) pairs;
2. a pair is dropped when the segment cannot reach the lowest sun even at its nearest point
   (height / plan distance < tan of the lowest sun), or lies behind a façade receiver's wall;
3. each pair only meets the Sun's azimuths inside the angle the segment subtends from the
   receiver (clipped to the wall's front half): the instants sorted by azimuth give that as
   an index range, so the work is Σ pairs × instants inside their angle, done in numpy
   chunks and folded with ``np.maximum.at``.
"""

from __future__ import annotations

import numpy as np
import shapely

EPS_T = 1e-6  # metres: crossings closer than this are the receiver's own wall
TWO_PI = 2.0 * np.pi
CHUNK = 1_000_000  # (pair, instant) entries per numpy batch


class Segments:
    """3D segments (k, 6): x0 y0 z0 x1 y1 z1."""

    def __init__(self, xyz: np.ndarray):
        self.xyz = np.asarray(xyz, dtype=float).reshape(-1, 6)
        self.zmax = float(self.xyz[:, [2, 5]].max()) if len(self.xyz) else -np.inf

    def __len__(self) -> int:
        return len(self.xyz)

    @staticmethod
    def concat(parts: list["Segments"]) -> "Segments":
        parts = [p.xyz for p in parts if len(p)]
        return Segments(np.vstack(parts) if parts else np.zeros((0, 6)))


def _shadow_boxes(seg: np.ndarray, reach: np.ndarray, az: np.ndarray) -> np.ndarray:
    """Plan boxes (k, 4) that hold every point each segment can shade at the azimuths ``az``."""
    dx, dy = -np.sin(az), -np.cos(az)  # shadows fall away from the Sun
    lo_x, hi_x = min(0.0, dx.min()), max(0.0, dx.max())
    lo_y, hi_y = min(0.0, dy.min()), max(0.0, dy.max())
    x0, x1 = np.minimum(seg[:, 0], seg[:, 3]), np.maximum(seg[:, 0], seg[:, 3])
    y0, y1 = np.minimum(seg[:, 1], seg[:, 4]), np.maximum(seg[:, 1], seg[:, 4])
    return np.column_stack([x0 + reach * lo_x, y0 + reach * lo_y, x1 + reach * hi_x, y1 + reach * hi_y])


def _plan_distance(ax, ay, bx, by) -> np.ndarray:
    """Distance from the origin to the plan segments a–b."""
    ex, ey = bx - ax, by - ay
    ll = ex * ex + ey * ey
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.clip(np.where(ll > 0, -(ax * ex + ay * ey) / ll, 0.0), 0.0, 1.0)
    return np.hypot(ax + s * ex, ay + s * ey)


def _arcs(ax, ay, bx, by, nx, ny):
    """Start azimuth and width (radians) of the angle each segment subtends, clipped to the
    front half-plane of the normal (nx, ny) where that is not (0, 0)."""
    ta = np.mod(np.arctan2(ax, ay), TWO_PI)
    tb = np.mod(np.arctan2(bx, by), TWO_PI)
    d = np.mod(tb - ta, TWO_PI)
    start = np.where(d <= np.pi, ta, tb)
    width = np.where(d <= np.pi, d, TWO_PI - d)
    walled = (nx != 0) | (ny != 0)
    if walled.any():
        f0 = np.mod(np.arctan2(nx, ny) - np.pi / 2, TWO_PI)  # the front half is [f0, f0 + π]
        a0 = np.mod(start - f0, TWO_PI)
        a1 = a0 + width
        lo = np.where(a0 <= np.pi, a0, 0.0)
        hi = np.where(a0 <= np.pi, np.minimum(a1, np.pi), np.minimum(a1 - TWO_PI, np.pi))
        start = np.where(walled, np.mod(f0 + lo, TWO_PI), start)
        width = np.where(walled, hi - lo, width)  # negative: nothing in front
    return start, width


def horizon(px, py, pz, az: np.ndarray, tan_alt: np.ndarray, segments: Segments, *, nx=None, ny=None,
            max_reach: float = 2000.0, feedback=None) -> np.ndarray:
    """(n receivers, m instants) horizon ratios tan(angle) of ``segments`` seen from the points
    along the Sun's azimuths ``az`` (radians, clockwise from grid north); −inf where nothing
    stands. Only the instants with the Sun up (``tan_alt`` > 0) and, for façade receivers
    (outward normals ``nx, ny``), in front of the wall are computed: the others stay −inf.
    The ratios are exact wherever they can reach the Sun; segments too low or too far to
    reach even the day's lowest sun are left out, so lower values may be missing."""
    px, py, pz = (np.asarray(v, dtype=float) for v in (px, py, pz))
    az, tan_alt = np.asarray(az, dtype=float), np.asarray(tan_alt, dtype=float)
    n, m = len(px), len(az)
    out = np.full(n * m, -np.inf)
    up = np.flatnonzero(np.isfinite(tan_alt) & (tan_alt > 0))
    if not len(segments) or not n or not len(up):
        return out.reshape(n, m).astype(np.float32)
    nx = np.zeros(n) if nx is None else np.asarray(nx, dtype=float)
    ny = np.zeros(n) if ny is None else np.asarray(ny, dtype=float)
    tmin = float(tan_alt[up].min())
    order = up[np.argsort(np.mod(az[up], TWO_PI), kind="stable")]
    phi = np.mod(az[order], TWO_PI)
    phi2 = np.concatenate([phi, phi + TWO_PI])
    mu = len(order)

    seg = segments.xyz
    ztop = np.maximum(seg[:, 2], seg[:, 5])
    reach = np.clip((ztop - pz.min()) / tmin, 0.0, max_reach)
    tall = np.flatnonzero(ztop > pz.min())
    tree = shapely.STRtree(shapely.points(px, py))
    si, ri = tree.query(shapely.box(*_shadow_boxes(seg[tall], reach[tall], az[up]).T))
    si = tall[si]
    # exact culls: too low for the lowest sun at its nearest point, or behind the wall
    ax, ay = seg[si, 0] - px[ri], seg[si, 1] - py[ri]
    bx, by = seg[si, 3] - px[ri], seg[si, 4] - py[ri]
    keep = ztop[si] - pz[ri] >= _plan_distance(ax, ay, bx, by) * tmin
    si, ri, ax, ay, bx, by = si[keep], ri[keep], ax[keep], ay[keep], bx[keep], by[keep]
    start, width = _arcs(ax, ay, bx, by, nx[ri], ny[ri])
    lo = np.searchsorted(phi2, start, side="left")
    hi = np.searchsorted(phi2, start + np.maximum(width, 0.0), side="right")
    count = np.where(width >= 0, np.minimum(hi - lo, mu), 0)
    sel = count > 0
    si, ri, lo, count = si[sel], ri[sel], lo[sel], count[sel]
    if not len(si):
        return out.reshape(n, m).astype(np.float32)
    ends = np.cumsum(count)
    cuts = np.searchsorted(ends, np.arange(CHUNK, ends[-1], CHUNK), side="right")
    edges = np.unique(np.concatenate([[0], cuts, [len(si)]]))
    for a, b in zip(edges[:-1], edges[1:]):
        if feedback is not None:
            feedback.check()
        _fold(out, m, seg, px, py, pz, si[a:b], ri[a:b], lo[a:b], count[a:b], order, az)
    return out.reshape(n, m).astype(np.float32)


def _fold(out, m, seg, px, py, pz, si, ri, lo, count, order, az) -> None:
    """Fold the pairs' ratios at the instants inside their angles into ``out`` (flat n × m)."""
    if not len(si):
        return
    total = int(count.sum())
    pair = np.repeat(np.arange(len(si)), count)
    k = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    inst = order[(np.repeat(lo, count) + k) % len(order)]
    s_i, r_i = si[pair], ri[pair]
    ux, uy = np.sin(az[inst]), np.cos(az[inst])
    ax, ay = seg[s_i, 0] - px[r_i], seg[s_i, 1] - py[r_i]
    ex, ey = seg[s_i, 3] - seg[s_i, 0], seg[s_i, 4] - seg[s_i, 1]
    den = ux * ey - uy * ex
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (ax * ey - ay * ex) / den
        s = (ax * uy - ay * ux) / den
    ok = (den != 0) & (t > EPS_T) & (s >= -1e-9) & (s <= 1 + 1e-9)
    s = np.clip(s[ok], 0.0, 1.0)
    s_i = s_i[ok]
    z = seg[s_i, 2] + s * (seg[s_i, 5] - seg[s_i, 2])
    np.maximum.at(out, r_i[ok] * m + inst[ok], (z - pz[r_i[ok]]) / t[ok])


def terrain_horizon(terrain, x: float, y: float, z: float, az: np.ndarray, *, reach: float = 3000.0,
                    start: float | None = None) -> np.ndarray:
    """tan of the terrain's horizon seen from (x, y, z) along each azimuth (radians), sampled
    every DEM cell from two cells out (nearer relief is the building's own ground) to
    ``reach`` or the edge of the loaded grid, whichever is nearer (beyond it nothing is known)."""
    if terrain is None or terrain.layer is None:
        return np.full(len(az), -np.inf)
    cell = terrain.cell
    d = np.arange(start or 2 * cell, reach + cell, cell)
    bins = np.radians(np.round(np.degrees(az)))  # 1° bins, then back to each azimuth
    ub, inv = np.unique(bins, return_inverse=True)
    gx = x + np.sin(ub)[:, None] * d[None, :]
    gy = y + np.cos(ub)[:, None] * d[None, :]
    x0, y0, x1, y1 = terrain.bounds
    inside = (gx >= x0) & (gx <= x1) & (gy >= y0) & (gy <= y1)
    r = np.where(inside, (terrain.height(gx, gy) - z) / d[None, :], -np.inf).max(axis=1)
    return r[inv]
