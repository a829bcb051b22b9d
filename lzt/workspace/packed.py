"""Packed arrays kept in the workspace for one stamp: the one store of the caches derived from layers.

Decoding polygons, reading a million complaint times or building the gazetteer costs seconds;
what they produce is a handful of numpy arrays. ``store_packed`` keeps such arrays as one keyed
blob (``ws.put_blobs``: a table in the GeoPackage, ``lzt_blobs`` in PostGIS, so every client of
a shared workspace finds it) together with the stamp they were computed for — normally
``ws.layer_stamp`` of the source layers; ``load_packed`` gives them back only while the stamp is
still the same. A workspace that cannot be written keeps no cache: callers compute again, same
answer. Texts are packed as one UTF-8 buffer (``pack_texts``), a thousand times faster to read
back than per-row strings.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

import numpy as np

from lzt.workspace.base import Workspace

#: separates packed texts (a NUL inside a text is stored as U+FFFD)
_SEP = "\x00"


def stamp_text(stamp: object) -> str:
    """A stamp (``ws.layer_stamp`` value, tuple of them, ...) as the text blobs are keyed with."""
    return json.dumps(stamp, default=str, ensure_ascii=False)


def load_packed(ws: Workspace, kind: str, key: str, stamp: str) -> dict[str, np.ndarray] | None:
    """The arrays stored under ``kind``/``key`` for ``stamp``; None when absent, stale or unreadable."""
    try:
        blob = ws.get_blob(kind, key)
    except Exception:  # noqa: BLE001 - no blob table (an old or read-only workspace): no cache
        return None
    if blob is None:
        return None
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            if str(z["__stamp__"]) != stamp:
                return None
            return {k: z[k] for k in z.files if k != "__stamp__"}
    except (ValueError, KeyError, OSError, EOFError):
        return None  # unreadable: computed again


def store_packed(ws: Workspace, kind: str, key: str, stamp: str, arrays: dict[str, np.ndarray]) -> bool:
    """Keep ``arrays`` under ``kind``/``key`` for ``stamp``; False when the workspace cannot be written."""
    buf = io.BytesIO()
    np.savez(buf, __stamp__=np.array(stamp), **arrays)
    try:
        ws.put_blobs(kind, {key: buf.getvalue()})
    except Exception:  # noqa: BLE001 - a read-only or busy workspace: no cache, same answer
        return False
    return True


def pack_texts(values: Sequence[str]) -> np.ndarray:
    """Texts as one UTF-8 byte array (read back with ``unpack_texts``)."""
    joined = _SEP.join(values)
    if joined.count(_SEP) != max(len(values) - 1, 0):
        joined = _SEP.join(v.replace(_SEP, "\ufffd") for v in values)
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)


def unpack_texts(packed: np.ndarray, n: int) -> list[str]:
    """The ``n`` texts of ``pack_texts``."""
    if n == 0:
        return []
    return packed.tobytes().decode("utf-8").split(_SEP)
