"""Render a filter tree (``lzt.core.filters``) as an SQLite WHERE fragment with ``?`` parameters.

Only identifiers are written into the SQL text, always quoted (with ``"``
doubled) and always taken from the layer's real column names; every value is
a bound parameter. LIKE keeps SQLite's semantics (ASCII case-insensitive) with
``\\`` as escape, which ``lzt.query.expr.like_regex`` mirrors.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from lzt.core.filters import And, Between, Compare, In, IsNull, Like, Not, Or, Spatial


def _ident(name: str, columns: Mapping[str, str]) -> str:
    real = columns.get(name)
    if real is None:
        raise KeyError(f"field {name!r} is not a column of this layer")
    return '"' + real.replace('"', '""') + '"'


def _param(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    if isinstance(v, date):
        return v.isoformat()
    return v


def to_sql(expr, columns: Mapping[str, str]) -> tuple[str, list]:
    """``(sql, params)`` for the attribute tree ``expr``; ``columns`` maps field -> column."""
    params: list = []

    def r(e) -> str:
        if isinstance(e, And):
            return "(" + " AND ".join(r(i) for i in e.items) + ")"
        if isinstance(e, Or):
            return "(" + " OR ".join(r(i) for i in e.items) + ")"
        if isinstance(e, Not):
            return f"(NOT {r(e.item)})"
        if isinstance(e, Spatial):
            raise ValueError("spatial terms are applied by the query runner, not in SQL")
        col = _ident(e.field, columns)
        if isinstance(e, IsNull):
            return f"({col} IS {'NOT ' if e.negate else ''}NULL)"
        if isinstance(e, Compare):
            params.append(_param(e.value))
            return f"({col} {e.op} ?)"
        if isinstance(e, Like):
            params.append(e.pattern)
            return f"({col} {'NOT ' if e.negate else ''}LIKE ? ESCAPE '\\')"
        if isinstance(e, In):
            params.extend(_param(v) for v in e.values)
            marks = ", ".join("?" * len(e.values))
            return f"({col} {'NOT ' if e.negate else ''}IN ({marks}))"
        if isinstance(e, Between):
            params.extend((_param(e.low), _param(e.high)))
            return f"({col} {'NOT ' if e.negate else ''}BETWEEN ? AND ?)"
        raise TypeError(f"not a filter node: {e!r}")

    return r(expr), params
