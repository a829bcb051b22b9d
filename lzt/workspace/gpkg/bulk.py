"""Many rows into one SQLite table: multi-row INSERT statements fed from columns.

Python's sqlite3 spends most of an ``executemany`` of single-row INSERTs on the
per-statement round (next row, bind, step, reset) rather than in SQLite. An
``INSERT ... VALUES (...), (...), ...`` of ~100 rows binds the same Python values
the same way (so the stored values are exactly what a row-by-row insert stores)
and halves the time of a million-row write. Columns come as lists or numpy arrays
of the values sqlite3 binds (None for NULL).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

ROWS_PER_STATEMENT = 100


def rows_per_statement(conn: sqlite3.Connection, ncols: int) -> int:
    """How many rows of ``ncols`` values one statement may carry (SQLite's variable limit)."""
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(ROWS_PER_STATEMENT, limit // max(1, ncols)))


def insert_columns(conn: sqlite3.Connection, table: str, names: Sequence[str], columns: Sequence) -> None:
    """Insert the rows formed by ``columns`` (equal lengths, in ``names`` order) into ``table``.

    ``table`` and ``names`` are quoted SQL identifiers. Runs in the caller's transaction.
    """
    k = rows_per_statement(conn, len(columns))
    for sql, params in statements(table, names, columns, k):
        conn.executemany(sql, params)


def statements(table: str, names: Sequence[str], columns: Sequence, k: int) -> list[tuple[str, list]]:
    """The (SQL, parameter tuples) that ``insert_columns`` executes: ``k`` rows per statement,
    then the rest one by one."""
    ncols = len(columns)
    n = len(columns[0]) if ncols else 0
    if n == 0:
        return []
    m = np.empty((n, ncols), dtype=object)
    for j, col in enumerate(columns):
        # a list through fromiter: numpy would read a list of bytearrays as nested sequences (15x slower)
        m[:, j] = col if isinstance(col, np.ndarray) else np.fromiter(col, dtype=object, count=n)
    head = f"INSERT INTO {table} ({', '.join(names)}) VALUES "
    one = "(" + ", ".join("?" * ncols) + ")"
    full = n - n % k
    out = []
    if full:
        out.append((head + ", ".join([one] * k), list(map(tuple, m[:full].reshape(-1, k * ncols)))))
    if full < n:
        out.append((head + one, list(map(tuple, m[full:]))))
    return out


class BackgroundInserter:
    """``insert_columns`` batches run by one background thread, so that the caller prepares
    the next batch (Python and numpy work) while SQLite stores the last one (sqlite3 releases
    the GIL while a statement steps). Use as a context manager; leaving it waits for every
    queued batch, and an error in the thread is raised in the caller. The connection must allow
    use from another thread (``check_same_thread=False``) and the caller must not use it meanwhile."""

    def __init__(self, conn: sqlite3.Connection, table: str, names: Sequence[str], depth: int = 2):
        import queue
        import threading

        self._conn, self._table, self._names = conn, table, list(names)
        self._k = rows_per_statement(conn, len(self._names))
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="lzt-sqlite-insert", daemon=True)

    def __enter__(self) -> BackgroundInserter:
        self._thread.start()
        return self

    def put(self, columns: Sequence) -> None:
        """Queue one batch (blocks while ``depth`` batches wait). Its statements' parameters are
        built here, in the caller's thread: the writing thread only steps SQLite (it was the slower
        of the two, and building a million rows' tuples took it ~0.2 s)."""
        self._raise()
        self._queue.put(statements(self._table, self._names, columns, self._k))

    def __exit__(self, *exc) -> None:
        self._stop = exc[0] is not None  # cancelled or failed: write nothing more
        self._queue.put(None)
        self._thread.join()
        if exc[0] is None:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is None:
                return
            if self._error is None and not self._stop:  # else drain the queue without writing
                try:
                    for sql, params in batch:
                        self._conn.executemany(sql, params)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    self._error = exc
