"""Hotspot grids: counts of points per square or hexagonal cell, and Getis-Ord Gi* z-scores.

Square grid: cells aligned to multiples of the cell size in the workspace CRS
(so grids of one size line up across runs); Gi* uses binary weights over the
cell and its 8 neighbours, every cell of the grid's extent counted (zeros too).
DOMAIN.md §2.4 [M]: z > 1.96 is a hot spot (95 %), z > 2.58 a strong one (99 %).
Hexagonal grid: pointy-top hexagons ``cell`` metres across the flats, counts only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from layers.kinds import LayerKind
from lzt.workspace.base import Workspace

Z95, Z99 = 1.96, 2.58
#: the Gi* classes of a cell (the ``hotspot`` field), hottest first
HOT99, HOT95, NOT_SIGNIFICANT, COLD95, COLD99 = "热点(99%)", "热点(95%)", "不显著", "冷点(95%)", "冷点(99%)"
HOTSPOT_CLASSES = (HOT99, HOT95, NOT_SIGNIFICANT, COLD95, COLD99)


@dataclass
class Grid:
    x: np.ndarray  # cell centres
    y: np.ndarray
    count: np.ndarray
    gi_z: np.ndarray | None  # None for hexagons
    polygons: np.ndarray  # shapely cells


def square_grid(x: np.ndarray, y: np.ndarray, cell: float) -> Grid:
    """Counts per ``cell`` × ``cell`` square, with Gi* z-scores; non-empty cells only."""
    ix = np.floor(x / cell).astype(np.int64)
    iy = np.floor(y / cell).astype(np.int64)
    x0, y0 = ix.min(), iy.min()
    nx, ny = int(ix.max() - x0 + 1), int(iy.max() - y0 + 1)
    flat = (iy - y0) * nx + (ix - x0)
    h = np.bincount(flat, minlength=nx * ny).reshape(ny, nx).astype(float)
    z = _gi_star(h)
    nz = np.flatnonzero(h.ravel())
    cy, cx = np.divmod(nz, nx)
    minx, miny = (cx + x0) * cell, (cy + y0) * cell
    return Grid(x=minx + cell / 2, y=miny + cell / 2, count=h.ravel()[nz].astype(np.int64),
                gi_z=z.ravel()[nz], polygons=shapely.box(minx, miny, minx + cell, miny + cell))


def _gi_star(h: np.ndarray) -> np.ndarray:
    """Getis-Ord Gi* with binary 3 × 3 weights (self included), vectorised."""
    pad = np.pad(h, 1)
    ones = np.pad(np.ones_like(h), 1)
    local = sum(pad[1 + dy: 1 + dy + h.shape[0], 1 + dx: 1 + dx + h.shape[1]]
                for dy in (-1, 0, 1) for dx in (-1, 0, 1))
    w = sum(ones[1 + dy: 1 + dy + h.shape[0], 1 + dx: 1 + dx + h.shape[1]]
            for dy in (-1, 0, 1) for dx in (-1, 0, 1))
    return gi_star_z(local, w, h.size, h.mean(), float(np.sqrt(max((h ** 2).mean() - h.mean() ** 2, 0.0))))


def gi_star_z(local: np.ndarray, w: np.ndarray, n: int, mean, sd) -> np.ndarray:
    """Getis-Ord Gi* z-scores for binary weights (Getis & Ord 1992, Ord & Getis 1995).

    ``local``: the sum of the values over each feature's neighbourhood (itself included),
    ``w``: the neighbourhood's size Σw_ij, ``n``: the number of features, ``mean``/``sd``: the
    mean and population standard deviation of all n values (scalars or broadcastable).
    z = (local − mean·w) / (sd · √((n·w − w²)/(n − 1))); 0 where the denominator is 0.
    """
    w = np.asarray(w, dtype=float)
    denom = sd * np.sqrt(np.maximum(n * w - w ** 2, 0) / max(n - 1, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (local - mean * w) / denom
    return np.where(denom > 0, z, 0.0)


def hex_axial(x: np.ndarray, y: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial (q, r) int64 indices of the pointy-top hexagon ``cell`` metres across the flats of each point."""
    r = cell / np.sqrt(3)  # centre to vertex
    q = (np.sqrt(3) / 3 * x - y / 3) / r
    s = (2 / 3 * y) / r
    # cube rounding
    cx, cz = q, s
    cy = -cx - cz
    rx, ry, rz = np.round(cx), np.round(cy), np.round(cz)
    dx, dy, dz = np.abs(rx - cx), np.abs(ry - cy), np.abs(rz - cz)
    fix_x = (dx > dy) & (dx > dz)
    fix_y = ~fix_x & (dy > dz)
    rx = np.where(fix_x, -ry - rz, rx)
    ry = np.where(fix_y, -rx - rz, ry)
    rz = np.where(~fix_x & ~fix_y, -rx - ry, rz)
    return rx.astype(np.int64), rz.astype(np.int64)


def hex_polygons(q: np.ndarray, r_: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(centre x, centre y, shapely hexagons) of axial indices (q, r)."""
    r = cell / np.sqrt(3)
    px = r * np.sqrt(3) * (q + r_ / 2)
    py = r * 1.5 * r_
    ang = np.radians(30 + 60 * np.arange(6))
    ring = np.stack([px[:, None] + r * np.cos(ang)[None, :], py[:, None] + r * np.sin(ang)[None, :]], axis=-1)
    ring = np.concatenate([ring, ring[:, :1]], axis=1)
    return px, py, shapely.polygons(ring)


def hex_grid(x: np.ndarray, y: np.ndarray, cell: float) -> Grid:
    """Counts per pointy-top hexagon ``cell`` metres across the flats; non-empty cells only."""
    rx, rz = hex_axial(x, y, cell)
    off = 1 << 30  # pack (q, r) into one int64: np.unique on 1-D keys is ~10x faster than on rows
    packed = (rx + off) * (1 << 31) + (rz + off)
    keys, counts = np.unique(packed, return_counts=True)
    hq, hr = (keys // (1 << 31) - off).astype(float), (keys % (1 << 31) - off).astype(float)
    px, py, polys = hex_polygons(hq, hr, cell)
    return Grid(x=px, y=py, count=counts.astype(np.int64), gi_z=None, polygons=polys)


def hotspot_class(z: np.ndarray | None) -> np.ndarray | None:
    if z is None:
        return None
    return np.where(z > Z99, HOT99, np.where(z > Z95, HOT95,
                    np.where(z < -Z99, COLD99, np.where(z < -Z95, COLD95, NOT_SIGNIFICANT))))


def save_grid(ws: Workspace, name: str, grid: Grid, *, source: str | None = None, replace: bool = False):
    """Store a grid as a polygon layer (count, and gi_z + hotspot class for square grids)."""
    import geopandas as gpd

    attrs = {"count": grid.count}
    if grid.gi_z is not None:
        attrs["gi_z"] = np.round(grid.gi_z, 4)
        attrs["hotspot"] = hotspot_class(grid.gi_z)
    gdf = gpd.GeoDataFrame(attrs, geometry=grid.polygons, crs=ws.crs)
    return ws.write_layer(name, gdf, kind=LayerKind.ANALYSIS, source=source, replace=replace)
