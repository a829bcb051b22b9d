"""A packed cache of one complaint column per layer: times as int64 ms, text as int codes.

Reading a million rows of a layer through SQL costs seconds; the warning desk needs only
each record's time and category, every time it runs. Like the workspace's point cache,
the packed arrays are stored in the workspace (``lzt.workspace.packed``: a keyed blob) with the
layer's stamp (count, extent, import time — the stamp the renderer's cache trusts) and
rebuilt when the stamp changes. A workspace that cannot be written keeps no cache and
reads the column every time. No personal field is ever cached.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from lzt.workspace.base import Workspace
from lzt.workspace.packed import load_packed, store_packed

KIND = "lzt_column_cache"
PERSONAL = ("citizen_name", "citizen_phone", "citizen_id", "content", "address", "reply", "title")


def _stamp(ws, layer: str) -> str:
    info = ws.layer(layer)
    return f"{info.count}|{info.extent}|{info.imported_at}"


def column_codes(ws: Workspace, layer: str, field: str, *, time: bool = False) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(fid sorted, values, labels): int64 ms times (int64 min = missing) when ``time``,
    else int32 codes into ``labels`` (sorted; -1 = empty)."""
    return cached_columns(ws, layer, [(field, time)])[field]


def cached_columns(ws: Workspace, layer: str, specs: list[tuple[str, bool]]) -> dict:
    """``column_codes`` of several fields (field, is_time); the ones not cached are read in one pass."""
    if any(f in PERSONAL for f, _ in specs):
        raise ValueError("personal data is never cached")
    stamp = _stamp(ws, layer)
    out, missing = {}, []
    for field, time in specs:
        z = load_packed(ws, KIND, _key(layer, field, time), stamp)
        if z is not None:
            try:
                out[field] = (z["fid"], z["values"], list(json.loads(str(z["meta"]))["labels"]))
                continue
            except (ValueError, KeyError):
                pass  # an unreadable cache is rebuilt
        missing.append((field, time))
    if not missing:
        return out
    df = ws.read_features(layer, columns=[f for f, _ in missing], geometry=False)
    fid = df.index.to_numpy(dtype=np.int64)
    o = np.argsort(fid, kind="stable")
    for field, time in missing:
        if time:
            from lzt.analysis.spacetime import to_ms

            values, labels = to_ms(df[field]), []
        else:
            s = df[field].astype(object).where(df[field].notna(), None)
            text = s.map(lambda v: None if v is None or not str(v).strip() else str(v))
            labels = sorted(set(text.dropna()))
            values = pd.Categorical(text, categories=labels).codes.astype(np.int32)
        out[field] = (fid[o], np.asarray(values)[o], labels)
        store_packed(ws, KIND, _key(layer, field, time), stamp, {
            "fid": fid[o], "values": np.asarray(values)[o],
            "meta": np.array(json.dumps({"labels": labels}, ensure_ascii=False))})
    return out


def _key(layer: str, field: str, time: bool) -> str:
    return f"{layer}\x00{field}\x00{'t' if time else 'c'}"
