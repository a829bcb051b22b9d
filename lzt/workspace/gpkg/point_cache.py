"""Layer stamps and the point cache of a GeoPackage workspace: a key that changes whenever a
layer does, and a point layer's (fid, x, y) stored packed under that key, so that the next
session reads 1M points without decoding a geometry."""

from __future__ import annotations

import sqlite3

import numpy as np

from lzt.core.errors import LztInputError
from lzt.core.lazy import lazy_module
from lzt.workspace.gpkg import geom as gpkg_geom
from lzt.workspace.gpkg.connection import BLOB_MMAP_BYTES, connect, fetch_mapped, q
from lzt.workspace.schema import GEOM


shapely = lazy_module("shapely")

#: page cache of the second connection (KiB, negative as SQLite takes it)
READER_CACHE_KIB = -2048
#: a point cache entry (fid, x, y) and the points read per slice of its blob
_POINT = np.dtype([("fid", "<i8"), ("x", "<f8"), ("y", "<f8")])
_POINT_SLICE = 1 << 15

class StampsMixin:
    """Stamps and point cache for ``GeoPackageWorkspace`` (uses its ``_conn``, ``_lock``,
    ``_stamps``, ``_write``)."""

    def layer_stamp(self, name: str) -> object:
        """Changes whenever layer ``name`` does, and not when other layers do (the public key for
        derived caches): its last_change (set by our writes and by GDAL/QGIS edits), max fid and
        row count; counted again only once the file changed (``data_version``, ``total_changes``)."""
        self._require_vector(name)
        with self._lock:
            now = (self._conn.execute("PRAGMA data_version").fetchone()[0], self._conn.total_changes)
            hit = self._stamps.get(name)
            if hit is None or hit[0] != now:
                # through a memory map, as big blobs are read: the count walks every page of the
                # table (parcels: 7 -> 1.5 ms CPU; 24 ms in a new process's first stamp)
                n = fetch_mapped(self._conn, f"SELECT count(*) FROM {q(name)}")[0]
                self._stamps[name] = hit = (now, (self._cache_stamp(self._conn, name), n))
            return hit[1]

    def change_marks(self) -> dict[str, str]:
        """Every layer's ``gpkg_contents.last_change`` (our writes, GDAL's and QGIS's edits set it):
        one query, for keys of pictures kept across sessions (``lzt.render.view_cache``)."""
        with self._lock:
            rows = self._conn.execute("SELECT table_name, last_change FROM gpkg_contents").fetchall()
        return {str(n): str(c) for n, c in rows}

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

    def _read_big(self, sql: str, params=()) -> tuple | None:
        """One row read on the workspace's second connection, not under the shared connection's
        lock: big blobs (a point cache of 1M points is 24 MB, rasters 17-33 MB) are read there, so
        the GUI thread's catalogue reads do not wait behind them (py-spy of the district's first
        map at load 15: the GUI thread waited ~3 s in ``_catalogue`` while the render thread read
        them). It sees committed data only (WAL: it neither waits for a writer nor blocks one);
        None while this workspace is inside a write transaction (read on the shared connection).
        A write holds the shared lock to its end: waiting for it here, a read never sees the
        state before a write that another thread of this process is making."""
        with self._lock:
            if self._conn is None or self._conn.in_transaction:
                return None
        with self._reader_lock:
            if self._closed:  # closed meanwhile: no new connection to the file
                return None
            if self._reader is None:
                self._reader = connect(self.path)
                # a small page cache: each blob is read once (its arrays are what the caller keeps);
                # the default 32 MiB filled with blob pages: +25-40 MB RSS at the district's first map
                self._reader.execute(f"PRAGMA cache_size = {READER_CACHE_KIB}")
            return fetch_mapped(self._reader, sql, params)

    def _read_cached_points(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The point cache of ``name`` when it matches the layer, read on the second connection (as
        ``_read_big``) in slices straight into the three arrays: a blob fetched whole is a 24 MB
        bytes object for 1M points that a new process allocates, touches and copies again
        (0.07-0.12 CPU s, most of it page faults; in slices 0.02-0.035 s). None: read otherwise."""
        with self._lock:
            if self._conn is None or self._conn.in_transaction:
                return None
        with self._reader_lock:
            if self._closed:
                return None
            if self._reader is None:
                self._reader = connect(self.path)
                self._reader.execute(f"PRAGMA cache_size = {READER_CACHE_KIB}")
            conn = self._reader
            conn.execute(f"PRAGMA mmap_size = {BLOB_MMAP_BYTES}")
            try:
                conn.execute("BEGIN")  # the stamp check and the blob: one snapshot
                try:
                    return self._read_points_blob(conn, name)
                finally:
                    conn.execute("COMMIT")
            except sqlite3.OperationalError:  # no point cache table (a foreign file): read otherwise
                return None
            finally:
                conn.execute("PRAGMA mmap_size = 0")

    @staticmethod
    def _read_points_blob(conn, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        row = conn.execute(  # the cached points and the stamp they must match
            f"SELECT c.stamp, c.rowid, (SELECT last_change FROM gpkg_contents WHERE table_name = ?), "
            f"(SELECT max(fid) FROM {q(name)}) FROM lzt_point_cache c WHERE c.name = ?", (name, name)).fetchone()
        if row is None or row[0] != f"{'' if row[2] is None else row[2]}|{row[3]}":
            return None
        with conn.blobopen("lzt_point_cache", "data", row[1], readonly=True) as blob:
            if len(blob) % _POINT.itemsize:
                return None
            n = len(blob) // _POINT.itemsize
            fid, x, y = np.empty(n, dtype=np.int64), np.empty(n), np.empty(n)
            for a in range(0, n, _POINT_SLICE):
                rec = np.frombuffer(blob.read(_POINT.itemsize * min(_POINT_SLICE, n - a)), dtype=_POINT)
                b = a + len(rec)
                fid[a:b], x[a:b], y[a:b] = rec["fid"], rec["x"], rec["y"]
        return fid, x, y

    def point_coords(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self._require_vector(name)
        got = self._read_cached_points(name)
        if got is not None:
            return got
        with self._lock:
            row = fetch_mapped(self._conn, "SELECT stamp, data FROM lzt_point_cache WHERE name = ?", (name,))
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

