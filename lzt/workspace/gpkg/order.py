"""Ids and sort ranks of a GeoPackage layer straight from SQLite (see ``lzt.workspace.order``).

SQLite sorts with the GIL released, on a connection of its own (the shared one stays free
for the GUI thread); the rows reach numpy ``CHUNK`` at a time, so a GUI thread waiting for
the GIL never waits for more than one chunk's conversion.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from lzt.workspace.gpkg.connection import q
from lzt.workspace.gpkg.where import to_sql

CHUNK = 20_000


class OrderMixin:
    """``sql_feature_ids`` and ``sql_sort_ranks`` for ``GeoPackageWorkspace``."""

    def sql_feature_ids(self, name: str, *, where=None) -> np.ndarray:
        """Ids of ``name``'s features ``where`` keeps (an attribute predicate), sorted."""
        allcols = self.fields(self._require_vector(name).name)
        if where is None:
            # Rows numbered without gaps (a layer as imported): the ids are a range. SQLite counts
            # 1M rows in ~0.15 s with the GIL released; fetching them as Python rows took ~1.8 s
            # of interpreter time (at start-up: the table's read beside the first map).
            t = q(name)
            lo, hi, n = _int_rows(self, f"SELECT coalesce((SELECT min(fid) FROM {t}), 1), coalesce((SELECT max(fid) "
                                        f"FROM {t}), 0), (SELECT count(*) FROM {t})", [], 3)[0]
            if hi - lo + 1 == n:
                return np.arange(lo, hi + 1, dtype=np.int64)
        sql, params = f"SELECT fid FROM {q(name)} t", []
        if where is not None:
            wsql, params = to_sql(where, {c: c for c in allcols})
            sql += f" WHERE ({wsql})"
        return _int_rows(self, sql + " ORDER BY fid", params, 1).reshape(-1)

    def sql_sort_ranks(self, name: str, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(fids sorted, dense rank of ``column``'s value; 0 where it is missing)."""
        from lzt.core.errors import LztInputError

        allcols = self.fields(self._require_vector(name).name)
        if column not in allcols:
            raise LztInputError(self.uri, f"layer {name!r} has no field {column!r}")
        c = q(column)
        rows = _int_rows(self, f"SELECT fid, CASE WHEN {c} IS NULL THEN 0 "
                               f"ELSE DENSE_RANK() OVER (ORDER BY {c}) END FROM {q(name)}", [], 2)
        by_fid = np.argsort(rows[:, 0], kind="stable")
        return rows[by_fid, 0].copy(), rows[by_fid, 1].copy()


def _int_rows(ws, sql: str, params, width: int) -> np.ndarray:
    """The integer rows of ``sql`` as an n x ``width`` int64 array, fetched chunk by chunk.

    Outside a transaction the query runs on a connection of its own: the workspace's shared
    connection is locked while it reads, and the GUI thread (a table page, the layer list)
    would wait seconds for a million-row sort to finish."""
    with ws._lock:  # asked under the lock: a write in another thread holds it while in a transaction
        if ws._conn.in_transaction:  # our own uncommitted writes are visible on this connection only
            return _fetch(ws._conn, sql, params, width)
    conn = sqlite3.connect(str(ws.path), timeout=30, check_same_thread=False)
    try:
        conn.execute("PRAGMA query_only = 1")
        conn.execute("PRAGMA temp_store = MEMORY")
        return _fetch(conn, sql, params, width)
    finally:
        conn.close()


def _fetch(conn: sqlite3.Connection, sql: str, params, width: int) -> np.ndarray:
    parts = []
    cur = conn.execute(sql, params)
    while True:
        chunk = cur.fetchmany(CHUNK)
        if not chunk:
            break
        parts.append(np.array(chunk, dtype=np.int64).reshape(-1, width))
    return np.concatenate(parts) if parts else np.empty((0, width), dtype=np.int64)
