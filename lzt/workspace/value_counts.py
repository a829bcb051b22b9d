"""A layer's distinct values with their counts, kept for the layer's stamp.

``lzt ask`` reads the same few distinct-value lists on every question: the days the complaint
records cover, the street and community names, the POI categories. Each is one GROUP BY over
up to a million rows (0.4–1.3 s at district scale), and each changes only when the layer does.
``value_counts`` keeps them in this process and in the workspace (``lzt.workspace.packed``),
keyed by ``ws.layer_stamp``, so the next question, and the next process, reads them at once.
"""

from __future__ import annotations

import numpy as np

from lzt.workspace.base import Workspace
from lzt.workspace.packed import load_packed, pack_texts, stamp_text, store_packed, unpack_texts

#: the kind of blob the lists are kept under
KIND = "value_counts"

#: (workspace uri, layer, field, prefix) -> (stamp, {value: count})
_MEMO: dict[tuple, tuple[str, dict[str | None, int]]] = {}


def value_counts(ws: Workspace, layer: str, field: str, *, prefix: int | None = None) -> dict[str | None, int]:
    """``ws.count_values(layer, field, prefix=prefix)`` over the whole layer, with every value as
    text (None stays None); computed once per layer stamp."""
    stamp = stamp_text(ws.layer_stamp(layer))
    memo_key = (str(ws.uri), layer, field, prefix)
    hit = _MEMO.get(memo_key)
    if hit is not None and hit[0] == stamp:
        return dict(hit[1])
    blob_key = f"{layer}\x1f{field}\x1f{prefix if prefix is not None else ''}"
    arrays = load_packed(ws, KIND, blob_key, stamp)
    if arrays is not None:
        texts = unpack_texts(arrays["texts"], len(arrays["counts"]))
        out = {None if null else t: int(n) for t, n, null in zip(texts, arrays["counts"], arrays["null"])}
    else:
        raw = ws.count_values(layer, field, prefix=prefix)
        out: dict[str | None, int] = {}
        for k, n in raw.items():
            key = None if k is None else str(k)
            out[key] = out.get(key, 0) + int(n)
        keys = list(out)
        store_packed(ws, KIND, blob_key, stamp, {
            "texts": pack_texts(["" if k is None else k for k in keys]),
            "counts": np.fromiter((out[k] for k in keys), dtype=np.int64, count=len(keys)),
            "null": np.fromiter((k is None for k in keys), dtype=bool, count=len(keys))})
    _MEMO[memo_key] = (stamp, out)
    return dict(out)
