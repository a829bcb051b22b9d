"""The space-time cube of complaints: periods ending on a date × locations (cells or polygons).

Periods [P]: the analysis looks back from ``as_of`` (the last day included). A period is
the ``day``, the ``week`` (7 days) or the ``month`` ending there, and the ones before it
end where the next begins: with ``as_of`` a Sunday the weeks are Monday–Sunday weeks, with
``as_of`` the last day of a month the months are calendar months (a month before
``as_of`` + 1 day is found by calendar arithmetic, so 2025-12-15 gives 11-16 … 12-15).

Locations: square cells aligned to multiples of the cell size in the workspace CRS (id
``C{size}:{E}:{N}``, the south-west corner), pointy-top hexagons (``H{size}:{q}:{r}``,
axial indices, see ``hotspots.hex_axial``) or the features of a polygon layer (id: its
key field). As in ArcGIS Pro's space-time cube built from points, the cells analysed are
those with at least one record in the cube's span (any category); a polygon layer is a
fixed set of locations, all analysed. Neighbours are binary and include the location
itself: the 3 × 3 cells, the 6 hexagons around, or the polygons that touch (queen
contiguity).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace

PERIODS = ("day", "week", "month")
PERIOD_ZH = {"day": "日", "week": "周", "month": "月"}
PER_YEAR = {"day": 364, "week": 52, "month": 12}  # periods in a year (364 days: same weekday)
_DAY_MS = 86_400_000


@dataclass(frozen=True)
class Periods:
    """``n`` consecutive periods; period i is [edges[i], edges[i+1]) in ms since the epoch (local time)."""

    kind: str
    edges: np.ndarray  # int64 ms, ascending, length n + 1

    @property
    def n(self) -> int:
        return len(self.edges) - 1

    def index(self, t_ms: np.ndarray) -> np.ndarray:
        """The period of each time, -1 outside (or missing)."""
        t = np.asarray(t_ms, dtype=np.int64)
        i = np.searchsorted(self.edges, t, side="right") - 1
        return np.where((i >= 0) & (i < self.n) & (t != np.iinfo(np.int64).min), i, -1)

    def start(self, i: int) -> date:
        return pd.Timestamp(int(self.edges[i]), unit="ms").date()

    def end(self, i: int) -> date:
        """The last day of period i (inclusive)."""
        return (pd.Timestamp(int(self.edges[i + 1]), unit="ms") - pd.Timedelta(days=1)).date()

    def label(self, i: int) -> str:
        s, e = self.start(i), self.end(i)
        return s.isoformat() if s == e else f"{s.isoformat()}—{e.isoformat()}"


def periods_ending(as_of: date, kind: str, n: int) -> Periods:
    """The ``n`` periods of ``kind`` ending on ``as_of`` (inclusive), oldest first."""
    if kind not in PERIODS:
        raise LztInputError("--period", f"unknown period {kind!r}; use one of {', '.join(PERIODS)}")
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    if kind == "month":
        edges = [end - pd.DateOffset(months=k) for k in range(n, -1, -1)]
    else:
        step = pd.Timedelta(days=1 if kind == "day" else 7)
        edges = [end - k * step for k in range(n, -1, -1)]
    return Periods(kind, np.array([e.value // 1_000_000 for e in edges], dtype=np.int64))


def to_ms(values) -> np.ndarray:
    """Date-times (strings, Timestamps) -> int64 ms; missing -> int64 min."""
    t = pd.to_datetime(pd.Series(values), errors="coerce")
    if getattr(t.dt, "tz", None) is not None:
        t = t.dt.tz_localize(None)
    return t.to_numpy(dtype="datetime64[ms]").astype(np.int64)


@dataclass
class Locations:
    """The locations of a cube: ids, shapes and the binary neighbour matrix (self included)."""

    ids: np.ndarray  # str
    polygons: np.ndarray  # shapely
    neighbours: sparse.csr_matrix  # L x L, 0/1, diagonal 1
    kind: str  # "square" | "hex" | "polygons"

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        c = shapely.centroid(self.polygons)
        return shapely.get_x(c), shapely.get_y(c)


def _graph(keys: np.ndarray, offsets: list[int]) -> sparse.csr_matrix:
    """Binary neighbour matrix of sorted unique int64 ``keys`` for the key ``offsets`` (0 = self)."""
    n = len(keys)
    rows, cols = [], []
    for off in offsets:
        tgt = keys + off
        pos = np.searchsorted(keys, tgt)
        ok = pos < n
        ok[ok] = keys[pos[ok]] == tgt[ok]
        rows.append(np.flatnonzero(ok))
        cols.append(pos[ok])
    r, c = np.concatenate(rows), np.concatenate(cols)
    return sparse.csr_matrix((np.ones(len(r), dtype=np.float64), (r, c)), shape=(n, n))


_SPAN = 1 << 24  # cell indices are packed as (ix + OFF) * SPAN + (iy + OFF)
_OFF = 1 << 23


def square_locations(x: np.ndarray, y: np.ndarray, cell: float) -> tuple[np.ndarray, Locations]:
    """Square cells holding the points: (location index of each point, the locations)."""
    _check_cell(cell)
    ix = np.floor(np.asarray(x) / cell).astype(np.int64)
    iy = np.floor(np.asarray(y) / cell).astype(np.int64)
    key = (ix + _OFF) * _SPAN + (iy + _OFF)
    keys, inv = np.unique(key, return_inverse=True)
    kx, ky = keys // _SPAN - _OFF, keys % _SPAN - _OFF
    offs = [dx * _SPAN + dy for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    minx, miny = kx * cell, ky * cell
    size = f"{cell:g}"
    ids = np.array([f"C{size}:{int(a)}:{int(b)}" for a, b in zip(minx.tolist(), miny.tolist())], dtype=object)
    return inv, Locations(ids, shapely.box(minx, miny, minx + cell, miny + cell), _graph(keys, offs), "square")


def hex_locations(x: np.ndarray, y: np.ndarray, cell: float) -> tuple[np.ndarray, Locations]:
    """Hexagons (``cell`` metres across the flats) holding the points."""
    from lzt.analysis.hotspots import hex_axial, hex_polygons

    _check_cell(cell)
    q, r = hex_axial(np.asarray(x, dtype=float), np.asarray(y, dtype=float), cell)
    key = (q + _OFF) * _SPAN + (r + _OFF)
    keys, inv = np.unique(key, return_inverse=True)
    kq, kr = keys // _SPAN - _OFF, keys % _SPAN - _OFF
    offs = [0] + [dq * _SPAN + dr for dq, dr in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1))]
    _, _, polys = hex_polygons(kq.astype(float), kr.astype(float), cell)
    size = f"{cell:g}"
    ids = np.array([f"H{size}:{int(a)}:{int(b)}" for a, b in zip(kq.tolist(), kr.tolist())], dtype=object)
    return inv, Locations(ids, polys, _graph(keys, offs), "hex")


def polygon_locations(ws: Workspace, layer: str, x: np.ndarray, y: np.ndarray, key: str | None = None
                      ) -> tuple[np.ndarray, Locations]:
    """The polygons of ``layer`` as locations; each point's polygon (-1 for none)."""
    from lzt.analysis.overlay import point_polygon_pairs
    from lzt.analysis.records import require_polygon_layer

    require_polygon_layer(ws, layer)
    fields = ws.fields(layer)
    if key is None:
        key = next((c for c in ("name", "名称") if c in fields), None)
    elif key not in fields:
        raise LztInputError("--polygons", f"layer {layer!r} has no field {key!r}")
    poly = ws.read_features(layer, columns=[key] if key else [])
    poly = poly[poly.geometry.notna() & ~poly.geometry.is_empty]
    if len(poly) == 0:
        raise LztInputError(ws.uri, f"layer {layer!r} has no polygons")
    ids = (poly[key].astype(str) if key else poly.index.astype(str).to_series()).to_numpy(dtype=object)
    geoms = np.asarray(poly.geometry.values, dtype=object)
    where = np.full(len(x), -1, dtype=np.int64)
    pt, pg = point_polygon_pairs(x, y, geoms)
    where[pt[::-1]] = pg[::-1]  # a point on a shared edge goes to the first polygon
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="intersects")
    n = len(geoms)
    m = sparse.csr_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    m = ((m + sparse.identity(n, format="csr")) > 0).astype(np.float64)
    return where, Locations(ids, geoms, m.tocsr(), "polygons")


def _check_cell(cell: float) -> None:
    if not (cell > 0) or not np.isfinite(cell) or cell > 100_000:
        raise LztInputError("--cell", "give a cell size in metres between 0 and 100000")


def cube_counts(loc: np.ndarray, period: np.ndarray, group: np.ndarray, n_loc: int, n_per: int,
                n_group: int) -> np.ndarray:
    """counts[group, location, period] (int32) of records; -1 in any index leaves a record out."""
    ok = (loc >= 0) & (period >= 0) & (group >= 0)
    flat = (group[ok].astype(np.int64) * n_loc + loc[ok]) * n_per + period[ok]
    c = np.bincount(flat, minlength=n_group * n_loc * n_per)
    return c.reshape(n_group, n_loc, n_per).astype(np.int32)


def components(mask: np.ndarray, neighbours: sparse.csr_matrix) -> np.ndarray:
    """Labels (0..k-1) of connected groups of the True locations of ``mask`` (-1 elsewhere)."""
    from scipy.sparse.csgraph import connected_components

    idx = np.flatnonzero(mask)
    out = np.full(len(mask), -1, dtype=np.int64)
    if len(idx) == 0:
        return out
    sub = neighbours[idx][:, idx]
    _, lab = connected_components(sub, directed=False)
    out[idx] = lab
    return out
