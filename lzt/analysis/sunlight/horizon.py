"""Which receivers see the Sun at which instants: horizon ratios along the Sun's azimuths.

Obstructions are 3D segments: the roof edges of extruded footprints (z = the roof) and the
edges of BIM meshes' triangles. Seen from a receiver at height z_r, a vertical half-plane
towards the Sun's azimuth cuts each segment it crosses at a horizontal distance t and a
height z; the ray to the Sun at altitude h is blocked by the solid below that point when
tan h < (z − z_r) / t. For an extruded footprint the roof edge nearest along the azimuth
gives the largest ratio, so the test is exact for prisms; for meshes it treats the solid as
reaching down to the ground below its edges (no light under overhangs or through gaps),
the usual "horizon" simplification of sunlight software.

Acceleration: each receiver only looks at the segments inside the sector the Sun sweeps
(azimuth range of the day, out to the longest shadow the tallest obstruction can cast),
found through an STRtree; then one (azimuths × segments) array per receiver.
"""

from __future__ import annotations

import numpy as np
import shapely

EPS_T = 1e-6  # metres: crossings closer than this are the receiver's own wall


class Segments:
    """3D segments (k, 6): x0 y0 z0 x1 y1 z1, with an STRtree over their plan extents."""

    def __init__(self, xyz: np.ndarray):
        self.xyz = np.asarray(xyz, dtype=float).reshape(-1, 6)
        lines = shapely.linestrings(self.xyz[:, [0, 1, 3, 4]].reshape(-1, 2, 2)) if len(self.xyz) else np.array([])
        self.tree = shapely.STRtree(lines)
        self.zmax = float(self.xyz[:, [2, 5]].max()) if len(self.xyz) else -np.inf

    def __len__(self) -> int:
        return len(self.xyz)

    @staticmethod
    def concat(parts: list["Segments"]) -> "Segments":
        parts = [p.xyz for p in parts if len(p)]
        return Segments(np.vstack(parts) if parts else np.zeros((0, 6)))


def sectors(x: np.ndarray, y: np.ndarray, az_lo: float, az_hi: float, radius: np.ndarray) -> np.ndarray:
    """Polygons covering the plan area within ``radius`` of each point between two azimuths
    (radians, clockwise from grid north; az_hi − az_lo < 2π)."""
    n_arc = 16
    a = np.linspace(az_lo, az_hi, n_arc)
    ring_x = np.concatenate([[0.0], np.sin(a), [0.0]])
    ring_y = np.concatenate([[0.0], np.cos(a), [0.0]])
    if az_hi - az_lo > np.pi:  # a wide sector: a circle is simpler and still covers it
        t = np.linspace(0, 2 * np.pi, 33)
        ring_x, ring_y = np.sin(t), np.cos(t)
    r = np.asarray(radius, dtype=float)[:, None]
    cx = x[:, None] + r * ring_x[None, :] * (1 + 1e-9)
    cy = y[:, None] + r * ring_y[None, :] * (1 + 1e-9)
    return shapely.polygons(np.stack([cx, cy], axis=-1))


def ratios_for(px: float, py: float, pz: float, az: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """Max over ``seg`` (k, 6) of (z − pz)/t along each azimuth in ``az`` (m,); −inf where no
    segment crosses the half-plane."""
    if not len(seg):
        return np.full(len(az), -np.inf)
    ux, uy = np.sin(az)[:, None], np.cos(az)[:, None]
    ax, ay = seg[None, :, 0] - px, seg[None, :, 1] - py
    ex, ey = seg[None, :, 3] - seg[None, :, 0], seg[None, :, 4] - seg[None, :, 1]
    den = ux * ey - uy * ex
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (ax * ey - ay * ex) / den
        s = (ax * uy - ay * ux) / den
        ok = (den != 0) & (t > EPS_T) & (s >= 0) & (s <= 1)
        z = seg[None, :, 2] + s * (seg[None, :, 5] - seg[None, :, 2])
        r = np.where(ok, (z - pz) / t, -np.inf)
    return r.max(axis=1)


def horizon(px, py, pz, az: np.ndarray, tan_alt_min: float, segments: Segments, *, max_reach: float = 2000.0,
            feedback=None, fid_offset: int = 0) -> np.ndarray:
    """(n receivers, m azimuths) horizon ratios tan(angle) of ``segments`` seen from the points.

    Only segments within the shadow reach ``(zmax − z)/tan_alt_min`` (capped at ``max_reach``)
    inside the swept azimuth range are looked at."""
    px, py, pz = (np.asarray(v, dtype=float) for v in (px, py, pz))
    n, m = len(px), len(az)
    out = np.full((n, m), -np.inf, dtype=np.float32)
    if not len(segments) or not n or not m:
        return out
    reach = np.clip((segments.zmax - pz) / max(tan_alt_min, 1e-3), 0.0, max_reach)
    lo, hi = float(np.min(az)), float(np.max(az))
    if hi - lo > np.pi:  # the range wraps through north: unwrap around south
        lo, hi = 0.0, 2 * np.pi + 0.1
    polys = sectors(px, py, lo, hi, np.maximum(reach, 1.0))
    ri, si = segments.tree.query(polys, predicate="intersects")
    order = np.argsort(ri, kind="stable")
    ri, si = ri[order], si[order]
    bounds = np.searchsorted(ri, np.arange(n + 1))
    for i in range(n):
        if feedback is not None and i % 200 == 0:
            feedback.check()
        a, b = bounds[i], bounds[i + 1]
        if a == b:
            continue
        out[i] = ratios_for(px[i], py[i], pz[i], az, segments.xyz[si[a:b]])
    return out


def terrain_horizon(terrain, x: float, y: float, z: float, az: np.ndarray, *, reach: float = 3000.0,
                    start: float | None = None) -> np.ndarray:
    """tan of the terrain's horizon seen from (x, y, z) along each azimuth (radians), sampled
    every DEM cell from two cells out (nearer relief is the building's own ground)."""
    if terrain is None or terrain.layer is None:
        return np.full(len(az), -np.inf)
    cell = terrain.cell
    d = np.arange(start or 2 * cell, reach + cell, cell)
    bins = np.radians(np.round(np.degrees(az)))  # 1° bins, then back to each azimuth
    ub, inv = np.unique(bins, return_inverse=True)
    gx = x + np.sin(ub)[:, None] * d[None, :]
    gy = y + np.cos(ub)[:, None] * d[None, :]
    r = ((terrain.height(gx, gy) - z) / d[None, :]).max(axis=1)
    return r[inv]
