"""Rows to GeoDataFrames, shared by both backends: column selection, typed columns, the frame,
and the decoded geometries of whole layers kept for the session.

``VectorRowsMixin`` gives a backend ``_require_vector``, ``_select_columns``, ``_frame`` and
``geometries``; the backend supplies ``layer``, ``uri``, ``_crs``, ``_lock``, ``read_features``,
``_decode_geometries`` (GeoPackage blobs or WKB) and ``_layer_stamp`` (changes whenever the
layer may have changed, by this client or another).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.workspace.base import LayerInfo
from lzt.core.lazy import lazy_module

gpd = lazy_module("geopandas")
pd = lazy_module("pandas")
shapely = lazy_module("shapely")


def to_series(raw: list, ftype: str) -> pd.Series:
    """Raw column values of a field type as a pandas Series (nullable where values are missing)."""
    if ftype in ("DATETIME", "DATE", "TIMESTAMP"):
        return pd.to_datetime(pd.Series(raw, dtype=object), errors="coerce", format="ISO8601")
    if ftype == "BOOLEAN":
        return pd.Series([None if v is None else bool(v) for v in raw], dtype="boolean")
    if ftype in ("INTEGER", "INT", "MEDIUMINT", "SMALLINT", "TINYINT"):
        if any(v is None for v in raw):
            return pd.Series(raw, dtype="Int64")
        return pd.Series(np.asarray(raw, dtype=np.int64))
    if ftype in ("REAL", "DOUBLE", "FLOAT"):
        return pd.Series(np.asarray(raw, dtype=np.float64))  # None -> NaN
    return pd.Series(raw, dtype=object)


#: decoded geometries kept per workspace object, in coordinates (~100 bytes each in memory)
GEOMETRY_CACHE_COORDINATES = 4_000_000


class VectorRowsMixin:
    """Reading helpers common to the GeoPackage and PostGIS workspaces."""

    def _layer_stamp(self, name: str) -> object:  # pragma: no cover - each backend's own
        raise NotImplementedError

    def geometries(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(fid, geometry) arrays of every feature of a vector layer, in fid order.

        Decoded once and kept in memory until the layer changes (by any client), as
        ``point_coords`` keeps points: overlays of the same polygons (per-parcel and
        per-community counts) do not decode them again. The least recently used layers
        are dropped beyond ``GEOMETRY_CACHE_COORDINATES``.
        """
        self._require_vector(name)
        with self._lock:
            cache: dict = self.__dict__.setdefault("_geometry_cache", {})
            stamp = self._layer_stamp(name)
            hit = cache.pop(name, None)
            if hit is None or hit[0] != stamp:
                gdf = self.read_features(name, columns=[])
                geoms = np.asarray(gdf.geometry.values, dtype=object)
                hit = (stamp, gdf.index.to_numpy(dtype=np.int64), geoms,
                       int(shapely.get_num_coordinates(geoms).sum()))
            cache[name] = hit  # most recently used last
            while len(cache) > 1 and sum(h[3] for h in cache.values()) > GEOMETRY_CACHE_COORDINATES:
                cache.pop(next(iter(cache)))
            return hit[1].copy(), hit[2].copy()

    def text_columns(self, name: str, columns) -> tuple[np.ndarray, dict[str, list[str | None]]]:
        """See ``Workspace.text_columns``: through ``read_features`` (a backend may do better)."""
        df = self.read_features(name, columns=list(columns), geometry=False)
        out = {}
        for c in columns:
            s = df[c].astype(object)
            out[c] = [None if v is None else str(v) for v in s.where(s.notna(), None).tolist()]
        return df.index.to_numpy(dtype=np.int64), out

    def text_codes(self, name: str, columns) -> tuple[np.ndarray, dict[str, tuple[np.ndarray, list[str]]]]:
        """See ``Workspace.text_codes``: ``text_columns`` factorised (a backend may do better)."""
        fids, values = self.text_columns(name, columns)
        out = {}
        for c, v in values.items():
            codes, uniques = pd.factorize(np.asarray(v, dtype=object), use_na_sentinel=True)
            out[c] = codes.astype(np.int64), [str(u) for u in uniques]
        return fids, out

    def _decode_geometries(self, blobs: list) -> np.ndarray:  # pragma: no cover - each backend's own
        raise NotImplementedError

    def _require_vector(self, name: str) -> LayerInfo:
        info = self.layer(name)
        if info.kind == LayerKind.RASTER:
            raise LztInputError(self.uri, f"layer {name!r} is a raster layer, not a vector layer")
        return info

    def _select_columns(self, name: str, allcols: dict[str, str], columns) -> list[str]:
        if columns is None:
            return list(allcols)
        lower = {c.lower(): c for c in allcols}
        out = []
        for c in columns:
            real = c if c in allcols else lower.get(str(c).lower())
            if real is None:
                raise LztInputError(self.uri, f"layer {name!r} has no field {c!r} "
                                              f"(fields: {', '.join(allcols) or 'none'})")
            out.append(real)
        return out

    def _frame(self, rows: list[tuple], cols: list[str], types: dict[str, str],
               geometry: bool) -> gpd.GeoDataFrame:
        """Rows of (fid, [geometry,] values...) as a GeoDataFrame indexed by fid."""
        off = 2 if geometry else 1
        columns = _transpose(rows, off + len(cols))
        fids = np.fromiter(columns[0], dtype=np.int64, count=len(rows))
        index = pd.Index(fids, name="fid")
        data: dict[str, Any] = {}
        for j, c in enumerate(cols):
            data[c] = to_series(list(columns[j + off]), types[c]).set_axis(index)
        df = pd.DataFrame(data, index=index)
        geoms = self._decode_geometries(list(columns[1])) if geometry else np.full(len(rows), None)
        crs = self._pyproj_crs()
        if "geometry" in data:  # an attribute of that name: let geopandas sort it out
            return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, index=df.index, crs=crs), crs=crs)
        df["geometry"] = gpd.array.GeometryArray(np.asarray(geoms, dtype=object), crs=crs)  # cheaper than a GeoSeries
        return gpd.GeoDataFrame(df, geometry="geometry")


    def _pyproj_crs(self):
        """The workspace CRS as a pyproj CRS, parsed once (pyproj takes ~0.4 ms per "EPSG:4547",
        a window query ~8)."""
        crs = self.__dict__.get("_crs_object")
        if crs is None:
            from pyproj import CRS

            crs = self.__dict__["_crs_object"] = CRS.from_user_input(self._crs)
        return crs


#: rows transposed per chunk: one C call holds the GIL, and a GUI thread waiting for a reader
#: in a worker froze for the whole transpose of a million rows (1.5 s); a chunk is ~10 ms
TRANSPOSE_CHUNK = 20_000


def _transpose(rows: list[tuple], width: int) -> list[tuple]:
    """The columns of ``rows`` (``width`` values each), transposed in C chunk by chunk."""
    if not rows:
        return [()] * width
    if len(rows) <= TRANSPOSE_CHUNK:
        return list(zip(*rows))
    parts: list[list] = [[] for _ in range(width)]
    for a in range(0, len(rows), TRANSPOSE_CHUNK):
        for j, col in enumerate(zip(*rows[a:a + TRANSPOSE_CHUNK])):
            parts[j].extend(col)
    return [tuple(p) for p in parts]
