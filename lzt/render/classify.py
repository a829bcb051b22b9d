"""Features -> class index per renderer (vectorised), and the symbol of each class."""

from __future__ import annotations

import sys

import numpy as np

from lzt.render.colors import ramp_color
from lzt.render.style import (CategorizedRenderer, GraduatedRenderer, HeatmapRenderer, RampRenderer,
                              SingleRenderer, Symbol)
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

RAMP_BINS = 32


def renderer_field(renderer) -> str | None:
    return getattr(renderer, "field", None)


def _pandas_ready() -> bool:
    """pandas is imported, and not being imported now (by another thread)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and not getattr(getattr(pandas, "__spec__", None), "_initializing", True)


def _plain(values) -> np.ndarray | None:
    """``values`` when it is a numpy array that can be handled without pandas (object, strings,
    numbers); None for anything else (dates, pandas' nullable arrays) or once pandas is imported
    anyway (its kernels are faster on big layers: parcels' classes 7 ms CPU against 23). Not
    while it is being imported (by the warm-up): that would wait for it."""
    if _pandas_ready():
        return None
    ok = isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "OUSbiuf"
    return values if ok else None


def value_keys(values) -> tuple[list[str], np.ndarray]:
    """Each value's text key, factorised: (distinct keys, then "" for missing values; a code per
    value, -1 for None and NaN). 1, 1.0 and True are three keys ("1", "1.0", "True"), as
    ``str(value)`` of each. Without pandas while it is not imported: the map's first picture
    classifies without waiting for the warm-up's imports (issue 18.5)."""
    a = _plain(values)
    if a is None:
        ser = pd.Series(values, dtype=object)
        # each distinct value looked up once (parcels: 105,692 values, a few dozen distinct)
        codes, uniq = pd.factorize(ser, use_na_sentinel=True)
        if len({type(v) for v in uniq}) > 1:  # 1, 1.0 and True are one value to factorize
            codes, uniq = pd.factorize(ser.map(lambda v: v if pd.isna(v) else str(v)), use_na_sentinel=True)
        return [str(v) for v in uniq] + [""], np.asarray(codes, np.int64)
    index: dict[str, int] = {}
    codes = np.empty(len(a), np.int64)
    for i, v in enumerate(a.tolist()):
        if v is None or (isinstance(v, float) and v != v):
            codes[i] = -1
        else:
            k = str(v)
            c = index.get(k)
            if c is None:
                c = index[k] = len(index)
            codes[i] = c
    return list(index) + [""], codes


def to_float(values) -> np.ndarray:
    """``values`` as float64, NaN where not a number (``pandas.to_numeric(errors="coerce")``;
    without pandas while it is not imported)."""
    a = _plain(values)
    if a is None:
        return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(float)
    if a.dtype.kind in "biuf":
        return a.astype(np.float64)
    out = np.empty(len(a), np.float64)
    for i, v in enumerate(a.tolist()):
        if isinstance(v, (str, bytes)) and (not v.isascii() or ("_" if isinstance(v, str) else b"_") in v):
            # float() reads full-width and other Unicode digits, an ideographic space and "1_000";
            # pandas' parser reads none of them: the first picture classified such text features
            # that every later picture (with pandas) left out
            out[i] = np.nan
            continue
        try:
            out[i] = float(v) if v is not None else np.nan
        except (TypeError, ValueError):
            out[i] = np.nan
    return out


def classify(renderer, attrs: dict[str, np.ndarray], n: int) -> tuple[np.ndarray, list[Symbol], list[str]]:
    """(class index per feature, -1 = not drawn; symbol per class; legend label per class)."""
    if isinstance(renderer, SingleRenderer) or isinstance(renderer, HeatmapRenderer):
        sym = renderer.symbol if isinstance(renderer, SingleRenderer) else Symbol()
        return np.zeros(n, np.int64), [sym], [""]
    field = renderer_field(renderer)
    values = attrs.get(field) if field else None
    if isinstance(renderer, CategorizedRenderer):
        cats = renderer.categories
        syms = [c.symbol for c in cats]
        labels = [c.label for c in cats]
        if values is None:
            idx = np.full(n, -1, np.int64)
        else:
            lookup = {}
            for i, c in enumerate(cats):
                lookup.setdefault(str(c.value), i)
            keys, codes = value_keys(values)  # code -1 (None, NaN) is the last key: ""
            per = np.array([lookup.get(k, -1) for k in keys], np.int64)
            if renderer.prefix_match:
                for j, k in enumerate(keys):
                    for cut in (3, 2, 1):
                        if per[j] >= 0:
                            break
                        per[j] = lookup.get(k[:cut], -1)
            idx = per[codes]
        if renderer.other is not None:
            idx = np.where(idx < 0, len(cats), idx)
            syms.append(renderer.other)
            labels.append(renderer.other_label)
        return idx, syms, labels
    if isinstance(renderer, GraduatedRenderer):
        cl = renderer.classes
        syms = [c.symbol for c in cl]
        labels = [c.label for c in cl]
        if values is None or not cl:
            return np.full(n, -1, np.int64), syms, labels
        v = to_float(values)
        lowers = np.array([c.lower for c in cl])
        idx = np.searchsorted(lowers, v, side="right") - 1
        idx[(v > cl[-1].upper) | np.isnan(v) | (idx < 0)] = -1
        return idx.astype(np.int64), syms, labels
    if isinstance(renderer, RampRenderer):
        lo = min(float(a) for a, _ in renderer.stops)
        hi = max(float(a) for a, _ in renderer.stops)
        centres = lo + (np.arange(RAMP_BINS) + 0.5) * (hi - lo) / RAMP_BINS
        syms = [Symbol(fill=ramp_color(renderer.stops, c), stroke=renderer.stroke,
                       stroke_width=renderer.stroke_width) for c in centres]
        labels = [f"{c:.0f}" for c in centres]
        if values is None:
            return np.full(n, -1, np.int64), syms, labels
        v = to_float(values)
        v2 = np.nan_to_num(v, nan=lo, posinf=hi, neginf=lo)
        idx = np.clip(((v2 - lo) / max(hi - lo, 1e-12) * RAMP_BINS).astype(np.int64), 0, RAMP_BINS - 1)
        idx = np.where(np.isnan(v), -1, idx)
        return idx.astype(np.int64), syms, labels
    raise TypeError(f"renderer {type(renderer).__name__} does not classify features")
