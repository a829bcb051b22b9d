"""Render a filter tree (``lzt.core.filters``) as a PostgreSQL WHERE fragment with ``%s`` parameters.

The PostgreSQL twin of ``lzt.workspace.gpkg.where``: identifiers come only from the layer's
real column names and are quoted (``"`` doubled, ``%`` doubled for psycopg's
placeholder syntax); every value is a bound parameter, converted to the column's
type so that the server never has to guess. LIKE keeps SQLite's semantics
(ASCII case-insensitive, ``\\`` as escape) as ILIKE in the workspace's C collation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from lzt.core.filters import And, Between, Compare, In, IsNull, Like, Not, Or, Spatial

_CASTS = {"INTEGER": "::numeric", "REAL": "::float8", "BOOLEAN": "::boolean", "DATE": "::date",
          "DATETIME": "", "TEXT": "::text", "BLOB": "::bytea"}


def q(identifier: str) -> str:
    """Quote an identifier for SQL text passed to psycopg together with parameters."""
    return '"' + identifier.replace('"', '""').replace("%", "%%") + '"'


def qualified(schema: str, name: str) -> str:
    """``"schema"."name"``."""
    return f"{q(schema)}.{q(name)}"


def param(value: Any, ftype: str) -> Any:
    """A Python value as a parameter compared with a column of ``ftype``."""
    if value is None:
        return None
    if ftype == "TEXT":
        if isinstance(value, bool):
            return "1" if value else "0"
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    if ftype == "BOOLEAN":
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "t", "yes", "y")
        return bool(value)
    if ftype in ("INTEGER", "REAL"):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, str):
            try:
                return float(value) if ftype == "REAL" or "." in value or "e" in value.lower() else int(value)
            except ValueError:
                return value  # the server reports the mismatch
        return value
    if ftype in ("DATE", "DATETIME"):
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return str(value)
    return value


def to_sql(expr, types: Mapping[str, str]) -> tuple[str, list]:
    """``(sql, params)`` for the attribute tree ``expr``; ``types`` maps each column to its type."""
    params: list = []

    def col(field: str) -> tuple[str, str]:
        if field not in types:
            raise KeyError(f"field {field!r} is not a column of this layer")
        return q(field), types[field]

    def bind(value: Any, ftype: str) -> str:
        params.append(param(value, ftype))
        return "%s" + _CASTS.get(ftype, "")

    def r(e) -> str:
        if isinstance(e, And):
            return "(" + " AND ".join(r(i) for i in e.items) + ")" if e.items else "TRUE"
        if isinstance(e, Or):
            return "(" + " OR ".join(r(i) for i in e.items) + ")" if e.items else "FALSE"
        if isinstance(e, Not):
            return f"(NOT {r(e.item)})"
        if isinstance(e, Spatial):
            raise ValueError("spatial terms are applied by the query runner, not in SQL")
        c, t = col(e.field)
        if isinstance(e, IsNull):
            return f"({c} IS {'NOT ' if e.negate else ''}NULL)"
        if isinstance(e, Compare):
            if e.op not in ("=", "<>", "<", "<=", ">", ">="):
                raise ValueError(f"not a comparison operator: {e.op!r}")
            return f"({c} {e.op} {bind(e.value, t)})"
        if isinstance(e, Like):
            params.append(str(e.pattern))
            return f"({c}::text {'NOT ' if e.negate else ''}ILIKE %s ESCAPE '\\')"
        if isinstance(e, In):
            if not e.values:
                return "TRUE" if e.negate else "FALSE"
            marks = ", ".join(bind(v, t) for v in e.values)
            return f"({c} {'NOT ' if e.negate else ''}IN ({marks}))"
        if isinstance(e, Between):
            lo, hi = bind(e.low, t), bind(e.high, t)
            return f"({c} {'NOT ' if e.negate else ''}BETWEEN {lo} AND {hi})"
        raise TypeError(f"not a filter node: {e!r}")

    return r(expr), params
