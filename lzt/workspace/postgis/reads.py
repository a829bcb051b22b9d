"""Feature reads of a PostGIS workspace in one round trip.

A read needs the layer's columns and their types, that it is a vector layer and (personal layers)
which relation this user may read. Asking the catalogue for them before each read cost two round
trips per 1 km² window (``layer()`` in ``run_query`` and again in ``read_features``, 0.2-0.5 ms
each plus as many waits for the scheduler on a busy machine). Here a read *plan* (those facts) is
kept per layer with the catalogue's fingerprint of them (``FINGERPRINT``: the catalogue row's
position, kind and details, the table's oid, this user's SELECT right and every column's name and
type). The read statement computes the fingerprint again, in its own snapshot, and returns it
beside the data; when it differs (another client altered the table, the layer was replaced, a
grant changed) or the kept plan no longer fits at all (a dropped column fails the statement), the
plan is read afresh and the statement run again. So a read is always planned on the catalogue it
ran against, as before, with one round trip when nothing changed. Inside a transaction block,
where a failed statement would abort the caller's transaction, the plan is read first.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np

from lzt.core.errors import LztInputError
from lzt.core.lazy import lazy_module
from lzt.workspace.base import Bounds, LayerInfo
from lzt.workspace.postgis.columnar import aggregate_select, columns_frame
from lzt.workspace.postgis.connect import errors_as_input
from lzt.workspace.postgis.sql import q, to_sql
from lzt.workspace.schema import GEOM

gpd = lazy_module("geopandas")
psycopg = lazy_module("psycopg")

#: the catalogue facts a read depends on, over ``lzt_layers l`` joined to its table ``pg_class c``
FINGERPRINT = ("concat_ws('|', l.position, l.kind, md5(l.details), c.oid, has_table_privilege(c.oid, 'SELECT'), "
               "(SELECT string_agg(a.attname || ' ' || a.atttypid || ' ' || a.atttypmod, ',' ORDER BY a.attnum) "
               "FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))")
#: the layer's table joined to its catalogue row (parameter: the schema)
TABLE_JOIN = "LEFT JOIN pg_class c ON c.oid = to_regclass(format('%%I.%%I', %s::text, l.name))"
#: the stored bytes a read aggregates into one statement's row, about. PostgreSQL refuses a value
#: over 1 GB (an array_agg or string_agg of a whole large layer): a read expected to be larger
#: (its rows estimated from the table's size and row count, the window's share of the extent, the
#: fids or limit asked for) goes in fid order, CHUNK_BYTES' worth of rows a statement; one that
#: still overflows (values far larger than the table's average, or compressed) is read again in
#: sixteenth-sized steps.
CHUNK_BYTES = 64 << 20


class _TooBig(Exception):
    """A statement's aggregates went over PostgreSQL's 1 GB value limit."""


class _Stale(Exception):
    """The catalogue changed since the read plan was made."""


@dataclass(frozen=True)
class ReadPlan:
    info: LayerInfo
    pg_types: dict[str, str]  # column -> the server's type name (timestamp or timestamptz)
    source: str  # the relation read (the table or the masking view)
    fingerprint: str | None
    size: tuple[int, float]  # the table's bytes (pg_table_size) and rows (reltuples, -1: unknown)


class PgReadsMixin:
    """``read_features`` for ``PostGISWorkspace`` (uses its ``_infos``, ``_source``, ``_query``)."""

    def _read_plan(self, name: str, fresh: bool) -> ReadPlan:
        plan = None if fresh else self._plans.get(name)
        if plan is None:
            # under the lock: another thread's layer() between this one's and the reads of the kept
            # fingerprint and types would pair this catalogue's columns with a newer fingerprint,
            # and later reads would match it and never see the newer columns
            with self._lock:
                info = self._require_vector(name)  # layer(): the catalogue and its fingerprint, one statement
                plan = ReadPlan(info, self._pg_types.get(name, {}), self._source(info),
                                self._fingerprints.get(name), self._sizes.get(name, (0, -1.0)))
                self._plans[name] = plan
        return plan

    def read_features(self, name: str, *, fids=None, bbox: Bounds | None = None, where=None,
                      columns: Sequence[str] | None = None, geometry: bool = True,
                      limit: int | None = None) -> gpd.GeoDataFrame:
        fresh = name not in self._plans or not self._idle()
        raced = 0
        while True:
            plan = self._read_plan(name, fresh)
            try:
                rows, how, cols, types = self._read_rows(plan, fids, bbox, where, columns, geometry, limit,
                                                         checked=not fresh)
            except _Stale as stale:
                # the table changed after the plan, even one just made (another client renamed a
                # column or the table between the catalogue read and the statement): plan again,
                # once more after a plan just made; then the server's refusal, in our words
                raced += fresh
                if raced > 1 and stale.__cause__ is not None:
                    with errors_as_input(self._url):
                        raise stale.__cause__ from None
                fresh = True
                continue
            except (psycopg.Error, LztInputError, KeyError):
                if fresh:  # planned on the catalogue just read: its errors are the caller's
                    raise
                fresh = True  # the kept plan no longer fits the table: plan again
                continue
            break
        exact = bbox if bbox is not None and geometry and limit is None else None
        # The exact test here, as the GeoPackage backend does, before the frame is built: in SQL,
        # ST_Intersects' tiny selectivity estimate turns the bitmap scan of a window into a
        # row-by-row index scan (4 ms instead of 0.3 ms for 2,000 points).
        return columns_frame(_joined(rows, how), how, cols, types, self._pyproj_crs(),
                             self._decode_geometries, bbox=exact)

    def _read_rows(self, plan: ReadPlan, fids, bbox, where, columns, geometry: bool, limit, checked: bool):
        """The statements' rows (fingerprint first) of one read: one statement, or a run of them in
        fid order when the read may be too large for one (``CHUNK_BYTES``). A run is one snapshot
        (a read-only REPEATABLE READ transaction, or the caller's transaction), as one statement
        is: another client's edit between two chunks is not half in the frame, and its ALTER or
        DROP waits for the read (the table's lock is held to the end). Inside a transaction each
        statement runs in a savepoint, so a statement over the 1 GB limit aborts nothing."""
        with self._lock:
            own = False
            try:
                step = _chunk_rows(plan, fids, bbox, limit)
                out: list[tuple] = []
                after = None
                while True:
                    if step is not None and not own and self._idle():
                        with errors_as_input(self._url):
                            self._conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                        own = True
                    want = step if limit is None or step is None else min(step, limit - len_fids(out))
                    chunk = None if step is None else (after, want)
                    stmt, params, how, cols, types = self._read_statement(plan, fids, bbox, where, columns,
                                                                          geometry, limit, chunk=chunk)
                    try:
                        with nullcontext() if self._idle() else self._conn.transaction():  # a savepoint
                            rows = self._fetch(stmt, params, wrap=not checked)
                    except _TooBig:
                        if step == 1:
                            raise LztInputError(self.uri, f"layer {plan.info.name!r} holds a value over "
                                                          "PostgreSQL's 1 GB limit") from None
                        total = plan.size[1] if plan.size[1] > 0 else plan.info.count
                        step = max(1, (step or int(total) or 1 << 16) // 16)
                        continue
                    if checked and (not rows or rows[0][0] != plan.fingerprint):
                        raise _Stale
                    out.extend(rows)
                    if step is None:
                        return out, how, cols, types
                    got = len_fids(rows)
                    if got < want or (limit is not None and len_fids(out) >= limit):
                        return out, how, cols, types
                    after = max(int(np.frombuffer(r[1], dtype=">i8").max()) for r in rows if r[1] is not None)
            finally:
                if own:
                    with errors_as_input(self._url):
                        self._conn.execute("ROLLBACK")  # read only: nothing to keep

    def _fetch(self, stmt: str, params, *, wrap: bool) -> list[tuple]:
        """The statement's rows; server refusals as ``LztInputError`` when ``wrap``; ``_TooBig``."""
        from psycopg import errors as e

        with self._lock, (errors_as_input(self._url) if wrap else nullcontext()):
            try:
                with self._conn.cursor(binary=True) as cur:
                    return cur.execute(stmt, params).fetchall()
            except (e.ProgramLimitExceeded, e.OutOfMemory) as exc:
                raise _TooBig from exc
            except (e.UndefinedColumn, e.UndefinedTable) as exc:  # the catalogue moved since the plan
                raise _Stale from exc
            except e.InternalError_ as exc:
                if "alloc request size" in str(exc):
                    raise _TooBig from exc
                raise

    def _idle(self) -> bool:
        """True outside a transaction block (a failed statement aborts nothing there)."""
        return self._conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE

    def _read_statement(self, plan: ReadPlan, fids, bbox, where, columns, geometry: bool, limit, chunk=None):
        """The statement (fingerprint, then one row of column aggregates) and how to read its row;
        ``chunk`` = (after, n): only the first n rows in fid order with fids above ``after``."""
        info = plan.info
        allcols = {f.name: f.type for f in info.fields}
        cols = self._select_columns(info.name, allcols, columns)
        sel = ["t.fid"] + ([f"t.{q(GEOM)}"] if geometry else []) + [f"t.{q(c)}" for c in cols]
        sql = f"SELECT {', '.join(sel)} FROM {plan.source} t"
        conds: list[str] = []
        params: list[Any] = []
        if bbox is not None:
            env, eparams = self._envelope(bbox)
            conds.append(f"t.{q(GEOM)} && {env}")
            params += eparams
            if geometry and limit is not None:  # the exact test before the limit
                conds.append(f"ST_Intersects(t.{q(GEOM)}, {env})")
                params += eparams
        if fids is not None:
            conds.append("t.fid = ANY(%s::bigint[])")
            params.append(np.unique(np.asarray(fids, dtype=np.int64)).tolist())
        if where is not None:
            wsql, wparams = to_sql(where, allcols)
            conds.append(f"({wsql})")
            params += wparams
        if chunk is not None and chunk[0] is not None:
            conds.append("t.fid > %s")
            params.append(int(chunk[0]))
        if conds:
            sql += " WHERE " + " AND ".join(conds)
        if chunk is not None:
            sql += f" ORDER BY t.fid LIMIT {int(chunk[1])}"
        elif limit is not None:
            sql += f" ORDER BY t.fid LIMIT {int(limit)}"
        # one row of column aggregates, not a row per feature (lzt.workspace.postgis.columnar)
        types = {c: allcols[c] for c in cols}
        aggs, how = aggregate_select("s", cols, types, plan.pg_types, geometry)
        check = (f"(SELECT {FINGERPRINT} FROM {self._t('lzt_layers')} l {TABLE_JOIN} WHERE l.name = %s)")
        return f"SELECT {check}, {aggs} FROM ({sql}) s", (self.schema, info.name, *params), how, cols, types


def len_fids(rows: list[tuple]) -> int:
    """Features in statement rows (fingerprint, fids as 8-byte values, ...)."""
    return sum(len(r[1]) // 8 for r in rows if r[1] is not None)


def _chunk_rows(plan: ReadPlan, fids, bbox, limit) -> int | None:
    """Rows a statement of this read may aggregate (``CHUNK_BYTES``), None: all in one."""
    size, tuples = plan.size
    total = tuples if tuples > 0 else plan.info.count
    if total <= 0 or size <= CHUNK_BYTES:
        return None
    each = size / total
    est = float(total)
    if limit is not None:
        est = min(est, limit)
    if fids is not None:
        est = min(est, len(fids))
    ex = plan.info.extent
    if bbox is not None and ex is not None and ex[2] > ex[0] and ex[3] > ex[1]:
        w = max(0.0, min(bbox[2], ex[2]) - max(bbox[0], ex[0]))
        h = max(0.0, min(bbox[3], ex[3]) - max(bbox[1], ex[1]))
        est = min(est, total * w * h / ((ex[2] - ex[0]) * (ex[3] - ex[1])))
    if est * each <= CHUNK_BYTES:
        return None
    return max(1, int(CHUNK_BYTES / each))


def _joined(rows: list[tuple], how: list[str]) -> tuple | None:
    """The aggregates of the statement's rows (one per range of fids) as one row, fingerprint
    dropped: byte strings and arrays concatenated in row order (``columns_frame`` sorts by fid)."""
    rows = [r for r in rows if r[1] is not None]
    if len(rows) <= 1:
        return rows[0][1:] if rows else None
    out: list = []
    for j, kind in enumerate(how, start=1):
        if kind in ("fid", "f8", "us"):
            out.append(b"".join(r[j] for r in rows))
        else:
            out.append([v for r in rows for v in r[j]])
    return tuple(out)
