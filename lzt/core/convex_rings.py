"""Which polygons of shapely ragged arrays are one strictly convex ring, and every polygon's bounds.

Pure numpy over the arrays of ``shapely.to_ragged_array`` (coordinates n x 2, offsets innermost
first), so the workspace can keep the answer beside its packed polygons
(``lzt.workspace.polygon_pack``) and the overlay kernel (``lzt.analysis.ragged``) can test points
in those polygons in numpy without working it out again in every new process (~0.04 CPU s for
the district's 105,692 parcels).

A polygon qualifies when it is one closed ring (one part, no hole) of 3 to ``MAX_VERTICES``
vertices whose every turn is certainly the same way round — each turn's sign used only when
``|det| > ERR (|left| + |right|)``, GEOS's ``orientationIndexFilter`` made tighter — and whose
turns add up to one revolution (a pentagram turns the same way at every vertex, twice round).
Its flag is the vertex count, negative when the ring runs clockwise; 0 for every other polygon.
"""

from __future__ import annotations

from functools import reduce

import numpy as np

#: relative error bound on an orientation determinant; GEOS uses 1e-15
ERR = 1e-14
#: the most vertices of a ring tested in numpy (parcels: 91 % quadrilaterals, the rest 3 to 12)
MAX_VERTICES = 12


def single_rings(multi: bool, coords: np.ndarray, offsets: tuple):
    """(vertex count, polygon indices, x columns, y columns) of each group of polygons made of one
    closed ring of 3 to ``MAX_VERTICES`` vertices; ``multi``: the offsets are a multipolygon's."""
    rings, geoms = offsets[0], offsets[-1]
    if len(geoms) < 2 or len(rings) < 2:
        return
    single = np.diff(geoms) == 1
    first = geoms[:-1]
    if multi:  # one part of one ring
        parts = offsets[1]
        part = np.minimum(first, len(parts) - 2)
        single &= (first < len(parts) - 1) & (parts[part + 1] - parts[part] == 1)
        first = parts[part]
    first = np.minimum(first, len(rings) - 2)
    single &= first < len(rings) - 1
    start = rings[first]
    ncoord = rings[first + 1] - start
    flat = coords.reshape(-1)
    for nv in range(3, MAX_VERTICES + 1):
        idx = np.flatnonzero(single & (ncoord == nv + 1))
        if not len(idx):
            continue
        at = 2 * start[idx]
        closed = (flat[at + 2 * nv] == flat[at]) & (flat[at + 2 * nv + 1] == flat[at + 1])
        idx, at = idx[closed], at[closed]
        yield nv, idx, [flat[at + 2 * k] for k in range(nv)], [flat[at + 2 * k + 1] for k in range(nv)]


def convex_flags(multi: bool, coords: np.ndarray, offsets: tuple) -> tuple[np.ndarray, np.ndarray]:
    """(flags, bounds): per polygon, the vertex count of a strictly convex ring (negative:
    clockwise) or 0 (see the module), and (n, 4) minx, miny, maxx, maxy (NaN when empty)."""
    n = len(offsets[-1]) - 1
    flags = np.zeros(max(n, 0), dtype=np.int8)
    bounds = np.full((max(n, 0), 4), np.nan)
    grouped = np.zeros(max(n, 0), dtype=bool)
    for nv, idx, xs, ys in single_rings(multi, coords, offsets):
        box = (reduce(np.minimum, xs), reduce(np.minimum, ys), reduce(np.maximum, xs), reduce(np.maximum, ys))
        for i in range(4):
            bounds[idx, i] = box[i]
        grouped[idx] = True
        ex = [xs[(k + 1) % nv] - xs[k] for k in range(nv)]  # edge k: vertex k to the next
        ey = [ys[(k + 1) % nv] - ys[k] for k in range(nv)]
        ccw, cw = np.ones(len(idx), dtype=bool), np.ones(len(idx), dtype=bool)
        turning = np.zeros(len(idx))
        for k in range(nv):  # the turn at vertex k (edge k - 1, then edge k): the same way at all
            left = ex[k - 1] * ey[k]
            right = ey[k - 1] * ex[k]
            det = left - right
            bound = np.abs(left)
            bound += np.abs(right)
            bound *= ERR
            ccw &= det > bound
            bound *= -1.0
            cw &= det < bound
            if nv > 4:  # 3 or 4 turns the same way cannot go twice round
                turning += np.abs(np.arctan2(det, ex[k - 1] * ex[k] + ey[k - 1] * ey[k]))
        if nv > 4:
            ok = turning < 3 * np.pi
            ccw &= ok
            cw &= ok
        flags[idx[ccw]] = nv
        flags[idx[cw]] = -nv
    _other_bounds(coords, offsets, bounds, np.flatnonzero(~grouped))
    return flags, bounds


def _other_bounds(coords: np.ndarray, offsets: tuple, out: np.ndarray, which: np.ndarray) -> None:
    """``out[which]`` = the bounds of those polygons over all their coordinates (empty: NaN)."""
    idx = offsets[-1]
    for off in reversed(offsets[:-1]):
        idx = off[idx]
    s, e = idx[:-1][which], idx[1:][which]
    ok = e > s
    which, s, e = which[ok], s[ok], e[ok]
    if not len(which):
        return
    at = np.empty(2 * len(which), dtype=np.int64)  # [start, end) pairs interleaved: reduceat's even answers
    at[0::2], at[1::2] = s, e
    for axis in (0, 1):
        col = np.append(coords[:, axis], 0.0)  # an end index may be the last + 1
        out[which, axis] = np.minimum.reduceat(col, at)[0::2]
        out[which, axis + 2] = np.maximum.reduceat(col, at)[0::2]
