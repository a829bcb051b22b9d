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
import weakref
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
from lzt.workspace.base import FieldInfo, LayerInfo
from lzt.workspace.field_types import ColumnBatches, field_type, shared_texts
from lzt.workspace.gpkg import bulk as gpkg_bulk
from lzt.workspace.gpkg import geom as gpkg_geom
from lzt.workspace.gpkg import rtree as rtree_bulk
from lzt.workspace.gpkg.connection import bulk_transaction, connect, ensure_srs, q, transaction
from lzt.workspace.gpkg.ddl import APPLICATION_ID, GPKG_SCHEMA, LZT_SCHEMA, RTREE_TRIGGERS, USER_VERSION, split_sql
from lzt.workspace.gpkg.order import OrderMixin
from lzt.workspace.gpkg.point_cache import StampsMixin
from lzt.workspace.gpkg.reads import VectorReadsMixin
from lzt.workspace.gpkg.records import RecordsMixin
from lzt.workspace.gpkg.stored import StoredMixin
from lzt.workspace.gpkg.transfer import TransferMixin
from lzt.workspace import polygon_pack
from lzt.workspace.rows import VectorRowsMixin
from lzt.workspace.schema import (
    GEOM,
    TITLE_TYPES,
    attribute_frame,
    extent_of,
    feature_ids,
    point_array,
    geometry_type_name,
    stored_names,
    now,
    validate_layer_name,
    z_order,
)
from lzt.core.lazy import lazy_module

gpd = lazy_module("geopandas")
pd = lazy_module("pandas")

SCHEMA_VERSION = 1
#: rows per batch; with one batch queued, one being stored and one being prepared, a 1M-row
#: write keeps ~200 MB less in flight than 50,000 rows and two queued (same CPU, measured)
_BATCH = 25_000



class GeoPackageWorkspace(VectorReadsMixin, StampsMixin, StoredMixin, VectorRowsMixin, RecordsMixin, TransferMixin,
                          OrderMixin):
    """A workspace in one GeoPackage file. Use ``create`` or ``open``."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = Path(path)
        self.uri = str(self.path)
        self._conn = conn
        # GDAL reads a snapshot of it meanwhile. Released at close, or when the workspace is
        # collected unclosed (its connection closes then): a hold left behind named a later
        # file given the freed inode "an open workspace", and refused writes to it
        self._held = weakref.finalize(self, sqlite_files.release, sqlite_files.hold(self.path))
        self._lock = threading.RLock()
        self._reader: sqlite3.Connection | None = None  # big blob reads (StampsMixin._read_big)
        self._reader_lock = threading.Lock()
        self._savepoints = 0
        self._cache: tuple | None = None  # (stamp, catalogue, probe version), see ``_catalogue``
        self._probe: sqlite3.Connection | None = None
        self._probe_lock = threading.Lock()
        self._closed = False
        self._no_probe = False  # the probe could not be opened (read-only folder …)
        self._bulk = False  # inside a bulk write: no probe (see ``_write``)
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

    def _close_side_connections(self, *, closing: bool = False, bulk: bool = False) -> None:
        """Close the read-only probe and the big-blob reader (opened again when needed, except
        once ``closing``; no probe during a ``bulk`` write: the catalogue is read under the lock)."""
        with self._probe_lock:
            self._closed = self._closed or closing
            self._bulk = bulk
            if self._probe is not None:
                self._probe.close()
                self._probe = None
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def close(self) -> None:
        # the side connections first: the shared one must close last, so that SQLite, closing the
        # file's last connection, checkpoints and removes the -wal and -shm files (a read-only
        # probe left open kept them on disk after every close)
        self._close_side_connections(closing=True)
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass
                self._conn.close()
                self._conn = None  # type: ignore[assignment]
                self._held()  # once: a finalizer runs at most once

    def wait_for_writers(self, ms: int) -> None:
        """Let this workspace's writes wait up to ``ms`` for another process's write transaction
        (SQLite's busy timeout, 30 s otherwise): e.g. while a helper process stores a large layer."""
        with self._lock:
            self._conn.execute(f"PRAGMA busy_timeout = {int(ms)}")

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
        """All layer records, cached until this workspace writes or another process commits.

        The connection is shared with workers (the renderer reading a layer, a style's value
        count) that hold it for one statement at a time, 100-220 ms on the district: the GUI
        thread asking for a layer's fields or count waited that long (the table's layer switch,
        a style save). A caller that finds the connection busy with another thread gets the
        cached catalogue when nothing was committed since it was read, which a second
        connection of its own tells (``PRAGMA data_version`` moves with any other connection's
        commit, this workspace's own included; a write here drops the cache first, under the
        lock). Else it waits as before."""
        if not self._lock.acquire(blocking=False):
            cached = self._cache
            if cached is not None and cached[2] is not None and self._probe_version() == cached[2]:
                return cached[1]
            self._lock.acquire()
        try:
            probe = self._probe_version()  # before the read: a commit after it makes the cache stale
            stamp = (self._conn.execute("PRAGMA data_version").fetchone()[0],
                     self._conn.execute("PRAGMA schema_version").fetchone()[0])
            if self._cache is not None and self._cache[0] == stamp:
                return self._cache[1]
            rows = self._conn.execute("SELECT * FROM lzt_layers ORDER BY rowid").fetchall()
            cat = {r[0]: self._info(r) for r in rows}
            if not self._conn.in_transaction:  # our own uncommitted writes are never cached
                self._cache = (stamp, cat, probe)
            return cat
        finally:
            self._lock.release()

    def layer_mark(self, name: str) -> tuple | None:
        """(``gpkg_contents.last_change``, max fid) of layer ``name`` as committed, read on a
        connection of its own: it does not wait for the connection workers share (a table page
        being read). Our edits, GDAL's and QGIS's set last_change (``layer_stamp`` adds a count);
        None when unknown. A cheap key for what a view keeps of a layer's rows (the attribute table)."""
        if self._probe_version() is None:  # opens the probe connection
            return None
        with self._probe_lock:
            if self._probe is None:
                return None
            try:
                lc = self._probe.execute("SELECT last_change FROM gpkg_contents WHERE table_name = ?",
                                         (name,)).fetchone()
                mx = self._probe.execute(f"SELECT max(fid) FROM {q(name)}").fetchone()
            except sqlite3.Error:
                return None
        return (lc[0] if lc else None, mx[0])

    def _probe_version(self) -> int | None:
        """``PRAGMA data_version`` of a read-only connection used for nothing else (None when
        it cannot be opened, or once closed): it changes when any other connection commits."""
        with self._probe_lock:
            if self._probe is None:
                if self._closed or self._no_probe or self._bulk:
                    return None
                try:
                    self._probe = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True,
                                                  check_same_thread=False)
                except sqlite3.Error:
                    self._no_probe = True  # no probe: the catalogue is always read under the lock
                    return None
            try:
                return self._probe.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                return None

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
        validate_layer_name(name, source or self.uri)
        attrs = attribute_frame(gdf, source or self.uri)
        ftypes = {c: (field_types or {}).get(c) or field_type(attrs[c]) for c in attrs.columns}
        columns = [attrs.columns[i] for i in range(attrs.shape[1])]
        # Date-times parsed once per column (inference must not differ by batch); few-valued texts shared.
        series = [ColumnBatches(pd.to_datetime(attrs[c], errors="coerce") if ftypes[c] == "DATETIME"
                                else shared_texts(attrs[c]) if ftypes[c] == "TEXT" else attrs[c], ftypes[c])
                  for c in columns]
        return self._write_rows(
            name, np.asarray(gdf.geometry.values, dtype=object), columns, ftypes,  # geometries all None when
            lambda j, rows: series[j].take(rows),  # ``points`` stand for them
            kind=kind, source=source, source_hash=source_hash, details=details, replace=replace,
            spatial_order=spatial_order, feedback=feedback, fids=fids, imported_at=imported_at, points=points)

    def write_arrays(self, name: str, geoms: np.ndarray, columns: list[str], field_types: dict[str, str],
                     values: list[np.ndarray], *, kind: str = "vector", source: str | None = None,
                     source_hash: str | None = None, details: dict[str, Any] | None = None,
                     replace: bool = False, feedback: Feedback | None = None) -> LayerInfo:
        """``write_layer`` from plain arrays, without pandas or geopandas: ``geoms`` (shapely or
        None, in the workspace CRS) and per column of ``columns`` its type (``field_types``) and
        the values sqlite3 binds (``values``, as ``field_types.column_array`` makes them; e.g.
        from ``field_types.plain_columns``). The same stored rows as ``write_layer`` of the frame."""
        validate_layer_name(name, source or self.uri)
        stored = stored_names(columns, source or self.uri)
        ftypes = {s: field_types[c] for s, c in zip(stored, columns)}
        return self._write_rows(name, np.asarray(geoms, dtype=object), stored, ftypes,
                                lambda j, rows: np.asarray(values[j], dtype=object)[rows],
                                kind=kind, source=source, source_hash=source_hash, details=details,
                                replace=replace, feedback=feedback)

    def _write_rows(self, name: str, geoms: np.ndarray, columns: list[str], ftypes: dict[str, str], values_of,
                    *, kind: str, source: str | None, source_hash: str | None, details: dict[str, Any] | None,
                    replace: bool, spatial_order: bool = False, feedback: Feedback | None = None,
                    fids=None, imported_at: str | None = None, points: np.ndarray | None = None) -> LayerInfo:
        """The write of ``write_layer``: ``values_of(j, rows)`` are the bindable values of column
        ``j`` at ``rows`` (a slice or an index array)."""
        fb = ensure(feedback)
        n = len(geoms)
        points = point_array(points, n, source or self.uri)  # (2D point blobs are built from the facts' bounds alone)
        facts = gpkg_geom.GeometryFacts.of(geoms) if points is None else gpkg_geom.GeometryFacts.of_points(points)
        order = None  # rows are taken in this order, batch by batch (no reordered copy of the frame)
        if fids is None and spatial_order and n > 1:
            order = z_order(facts.bounds)
            facts = facts.take(order)
        gtype = geometry_type_name(facts.type_id, facts.empty)
        has_z = bool(facts.has_z.any())
        fb.check()
        bounds = facts.bounds
        ok = ~np.isnan(bounds).any(axis=1)
        extent = extent_of(bounds, ok)
        auto_fids = fids is None  # 1..n: SQLite numbers the rows of the new table itself
        fids = feature_ids(fids, n, source or self.uri)

        with self._write() as conn, ThreadPoolExecutor(1) as pool:
            # The R-tree is packed in numpy beside the row inserts; both threads mostly run
            # without the GIL (numpy sorts, SQLite stepping) while this one prepares batches.
            rtree_name, k = "rtree_" + name + "_" + GEOM, gpkg_bulk.rows_per_statement(conn, 2)
            tree = pool.submit(lambda: rtree_bulk.prepare(rtree_name, rtree_bulk.pack(
                fids[ok], bounds[ok][:, [0, 2, 1, 3]]), k))
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
            no_geoms = np.full(min(n, _BATCH), None, dtype=object)
            with gpkg_bulk.BackgroundInserter(conn, q(t), names, depth=1) as inserter:
                for start in range(0, n, _BATCH):
                    stop = min(n, start + _BATCH)
                    fb.check()
                    rows = slice(start, stop) if order is None else order[start:stop]
                    values = [values_of(j, rows) for j in range(len(columns))]
                    # points given as coordinates: their blobs come from the facts (geoms are all None)
                    batch_geoms = geoms[rows] if points is None else no_geoms[:stop - start]
                    blobs = gpkg_geom.encode_packed(batch_geoms, self._srs_id, facts.take(slice(start, stop))
                                                    ).rows(0, stop - start, for_sqlite=True)
                    inserter.put(([] if auto_fids else [fids[start:stop]]) + [blobs, *values])
                    fb.progress(stop, n, "写入要素")
            if auto_fids and n and conn.execute(f"SELECT max(fid) FROM {q(t)}").fetchone()[0] != n:
                raise RuntimeError(f"layer {name!r}: rows were not numbered 1..{n}")
            fb.check()
            fb.progress(n, n, "建立空间索引")
            rtree_bulk.write(conn, rtree_name, tree.result())
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


    # -- transactions -------------------------------------------------------
    @contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[GeoPackageWorkspace]:
        """Group several writes into one transaction: all land or none do. ``bulk``: a large
        write (see ``connection.bulk_transaction``)."""
        with self._write(bulk=bulk):
            yield self

    @contextmanager
    def _write(self, bulk: bool = False) -> Iterator[sqlite3.Connection]:
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
                if bulk:  # the side connections would keep the file in WAL mode (reopened when needed)
                    self._close_side_connections(bulk=True)
                try:
                    with (bulk_transaction if bulk else transaction)(self._conn) as conn:
                        yield conn
                finally:
                    self._cache = None
                    self._bulk = False

    def integrity_check(self) -> str:
        """SQLite's integrity check ('ok' when sound)."""
        with self._lock:
            return self._conn.execute("PRAGMA integrity_check").fetchone()[0]
