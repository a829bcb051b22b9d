"""Opening a GeoPackage workspace's SQLite connection: pragmas, the ST_* functions its R-tree
triggers call, write transactions, identifier quoting and spatial reference rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lzt.workspace.gpkg import geom as gpkg_geom


def q(identifier: str) -> str:
    """Quote an SQL identifier."""
    return '"' + identifier.replace('"', '""') + '"'


def _blob_bounds(blob: bytes | None) -> tuple[float, float, float, float] | None:
    if blob is None:
        return None
    g = gpkg_geom.decode([blob])[0]
    if g is None or g.is_empty:
        return None
    return tuple(g.bounds)  # type: ignore[return-value]


def _register_st_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the GeoPackage R-tree triggers call."""

    def is_empty(blob):
        return 1 if blob is None or (blob[3] & 0x10) else 0

    def coord(i):
        def f(blob):
            b = _blob_bounds(blob)
            return None if b is None else b[i]
        return f

    conn.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)
    for name, i in (("ST_MinX", 0), ("ST_MinY", 1), ("ST_MaxX", 2), ("ST_MaxY", 3)):
        conn.create_function(name, 1, coord(i), deterministic=True)


#: SQLite page cache (negative: KiB) between writes: reads are served by the OS's file cache as
#: well, and a large cache kept by a long session (the GUI panning the district) only grows RSS
READ_CACHE_KIB = -32768
#: during a write transaction (bulk imports, R-tree loads): dirty pages stay in memory
WRITE_CACHE_KIB = -262144


def connect(path: Path) -> sqlite3.Connection:
    """A connection in WAL mode with the R-tree triggers' ST_* functions registered."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
        # another process holds the file in a bulk write (``bulk_transaction``): read it as it is
        # (committed data, rollback journal); the writer or the next connection sets WAL again
        if "locked" not in str(exc):
            conn.close()
            raise
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA cache_size = {READ_CACHE_KIB}")
    conn.execute("PRAGMA temp_store = MEMORY")
    _register_st_functions(conn)
    return conn


#: file bytes SQLite may map while one large blob is read (``fetch_mapped``)
BLOB_MMAP_BYTES = 1 << 30


def fetch_mapped(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> tuple | None:
    """``fetchone`` of a statement returning a large blob (the point cache, packed polygons),
    with SQLite reading the file through a memory map for this statement only: the blob's
    thousands of overflow pages are copied once instead of read() into the page cache and copied
    again (24 MB of points: 59 -> 38 ms CPU; 10 MB of parcels: 26 -> 17 ms). The map is dropped
    afterwards, so a long session's RSS does not hold file pages. The caller holds the lock."""
    if conn.in_transaction:  # inside a write: as it is
        return conn.execute(sql, params).fetchone()
    conn.execute(f"PRAGMA mmap_size = {BLOB_MMAP_BYTES}")
    try:
        return conn.execute(sql, params).fetchone()
    finally:
        conn.execute("PRAGMA mmap_size = 0")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception; the page cache is the large
    ``WRITE_CACHE_KIB`` for the transaction and shrinks back to ``READ_CACHE_KIB`` after it."""
    conn.execute(f"PRAGMA cache_size = {WRITE_CACHE_KIB}")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
    finally:
        conn.execute(f"PRAGMA cache_size = {READ_CACHE_KIB}")


@contextmanager
def bulk_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``transaction`` for a large write (an import of ~100k+ rows into a new table): with the
    rollback journal instead of the WAL while it runs, when this connection is the only one to
    the file. The WAL writes every new page twice (into the WAL at commit, into the file at the
    checkpoint); the rollback journal keeps only the few pages that existed before, and new pages
    are written once (1M-point import: commit + checkpoint 1.1-1.25 s -> 0.35-0.45 s wall). Still
    one transaction: a killed process leaves a hot journal, which the next connection rolls back.
    ``synchronous = FULL`` meanwhile (the rollback journal's safe setting); WAL again after it.
    With another connection open (this process's or another's) the mode cannot change: then
    it is ``transaction`` as usual. Processes that connect meanwhile read the state before the
    write (``connect`` leaves the journal mode as it is when it cannot change it)."""
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError:  # another connection has the file open
        mode = None
    if str(mode).lower() != "delete":
        with transaction(conn):
            yield conn
        return
    try:
        conn.execute("PRAGMA synchronous = FULL")
        with transaction(conn):
            yield conn
    finally:
        conn.execute("PRAGMA synchronous = NORMAL")
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:  # a reader connected meanwhile: the next connect sets it
            pass


def ensure_srs(conn: sqlite3.Connection, crs) -> int:
    """The gpkg_spatial_ref_sys row for ``crs``; returns its srs_id."""
    from pyproj.enums import WktVersion

    epsg = crs.to_epsg()
    if epsg is not None:
        srs_id, org, org_id = epsg, "EPSG", epsg
    else:
        row = conn.execute("SELECT max(srs_id) FROM gpkg_spatial_ref_sys").fetchone()
        srs_id, org, org_id = max(100000, (row[0] or 0) + 1), "NONE", max(100000, (row[0] or 0) + 1)
    if conn.execute("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (srs_id,)).fetchone():
        return srs_id
    conn.execute("INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)",
                 (crs.name, srs_id, org, org_id, crs.to_wkt(WktVersion.WKT1_GDAL), crs.name))
    return srs_id
