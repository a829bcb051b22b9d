"""The default workspace: one GeoPackage file (SQLite in WAL mode, an R-tree per layer).

Written with the standard library's sqlite3 rather than through GDAL so that an
import is *one* SQLite transaction: the feature table, its R-tree, the GeoPackage
catalogue rows and lzt's own metadata land together or not at all, also when the
process is killed midway (WAL recovery drops the uncommitted frames). The file
is a standard GeoPackage 1.3 that GDAL and QGIS open (GPKG 1.4, as GDAL >= 3.11
writes, makes QGIS 3.22 warn). lzt's own tables (``lzt_*``) are not registered
in ``gpkg_contents``, so GIS tools ignore them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from layers.kinds import LayerKind
from lzt import __version__
from lzt.core import sqlite_files
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.workspace.base import Bounds, FieldInfo, LayerInfo
from lzt.workspace.field_types import column_array, field_type, shared_texts
from lzt.workspace.gpkg import bulk as gpkg_bulk
from lzt.workspace.gpkg import geom as gpkg_geom
from lzt.workspace.gpkg import rtree as rtree_bulk
from lzt.workspace.gpkg import text_columns as gpkg_text
from lzt.workspace.gpkg.connection import connect, ensure_srs, q, transaction
from lzt.workspace.gpkg.ddl import (APPLICATION_ID, BLOBS_DDL, GPKG_SCHEMA, LZT_SCHEMA, RTREE_TRIGGERS, USER_VERSION,
                                    split_sql)
from lzt.workspace.gpkg.order import OrderMixin
from lzt.workspace.gpkg.records import RecordsMixin
from lzt.workspace.gpkg.transfer import TransferMixin
from lzt.workspace.gpkg.where import to_sql
from lzt.workspace import polygon_pack
from lzt.workspace.rows import VectorRowsMixin
from lzt.workspace.schema import (
    GEOM,
    TITLE_TYPES,
    attribute_frame,
    extent_of,
    feature_ids,
    geometry_type_name,
    now,
    validate_layer_name,
    z_order,
)
from lzt.core.lazy import lazy_module

gpd = lazy_module("geopandas")
pd = lazy_module("pandas")
shapely = lazy_module("shapely")

SCHEMA_VERSION = 1
_BATCH = 50_000



class GeoPackageWorkspace(VectorRowsMixin, RecordsMixin, TransferMixin, OrderMixin):
    """A workspace in one GeoPackage file. Use ``create`` or ``open``."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = Path(path)
        self.uri = str(self.path)
        self._conn = conn
        self._held = sqlite_files.hold(self.path)  # GDAL reads a snapshot of it meanwhile
        self._lock = threading.RLock()
        self._savepoints = 0
        self._cache: tuple | None = None
        self._stamps: dict[str, tuple] = {}  # layer -> ((data_version, total_changes), stamp)
        self._crs: str = self.get_setting("crs")
        self._srs_id: int = int(self.get_setting("srs_id"))

    # -- lifecycle ----------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, crs: str = "EPSG:4547", *, exist_ok: bool = False
               ) -> GeoPackageWorkspace:
        """Create a new, empty workspace file with ``crs`` as workspace CRS."""
        from lzt.core import crs as crsmod

        path = Path(path)
        if path.exists():
            if exist_ok:
                return cls.open(path)
            raise LztInputError(path, "already exists; choose another file or remove it first")
        if not path.parent.exists():
            raise LztInputError(path, f"folder {path.parent} does not exist")
        parsed = crsmod.parse_crs(crs, source=str(crs))
        crsmod.require_projected_metres(parsed, source=str(crs))
        crs_text = crsmod.crs_string(parsed)
        tmp = path.with_name(path.name + ".creating")
        tmp.unlink(missing_ok=True)
        conn = connect(tmp)
        try:
            with transaction(conn):
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {USER_VERSION}")
                for stmt in split_sql(GPKG_SCHEMA + LZT_SCHEMA):
                    conn.execute(stmt)
                # Registering one table as 'attributes' makes GDAL/QGIS list only the
                # registered tables (LIST_ALL_TABLES=AUTO): the layer catalogue is shown,
                # lzt's other bookkeeping tables are not.
                conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description)"
                             " VALUES ('lzt_layers', 'attributes', 'lzt_layers', 'lzt layer catalogue')")
                srs_id = ensure_srs(conn, parsed)
                ensure_srs(conn, crsmod.parse_crs("EPSG:4326"))
                settings = {"crs": crs_text, "srs_id": srs_id, "created_at": now(),
                            "created_by": f"lzt {__version__}", "schema_version": SCHEMA_VERSION}
                conn.executemany("INSERT INTO lzt_settings VALUES (?, ?)",
                                 [(k, json.dumps(v, ensure_ascii=False)) for k, v in settings.items()])
        finally:
            conn.close()
        tmp.replace(path)  # appears complete or not at all
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path) -> GeoPackageWorkspace:
        """Open an existing workspace; ``LztInputError`` if it is not one."""
        path = Path(path)
        if not path.is_file():
            raise LztInputError(path, "no such workspace file (create one with: lzt init)")
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise LztInputError(path, "not a GeoPackage workspace (not an SQLite file)")
        try:
            conn = connect(path)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise LztInputError(path, f"cannot open workspace: {exc}") from None
        if not {"lzt_settings", "lzt_layers", "gpkg_contents"} <= tables:
            conn.close()
            raise LztInputError(path, "is a SQLite/GeoPackage file but not an lzt workspace "
                                      "(create one with lzt init, then lzt import this file)")
        return cls(path, conn)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass
                self._conn.close()
                self._conn = None  # type: ignore[assignment]
                sqlite_files.release(self._held)

    def __enter__(self) -> GeoPackageWorkspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GeoPackageWorkspace({str(self.path)!r}, crs={self._crs!r})"

    # -- settings -----------------------------------------------------------
    @property
    def crs(self) -> str:
        return self._crs

    @property
    def srs_id(self) -> int:
        return self._srs_id

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._lock:  # the connection is shared with workers: one statement at a time
            row = self._conn.execute("SELECT value FROM lzt_settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        if key in ("crs", "srs_id"):
            raise LztInputError(self.uri, f"setting {key!r} is fixed when the workspace is created")
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO lzt_settings VALUES (?, ?)",
                         (key, json.dumps(value, ensure_ascii=False)))

    # -- catalogue ----------------------------------------------------------
    def _catalogue(self) -> dict[str, LayerInfo]:
        """All layer records, cached until this workspace writes or another process commits."""
        with self._lock:
            stamp = (self._conn.execute("PRAGMA data_version").fetchone()[0],
                     self._conn.execute("PRAGMA schema_version").fetchone()[0])
            if self._cache is not None and self._cache[0] == stamp:
                return self._cache[1]
            rows = self._conn.execute("SELECT * FROM lzt_layers ORDER BY rowid").fetchall()
            cat = {r[0]: self._info(r) for r in rows}
            if not self._conn.in_transaction:  # our own uncommitted writes are never cached
                self._cache = (stamp, cat)
            return cat

    def layers(self) -> list[LayerInfo]:
        return list(self._catalogue().values())

    def has_layer(self, name: str) -> bool:
        return name in self._catalogue()

    def layer(self, name: str) -> LayerInfo:
        cat = self._catalogue()
        if name not in cat:
            listing = ", ".join(sorted(cat)) if cat else "none yet"
            raise LztInputError(self.uri, f"no layer named {name!r} (layers: {listing})")
        return cat[name]

    def _info(self, row: tuple) -> LayerInfo:
        (name, kind, gtype, crs, count, minx, miny, maxx, maxy, source, shash, at, details) = row
        extent = None if minx is None else (minx, miny, maxx, maxy)
        fields: tuple[FieldInfo, ...] = ()
        if kind != LayerKind.RASTER:
            fields = tuple(FieldInfo(n, t) for n, t in self._columns(name).items())
        return LayerInfo(name=name, kind=kind, geometry_type=gtype, crs=crs, count=count,
                         extent=extent, fields=fields, source=source, source_hash=shash,
                         imported_at=at, details=json.loads(details or "{}"))

    def _columns(self, name: str) -> dict[str, str]:
        """Attribute columns (name -> GeoPackage type), without fid and geometry."""
        cols = {}
        with self._lock:
            info = self._conn.execute(f"PRAGMA table_info({q(name)})").fetchall()
        for _, cname, ctype, *_ in info:
            if cname in ("fid", GEOM):
                continue
            cols[cname] = (ctype or "TEXT").upper()
        return cols

    def fields(self, name: str) -> dict[str, str]:
        """Attribute fields of a vector layer: name -> type."""
        return {f.name: f.type for f in self.layer(name).fields}

    # -- vector writes ------------------------------------------------------
    def write_layer(self, name: str, gdf: gpd.GeoDataFrame, *, kind: str = "vector",
                    source: str | None = None, source_hash: str | None = None,
                    details: dict[str, Any] | None = None, replace: bool = False,
                    spatial_order: bool = False, feedback: Feedback | None = None,
                    fids: Sequence[int] | np.ndarray | None = None,
                    field_types: dict[str, str] | None = None,
                    imported_at: str | None = None, points: np.ndarray | None = None) -> LayerInfo:
        """See ``Workspace.write_layer``. ``spatial_order`` stores the rows in Z-order of
        their envelopes' centres (fids follow that order), so that a window's rows share
        pages: several times faster window reads on large layers. ``fids``, ``field_types``
        and ``imported_at`` keep what a copied workspace had (``lzt push``/``pull``)."""
        fb = ensure(feedback)
        validate_layer_name(name, source or self.uri)
        attrs = attribute_frame(gdf, source or self.uri)
        geoms = np.asarray(gdf.geometry.values, dtype=object)  # all None when ``points`` stand for them
        n = len(gdf)  # (2D point blobs are built from the facts' bounds alone)
        facts = gpkg_geom.GeometryFacts.of(geoms) if points is None else gpkg_geom.GeometryFacts.of_points(points)
        order = None  # rows are taken in this order, batch by batch (no reordered copy of the frame)
        if fids is None and spatial_order and n > 1:
            order = z_order(facts.bounds)
            facts = facts.take(order)
        ftypes = {c: (field_types or {}).get(c) or field_type(attrs[c]) for c in attrs.columns}
        gtype = geometry_type_name(facts.type_id, facts.empty)
        has_z = bool(facts.has_z.any())
        columns = [attrs.columns[i] for i in range(attrs.shape[1])]
        # Date-times parsed once per column (inference must not differ by batch); few-valued texts shared.
        series = [pd.to_datetime(attrs[c], errors="coerce") if ftypes[c] == "DATETIME"
                  else shared_texts(attrs[c]) if ftypes[c] == "TEXT" else attrs[c] for c in columns]
        fb.check()
        bounds = facts.bounds
        ok = ~np.isnan(bounds).any(axis=1)
        extent = extent_of(bounds, ok)
        auto_fids = fids is None  # 1..n: SQLite numbers the rows of the new table itself
        fids = feature_ids(fids, n, source or self.uri)

        with self._write() as conn, ThreadPoolExecutor(1) as pool:
            # The R-tree is packed in numpy beside the row inserts; both threads mostly run
            # without the GIL (numpy sorts, SQLite stepping) while this one prepares batches.
            tree = pool.submit(rtree_bulk.pack, fids[ok], bounds[ok][:, [0, 2, 1, 3]])
            if self.has_layer(name):
                if not replace:
                    raise LztInputError(source or self.uri, f"layer {name!r} already exists "
                                                            "(use another --layer name, or replace it)")
                self._drop(conn, name)
            t = name
            coldefs = ", ".join(f"{q(c)} {ftypes[c]}" for c in columns)
            conn.execute(f"CREATE TABLE {q(t)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
                         f"{q(GEOM)} {gtype}{', ' + coldefs if coldefs else ''})")
            conn.execute(f'CREATE VIRTUAL TABLE {q("rtree_" + t + "_" + GEOM)} '
                         "USING rtree(id, minx, maxx, miny, maxy)")
            names = ([] if auto_fids else ["fid"]) + [q(GEOM)] + [q(c) for c in columns]
            with gpkg_bulk.BackgroundInserter(conn, q(t), names) as inserter:
                for start in range(0, n, _BATCH):
                    stop = min(n, start + _BATCH)
                    fb.check()
                    rows = slice(start, stop) if order is None else order[start:stop]
                    values = [column_array(sr.iloc[rows], ftypes[c]) for sr, c in zip(series, columns)]
                    blobs = gpkg_geom.encode_packed(geoms[rows], self._srs_id, facts.take(slice(start, stop))
                                                    ).rows(0, stop - start, for_sqlite=True)
                    inserter.put(([] if auto_fids else [fids[start:stop]]) + [blobs, *values])
                    fb.progress(stop, n, "写入要素")
            if auto_fids and n and conn.execute(f"SELECT max(fid) FROM {q(t)}").fetchone()[0] != n:
                raise RuntimeError(f"layer {name!r}: rows were not numbered 1..{n}")
            fb.check()
            fb.progress(n, n, "建立空间索引")
            rtree_bulk.write(conn, "rtree_" + t + "_" + GEOM, tree.result())
            for stmt in split_sql(RTREE_TRIGGERS.format(t=t.replace('"', '""'), c=GEOM)):
                conn.execute(stmt)
            ex = extent or (None, None, None, None)
            conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
                         "last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         (t, "features", t, "", now(), *ex, self._srs_id))
            conn.execute("INSERT INTO gpkg_geometry_columns VALUES (?,?,?,?,?,?)",
                         (t, GEOM, gtype, self._srs_id, 1 if has_z else 0, 0))
            conn.execute("INSERT INTO gpkg_extensions VALUES (?,?,?,?,?)",
                         (t, GEOM, "gpkg_rtree_index",
                          "http://www.geopackage.org/spec120/#extension_rtree", "write-only"))
            conn.execute("INSERT INTO lzt_layers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         (name, kind, TITLE_TYPES[gtype], self._crs, n, *ex, source, source_hash,
                          imported_at or now(), json.dumps(details or {}, ensure_ascii=False, default=str)))
            if gtype == "POINT" and not has_z:
                self._store_point_cache(conn, name, fids[ok], bounds[ok][:, 0], bounds[ok][:, 1])
            elif "POLYGON" in gtype:  # big layers: packed polygons for the map and overlays
                polygon_pack.store_on_write(self, name, (self._cache_stamp(conn, name), n), fids,
                                            geoms if order is None else geoms[order])
        return self.layer(name)

    def drop_layer(self, name: str) -> None:
        self.layer(name)
        with self._write() as conn:
            self._drop(conn, name)

    def _drop(self, conn: sqlite3.Connection, name: str) -> None:
        kind = conn.execute("SELECT kind FROM lzt_layers WHERE name = ?", (name,)).fetchone()[0]
        if kind == LayerKind.RASTER:
            conn.execute("DELETE FROM lzt_rasters WHERE name = ?", (name,))
        else:
            for trig in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name=?",
                                     (name,)).fetchall():
                conn.execute(f"DROP TRIGGER {q(trig[0])}")
            conn.execute(f'DROP TABLE IF EXISTS {q("rtree_" + name + "_" + GEOM)}')
            conn.execute(f"DROP TABLE IF EXISTS {q(name)}")
            for tbl in ("gpkg_extensions", "gpkg_geometry_columns", "gpkg_contents"):
                conn.execute(f"DELETE FROM {tbl} WHERE table_name = ?", (name,))
        conn.execute("DELETE FROM lzt_point_cache WHERE name = ?", (name,))
        conn.execute("DELETE FROM lzt_layers WHERE name = ?", (name,))

    # -- vector reads -------------------------------------------------------
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
        while True:
            rows = self._conn.execute(f"SELECT {sel} FROM {q(name)} WHERE fid > ? ORDER BY fid LIMIT ?",
                                      (last, batch_size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield self._frame(rows, cols, {c: allcols[c] for c in cols}, True)

    def read_layer(self, name: str, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        """The whole layer as one GeoDataFrame."""
        return self.read_features(name, columns=columns)

    def layer_stamp(self, name: str) -> object:
        """Changes whenever layer ``name`` does, and not when other layers do (the public key for
        derived caches): its last_change (set by our writes and by GDAL/QGIS edits), max fid and
        row count; counted again only once the file changed (``data_version``, ``total_changes``)."""
        self._require_vector(name)
        with self._lock:
            now = (self._conn.execute("PRAGMA data_version").fetchone()[0], self._conn.total_changes)
            hit = self._stamps.get(name)
            if hit is None or hit[0] != now:
                n = self._conn.execute(f"SELECT count(*) FROM {q(name)}").fetchone()[0]
                self._stamps[name] = hit = (now, (self._cache_stamp(self._conn, name), n))
            return hit[1]

    def _layer_stamp(self, name: str) -> object:
        """Changes with any commit to the file (any connection) and our own writes: cheap, conservative."""
        with self._lock:
            return (self._conn.execute("PRAGMA data_version").fetchone()[0], self._conn.total_changes,
                    self._cache_stamp(self._conn, name))

    def _cache_stamp(self, conn: sqlite3.Connection, name: str) -> str:
        """Changes whenever the layer does: GDAL/QGIS edits update last_change too."""
        lc = conn.execute("SELECT last_change FROM gpkg_contents WHERE table_name = ?", (name,)).fetchone()
        mx = conn.execute(f"SELECT max(fid) FROM {q(name)}").fetchone()
        return f"{lc[0] if lc else ''}|{mx[0]}"

    def _store_point_cache(self, conn, name: str, fid, x, y) -> None:
        packed = np.empty(len(fid), dtype=[("fid", "<i8"), ("x", "<f8"), ("y", "<f8")])
        packed["fid"], packed["x"], packed["y"] = fid, x, y
        conn.execute("INSERT OR REPLACE INTO lzt_point_cache VALUES (?, ?, ?)",
                     (name, self._cache_stamp(conn, name), sqlite3.Binary(packed.tobytes())))

    def point_coords(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self._require_vector(name)
        with self._lock:
            row = self._conn.execute("SELECT stamp, data FROM lzt_point_cache WHERE name = ?",
                                     (name,)).fetchone()
            if row is not None and row[0] == self._cache_stamp(self._conn, name):
                rec = np.frombuffer(row[1], dtype=[("fid", "<i8"), ("x", "<f8"), ("y", "<f8")])
                return rec["fid"].copy(), rec["x"].copy(), rec["y"].copy()
            rows = self._conn.execute(f"SELECT fid, {q(GEOM)} FROM {q(name)} "
                                      f"WHERE {q(GEOM)} IS NOT NULL").fetchall()
        if not rows:
            e = np.empty(0)
            return e.astype(np.int64), e, e
        fids, blobs = zip(*rows)
        xy = gpkg_geom.point_xy(list(blobs))
        fid = np.asarray(fids, dtype=np.int64)
        if xy is None:  # not all plain points: decode generally
            g = gpkg_geom.decode(list(blobs))
            if not (shapely.get_type_id(g) == 0).all():
                raise LztInputError(self.uri, f"layer {name!r} is not a point layer")
            x, y = shapely.get_x(g), shapely.get_y(g)
        else:
            x, y = xy
        keep = ~(np.isnan(x) | np.isnan(y))
        fid, x, y = fid[keep], x[keep], y[keep]
        try:  # refresh the cache (read-only files and busy writers simply skip it)
            with self._write() as conn:
                self._store_point_cache(conn, name, fid, x, y)
        except sqlite3.OperationalError:
            pass
        return fid, x, y

    def text_columns(self, name: str, columns: Sequence[str]) -> tuple[np.ndarray, dict[str, list[str | None]]]:
        """See ``Workspace.text_columns``: one SQL aggregate per layer (``gpkg.text_columns``)."""
        cols = self._select_columns(name, self.fields(self._require_vector(name).name), columns)
        with self._lock:
            got = gpkg_text.text_columns(self._conn, name, cols)
        if got is None:  # a value holding a separator: row by row
            got = super().text_columns(name, cols)
        return got[0], dict(zip(columns, got[1].values()))

    def _decode_geometries(self, blobs: list) -> np.ndarray:
        return gpkg_geom.decode(blobs)

    # -- rasters ------------------------------------------------------------
    def write_raster(self, name: str, data: bytes, *, info: dict[str, Any], source: str | None = None,
                     source_hash: str | None = None, replace: bool = False,
                     imported_at: str | None = None, points: np.ndarray | None = None) -> LayerInfo:
        validate_layer_name(name, source or self.uri)
        bounds = info.get("bounds_workspace") or info.get("bounds")
        with self._write() as conn:
            if self.has_layer(name):
                if not replace:
                    raise LztInputError(source or self.uri, f"layer {name!r} already exists")
                self._drop(conn, name)
            conn.execute("INSERT INTO lzt_layers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         (name, "raster", None, info.get("crs") or self._crs,
                          int(info.get("width", 0)) * int(info.get("height", 0)),
                          *(bounds or (None,) * 4), source, source_hash, imported_at or now(),
                          json.dumps(info, ensure_ascii=False, default=str)))
            conn.execute("INSERT INTO lzt_rasters VALUES (?, ?)", (name, sqlite3.Binary(data)))
        return self.layer(name)

    def raster_bytes(self, name: str) -> bytes:
        info = self.layer(name)
        if info.kind != LayerKind.RASTER:
            raise LztInputError(self.uri, f"layer {name!r} is not a raster layer")
        return bytes(self._conn.execute("SELECT data FROM lzt_rasters WHERE name = ?", (name,)).fetchone()[0])

    # -- keyed blobs (BIM meshes, ...) -------------------------------------------
    def put_blobs(self, kind: str, blobs: dict[str, bytes]) -> None:
        """Store (or replace) blobs under ``kind``/key, in one transaction."""
        with self._write() as conn:
            conn.execute(BLOBS_DDL)
            conn.executemany("INSERT OR REPLACE INTO lzt_blobs VALUES (?, ?, ?)",
                             [(kind, k, sqlite3.Binary(v)) for k, v in blobs.items()])

    def get_blob(self, kind: str, key: str) -> bytes | None:
        """A stored blob, or None."""
        try:
            row = self._conn.execute("SELECT data FROM lzt_blobs WHERE kind = ? AND key = ?",
                                     (kind, key)).fetchone()
        except sqlite3.OperationalError:  # no blob table yet
            return None
        return None if row is None else bytes(row[0])

    # -- transactions -------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[GeoPackageWorkspace]:
        """Group several writes into one transaction: all land or none do."""
        with self._write():
            yield self

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._cache = None
            if self._conn.in_transaction:  # nested: a savepoint inside the outer write
                self._savepoints += 1
                sp = f"lzt_sp{self._savepoints}"
                self._conn.execute(f"SAVEPOINT {sp}")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute(f"ROLLBACK TO {sp}")
                    self._conn.execute(f"RELEASE {sp}")
                    raise
                else:
                    self._conn.execute(f"RELEASE {sp}")
            else:
                try:
                    with transaction(self._conn) as conn:
                        yield conn
                finally:
                    self._cache = None

    def integrity_check(self) -> str:
        """SQLite's integrity check ('ok' when sound)."""
        return self._conn.execute("PRAGMA integrity_check").fetchone()[0]
