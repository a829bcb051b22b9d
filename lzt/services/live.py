"""Vector services shown as layers: a workspace view that adds live service layers to a
workspace's own, so the map, identify, the attribute table and queries read them through the
same calls as local layers (``read_features``, ``fields``, ``layer``...).

A ``ServiceLayer`` keeps the features fetched so far (workspace CRS, stable fids) and the
boxes it has fetched completely. A read for a box already covered is answered from memory;
otherwise the box (widened by half on each side, so small pans stay covered) is fetched from
the server, page by page, up to ``max_features``: bbox paging as the map moves. Reads
without a box fetch the whole layer (up to the same cap; ``details["truncated"]`` says so).
Attribute predicates are applied here with the query language's own evaluation.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from layers.kinds import LayerKind
from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError
from lzt.services.background import live_listener
from lzt.services.features import ID_COLUMN, FeatureSource, Getter, ServiceSpec, to_workspace
from lzt.workspace.base import FieldInfo, LayerInfo
from lzt.core.lazy import lazy_module

gpd = lazy_module("geopandas")
pd = lazy_module("pandas")
shapely = lazy_module("shapely")

KIND = LayerKind.SERVICE


class ServiceLayer:
    """One live service layer in a workspace CRS.

    Made from an opened ``FeatureSource``, or ``deferred`` from a saved service's spec: then
    nothing touches the network until ``open()`` (a worker's job), and until it succeeds the
    layer has no features and ``state`` / ``error`` say why (``pending``, ``unavailable``)."""

    #: after a failed fetch, a non-strict layer waits this long before asking the server again
    RETRY_SECONDS = 30.0

    def __init__(self, source: FeatureSource, ws_crs: str, *, max_features: int = 20_000, strict: bool = True):
        self._init(source.spec, ws_crs, max_features=max_features, strict=strict)
        self._opened(source)

    @classmethod
    def deferred(cls, spec: ServiceSpec, get: Getter, ws_crs: str, *, max_features: int = 20_000,
                 strict: bool = False) -> "ServiceLayer":
        """A layer of ``spec`` not opened yet (no network call): ``open()`` opens it."""
        self = cls.__new__(cls)
        self._init(spec, ws_crs, max_features=max_features, strict=strict)
        self._get = get
        return self

    def _init(self, spec: ServiceSpec, ws_crs: str, *, max_features: int, strict: bool) -> None:
        self.spec, self.ws_crs, self.max_features = spec, ws_crs, max_features
        self.strict = strict  # False (the map): a failing server leaves the layer as it is, noted
        self.source: FeatureSource | None = None
        self.state = "pending"  # pending | opening | open | unavailable
        self.error: str | None = None
        self._failed_at = -1e9
        self.name = spec.name
        self._lock = threading.RLock()
        self._store = gpd.GeoDataFrame({ID_COLUMN: pd.Series([], dtype=object)},
                                       geometry=gpd.GeoSeries([], crs=ws_crs), crs=ws_crs)
        self._store.index.name = "fid"
        self._keys: dict[str, int] = {}
        self._covered: list[tuple[float, float, float, float]] = []
        self._complete = False
        self._fetching: tuple | None = None  # the box a live view's fetch is getting
        self.truncated = False
        self.notes: list[str] = []
        self.total: int | None = None
        self.extent = None

    def _opened(self, source: FeatureSource) -> None:
        self.source = source
        self.total = self._total()
        self.extent = self._extent()
        self.state, self.error = "open", None

    def open(self) -> bool:
        """Open a deferred layer's source (capabilities, count: network, so call it in a worker).
        True when open (now or before); else ``state`` is ``unavailable`` and ``error`` says why.
        Calling it again retries."""
        if self.source is not None:
            return True
        self.state = "opening"
        try:
            source = FeatureSource(self.spec, self._get)
            with self._lock:
                self._opened(source)
            return True
        except LztInputError as exc:
            self.state, self.error = "unavailable", exc.one_line()
            return False

    def _total(self) -> int | None:
        try:
            return self.source.count()
        except LztInputError:
            return None

    def _extent(self):
        b = self.source.extent_lonlat
        if b is None:
            return None
        tr = crsmod.transformer("EPSG:4326", self.ws_crs)
        out = tr.transform_bounds(*b, densify_pts=21)
        return tuple(float(v) for v in out) if np.isfinite(out).all() else None

    # -- fetching ------------------------------------------------------------------------
    def ensure(self, bbox: tuple[float, float, float, float] | None) -> None:
        """Make the features meeting ``bbox`` (workspace CRS; None: all) present.

        On a live thread (a map's render thread, ``lzt.services.background``) a non-strict
        layer never waits: the fetch runs in its own thread, the view draws what is here and
        the thread's listener is called when the fetch has landed or failed (``error``)."""
        listener = None if self.strict else live_listener()
        with self._lock:
            if self.source is None:  # deferred, not open (yet): nothing to draw, no wait here
                if self.strict and not self.open():
                    raise LztInputError(self.spec.url, self.error or "the service did not open")
                if self.source is None:
                    return
            if self._covers(bbox):
                return
            if not self.strict and time.monotonic() - self._failed_at < self.RETRY_SECONDS:
                return
            if bbox is not None:
                w, h = bbox[2] - bbox[0], bbox[3] - bbox[1]
                bbox = (bbox[0] - w / 2, bbox[1] - h / 2, bbox[2] + w / 2, bbox[3] + h / 2)
            if listener is not None:
                if self._fetching is None:  # one fetch at a time; the next draw asks for what is missing
                    self._fetching = bbox if bbox is not None else ()
                    threading.Thread(target=self._fetch_for_view, args=(bbox, listener),
                                     name=f"lzt-fetch-{self.name}", daemon=True).start()
                return
        self._fetch(bbox)

    def _covers(self, bbox) -> bool:
        return self._complete or (bbox is not None and any(
            c[0] <= bbox[0] and c[1] <= bbox[1] and c[2] >= bbox[2] and c[3] >= bbox[3] for c in self._covered))

    def fetching(self) -> bool:
        """Whether a fetch for a live view is running."""
        return self._fetching is not None

    def _fetch(self, bbox) -> None:
        """Fetch ``bbox`` (None: all) from the server, outside the lock (reads meanwhile get what
        is here), and merge it. A failure raises on a strict layer, else it is noted in ``error``."""
        source = self.source
        try:
            fetched = source.fetch(source.request_box(bbox, self.ws_crs), limit=self.max_features)
            gdf = to_workspace(fetched, self.ws_crs, self.spec.coords, self.spec.url)
        except LztInputError as exc:
            if self.strict:
                raise
            with self._lock:
                self.error, self._failed_at = exc.one_line(), time.monotonic()
            return
        with self._lock:
            self.error = None
            self.notes += [n for n in fetched.notes if n not in self.notes]
            self._merge(gdf)
            if fetched.truncated:
                self.truncated = True
            elif bbox is None:
                self._complete = True
            else:
                self._covered.append(bbox)

    def _fetch_for_view(self, bbox, listener) -> None:
        """A live view's fetch (its own thread): fetch, then tell the view, also when it failed."""
        try:
            self._fetch(bbox)
        except Exception as exc:  # noqa: BLE001 - a broken answer must not end the thread unheard
            with self._lock:
                self.error, self._failed_at = f"{self.spec.url}: {exc}", time.monotonic()
        finally:
            with self._lock:
                self._fetching = None
            try:
                listener()
            except RuntimeError:  # the view was closed meanwhile
                pass

    def _merge(self, gdf: gpd.GeoDataFrame) -> None:
        ids = gdf[ID_COLUMN].to_numpy(dtype=object)
        wkb = shapely.to_wkb(np.asarray(gdf.geometry.values, dtype=object), hex=True)
        keys = [str(i) if i is not None else f"{w}|{hash(tuple(map(str, row)))}"
                for i, w, row in zip(ids, wkb, gdf.drop(columns=[gdf.geometry.name]).itertuples(index=False))]
        new = [k not in self._keys for k in keys]
        if not any(new):
            return
        add = gdf[np.asarray(new, bool)].copy()
        start = len(self._keys) + 1
        fids = np.arange(start, start + len(add), dtype=np.int64)
        for k, f in zip((k for k, n in zip(keys, new) if n), fids):
            self._keys[k] = int(f)
        add.index = pd.Index(fids, name="fid")
        self._store = pd.concat([self._store, add]) if len(self._store) else add
        self._store = gpd.GeoDataFrame(self._store, geometry=self._store.geometry.name, crs=self.ws_crs)

    # -- reads ---------------------------------------------------------------------------
    def read_arrays(self, name: str, *, bbox=None, columns=()):
        """The workspace's plain-array read (``GeoPackageWorkspace.read_arrays``); None for a
        service layer or a workspace without it (the caller reads a frame)."""
        own = getattr(self._ws, "read_arrays", None)
        if name in self._services or own is None:
            return None
        return own(name, bbox=bbox, columns=columns)

    def fields(self) -> dict[str, str]:
        return dict(self.source.all_fields) if self.source is not None else {}

    def frame(self) -> gpd.GeoDataFrame:
        with self._lock:
            return self._store

    def info(self) -> LayerInfo:
        with self._lock:
            kinds = sorted(set(self._store.geometry.geom_type.dropna())) if len(self._store) else []
            spec = self.spec
            return LayerInfo(
                name=self.name, kind=KIND,
                geometry_type=kinds[0] if len(kinds) == 1 else ("Geometry" if kinds else None),
                crs=self.ws_crs, count=self.total if self.total is not None else len(self._store),
                extent=self.extent or (tuple(self._store.total_bounds) if len(self._store) else None),
                fields=tuple(FieldInfo(k, v) for k, v in self.fields().items()),
                source=f"{spec.url} ({spec.layer})",
                details={"service": {"type": spec.type, "url": spec.url, "layer": spec.layer,
                                     "coords": spec.coords, "fetched": len(self._store),
                                     "truncated": self.truncated,
                                     "server_filter": self.source.filters if self.source is not None else None,
                                     "notes": list(self.notes), "state": self.state, "error": self.error,
                                     "fetching": self._fetching is not None}})


class WithServices:
    """A workspace plus live service layers; everything else is the workspace's own."""

    def __init__(self, ws, layers: Sequence[ServiceLayer] = ()):
        self._ws = ws
        self._services: dict[str, ServiceLayer] = {}
        for sl in layers:
            self.add_service(sl)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)

    @property
    def workspace(self):
        """The wrapped workspace."""
        return self._ws

    @property
    def crs(self) -> str:
        return self._ws.crs

    @property
    def uri(self) -> str:
        return self._ws.uri

    def add_service(self, sl: ServiceLayer) -> None:
        if self._ws.has_layer(sl.name):
            raise LztInputError(self._ws.uri, f"a workspace layer is already called {sl.name!r}")
        self._services[sl.name] = sl

    def remove_service(self, name: str) -> None:
        self._services.pop(name, None)

    def service(self, name: str) -> ServiceLayer | None:
        return self._services.get(name)

    def service_layers(self) -> list[ServiceLayer]:
        """The live service layers, in the order added (no workspace read)."""
        return list(self._services.values())

    # -- catalogue -----------------------------------------------------------------------
    def layers(self) -> list[LayerInfo]:
        return self._ws.layers() + [sl.info() for sl in self._services.values()]

    def layer(self, name: str) -> LayerInfo:
        sl = self._services.get(name)
        return sl.info() if sl is not None else self._ws.layer(name)

    def has_layer(self, name: str) -> bool:
        return name in self._services or self._ws.has_layer(name)

    def fields(self, name: str) -> dict[str, str]:
        sl = self._services.get(name)
        return sl.fields() if sl is not None else self._ws.fields(name)

    # -- reads ---------------------------------------------------------------------------
    def read_features(self, name: str, *, fids=None, bbox=None, where=None, columns=None,
                      geometry: bool = True, limit: int | None = None) -> gpd.GeoDataFrame:
        sl = self._services.get(name)
        if sl is None:
            return self._ws.read_features(name, fids=fids, bbox=bbox, where=where, columns=columns,
                                          geometry=geometry, limit=limit)
        if fids is None:
            sl.ensure(None if bbox is None else tuple(bbox))
        gdf = sl.frame()
        if fids is not None:
            gdf = gdf[gdf.index.isin(np.asarray(fids, dtype=np.int64))]
        if bbox is not None and len(gdf):
            gdf = gdf[shapely.intersects(np.asarray(gdf.geometry.values, dtype=object), shapely.box(*bbox))]
        if where is not None and len(gdf):
            from lzt.query.expr import evaluate

            gdf = gdf[np.asarray(evaluate(where, gdf), dtype=bool)]
        gdf = gdf.sort_index()
        if limit is not None:
            gdf = gdf.iloc[:limit]
        cols = list(sl.fields()) if columns is None else [c for c in columns if c in sl.fields()]
        if columns is not None:
            missing = [c for c in columns if c not in sl.fields()]
            if missing:
                raise LztInputError(self._ws.uri, f"layer {name!r} has no field {missing[0]!r}")
        if not set(cols) <= set(gdf.columns):  # nothing fetched yet (a live view's first draw)
            table = pd.DataFrame({c: gdf[c] if c in gdf.columns else pd.Series(None, index=gdf.index, dtype=object)
                                  for c in cols}, index=gdf.index)
        else:
            table = gdf[cols]
        if geometry:
            return gpd.GeoDataFrame(table, geometry=gdf.geometry, crs=self.crs)
        return pd.DataFrame(table)

    def fids_in_bbox(self, name: str, bbox) -> np.ndarray:
        sl = self._services.get(name)
        if sl is None:
            return self._ws.fids_in_bbox(name, bbox)
        return self.fids_in_bboxes(name, np.asarray([bbox], float))

    def fids_in_bboxes(self, name: str, boxes) -> np.ndarray:
        sl = self._services.get(name)
        if sl is None:
            return self._ws.fids_in_bboxes(name, boxes)
        boxes = np.asarray(boxes, float)
        if not len(boxes):
            return np.empty(0, np.int64)
        sl.ensure((boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()))
        gdf = sl.frame()
        b = shapely.bounds(np.asarray(gdf.geometry.values, dtype=object))
        hit = np.zeros(len(gdf), bool)
        for x0, y0, x1, y1 in boxes:
            hit |= (b[:, 2] >= x0) & (b[:, 0] <= x1) & (b[:, 3] >= y0) & (b[:, 1] <= y1)
        return np.sort(gdf.index.to_numpy(np.int64)[hit])

    def count_values(self, name: str, field: str, *, where=None, prefix: int | None = None) -> dict[Any, int]:
        if name not in self._services:
            return self._ws.count_values(name, field, where=where, prefix=prefix)
        s = self.read_features(name, where=where, columns=[field], geometry=False)[field]
        s = s.astype(object).where(s.notna(), None)
        if prefix is not None:
            s = s.map(lambda v: None if v is None else str(v)[:prefix])
        return {k: int(n) for k, n in pd.Series(s, dtype=object).value_counts(dropna=False).items()}

    def iter_batches(self, name: str, *, columns: Sequence[str] | None = None,
                     batch_size: int = 100_000) -> Iterator[gpd.GeoDataFrame]:
        if name not in self._services:
            yield from self._ws.iter_batches(name, columns=columns, batch_size=batch_size)
            return
        gdf = self.read_features(name, columns=columns)
        for i in range(0, len(gdf), batch_size):
            yield gdf.iloc[i:i + batch_size]

    def point_coords(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if name not in self._services:
            return self._ws.point_coords(name)
        g = self.read_features(name, columns=[])
        present = ~shapely.is_missing(np.asarray(g.geometry.values, dtype=object))
        g = g[present]
        return g.index.to_numpy(np.int64), shapely.get_x(g.geometry.values), shapely.get_y(g.geometry.values)

    def geometries(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._services:
            return self._ws.geometries(name)
        g = self.read_features(name, columns=[])
        return g.index.to_numpy(np.int64), np.asarray(g.geometry.values, dtype=object)
