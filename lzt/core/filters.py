"""The filter tree: a backend-neutral predicate over one layer's fields.

``lzt.query.expr`` parses CQL2 text into it; each workspace backend renders it
to its own SQL with parameters (``lzt.workspace.gpkg.where``); ``evaluate`` in
``lzt.query.expr`` runs it over a GeoDataFrame. Values are plain Python values;
dates and date-times are canonical ISO strings (as the workspace stores them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

COMPARE_OPS = ("=", "<>", "<", "<=", ">", ">=")
SPATIAL_OPS = ("intersects", "within", "contains", "disjoint", "touches", "crosses", "overlaps",
               "equals", "dwithin")


@dataclass(frozen=True)
class Compare:
    field: str
    op: str  # one of COMPARE_OPS
    value: Any


@dataclass(frozen=True)
class Like:
    field: str
    pattern: str  # % and _ wildcards, \ escapes
    negate: bool = False


@dataclass(frozen=True)
class In:
    field: str
    values: tuple
    negate: bool = False


@dataclass(frozen=True)
class Between:
    field: str
    low: Any
    high: Any
    negate: bool = False


@dataclass(frozen=True)
class IsNull:
    field: str
    negate: bool = False


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: Any


@dataclass(frozen=True)
class Spatial:
    op: str  # one of SPATIAL_OPS: the layer's geometry <op> the literal
    geometry: Any  # shapely geometry in the workspace CRS
    distance: float | None = None  # dwithin only


Expr = Union[Compare, Like, In, Between, IsNull, And, Or, Not, Spatial]
