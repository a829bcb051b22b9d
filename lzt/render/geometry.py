"""Geometry in bulk: shapely arrays -> packed rings -> device pixels -> QPainterPath.

No per-vertex Python: a layer's geometries are packed once into flat coordinate arrays with
ring offsets (``Packed``), selected by bounding box with numpy, transformed to device pixels,
thinned to the pixel, and turned into ``QPainterPath`` objects through Qt's binary path
format (``QDataStream``), one path per colour class and chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream, QIODevice
from PySide6.QtGui import QPainterPath

from lzt.core.lazy import lazy_module

shapely = lazy_module("shapely")

_ELEM = np.dtype([("t", "<i4"), ("x", "<f8"), ("y", "<f8")])


@dataclass
class Packed:
    """Rings (or lines) of many features in flat arrays.

    ``xy`` (N, 2) vertices; ring ``r`` is ``xy[start[r]:start[r+1]]`` and belongs to feature
    ``ring_feat[r]``; ``bounds`` (F, 4) per feature; ``kind`` is "polygon", "line" or "point".
    """

    xy: np.ndarray
    start: np.ndarray
    ring_feat: np.ndarray
    bounds: np.ndarray
    kind: str

    @property
    def count(self) -> int:
        return len(self.bounds)


def pack(geoms: np.ndarray) -> Packed:
    """Pack a shapely geometry array (polygons, lines or points; multi-parts allowed)."""
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    bounds = shapely.bounds(geoms) if n else np.empty((0, 4))
    tid = shapely.get_type_id(geoms) if n else np.empty(0, int)
    valid = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) if n else np.empty(0, bool)
    kinds = set(tid[valid].tolist())
    if kinds <= {0, 4}:
        kind = "point"
    elif kinds <= {1, 2, 5}:
        kind = "line"
    else:
        kind = "polygon"
    if kind == "polygon":
        polys, pidx = shapely.get_parts(geoms[valid], return_index=True)  # explode multi-polygons
        rings, ridx = shapely.get_rings(polys, return_index=True)
        feat_of_ring = np.flatnonzero(valid)[pidx[ridx]]
    else:
        parts, pidx = shapely.get_parts(geoms[valid], return_index=True)
        rings = parts
        feat_of_ring = np.flatnonzero(valid)[pidx]
    xy, cidx = shapely.get_coordinates(rings, return_index=True)
    counts = np.bincount(cidx, minlength=len(rings)) if len(rings) else np.zeros(0, int)
    start = np.zeros(len(rings) + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    bounds = np.where(valid[:, None], bounds, np.nan) if n else bounds
    return Packed(xy, start, feat_of_ring.astype(np.int64), bounds, kind)


def pack_ragged(gtype: int, coords: np.ndarray, offsets: tuple[np.ndarray, ...]) -> Packed:
    """``pack`` of polygons given as shapely ragged arrays (``to_ragged_array``: coordinates, ring
    offsets, polygon -> ring offsets, for multi-polygons part -> polygon offsets), without making
    a shapely geometry (the workspace's packed polygon cache, ``lzt.analysis.polygon_cache``).
    Features without a ring (missing or empty) get NaN bounds, as in ``pack``."""
    if int(gtype) not in (3, 6):  # POLYGON, MULTIPOLYGON
        raise ValueError(f"packed polygons expected, got geometry type {gtype}")
    xy = np.ascontiguousarray(coords[:, :2], dtype=np.float64)
    start = np.asarray(offsets[0], dtype=np.int64)
    ring_feat = np.repeat(np.arange(len(offsets[1]) - 1), np.diff(offsets[1]))  # polygon of each ring
    feat_first_ring = np.asarray(offsets[1], dtype=np.int64)
    if int(gtype) == 6:
        part_feat = np.repeat(np.arange(len(offsets[2]) - 1), np.diff(offsets[2]))
        ring_feat = part_feat[ring_feat]
        feat_first_ring = feat_first_ring[np.asarray(offsets[2], dtype=np.int64)]
    n = len(feat_first_ring) - 1
    cstart = start[feat_first_ring]  # each feature's coordinates are contiguous
    has = cstart[1:] > cstart[:-1]
    bounds = np.full((n, 4), np.nan)
    if has.any():
        at = cstart[:-1][has]
        for col, (fn, axis) in enumerate(((np.minimum, 0), (np.minimum, 1), (np.maximum, 0), (np.maximum, 1))):
            bounds[has, col] = fn.reduceat(xy[:, axis], at)
    return Packed(xy, start, ring_feat.astype(np.int64), bounds, "polygon")


def select_rings(p: Packed, feat_mask: np.ndarray, ring_key: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vertices, ring starts and ring->feature of the features in ``feat_mask`` (bool, F).

    With ``ring_key`` (one value per ring) the rings come out sorted by it (stable), so that
    rings of one class are contiguous.
    """
    rmask = feat_mask[p.ring_feat]
    r = np.flatnonzero(rmask)
    if ring_key is not None and len(r):
        r = r[np.argsort(ring_key[r], kind="stable")]
    lens = p.start[r + 1] - p.start[r]
    starts = np.zeros(len(r) + 1, dtype=np.int64)
    np.cumsum(lens, out=starts[1:])
    total = int(starts[-1])
    if total == 0:
        return np.empty((0, 2)), starts, p.ring_feat[r]
    # gather index: for each selected ring, arange(start[r], start[r+1])
    idx = np.arange(total, dtype=np.int64) + np.repeat(p.start[r] - starts[:-1], lens)
    return p.xy[idx], starts, p.ring_feat[r]


def to_pixels(xy: np.ndarray, extent, res: float, ox: float = 0.0, oy: float = 0.0) -> np.ndarray:
    """World (x, y) -> device pixel (column, row) for an extent's top-left origin and ``res`` m/px."""
    out = np.empty_like(xy)
    out[:, 0] = (xy[:, 0] - extent[0]) / res + ox
    out[:, 1] = (extent[3] - xy[:, 1]) / res + oy
    return out


def thin(px: np.ndarray, starts: np.ndarray, quantum: float = 0.25, closed: bool = True
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop vertices that fall on the same ``quantum``-pixel cell as the previous one of their ring.

    Returns (vertices, new ring starts, mask of rings kept). Rings that thin to fewer than 4
    vertices (closed) or 2 (lines) become empty, so ring indices stay aligned.
    """
    n = len(px)
    if n == 0:
        return px, starts, np.zeros(len(starts) - 1, bool)
    q = np.round(px / quantum).astype(np.int64)
    keep = np.ones(n, bool)
    keep[1:] = (q[1:] != q[:-1]).any(axis=1)
    first = starts[:-1]
    nonempty = starts[1:] > first
    keep[first[nonempty]] = True
    last = starts[1:] - 1
    keep[last[nonempty]] = True  # keep ring closure
    ring_of = np.repeat(np.arange(len(starts) - 1), starts[1:] - starts[:-1])
    new_counts = np.bincount(ring_of[keep], minlength=len(starts) - 1)
    ok = new_counts >= (4 if closed else 2)
    vmask = keep & ok[ring_of]
    ns = np.zeros(len(starts), dtype=np.int64)
    np.cumsum(np.where(ok, new_counts, 0), out=ns[1:])
    return px[vmask], ns, ok


def path_from_rings(px: np.ndarray, starts: np.ndarray, *, odd_even: bool = True) -> QPainterPath:
    """One QPainterPath with a subpath per ring (moveTo at each ring start, lineTo after)."""
    m = len(px)
    path = QPainterPath()
    if m == 0:
        return path
    rec = np.empty(m, dtype=_ELEM)
    rec["x"] = px[:, 0]
    rec["y"] = px[:, 1]
    rec["t"] = 1
    s = starts[:-1][starts[1:] > starts[:-1]]
    rec["t"][s] = 0
    head = np.array([m], dtype="<i4").tobytes()
    tail = np.array([int(s[-1]) if len(s) else 0, 0 if odd_even else 1], dtype="<i4").tobytes()
    ba = QByteArray(head + rec.tobytes() + tail)
    stream = QDataStream(ba, QIODevice.OpenModeFlag.ReadOnly)
    stream.setByteOrder(QDataStream.ByteOrder.LittleEndian)
    stream >> path
    return path


def polygon_markers(cx: np.ndarray, cy: np.ndarray, radius: float, sides: int = 12
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Closed regular ``sides``-gons (or squares for sides=4) around pixel centres, packed."""
    n = len(cx)
    ang = np.linspace(0, 2 * np.pi, sides + 1)
    if sides == 4:
        ang = ang + np.pi / 4
        radius = radius * np.sqrt(2)
    dx = radius * np.cos(ang)
    dy = radius * np.sin(ang)
    px = np.empty((n * (sides + 1), 2))
    px[:, 0] = (cx[:, None] + dx[None, :]).ravel()
    px[:, 1] = (cy[:, None] + dy[None, :]).ravel()
    starts = np.arange(n + 1, dtype=np.int64) * (sides + 1)
    return px, starts
