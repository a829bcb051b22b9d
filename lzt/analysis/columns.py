"""A packed cache of one complaint column per layer: times as int64 ms, text as int codes.

Reading a million rows of a layer through SQL costs seconds; the warning desk needs only
each record's time and category, every time it runs. Like the workspace's point cache,
the packed arrays are stored in the workspace (as a keyed blob, ``ws.put_blobs``) with the
layer's stamp (count, extent, import time — the stamp the renderer's cache trusts) and
rebuilt when the stamp changes. A workspace that cannot be written keeps no cache and
reads the column every time. No personal field is ever cached.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd

KIND = "lzt_column_cache"
PERSONAL = ("citizen_name", "citizen_phone", "citizen_id", "content", "address", "reply", "title")


def _stamp(ws, layer: str) -> str:
    info = ws.layer(layer)
    return f"{info.count}|{info.extent}|{info.imported_at}"


def column_codes(ws, layer: str, field: str, *, time: bool = False) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(fid sorted, values, labels): int64 ms times (int64 min = missing) when ``time``,
    else int32 codes into ``labels`` (sorted; -1 = empty)."""
    if field in PERSONAL:
        raise ValueError(f"{field} is personal data and is never cached")
    stamp = _stamp(ws, layer)
    key = f"{layer}\x00{field}\x00{'t' if time else 'c'}"
    blob = ws.get_blob(KIND, key)
    if blob is not None:
        try:
            with np.load(io.BytesIO(blob), allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                if meta["stamp"] == stamp:
                    return z["fid"], z["values"], list(meta["labels"])
        except (ValueError, KeyError, OSError):
            pass  # an unreadable cache is rebuilt
    df = ws.read_features(layer, columns=[field], geometry=False)
    fid = df.index.to_numpy(dtype=np.int64)
    if time:
        from lzt.analysis.spacetime import to_ms

        values, labels = to_ms(df[field]), []
    else:
        s = df[field].astype(object).where(df[field].notna(), None)
        text = s.map(lambda v: None if v is None or not str(v).strip() else str(v))
        labels = sorted(set(text.dropna()))
        cat = pd.Categorical(text, categories=labels)
        values = cat.codes.astype(np.int32)
    o = np.argsort(fid, kind="stable")
    fid, values = fid[o], values[o]
    buf = io.BytesIO()
    np.savez(buf, fid=fid, values=values, meta=np.array(json.dumps({"stamp": stamp, "labels": labels},
                                                                    ensure_ascii=False)))
    try:
        ws.put_blobs(KIND, {key: buf.getvalue()})
    except Exception:  # noqa: BLE001 - a read-only workspace: no cache, same answer
        pass
    return fid, values, labels
