"""Vector reads of a GeoPackage workspace: R-tree window ids, features by ids, box and
predicate (one SQL query each), value counts, batches and text columns."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from lzt.core.errors import LztInputError
from lzt.core.lazy import lazy_module
from lzt.workspace.base import Bounds
from lzt.workspace.gpkg import geom as gpkg_geom
from lzt.workspace.gpkg import text_columns as gpkg_text
from lzt.workspace.gpkg.connection import q
from lzt.workspace.gpkg.where import to_sql
from lzt.workspace.schema import GEOM


gpd = lazy_module("geopandas")
shapely = lazy_module("shapely")

_INTEGER = ("INTEGER", "INT", "MEDIUMINT", "SMALLINT", "TINYINT")
#: the field types ``read_arrays`` gives as plain arrays
_ARRAY_TYPES = ("TEXT", "REAL", "DOUBLE", "FLOAT") + _INTEGER


def _array(raw: tuple, ftype: str) -> np.ndarray:
    if ftype in ("REAL", "DOUBLE", "FLOAT"):
        return np.asarray(raw, dtype=np.float64).reshape(len(raw))  # None -> NaN
    if ftype in _INTEGER and not any(v is None for v in raw):
        return np.asarray(raw, dtype=np.int64).reshape(len(raw))
    out = np.empty(len(raw), dtype=object)
    out[:] = raw
    return out


class VectorReadsMixin:
    """Reads for ``GeoPackageWorkspace`` (uses its ``_conn``, ``_lock``, ``fields`` and the
    ``VectorRowsMixin`` helpers)."""

    def fids_in_bbox(self, name: str, bbox: Bounds) -> np.ndarray:
        self._require_vector(name)
        minx, miny, maxx, maxy = bbox
        with self._lock:
            rows = self._conn.execute(
                f'SELECT id FROM {q("rtree_" + name + "_" + GEOM)} '
                "WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?", (minx, maxx, miny, maxy)
            ).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def fids_in_bboxes(self, name: str, boxes: np.ndarray) -> np.ndarray:
        """Feature ids whose envelope meets any of ``boxes`` (n x 4: minx, miny, maxx, maxy)."""
        self._require_vector(name)
        boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        rt = q("rtree_" + name + "_" + GEOM)
        with self._lock:
            self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS lzt_boxes "
                               "(minx REAL, miny REAL, maxx REAL, maxy REAL)")
            self._conn.execute("DELETE FROM temp.lzt_boxes")
            self._conn.executemany("INSERT INTO temp.lzt_boxes VALUES (?,?,?,?)", boxes.tolist())
            rows = self._conn.execute(
                # CROSS JOIN keeps the boxes outside, so each box is one R-tree search (SQLite
                # otherwise scans the whole R-tree once per box: 12 s instead of 12 ms for 900 boxes).
                f"SELECT DISTINCT r.id FROM temp.lzt_boxes b CROSS JOIN {rt} r WHERE r.maxx >= b.minx "
                "AND r.minx <= b.maxx AND r.maxy >= b.miny AND r.miny <= b.maxy").fetchall()
        return np.sort(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))

    def read_features(self, name: str, *, fids=None, bbox: Bounds | None = None, where=None,
                      columns: Sequence[str] | None = None, geometry: bool = True,
                      limit: int | None = None) -> gpd.GeoDataFrame:
        allcols = self.fields(self._require_vector(name).name)
        cols = self._select_columns(name, allcols, columns)
        sel = ["t.fid"] + ([f"t.{q(GEOM)}"] if geometry else []) + [f"t.{q(c)}" for c in cols]
        sql = f"SELECT {', '.join(sel)} FROM {q(name)} t"
        conds: list[str] = []
        params: list[Any] = []
        if bbox is not None:
            sql += f' JOIN {q("rtree_" + name + "_" + GEOM)} r ON r.id = t.fid'
            conds.append("r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?")
            params += [bbox[0], bbox[2], bbox[1], bbox[3]]
        temp_fids = None
        if fids is not None:
            fids = np.unique(np.asarray(fids, dtype=np.int64))
            if len(fids) <= 900:
                conds.append(f"t.fid IN ({','.join(map(str, fids.tolist()))})")
            else:
                temp_fids = fids  # filled under the lock below: other threads read through the same table
                conds.append("t.fid IN (SELECT fid FROM temp.lzt_fids)")
        if where is not None:
            wsql, wparams = to_sql(where, {c: c for c in allcols})
            conds.append(f"({wsql})")
            params += wparams
        if conds:
            sql += " WHERE " + " AND ".join(conds)
        sql += " ORDER BY t.fid"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._lock:
            if temp_fids is not None:
                self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS lzt_fids (fid INTEGER PRIMARY KEY)")
                self._conn.execute("DELETE FROM temp.lzt_fids")
                self._conn.executemany("INSERT INTO temp.lzt_fids VALUES (?)", ((int(f),) for f in temp_fids))
            rows = self._conn.execute(sql, params).fetchall()
        gdf = self._frame(rows, cols, {c: allcols[c] for c in cols}, geometry)
        if bbox is not None and geometry and len(gdf):
            # The R-tree stores float32 boxes rounded outwards: check exactly.
            inside = shapely.intersects(gdf.geometry.values, shapely.box(*bbox))
            if not inside.all():
                gdf = gdf[inside]
        return gdf

    def read_arrays(self, name: str, *, bbox: Bounds | None = None, columns: Sequence[str] = ()
                    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]] | None:
        """The features of ``name`` meeting ``bbox`` (all without one) as plain arrays: (fid,
        shapely geometries, {column: values}), fid order; no frame, so neither pandas nor geopandas
        (nor pyproj for the CRS) is imported: the map's first picture draws while they load
        (issue 18.5). TEXT columns are object arrays (None when missing), REAL float64 (NaN),
        INTEGER int64, or object with None where values are missing. None when a column is of
        another type (dates, booleans: ``read_features`` types those)."""
        allcols = self.fields(self._require_vector(name).name)
        cols = self._select_columns(name, allcols, columns)
        types = [str(allcols[c]).upper() for c in cols]
        if any(t not in _ARRAY_TYPES for t in types):
            return None
        sel = ["t.fid", f"t.{q(GEOM)}"] + [f"t.{q(c)}" for c in cols]
        sql = f"SELECT {', '.join(sel)} FROM {q(name)} t"
        params: list[Any] = []
        if bbox is not None:
            sql += (f' JOIN {q("rtree_" + name + "_" + GEOM)} r ON r.id = t.fid '
                    "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?")
            params = [bbox[0], bbox[2], bbox[1], bbox[3]]
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY t.fid", params).fetchall()
        columns_ = list(zip(*rows)) if rows else [()] * (2 + len(cols))
        fids = np.fromiter(columns_[0], dtype=np.int64, count=len(rows))
        geoms = gpkg_geom.decode(list(columns_[1]))
        attrs = {c: _array(columns_[2 + j], t) for j, (c, t) in enumerate(zip(cols, types))}
        if bbox is not None and len(fids):  # the R-tree's float32 boxes are rounded outwards: exactly
            inside = shapely.intersects(geoms, shapely.box(*bbox))
            if not inside.all():
                fids, geoms = fids[inside], geoms[inside]
                attrs = {c: v[inside] for c, v in attrs.items()}
        return fids, geoms, attrs

    def count_values(self, name: str, field: str, *, where=None, prefix: int | None = None) -> dict[Any, int]:
        """See ``Workspace.count_values``: one GROUP BY in SQLite."""
        allcols = self.fields(self._require_vector(name).name)
        if field not in allcols:
            raise LztInputError(self.uri, f"layer {name!r} has no field {field!r}")
        key = f"t.{q(field)}" if prefix is None else f"substr(t.{q(field)}, 1, {int(prefix)})"
        sql = f"SELECT {key} AS k, count(*) FROM {q(name)} t"
        params: list[Any] = []
        if where is not None:
            wsql, params = to_sql(where, {c: c for c in allcols})
            sql += f" WHERE ({wsql})"
        with self._lock:
            rows = self._conn.execute(sql + " GROUP BY k", params).fetchall()
        return {k: int(n) for k, n in rows}

    def iter_batches(self, name: str, *, columns: Sequence[str] | None = None,
                     batch_size: int = 100_000) -> Iterator[gpd.GeoDataFrame]:
        allcols = self.fields(self._require_vector(name).name)
        cols = self._select_columns(name, allcols, columns)
        sel = ", ".join(["fid", q(GEOM)] + [q(c) for c in cols])
        last = 0
        while True:  # each batch is fetched under the lock, which is free again at the yield
            with self._lock:
                rows = self._conn.execute(f"SELECT {sel} FROM {q(name)} WHERE fid > ? ORDER BY fid LIMIT ?",
                                          (last, batch_size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield self._frame(rows, cols, {c: allcols[c] for c in cols}, True)

    def read_layer(self, name: str, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        """The whole layer as one GeoDataFrame."""
        return self.read_features(name, columns=columns)

    def text_columns(self, name: str, columns: Sequence[str]) -> tuple[np.ndarray, dict[str, list[str | None]]]:
        """See ``Workspace.text_columns``: one SQL aggregate per layer (``gpkg.text_columns``)."""
        return self._text_aggregate(name, columns, gpkg_text.text_columns, super().text_columns)

    def text_codes(self, name: str, columns: Sequence[str]) -> tuple[np.ndarray, dict[str, tuple[np.ndarray, list[str]]]]:
        """See ``Workspace.text_codes``: the aggregate of ``text_columns`` factorised by pyarrow."""
        return self._text_aggregate(name, columns, gpkg_text.text_codes, super().text_codes)

    def _text_aggregate(self, name: str, columns: Sequence[str], aggregate, row_by_row):
        """``aggregate(conn, name, cols)`` under the lock, or ``row_by_row(name, cols)`` when a value
        holds a separator; the columns keyed by the names the caller asked for."""
        cols = self._select_columns(name, self.fields(self._require_vector(name).name), columns)
        with self._lock:
            got = aggregate(self._conn, name, cols)
        if got is None:
            got = row_by_row(name, cols)
        return got[0], {c: got[1][real] for c, real in zip(columns, cols)}  # by name: 'a' and 'A' are one

    def _decode_geometries(self, blobs: list) -> np.ndarray:
        return gpkg_geom.decode(blobs)

