"""Points in polygons, vectorised: the kernel behind per-community and per-parcel counts.

Candidate (point, polygon) pairs are found in numpy, then tested exactly with
shapely's ``intersects_xy`` (points on a boundary count for the polygon, as with
geopandas' ``sjoin`` default); no Python loop per polygon or per point.

* Small polygons (parcels: a few points each): the points are sorted by narrow
  vertical strip and, within a strip, by y; each polygon looks up the run of
  points inside its envelope's y range in every strip its envelope crosses
  (``searchsorted``), so the candidates are nearly exactly the envelope's points.
* Large polygons (communities: thousands of points each): points are sorted by
  cell of a uniform grid, whole cells inside a polygon are settled without
  testing their points, and only the points of boundary cells are tested.
"""

from __future__ import annotations

import numpy as np

from lzt.analysis.ragged import RaggedPolygons
from lzt.core.lazy import lazy_module

shapely = lazy_module("shapely")

_MAX_PAIRS_PER_CHUNK = 4_000_000
_SMALL_CHUNK = 1 << 17  # candidate pairs per step of the small-polygon path
_KEY_SLICE = 1 << 16  # points per slice when their sort keys are made


def point_polygon_pairs(x: np.ndarray, y: np.ndarray, polygons) -> tuple[np.ndarray, np.ndarray]:
    """(point index, polygon index) for every point lying in (or on) a polygon; ``polygons`` a
    shapely array or ``RaggedPolygons`` (small ones are then tested without building them all)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ragged = isinstance(polygons, RaggedPolygons)
    if not ragged:
        polygons = np.asarray(polygons, dtype=object)
    empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
    ok = polygons.nonempty() if ragged else ~shapely.is_missing(polygons) & ~shapely.is_empty(polygons)
    if len(x) == 0 or not ok.any():
        return empty
    poly_idx = np.flatnonzero(ok)
    if ragged:
        polys = polygons if ok.all() else polygons.take(poly_idx)
        pb = polys.bounds()
    else:
        polys = polygons[poly_idx]
        pb = shapely.bounds(polys)
    x0, y0 = min(x.min(), pb[:, 0].min()), min(y.min(), pb[:, 1].min())
    x1, y1 = max(x.max(), pb[:, 2].max()), max(y.max(), pb[:, 3].max())
    span = max(x1 - x0, y1 - y0, 1e-9)
    typical = _median(np.maximum(pb[:, 2] - pb[:, 0], pb[:, 3] - pb[:, 1]))
    density_cell = np.sqrt(8.0 * (x1 - x0 + 1e-9) * (y1 - y0 + 1e-9) / len(x))
    if typical < 4 * density_cell:  # a polygon holds a few dozen points at most
        pt, pg = _small_polygon_pairs(x, y, polys, pb, x0, y0, x1, y1, typical)
        return pt, poly_idx[pg]
    if ragged:
        polys = polys.geometries()
    # Cells hold ~8 points on average, are no larger than a typical polygon and
    # no finer than span/4096.  Large polygons then cover many cells, most of
    # them wholly inside or outside: those are settled without testing points.
    cell = max(min(typical, density_cell), typical / 16, span / 4096, 1e-9)
    nx = int((x1 - x0) / cell) + 1
    ny = int((y1 - y0) / cell) + 1

    # Points sorted by cell; start offsets per cell.
    pc = (np.minimum(((y - y0) / cell).astype(np.int64), ny - 1) * nx
          + np.minimum(((x - x0) / cell).astype(np.int64), nx - 1))
    order = np.argsort(pc.astype(np.int32) if nx * ny < 2**31 else pc)
    counts = np.bincount(pc, minlength=nx * ny)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))

    # Polygon envelopes -> the (polygon, cell) pairs they cover, non-empty cells only.
    ix0 = ((pb[:, 0] - x0) / cell).astype(np.int64)
    ix1 = np.minimum(((pb[:, 2] - x0) / cell).astype(np.int64), nx - 1)
    iy0 = ((pb[:, 1] - y0) / cell).astype(np.int64)
    iy1 = np.minimum(((pb[:, 3] - y0) / cell).astype(np.int64), ny - 1)
    wx, wy = ix1 - ix0 + 1, iy1 - iy0 + 1
    ncell = wx * wy
    owner = np.repeat(np.arange(len(polys)), ncell)
    k = np.arange(ncell.sum()) - np.repeat(np.cumsum(ncell) - ncell, ncell)
    cells = (iy0[owner] + k // wx[owner]) * nx + (ix0[owner] + k % wx[owner])
    keep = counts[cells] > 0
    owner, cells = owner[keep], cells[keep]

    shapely.prepare(polys)
    out_pt, out_poly = [], []
    if _median(ncell) >= 16:  # large polygons: settle whole cells first
        cx, cy = cells % nx, cells // nx
        boxes = shapely.box(x0 + cx * cell, y0 + cy * cell, x0 + (cx + 1) * cell, y0 + (cy + 1) * cell)
        inside = shapely.covers(polys[owner], boxes)
        touch = ~inside & shapely.intersects(polys[owner], boxes)
        pts, own = _expand(owner[inside], cells[inside], starts, counts, order)
        out_pt.append(pts)
        out_poly.append(own)
        owner, cells = owner[touch], cells[touch]
    n = counts[cells]
    csum = np.cumsum(n)
    lo = 0
    while lo < len(cells):  # chunks keep the pair arrays bounded in memory
        hi = int(np.searchsorted(csum, (csum[lo - 1] if lo else 0) + _MAX_PAIRS_PER_CHUNK)) + 1
        hi = min(max(hi, lo + 1), len(cells))
        pts, own = _expand(owner[lo:hi], cells[lo:hi], starts, counts, order)
        px, py = x[pts], y[pts]
        b = pb[own]
        inbox = (px >= b[:, 0]) & (px <= b[:, 2]) & (py >= b[:, 1]) & (py <= b[:, 3])
        pts, own, px, py = pts[inbox], own[inbox], px[inbox], py[inbox]
        hit = shapely.intersects_xy(polys[own], px, py)
        out_pt.append(pts[hit])
        out_poly.append(own[hit])
        lo = hi
    if not out_pt:
        return empty
    return np.concatenate(out_pt), poly_idx[np.concatenate(out_poly)]


def _small_polygon_pairs(x, y, polys, pb, x0, y0, x1, y1, typical):
    """(point, polygon) pairs for small polygons: strips of points sorted by y (see the module).

    The envelope lookups are sorted before ``searchsorted`` (a sorted search walks the point
    array once instead of jumping through it), the candidates are tested in chunks that stay
    in the CPU cache, and the polygons are prepared (GEOS indexes each one once; a prepared
    point-in-polygon test costs about half an unprepared one).
    """
    w = max(0.75 * typical, (x1 - x0) / 65536, 1e-9)  # strip width: measured best at 0.5-1 x typical
    ns = int((x1 - x0) / w) + 1
    # One integer sort key per point, (strip, y quantised) above the point's index, sorted by value
    # (np.sort of int64 is SIMD, a third of an argsort's time); the index bits give the order back.
    # The quantisation q is monotone (subtract, scale, truncate), so a lookup of the keys from
    # q(ymin) to q(ymax) finds a superset of each envelope's points; the exact envelope test that
    # follows removes the rest.
    ibits = max(int(len(x) - 1).bit_length(), 1)
    qbits = min(62 - max(int(ns - 1).bit_length(), 1) - ibits, 52)  # the key of strip ns too fits
    qmax = (1 << qbits) - 1
    scale = qmax / (y1 - y0) if y1 > y0 else 0.0

    def q(v):
        return np.minimum(((v - y0) * scale).astype(np.int64), qmax)
    # Built in slices: whole-array temporaries are memory a new process touches for the first time
    # (a page fault per 4 KiB, more CPU than the arithmetic); no order or sorted x, y arrays either
    # (the candidates below read their points through the key's index bits).
    packed = np.empty(len(x), dtype=np.int64)
    for a in range(0, len(x), _KEY_SLICE):
        b = min(a + _KEY_SLICE, len(x))
        k = packed[a:b]
        np.minimum(((x[a:b] - x0) / w).astype(np.int64), ns - 1, out=k)
        k <<= qbits
        k |= q(y[a:b])
        k <<= ibits
        k |= np.arange(a, b)
    packed.sort()
    mask = (1 << ibits) - 1
    s0 = np.minimum(((pb[:, 0] - x0) / w).astype(np.int64), ns - 1)
    m = np.minimum(((pb[:, 2] - x0) / w).astype(np.int64), ns - 1) - s0 + 1
    owner = np.repeat(np.arange(len(polys)), m)
    strip = (np.arange(len(owner)) - np.repeat(np.cumsum(m) - m, m) + s0[owner]) << qbits
    qlo = (strip | q(pb[owner, 1])) << ibits
    if len(qlo) <= mask + 1:  # the lookups' order by the same trick: their index in the low bits
        qlo |= np.arange(len(qlo))
        qlo.sort()
        by_key = qlo & mask
        qlo &= ~mask
    else:
        by_key = np.argsort(qlo)
        qlo = qlo[by_key]
    owner, strip = owner[by_key], strip[by_key]
    lo = np.searchsorted(packed, qlo, "left")
    n = np.searchsorted(packed, ((strip | q(pb[owner, 3])) + 1) << ibits, "left") - lo
    keep = n > 0
    owner, lo, n = owner[keep], lo[keep], n[keep]
    bx0, by0, bx1, by1 = (np.ascontiguousarray(pb[:, i]) for i in range(4))
    if isinstance(polys, RaggedPolygons):  # convex quadrilaterals in numpy, GEOS for the rest
        test = polys.intersects_pairs
    else:
        shapely.prepare(polys)

        def test(own, px, py):
            return shapely.intersects_xy(polys[own], px, py)
    out_pt, out_poly = [], []
    csum = np.cumsum(n)
    start = 0
    while start < len(n):  # chunks of candidates small enough to stay in the CPU cache
        stop = max(int(np.searchsorted(csum, (csum[start - 1] if start else 0) + _SMALL_CHUNK)), start + 1)
        cn = n[start:stop]
        pos = np.repeat(lo[start:stop] - (np.cumsum(cn) - cn), cn) + np.arange(cn.sum())
        own = np.repeat(owner[start:stop], cn)
        pt = packed[pos]
        pt &= mask
        px, py = x[pt], y[pt]
        sel = np.flatnonzero((px >= bx0[own]) & (px <= bx1[own]) & (py >= by0[own]) & (py <= by1[own]))
        pt, own = pt[sel], own[sel]
        hit = test(own, px[sel], py[sel])
        out_pt.append(pt[hit])
        out_poly.append(own[hit])
        start = stop
    if not out_pt:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(out_pt), np.concatenate(out_poly)


def _median(v: np.ndarray) -> float:
    """np.median of a non-empty array without NaN, without importing numpy.ma as np.median does
    (0.07 CPU s in a new process)."""
    k = len(v) // 2
    part = np.partition(v, [k - 1, k] if len(v) % 2 == 0 else [k])
    return float(part[k]) if len(v) % 2 else (float(part[k - 1]) + float(part[k])) / 2


def _expand(owner, cells, starts, counts, order):
    """Every point of each (polygon, cell) pair: (point indices, polygon indices)."""
    n = counts[cells]
    within = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    return order[np.repeat(starts[cells], n) + within], np.repeat(owner, n)


def count_points_in_polygons(x: np.ndarray, y: np.ndarray, polygons) -> np.ndarray:
    """How many of the points lie in (or on) each polygon (a shapely array or ``RaggedPolygons``)."""
    _, poly = point_polygon_pairs(x, y, polygons)
    return np.bincount(poly, minlength=len(polygons))
