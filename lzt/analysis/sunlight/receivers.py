"""Receivers: points along each façade at the ground storey's window sill, or given points."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

OFFSET_M = 0.05  # receivers stand this far in front of their wall (outside the footprint)


@dataclass
class Receivers:
    """Receivers as parallel arrays. ``nx, ny`` is the façade's outward normal (0, 0 for a
    free point that sees every direction); ``facade`` numbers the walls of a building."""

    owner: np.ndarray  # building fid (or point fid)
    facade: np.ndarray
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    nx: np.ndarray
    ny: np.ndarray

    def __len__(self) -> int:
        return len(self.x)

    def take(self, idx) -> "Receivers":
        return Receivers(*(getattr(self, f)[idx] for f in ("owner", "facade", "x", "y", "z", "nx", "ny")))

    @property
    def facade_azimuth(self) -> np.ndarray:
        """Where each façade faces, degrees clockwise from grid north (NaN for free points)."""
        az = np.degrees(np.arctan2(self.nx, self.ny)) % 360.0
        return np.where((self.nx == 0) & (self.ny == 0), np.nan, az)


def facade_receivers(fids, geoms, base_z, *, spacing: float = 1.0, sill: float = 0.9,
                     min_wall: float = 1.0) -> Receivers:
    """Points every ``spacing`` m (centred in equal pieces) along each wall longer than
    ``min_wall`` — outer walls and courtyard walls (interior rings) — ``sill`` m above the
    building's base, just outside the wall (inside the courtyard for a courtyard wall)."""
    cols = {k: [] for k in ("owner", "facade", "x", "y", "z", "nx", "ny")}
    for fid, geom, z0 in zip(fids, geoms, base_z):
        k = 0
        for ring in shapely.get_rings(shapely.get_parts(shapely.orient_polygons(geom))):
            c = shapely.get_coordinates(ring)
            a, b = c[:-1], c[1:]
            d = b - a
            length = np.hypot(d[:, 0], d[:, 1])
            for (ax, ay), (dx, dy), L in zip(a, d, length):
                if L < min_wall:
                    continue
                n = max(1, int(round(L / spacing)))
                t = (np.arange(n) + 0.5) / n
                ux, uy = dy / L, -dx / L  # right of travel: outward (exterior CCW, courtyards CW)
                cols["owner"].append(np.full(n, fid))
                cols["facade"].append(np.full(n, k))
                cols["x"].append(ax + t * dx + OFFSET_M * ux)
                cols["y"].append(ay + t * dy + OFFSET_M * uy)
                cols["z"].append(np.full(n, z0 + sill))
                cols["nx"].append(np.full(n, ux))
                cols["ny"].append(np.full(n, uy))
                k += 1
    cat = {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in cols.items()}
    cat["owner"] = cat["owner"].astype(np.int64)
    cat["facade"] = cat["facade"].astype(np.int64)
    return Receivers(**cat)


def point_receivers(fids, xs, ys, zs) -> Receivers:
    """Free receivers (no wall: every direction counts)."""
    n = len(xs)
    return Receivers(np.asarray(fids, dtype=np.int64), np.zeros(n, dtype=np.int64), np.asarray(xs, float),
                     np.asarray(ys, float), np.asarray(zs, float), np.zeros(n), np.zeros(n))
