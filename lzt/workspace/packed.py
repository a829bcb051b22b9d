"""Packed arrays kept in the workspace for one stamp: the one store of the caches derived from layers.

Decoding polygons, reading a million complaint times or building the gazetteer costs seconds;
what they produce is a handful of numpy arrays. ``store_packed`` keeps such arrays as one keyed
blob (``ws.put_blobs``: a table in the GeoPackage, ``lzt_blobs`` in PostGIS, so every client of
a shared workspace finds it) together with the stamp they were computed for — normally
``ws.layer_stamp`` of the source layers; ``load_packed`` gives them back only while the stamp is
still the same. The blob is a JSON header (stamp, names, dtypes, shapes, offsets) and the raw
bytes of the arrays, read back as numpy views over one copy: no zip, no per-array copy or
checksum (``np.load`` cost a second on the gazetteer); compressed arrays (``compact``) are zstd
frames with zstd's own content checksum, so that damage in one raises instead of reading wrong. A workspace that cannot be written keeps
no cache: callers compute again, same answer. Texts are packed as one UTF-8 buffer
(``pack_texts``), far faster to read back than per-row strings.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import struct
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace

_log = logging.getLogger(__name__)
#: what a workspace raises when it cannot keep or give a cache: SQLite's refusals (read-only
#: file, busy, disk full, no blob table yet) and PostGIS's, which arrive as ``LztInputError``
#: (no right to write, lost connection, missing table). Anything else is a bug and is raised.
NO_CACHE_ERRORS = (sqlite3.OperationalError, LztInputError)

#: the first bytes of a packed blob (then the header length, a JSON header, the arrays' bytes)
_MAGIC = b"LZTPACK1"
#: separates packed texts (a NUL inside a text is stored as U+FFFD)
_SEP = "\x00"


def stamp_text(stamp: object) -> str:
    """A stamp (``ws.layer_stamp`` value, tuple of them, ...) as the text blobs are keyed with."""
    return json.dumps(stamp, default=str, ensure_ascii=False)


def load_packed(ws: Workspace, kind: str, key: str, stamp: str, *, lazy: bool = False
                ) -> Mapping[str, np.ndarray] | None:
    """The arrays stored under ``kind``/``key`` for ``stamp``; None when absent, stale or unreadable.
    ``lazy``: a read-only mapping that reads (decompresses, widens) each array on first use, for
    callers that need few of a blob's arrays (a new process finding places needs 4 of 30)."""
    try:
        blob = ws.get_blob(kind, key)
    except NO_CACHE_ERRORS as exc:  # no blob table (an old or read-only workspace): no cache
        _log.info("no cached %s/%s: %s", kind, key, exc)
        return None
    if blob is None or not blob.startswith(_MAGIC):
        return None
    try:
        (size,) = struct.unpack_from("<Q", blob, len(_MAGIC))
        start = len(_MAGIC) + 8
        head = json.loads(blob[start:start + size].decode("utf-8"))
        if head["stamp"] != stamp:
            return None
        if lazy:
            data = memoryview(blob)[start + size:]
            for _, dt, shape, off, *how in head["arrays"]:  # a short blob is unreadable now, not later
                if off + (int(how[0]["len"]) if how else int(np.prod(shape)) * np.dtype(dt).itemsize) > len(data):
                    return None
            return LazyArrays(data, head["arrays"])
        data = bytearray(memoryview(blob)[start + size:])  # one copy: writable arrays over it
        out = {}
        for entry in head["arrays"]:
            name, dt, shape, off = entry[:4]
            if len(entry) == 4:
                out[name] = np.frombuffer(data, dtype=np.dtype(dt), count=int(np.prod(shape)), offset=off).reshape(shape)
            else:
                out[name] = _expand(data, np.dtype(dt), shape, off, entry[4])
        return out
    except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError, OSError):
        return None  # unreadable: computed again


class LazyArrays(Mapping):
    """The arrays of one packed blob, each read on first use (``load_packed(lazy=True)``); an array
    that cannot be read raises ``ValueError`` then. Arrays are writable copies, as ``load_packed``'s."""

    def __init__(self, data: memoryview, entries: list) -> None:
        self._data = data
        self._entries = {e[0]: e for e in entries}
        self._made: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        got = self._made.get(name)
        if got is None:
            _, dt, shape, off, *how = self._entries[name]
            try:
                if how:
                    got = _expand(self._data, np.dtype(dt), shape, off, how[0])
                else:
                    got = np.frombuffer(self._data, dtype=np.dtype(dt), count=int(np.prod(shape)), offset=off)
                    got = got.reshape(shape).copy()
            except (OSError, ValueError, TypeError, struct.error) as exc:  # damaged bytes (zstd says OSError)
                raise ValueError(f"packed array {name!r} cannot be read: {exc}") from exc
            self._made[name] = got
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def store_packed(ws: Workspace, kind: str, key: str, stamp: str, arrays: dict[str, np.ndarray]) -> bool:
    """Keep ``arrays`` under ``kind``/``key`` for ``stamp``; False when the workspace cannot be written."""
    return store_many(ws, kind, {key: (stamp, arrays)})


def store_many(ws: Workspace, kind: str, items: dict[str, tuple[str, dict[str, np.ndarray]]], *,
               compact: bool = False) -> bool:
    """``store_packed`` of several keys ({key: (stamp, arrays)}) in one write; ``compact``: see ``pack``."""
    if not items:
        return True
    blobs = {key: pack(stamp, arrays, compact=compact) for key, (stamp, arrays) in items.items()}
    try:
        ws.put_blobs(kind, blobs)
    except NO_CACHE_ERRORS as exc:  # a read-only or busy workspace: no cache, same answer
        _log.info("%s not cached: %s", kind, exc)
        return False
    return True


def pack(stamp: str, arrays: dict[str, np.ndarray], *, compact: bool = False) -> bytes:
    """The blob of ``arrays`` for ``stamp`` (what ``load_packed`` reads). ``compact``: integer
    arrays stored at the smallest integer type that holds their values, and large arrays that
    compress well (texts, codes) zstd-compressed; read back as they were given."""
    entries, chunks, off = [], [], 0
    for name, a in arrays.items():
        a = np.asarray(a)
        if a.dtype.hasobject:
            raise TypeError(f"packed array {name!r} holds Python objects")
        if compact:
            raw, stored, how = _compact(a)
            entries.append([name, stored.str, list(a.shape), off, how] if how else [name, a.dtype.str, list(a.shape), off])
            chunks.append(raw)
        else:
            entries.append([name, a.dtype.str, list(a.shape), off])
            chunks.append(np.ascontiguousarray(a).tobytes())
        pad = -len(chunks[-1]) % 8
        chunks.append(b"\0" * pad)
        off += len(chunks[-2]) + pad
    head = json.dumps({"stamp": stamp, "arrays": entries}, ensure_ascii=False).encode("utf-8")
    return b"".join([_MAGIC, struct.pack("<Q", len(head)), head, *chunks])


#: arrays smaller than this are stored as they are (bytes)
_COMPACT_MIN = 65536
#: compressed arrays are kept only when at most this share of their size (x/y doubles are not)
_COMPRESS_KEEP = 0.7


def _narrow(a: np.ndarray) -> np.ndarray:
    """``a`` at the smallest integer type that holds its values (itself when not smaller)."""
    if a.dtype.kind not in "iu" or a.size == 0:
        return a
    lo, hi = int(a.min()), int(a.max())
    for dt in (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32):
        info = np.iinfo(dt)
        if info.min <= lo and hi <= info.max:
            return a.astype(dt) if np.dtype(dt).itemsize < a.dtype.itemsize else a
    return a


def _compact(a: np.ndarray) -> tuple[bytes, np.dtype, dict | None]:
    """(bytes stored, their dtype, how to read them back or None when stored as they are)."""
    if a.nbytes < _COMPACT_MIN:
        return np.ascontiguousarray(a).tobytes(), a.dtype, None
    small = _narrow(a)
    raw = np.ascontiguousarray(small).tobytes()
    how: dict = {"as": a.dtype.str} if small.dtype != a.dtype else {}
    import zstandard

    # with zstd's content checksum (4 bytes a frame): damage inside a frame fails the read instead
    # of giving wrong values; pyarrow's codec, which reads the frames, checks it but cannot write it
    z = zstandard.ZstdCompressor(level=1, write_checksum=True).compress(raw)
    if len(z) <= _COMPRESS_KEEP * len(raw):
        how |= {"zstd": len(raw)}
        raw = z
    how["len"] = len(raw)
    return raw, small.dtype, how


def _expand(data: bytearray | memoryview, stored: np.dtype, shape: list, off: int, how: dict) -> np.ndarray:
    """An array ``pack(compact=True)`` stored (decompressed, widened to its own type)."""
    part = memoryview(data)[off:off + int(how["len"])]
    n = int(np.prod(shape))
    if "zstd" in how:
        import pyarrow as pa

        # the content checksum is verified when the frame has one (frames written before it have not)
        buf = pa.Codec("zstd").decompress(part, decompressed_size=int(how["zstd"]))
        a = np.frombuffer(buf, dtype=stored, count=n)
        a = a.astype(np.dtype(how["as"])) if "as" in how else a.copy()  # writable, like the others
    else:
        a = np.frombuffer(data, dtype=stored, count=n, offset=off)
        a = a.astype(np.dtype(how["as"])) if "as" in how else (a if a.flags.writeable else a.copy())
    return a.reshape(shape)


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
