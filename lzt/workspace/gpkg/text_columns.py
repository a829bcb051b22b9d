"""Whole text columns of a GeoPackage layer in one SQL aggregate, not one Python tuple per row.

Fetching a million rows through ``sqlite3`` builds a million tuples and transposes them (seconds
for a POI layer); ``group_concat`` lets SQLite join each column into one string in a single
pass, which Python splits in C. Every column of the query is aggregated in the same pass over
the same rows, so fids and values stay aligned (and are put in fid order after). Missing values travel as a record separator
(U+001E) and values as unit-separated (U+001F) text; a value holding either control character
sends the caller back to the row-by-row path (``None`` here).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from lzt.workspace.gpkg.connection import q

_MISSING, _SEP = "\x1e", "\x1f"


def text_columns(conn: sqlite3.Connection, table: str, columns: Sequence[str]
                 ) -> tuple[np.ndarray, dict[str, list[str | None]]] | None:
    """(fid, {column: values}) of ``table`` in fid order, or None when a value cannot travel joined."""
    aggs = ["group_concat(fid, ',')", "count(*)"] + [
        f"group_concat(ifnull(CAST({q(c)} AS TEXT), char(30)), char(31))" for c in columns]
    row = conn.execute(f"SELECT {', '.join(aggs)} FROM {q(table)}").fetchone()
    n = int(row[1])
    if n == 0:
        return np.empty(0, dtype=np.int64), {c: [] for c in columns}
    fid = np.array(row[0].split(","), dtype=np.int64)
    order = None if (np.diff(fid) > 0).all() else np.argsort(fid, kind="stable")
    out: dict[str, list[str | None]] = {}
    for c, joined in zip(columns, row[2:]):
        values = joined.split(_SEP)
        if len(values) != n:
            return None
        missing = joined.count(_MISSING)
        if missing:
            if values.count(_MISSING) != missing:  # a value holds the marker
                return None
            values = [None if v == _MISSING else v for v in values]
        out[c] = values if order is None else [values[i] for i in order.tolist()]
    return (fid if order is None else fid[order]), out
