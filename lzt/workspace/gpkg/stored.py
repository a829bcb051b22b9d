"""Rasters and keyed blobs (BIM meshes, ...) stored whole in a GeoPackage workspace."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.workspace.base import LayerInfo
from lzt.workspace.gpkg.connection import fetch_mapped
from lzt.workspace.gpkg.ddl import BLOBS_DDL
from lzt.workspace.schema import now, validate_layer_name


class StoredMixin:
    """Rasters and blobs for ``GeoPackageWorkspace`` (uses its ``_write``, ``_drop``, ``_conn``)."""

    def write_raster(self, name: str, data: bytes, *, info: dict[str, Any], source: str | None = None,
                     source_hash: str | None = None, replace: bool = False,
                     imported_at: str | None = None) -> LayerInfo:
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
        row = self._read_big("SELECT data FROM lzt_rasters WHERE name = ?", (name,))  # not under the lock
        if row is not None:
            return bytes(row[0])
        with self._lock:  # the connection is shared with workers (imagery tiles, supervision checks)
            return bytes(self._conn.execute("SELECT data FROM lzt_rasters WHERE name = ?", (name,)).fetchone()[0])

    # -- keyed blobs (BIM meshes, ...) -------------------------------------------
    def put_blobs(self, kind: str, blobs: dict[str, bytes]) -> None:
        """Store (or replace) blobs under ``kind``/key, in one transaction."""
        with self._write() as conn:
            conn.execute(BLOBS_DDL)
            conn.executemany("INSERT OR REPLACE INTO lzt_blobs VALUES (?, ?, ?)",
                             [(kind, k, sqlite3.Binary(v)) for k, v in blobs.items()])

    def move_blobs(self, src: str, dst: str) -> int:
        """Every blob of kind ``src`` now of kind ``dst`` (replacing those of the same key), in one
        transaction; how many moved."""
        with self._write() as conn:
            conn.execute(BLOBS_DDL)
            conn.execute("INSERT OR REPLACE INTO lzt_blobs SELECT ?, key, data FROM lzt_blobs WHERE kind = ?",
                         (dst, src))
            return conn.execute("DELETE FROM lzt_blobs WHERE kind = ?", (src,)).rowcount

    def delete_blobs(self, kind: str) -> int:
        """Remove every blob of ``kind``; how many."""
        with self._write() as conn:
            conn.execute(BLOBS_DDL)
            return conn.execute("DELETE FROM lzt_blobs WHERE kind = ?", (kind,)).rowcount

    def get_blob(self, kind: str, key: str) -> bytes | None:
        """A stored blob, or None."""
        try:
            row = self._read_big("SELECT data FROM lzt_blobs WHERE kind = ? AND key = ?", (kind, key))
            if row is not None:  # read off the shared connection (packed polygons: 6-10 MB)
                return bytes(row[0])
            with self._lock:  # the connection is shared with workers (BIM meshes load off the GUI thread)
                row = fetch_mapped(self._conn, "SELECT data FROM lzt_blobs WHERE kind = ? AND key = ?", (kind, key))
        except sqlite3.OperationalError:  # no blob table yet
            return None
        return None if row is None else bytes(row[0])

