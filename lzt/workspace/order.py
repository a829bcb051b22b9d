"""Feature ids and sort ranks of a whole layer, read with as little Python work as possible.

The attribute table reads a big layer's ids and sorts it in a worker thread; while that
worker holds the GIL the window cannot paint (every cell is a Python call). A GeoPackage
answers both in SQLite (which sorts with the GIL released) and the rows reach numpy in
chunks; other backends (PostGIS, live service layers) take the general path through
``read_features`` and pandas.
"""

from __future__ import annotations

import numpy as np

from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")


def feature_ids(ws, name: str, *, where=None) -> np.ndarray:
    """Ids of ``name``'s features (those ``where`` keeps, an attribute predicate), sorted."""
    fast = _fast(ws, name, "sql_feature_ids")
    if fast is not None:
        return fast(name, where=where)
    df = ws.read_features(name, where=where, columns=[], geometry=False)
    return np.sort(df.index.to_numpy(dtype=np.int64))


def sort_ranks(ws, name: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(fids sorted, rank of each feature's ``column`` value): equal values share a rank, a
    smaller value has a smaller rank (SQLite's order: numbers by value, text by code point),
    a missing value has rank 0."""
    fast = _fast(ws, name, "sql_sort_ranks")
    if fast is not None:
        return fast(name, column)
    values = ws.read_features(name, columns=[column], geometry=False)[column].sort_index()
    codes, _ = pd.factorize(values, sort=True, use_na_sentinel=True)
    return values.index.to_numpy(dtype=np.int64), codes.astype(np.int64) + 1


def ordered(fids: np.ndarray, ranked_fids: np.ndarray, ranks: np.ndarray, *, ascending: bool) -> np.ndarray:
    """``fids`` ordered by their ranks (missing values last; stable: ties keep ``fids``' order)."""
    if len(ranked_fids):
        pos = np.minimum(np.searchsorted(ranked_fids, fids), len(ranked_fids) - 1)
        r = np.where(ranked_fids[pos] == fids, ranks[pos], 0)  # a feature added since: last
    else:
        r = np.zeros(len(fids), dtype=np.int64)
    key = r if ascending else -r
    key = np.where(r == 0, np.iinfo(np.int64).max, key)
    return fids[np.argsort(key, kind="stable")]


def _fast(ws, name: str, method: str):
    """The backend's SQL reader, unless ``name`` is a live service layer (kept in memory)."""
    fn = getattr(ws, method, None)
    service = getattr(ws, "service", None)
    if fn is None or (service is not None and service(name) is not None):
        return None
    return fn
