"""Connecting to PostgreSQL for a workspace, and turning server refusals into one-line input errors.

Credentials come from libpq alone (``pg_service.conf``, ``PGPASSFILE``,
``PGPASSWORD``, or a password in the URL the user typed); lzt never writes them
anywhere, and every message names the URL without its password.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from lzt.core.errors import LztInputError
from lzt.workspace.postgis.url import PgUrl

CONNECT_TIMEOUT = 10  # seconds, unless the URL sets connect_timeout


def _first_line(exc: BaseException, url: PgUrl) -> str:
    text = str(exc).strip() or type(exc).__name__
    return url.scrub(" ".join(text.split()))


def connect(url: PgUrl, *, need_postgis: bool = True):
    """An autocommit psycopg connection in UTC with the workspace schema on the search path."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        raise LztInputError(url.safe, "PostgreSQL support needs psycopg (pip install 'psycopg[binary]')") from None
    kwargs = {"autocommit": True, "application_name": "lzt"}
    if "connect_timeout" not in url.conninfo:
        kwargs["connect_timeout"] = CONNECT_TIMEOUT
    try:
        conn = psycopg.connect(url.conninfo, **kwargs)
    except (psycopg.Error, ValueError) as exc:
        raise LztInputError(url.safe, f"cannot connect: {_first_line(exc, url)}") from None
    try:
        with errors_as_input(url):
            conn.execute("SET TIME ZONE 'UTC'")
            set_search_path(conn, url.schema, ensure_postgis(conn, url, create=False, required=need_postgis))
    except BaseException:
        conn.close()
        raise
    return conn


def set_search_path(conn, schema: str, ext_schema: str | None) -> None:
    """The workspace schema first, then the one holding PostGIS's types and functions."""
    path = [schema] + ([ext_schema] if ext_schema and ext_schema != schema else [])
    conn.execute("SELECT set_config('search_path', %s, false)",
                 (", ".join('"' + p.replace('"', '""') + '"' for p in path),))


def ensure_postgis(conn, url: PgUrl, *, create: bool, required: bool = True) -> str | None:
    """The schema the PostGIS extension lives in; created when ``create`` and allowed."""
    row = conn.execute("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                       "WHERE e.extname = 'postgis'").fetchone()
    if row:
        return row[0]
    if create:
        import psycopg

        try:
            with conn.transaction():
                conn.execute("CREATE EXTENSION postgis")
        except psycopg.Error as exc:
            raise LztInputError(url.safe, "the PostGIS extension is not installed in this database and could "
                                          f"not be created ({_first_line(exc, url)}); an administrator can run "
                                          "CREATE EXTENSION postgis") from None
        return ensure_postgis(conn, url, create=False)
    if required:
        raise LztInputError(url.safe, "the PostGIS extension is not installed in this database "
                                      "(an administrator can run CREATE EXTENSION postgis)")
    return None


@contextmanager
def errors_as_input(url: PgUrl) -> Iterator[None]:
    """Server refusals (rights, lost connection, bad values) as ``LztInputError`` naming the URL."""
    import psycopg
    from psycopg import errors as e

    try:
        yield
    except e.InsufficientPrivilege as exc:
        raise LztInputError(url.safe, f"permission denied: {_first_line(exc, url)}") from None
    except (e.DataError, e.IntegrityConstraintViolation) as exc:
        raise LztInputError(url.safe, f"the database refused a value: {_first_line(exc, url)}") from None
    except psycopg.OperationalError as exc:
        raise LztInputError(url.safe, f"database error: {_first_line(exc, url)}") from None
    except (e.DuplicateTable, e.DuplicateObject) as exc:
        raise LztInputError(url.safe, f"the name is taken in the database: {_first_line(exc, url)}") from None
    except e.UndefinedTable as exc:
        raise LztInputError(url.safe, f"missing table: {_first_line(exc, url)}") from None
    except e.UndefinedColumn as exc:  # e.g. renamed by another client while it was read
        raise LztInputError(url.safe, f"missing column: {_first_line(exc, url)}") from None
