"""What the painter reads, cached per workspace layer.

``FeatureSource`` answers "the features of layer L in this box, with these columns" for
the painter. Small views of a layer that is not yet cached go through the workspace's
spatial index (``read_features(bbox=)``); a view covering much of a layer loads the layer
once, packs its geometry (``geometry.pack``) and keeps it, so that later redraws only run a
numpy box test. Point layers use ``ws.point_coords`` (the workspace's fast point cache).
Entries are keyed by the layer's stamp, so an edited layer is read again. Thread-safe.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from lzt.core.errors import LztInputError
from lzt.render.geometry import Packed, pack, pack_ragged
from lzt.workspace.polygon_pack import packed_arrays, ragged_offsets
from lzt.workspace.base import Workspace
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")


def frame_values(col) -> np.ndarray:
    """A frame's column as the painter takes it (as ``read_arrays`` gives it): nullable integers and
    booleans as objects, None where missing. Their ``to_numpy`` is float64 with NaN in pandas 3:
    labels read "3.0" where the first picture said "3", and categories keyed "3.0" never matched
    a category "3" (the features were drawn unclassed once the layer came from a frame)."""
    if pd.api.types.is_extension_array_dtype(col.dtype) and col.dtype.kind in ("i", "u", "b"):
        return col.to_numpy(dtype=object, na_value=None)
    return col.to_numpy()
shapely = lazy_module("shapely")

#: Load and keep the whole layer when a view covers at least this share of its extent.
FULL_LOAD_SHARE = 0.15
#: a layer this small is read whole without delaying a first picture (``FeatureSource.ready``)
QUICK_LAYER_FEATURES = 20_000


@dataclass
class LayerData:
    """Features of one layer (all of it, or the part read for one view)."""

    fids: np.ndarray
    packed: Packed
    shapes: np.ndarray | Callable[[], np.ndarray]  # shapely array, or what makes it when first asked
    attrs: dict[str, np.ndarray] = field(default_factory=dict)
    complete: bool = True  # the whole layer (cached) rather than one view

    @property
    def geoms(self) -> np.ndarray:
        """The features as a shapely array (labels, exact tests)."""
        if callable(self.shapes):
            self.shapes = self.shapes()
        return self.shapes

    @property
    def size(self) -> np.ndarray:
        """Largest side of each feature's box (ground units), cached."""
        s = self.attrs.get("__size__")
        if s is None:
            b = self.packed.bounds
            s = self.attrs["__size__"] = np.fmax(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
        return s

    def in_box(self, bbox) -> np.ndarray:
        b = self.packed.bounds
        with np.errstate(invalid="ignore"):
            return (b[:, 2] >= bbox[0]) & (b[:, 0] <= bbox[2]) & (b[:, 3] >= bbox[1]) & (b[:, 1] <= bbox[3])


@dataclass
class PointData:
    fids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    attrs: dict[str, np.ndarray] = field(default_factory=dict)


class FeatureSource:
    """Cached reads of one workspace for rendering (share one per workspace)."""

    def __init__(self, ws):
        self.ws = ws
        self._lock = threading.RLock()
        self._vectors: dict[str, tuple[str, LayerData]] = {}
        self._points: dict[str, tuple[str, PointData]] = {}
        self._extents: dict[str, tuple] = {}
        self._allowed: dict[tuple, np.ndarray] = {}

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()
            self._points.clear()
            self._allowed.clear()

    def allowed(self, name: str, stamp: str, where) -> np.ndarray:
        """Sorted fids of the features matching ``where`` (cached per layer state and predicate)."""
        key = (name, stamp, where)
        with self._lock:
            hit = self._allowed.get(key)
            if hit is None:
                df = self.ws.read_features(name, where=where, columns=[], geometry=False)
                hit = np.sort(df.index.to_numpy(dtype=np.int64))
                if len(self._allowed) > 16:
                    self._allowed.clear()
                self._allowed[key] = hit
            return hit

    # -- vectors -------------------------------------------------------------------
    def cached(self, name: str, stamp: str) -> LayerData | None:
        """The whole layer if a view has already loaded it (never reads the workspace)."""
        with self._lock:
            hit = self._vectors.get(name)
            return hit[1] if hit is not None and hit[0] == stamp and hit[1].complete else None

    def ready(self, name: str, stamp: str, bbox) -> bool:
        """Whether drawing vector layer ``name`` over ``bbox`` is quick now: it is cached, small,
        or the view is small enough to be read through the spatial index (no whole-layer decode)."""
        with self._lock:
            hit = self._vectors.get(name)
            if hit is not None and hit[0] == stamp:
                return True
        info = self.ws.layer(name)
        if info.count <= QUICK_LAYER_FEATURES or info.extent is None:
            return True
        ext = info.extent
        ix = max(0.0, min(bbox[2], ext[2]) - max(bbox[0], ext[0]))
        iy = max(0.0, min(bbox[3], ext[3]) - max(bbox[1], ext[1]))
        return ix * iy / (max(ext[2] - ext[0], 1e-9) * max(ext[3] - ext[1], 1e-9)) < FULL_LOAD_SHARE

    def vectors(self, name: str, stamp: str, bbox, columns=()) -> LayerData:
        """Features of ``name`` whose envelope meets ``bbox`` (a cached full layer, or a view read)."""
        columns = tuple(c for c in dict.fromkeys(columns) if c)
        with self._lock:
            hit = self._vectors.get(name)
            if hit is not None and hit[0] == stamp and all(c in hit[1].attrs for c in columns):
                return hit[1]
            info = self.ws.layer(name)
            ext = info.extent
            share = 1.0
            if ext is not None:
                lw, lh = max(ext[2] - ext[0], 1e-9), max(ext[3] - ext[1], 1e-9)
                ix = max(0.0, min(bbox[2], ext[2]) - max(bbox[0], ext[0]))
                iy = max(0.0, min(bbox[3], ext[3]) - max(bbox[1], ext[1]))
                share = ix * iy / (lw * lh)
            if hit is not None and hit[0] == stamp:  # cached geometry, a column is missing
                data = hit[1]
                self._add_columns(name, data, [c for c in columns if c not in data.attrs])
                return data
            if share < FULL_LOAD_SHARE and info.count > 2000:
                return self._read(name, bbox, columns, complete=False)
            data = self._read(name, None, columns, complete=True)
            self._vectors[name] = (stamp, data)
            return data

    def _read(self, name, bbox, columns, *, complete: bool) -> LayerData:
        avail = self.ws.fields(name)
        cols = [c for c in columns if c in avail]
        if complete:
            data = self._read_packed(name, cols)
            if data is not None:
                return data
        got = self._read_arrays(name, None if complete else tuple(bbox), cols)
        if got is not None:
            fids, geoms, attrs = got
            return LayerData(fids, pack(geoms), geoms, attrs, complete)
        gdf = self.ws.read_features(name, bbox=None if complete else tuple(bbox), columns=cols)
        geoms = np.asarray(gdf.geometry.values, dtype=object)
        attrs = {c: frame_values(gdf[c]) for c in cols}
        return LayerData(gdf.index.to_numpy(np.int64), pack(geoms), geoms, attrs, complete)

    def _read_arrays(self, name: str, bbox, cols: list[str]):
        """(fid, geometries, columns) as plain arrays when the workspace reads them without a frame
        (``read_arrays``: no pandas, geopandas or pyproj, so the first picture does not wait for
        the warm-up's imports); None otherwise."""
        read = getattr(self.ws, "read_arrays", None)
        return None if read is None else read(name, bbox=bbox, columns=cols)

    def _read_packed(self, name: str, cols: list[str]) -> LayerData | None:
        """The whole polygon layer from the workspace's packed polygons, if it holds them for the
        layer as it is now: no geometry blob is read or decoded (parcels: 105,692 decoded and
        packed in ~0.8 s CPU; from the packed arrays, see bench/RESULTS.md). Shapely polygons
        are made only if labels or a selection ask for them."""
        info = self.ws.layer(name)
        if "polygon" not in (info.geometry_type or "").lower() or info.count <= QUICK_LAYER_FEATURES:
            return None
        try:
            z = packed_arrays(self.ws, name)
            if z is None:
                return None
            gtype, coords, offsets = int(z["type"]), z["coords"], ragged_offsets(z)
            packed = pack_ragged(gtype, coords, offsets)
        except (ValueError, KeyError, IndexError, LztInputError):
            return None  # no packed polygons (a raster, a service layer) or unreadable ones: decode
        fids = np.asarray(z["fid"], dtype=np.int64)
        if packed.count != len(fids):
            return None

        def shapes() -> np.ndarray:
            return np.asarray(shapely.from_ragged_array(shapely.GeometryType(gtype), coords, offsets), dtype=object)

        data = LayerData(fids, packed, shapes, {}, True)
        self._add_columns(name, data, cols)
        return data

    def _add_columns(self, name: str, data: LayerData, cols) -> None:
        avail = self.ws.fields(name)
        cols = [c for c in cols if c in avail]
        if not cols:
            return
        text = [c for c in cols if str(avail[c]).upper() == "TEXT"]
        if text:  # one SQL aggregate, no frame: the parcels' class column in 0.045 CPU s, not 0.16-0.29
            fids, values = self.ws.text_columns(name, text)
            for c in text:
                v = np.array(values[c], dtype=object)
                data.attrs[c] = v if np.array_equal(fids, data.fids) else \
                    pd.Series(v, index=fids).reindex(data.fids).to_numpy()
        rest = [c for c in cols if c not in text]
        if rest:
            df = self.ws.read_features(name, columns=rest, geometry=False)
            for c in rest:
                data.attrs[c] = frame_values(df[c].reindex(data.fids))

    # -- points --------------------------------------------------------------------
    def points(self, name: str, stamp: str, columns=()) -> PointData:
        """All located points of a point layer, with ``columns`` aligned to them."""
        columns = tuple(c for c in dict.fromkeys(columns) if c)
        with self._lock:
            hit = self._points.get(name)
            if hit is None or hit[0] != stamp:
                fid, x, y = self.ws.point_coords(name)
                hit = (stamp, PointData(fid, x, y))
                self._points[name] = hit
            data = hit[1]
            missing = [c for c in columns if c not in data.attrs and c in self.ws.fields(name)]
            if missing:
                df = self.ws.read_features(name, columns=missing, geometry=False)
                for c in missing:
                    data.attrs[c] = pd.Series(frame_values(df[c]), index=df.index).reindex(data.fids).to_numpy()
            return data

    def point_attrs(self, name: str, stamp: str, data: PointData, idx: np.ndarray, columns
                    ) -> dict[str, np.ndarray]:
        """``columns`` of the points ``data.fids[idx]``: from the cached column, else read for
        just these points (few: the painter aggregates when many are in view)."""
        out: dict[str, np.ndarray] = {}
        avail = self.ws.fields(name)
        need = [c for c in columns if c in avail and c not in data.attrs]
        if need and len(idx) > 50_000:
            self.points(name, stamp, need)
            need = []
        if need:
            df = self.ws.read_features(name, fids=data.fids[idx], columns=need, geometry=False)
            for c in need:
                out[c] = frame_values(df[c].reindex(data.fids[idx]))
        for c in columns:
            if c in data.attrs:
                out[c] = data.attrs[c][idx]
        return out

    # -- misc ----------------------------------------------------------------------
    def feature_geometry(self, name: str, fid: int):
        gdf = self.ws.read_features(name, fids=[int(fid)])
        return None if gdf.empty else gdf.geometry.values[0]

    def union_extent(self, names) -> tuple | None:
        boxes = [self.ws.layer(n).extent for n in names]
        boxes = [b for b in boxes if b]
        if not boxes:
            return None
        a = np.asarray(boxes, float)
        return (float(a[:, 0].min()), float(a[:, 1].min()), float(a[:, 2].max()), float(a[:, 3].max()))


_sources: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_sources_lock = threading.Lock()


def source_for(ws: Workspace) -> FeatureSource:
    """The shared ``FeatureSource`` of a workspace object (dropped with the workspace)."""
    with _sources_lock:
        src = _sources.get(ws)
        if src is None:
            src = FeatureSource(ws)
            _sources[ws] = src
        return src
