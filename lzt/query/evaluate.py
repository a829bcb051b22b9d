"""Filter trees (``lzt.core.filters``) evaluated over a GeoDataFrame with SQL's three-valued
logic, as the workspace backends evaluate them in their databases: a comparison with NULL is
neither TRUE nor FALSE, LIKE is ASCII case-insensitive as in SQLite."""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np

from lzt.core.filters import And, Between, Compare, Expr, In, IsNull, Like, Not, Or, Spatial
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")
shapely = lazy_module("shapely")


def like_regex(pattern: str) -> re.Pattern:
    """The regex of a LIKE pattern (``%``, ``_``, ``\\`` escapes; ASCII case-insensitive as SQLite)."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "%" else "." if c == "_" else re.escape(c))
        i += 1
    return re.compile("".join(out), re.DOTALL | re.IGNORECASE | re.ASCII)


def evaluate(e: Expr, gdf) -> np.ndarray:
    """Boolean mask of the rows of ``gdf`` for which ``e`` is TRUE."""
    t, _ = _ev(e, gdf)
    return t


def _col(gdf, field: str):
    s = gdf[field]
    null = s.isna().to_numpy()
    return s, null


def _cmp_values(s: pd.Series, v):
    """Canonical ISO text values, as the column's own type (datetime64 or date objects)."""
    if isinstance(v, str):
        if pd.api.types.is_datetime64_any_dtype(s):
            return pd.Timestamp(v.rstrip("Z"))
        first = s.dropna().head(1)
        if len(first) and isinstance(first.iloc[0], date) and not isinstance(first.iloc[0], datetime):
            return date.fromisoformat(v[:10])
    return v


def _ev(e: Expr, gdf) -> tuple[np.ndarray, np.ndarray]:
    n = len(gdf)
    if isinstance(e, And):  # TRUE if all are, FALSE if any is, else NULL
        t, f = np.ones(n, bool), np.zeros(n, bool)
        for item in e.items:
            ti, ni = _ev(item, gdf)
            t &= ti
            f |= ~ti & ~ni
        return t, ~t & ~f
    if isinstance(e, Or):
        t, anynull = np.zeros(n, bool), np.zeros(n, bool)
        for item in e.items:
            ti, ni = _ev(item, gdf)
            t |= ti
            anynull |= ni
        return t, ~t & anynull
    if isinstance(e, Not):
        ti, ni = _ev(e.item, gdf)
        return ~ti & ~ni, ni
    if isinstance(e, Spatial):
        geoms = np.asarray(gdf.geometry.values, dtype=object)
        missing = shapely.is_missing(geoms)
        if e.op == "dwithin":
            res = shapely.dwithin(geoms, e.geometry, e.distance)
        else:
            res = getattr(shapely, e.op)(geoms, e.geometry)
        return np.asarray(res, bool) & ~missing, missing
    s, null = _col(gdf, e.field)
    if isinstance(e, IsNull):
        return (~null if e.negate else null), np.zeros(n, bool)
    vals = s.to_numpy(dtype=object)
    if isinstance(e, Like):
        rx = like_regex(e.pattern)
        hit = np.array([(not nu) and rx.fullmatch(str(v)) is not None for v, nu in zip(vals, null)], bool)
        return ((~hit & ~null) if e.negate else hit), null
    if isinstance(e, In):
        cand = {(_cmp_values(s, v)) for v in e.values}
        hit = s.isin(list(cand)).to_numpy() & ~null
        return ((~hit & ~null) if e.negate else hit), null
    if isinstance(e, Between):
        lo, hi = _cmp_values(s, e.low), _cmp_values(s, e.high)
        with np.errstate(invalid="ignore"):
            hit = ((s >= lo) & (s <= hi)).fillna(False).to_numpy(dtype=bool) & ~null
        return ((~hit & ~null) if e.negate else hit), null
    if isinstance(e, Compare):
        v = _cmp_values(s, e.value)
        ops = {"=": s.__eq__, "<>": s.__ne__, "<": s.__lt__, "<=": s.__le__, ">": s.__gt__, ">=": s.__ge__}
        hit = ops[e.op](v).fillna(False).to_numpy(dtype=bool) & ~null
        return hit, null
    raise TypeError(e)
