"""Polygons kept as shapely ragged arrays (coordinates and offsets), shapely objects built only
where they are needed, and an exact numpy point-in-polygon test for strictly convex rings.

A new process counting points per parcel used to rebuild all 105,692 district parcels as GEOS
polygons from the packed cache (``from_ragged_array``, ~0.08 CPU s), prepare them and test
~1.3M candidate (point, parcel) pairs with GEOS (~0.17 s plus ~0.08 s building each prepared
polygon's locator on first use). 97.6 % of the parcels are strictly convex rings of 3 to 12
vertices (91 % quadrilaterals, then pentagons and triangles): for them a pair is decided in numpy
from one orientation sign per edge, each computed in floating point with an error bound (the
same filter as GEOS's ``orientationIndexFilter``, tighter: a sign is used only when ``|det|``
exceeds ``1e-14 (|left| + |right|)``, far beyond the rounding of two subtractions and a
product), so the answer is GEOS's exact one. Pairs whose sign is not certain (points on or
within rounding of an edge line) and the other polygons go to GEOS, built for those polygons only."""

from __future__ import annotations

import numpy as np

from lzt.core.convex_rings import ERR, MAX_VERTICES, convex_flags
from lzt.core.lazy import lazy_module

shapely = lazy_module("shapely")



def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The concatenated ranges ``starts[i] .. starts[i] + lengths[i]``."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    return np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)


class RaggedPolygons:
    """A polygon (or multipolygon) array as shapely's ragged arrays: ``gtype`` (a
    ``shapely.GeometryType``), ``coords`` (n x 2) and ``offsets`` (innermost first, as
    ``shapely.to_ragged_array``). Missing geometries are empty ones."""

    def __init__(self, gtype, coords: np.ndarray, offsets: tuple, geometries: np.ndarray | None = None):
        self.gtype = shapely.GeometryType(int(gtype))
        self.coords = np.asarray(coords, dtype=np.float64)
        if self.coords.ndim == 2 and self.coords.shape[1] > 2:  # x, y pairs: every index reads them so
            self.coords = np.ascontiguousarray(self.coords[:, :2])
        self.offsets = tuple(np.asarray(o, dtype=np.int64) for o in offsets)
        self._geoms = geometries  # the whole array, once built (or given)
        self._built: np.ndarray | None = None  # geometries built one by one for the GEOS tests
        self._table: _RingTable | None = None
        self._flags: np.ndarray | None = None  # convex_flags, from the packed cache or computed
        self._bounds: np.ndarray | None = None
        self.ragged_array = None  # from_geometries: shapely's own arrays

    @classmethod
    def from_geometries(cls, geoms: np.ndarray) -> RaggedPolygons | None:
        """The ragged form of polygons (None when they are not polygons of one family)."""
        try:
            # x, y only: the tests are 2D (as GEOS's intersects), and every index below reads
            # coordinates as x, y pairs (PolygonZ's x, y, z rows were read as pairs: wrong counts)
            gtype, coords, offsets = shapely.to_ragged_array(geoms, include_z=False)
        except (ValueError, TypeError, shapely.errors.GEOSException):
            return None
        if gtype not in (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON):
            return None
        from lzt.workspace.polygon_pack import without_ringless_parts

        out = cls(gtype, coords, without_ringless_parts(gtype, offsets), np.asarray(geoms, dtype=object))
        out.ragged_array = (gtype, coords, offsets)  # as shapely gave them (what a packed cache stores)
        return out

    def __len__(self) -> int:
        return len(self.offsets[-1]) - 1

    def _coord_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """First and past-last coordinate index of every geometry."""
        idx = self.offsets[-1]
        for off in reversed(self.offsets[:-1]):
            idx = off[idx]
        return idx[:-1], idx[1:]

    def geometries(self) -> np.ndarray:
        """Every polygon as a shapely object (built once)."""
        if self._geoms is None:
            self._geoms = np.asarray(shapely.from_ragged_array(self.gtype, self.coords, self.offsets), dtype=object)
        return self._geoms

    def nonempty(self) -> np.ndarray:
        """True for polygons with at least one coordinate."""
        s, e = self._coord_bounds()
        return e > s

    def take(self, idx: np.ndarray) -> RaggedPolygons:
        """The polygons at ``idx`` (in that order)."""
        idx = np.asarray(idx, dtype=np.int64)
        sel, outs = idx, []
        for off in reversed(self.offsets):  # outermost level first
            starts = off[sel]
            lengths = off[sel + 1] - starts
            outs.append(np.concatenate([[0], np.cumsum(lengths)]))
            sel = _ranges(starts, lengths)
        geoms = None if self._geoms is None else self._geoms[idx]
        out = RaggedPolygons(self.gtype, self.coords[sel], tuple(reversed(outs)), geoms)
        if self._flags is not None:
            out._flags, out._bounds = self._flags[idx], self._bounds[idx]
        return out

    def use_convex_flags(self, flags, bounds) -> None:
        """Take ``convex_flags`` and ``bounds`` as stored beside the packed polygons (ignored
        unless they have the right types and one entry per polygon: then worked out again)."""
        n = len(self)
        if isinstance(flags, np.ndarray) and isinstance(bounds, np.ndarray) and flags.dtype == np.int8 \
                and flags.shape == (n,) and bounds.dtype == np.float64 and bounds.shape == (n, 4):
            self._flags, self._bounds = flags, bounds

    def bounds(self) -> np.ndarray:
        """(n, 4) minx, miny, maxx, maxy of non-empty polygons (as ``shapely.bounds``)."""
        if self._bounds is None:
            self._flags, self._bounds = convex_flags(self.gtype == shapely.GeometryType.MULTIPOLYGON,
                                                     self.coords, self.offsets)
        return self._bounds

    def convex_flags(self) -> np.ndarray:
        """Per polygon: the vertex count of one strictly convex ring, negative when clockwise, else 0
        (``lzt.core.convex_rings``; kept beside the packed polygons)."""
        if self._flags is None:
            self.bounds()
        return self._flags

    # -- the exact tests of candidate pairs -------------------------------------------------
    def _ring_table(self) -> _RingTable:
        if self._table is None:
            self._table = _RingTable(self)
        return self._table

    def _quad_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(tested in numpy: a strictly convex ring of 3 to ``MAX_VERTICES`` vertices, group, row)."""
        tab = self._ring_table()
        return tab.group >= 0, tab.group, tab.row

    def _geos(self, idx: np.ndarray) -> np.ndarray:
        """Prepared shapely polygons at ``idx``, built for those polygons only."""
        if self._geoms is not None:
            g = self._geoms[idx]
            shapely.prepare(g)
            return g
        if self._built is None:
            self._built = np.full(len(self), None, dtype=object)
        mark = np.zeros(len(self), dtype=bool)  # np.unique would import numpy.ma (0.07 s in a new process)
        mark[idx[shapely.is_missing(self._built[idx])]] = True
        need = np.flatnonzero(mark)
        if len(need):
            sub = self.take(need)
            made = shapely.from_ragged_array(sub.gtype, sub.coords, sub.offsets)
            shapely.prepare(made)
            self._built[need] = made
        return self._built[idx]

    def intersects_pairs(self, own: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        """For each pair, whether point (px, py) lies in or on polygon ``own`` (GEOS's answer).
        The points must lie in their polygon's envelope (the kernel's envelope test)."""
        tab = self._ring_table()
        hit = np.zeros(len(own), dtype=bool)
        group = tab.group[own]
        unsure = [np.flatnonzero(group < 0)]
        for gi, (nv, xs, ys, err) in enumerate(tab.convex):
            q = np.flatnonzero(group == gi)
            if not len(q):
                continue
            r = tab.row[own[q]]
            xq, yq, e = px[q], py[q], err[r]
            u0, v0 = xs[0][r] - xq, ys[0][r] - yq
            u, v, low = u0, v0, None
            for k in range(nv):  # the edge from vertex k to the next: inside is on its left
                u1, v1 = (xs[k + 1][r] - xq, ys[k + 1][r] - yq) if k + 1 < nv else (u0, v0)
                det = u * v1
                det -= v * u1
                low = det if low is None else np.minimum(low, det, out=low)
                u, v = u1, v1
            inside = low > e  # certainly left of every edge; certainly right of one: outside
            hit[q] = inside
            unsure.append(q[~inside & (low >= -e)])
        unsure = np.concatenate(unsure)
        if len(unsure):
            hit[unsure] = shapely.intersects_xy(self._geos(own[unsure]), px[unsure], py[unsure])
        return hit


class _RingTable:
    """The strictly convex rings (``convex_flags``) by vertex count: ``convex`` holds (vertex count,
    x columns, y columns counter-clockwise, error bound) per group, ``group``/``row`` each polygon's
    group and row (-1: tested by GEOS). For a point in the envelope, ``|x_k - px| <= width`` and
    ``|y_k - py| <= height``, so both products of an edge's determinant are at most
    ``width * height``: ``err = ERR * 2 * width * height`` bounds its rounding error."""

    def __init__(self, polys: RaggedPolygons) -> None:
        flags = polys.convex_flags()
        bounds = polys.bounds()
        n = len(flags)
        self.group = np.full(n, -1, dtype=np.int64)
        self.row = np.zeros(n, dtype=np.int64)
        self.convex: list = []
        count = np.bincount(np.abs(flags.astype(np.int64)), minlength=MAX_VERTICES + 1)
        if not count[3:].any():
            return
        start = polys._coord_bounds()[0]
        flat = polys.coords.reshape(-1)
        size = np.abs(flags)
        for nv in np.flatnonzero(count[3:]) + 3:
            nv = int(nv)
            idx = np.flatnonzero(size == nv)
            at = 2 * start[idx]
            xs = [flat[at + 2 * k] for k in range(nv)]
            ys = [flat[at + 2 * k + 1] for k in range(nv)]
            flip = np.flatnonzero(flags[idx] < 0)
            for v in (xs, ys):  # clockwise: vertices in reverse order, so that inside is on the left
                for k in range(nv // 2) if len(flip) else ():
                    v[k][flip], v[nv - 1 - k][flip] = v[nv - 1 - k][flip], v[k][flip]
            b = bounds[idx]
            self.group[idx] = len(self.convex)
            self.row[idx] = np.arange(len(idx))
            self.convex.append((nv, xs, ys, ERR * 2.0 * (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])))
