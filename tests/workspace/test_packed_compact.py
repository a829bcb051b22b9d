"""Compact packed blobs: integers at their smallest type and compressible arrays zstd-compressed,
read back equal (values, dtype, shape, writable) to what was stored; old blobs still read."""

from __future__ import annotations

import numpy as np

from lzt.workspace.packed import load_packed, pack, pack_texts, store_many, store_packed


def _arrays():
    rng = np.random.default_rng(3)
    return {
        "fid": np.arange(1, 200_001, dtype=np.int64),  # fits uint32: stored narrower
        "neg": rng.integers(-100, 100, 100_000).astype(np.int64),  # int8
        "big": np.array([0, 2**40] * 50_000, dtype=np.int64),  # needs int64
        "x": rng.uniform(500_000, 540_000, 100_000),  # doubles: compress badly, stored as they are
        "codes": rng.integers(0, 5, 300_000).astype(np.int32),
        "text": pack_texts([f"龙岗区第{i % 977}号路" for i in range(50_000)]),
        "grid": rng.integers(0, 3, (300, 400)).astype(np.int16),
        "small": np.array([1, 2, 3], dtype=np.int64),
        "flags": rng.random(100_000) < 0.1,
        "empty": np.empty(0, dtype=np.int64),
    }


def test_compact_blob_reads_back_what_was_stored_and_is_smaller(ws):
    arrays = _arrays()
    plain, compact = pack("s", arrays), pack("s", arrays, compact=True)
    assert len(compact) < 0.5 * len(plain)
    assert store_many(ws, "t", {"k": ("s", arrays)}, compact=True)
    got = load_packed(ws, "t", "k", "s")
    assert set(got) == set(arrays)
    for name, a in arrays.items():
        assert got[name].dtype == a.dtype and got[name].shape == a.shape and np.array_equal(got[name], a), name
        got[name][...] = 0  # writable, as the plain blobs' arrays are
    assert load_packed(ws, "t", "k", "other stamp") is None


def test_plain_blobs_still_read(ws):
    arrays = _arrays()
    assert store_packed(ws, "t", "k", "s", arrays)
    got = load_packed(ws, "t", "k", "s")
    assert all(np.array_equal(got[n], a) and got[n].dtype == a.dtype for n, a in arrays.items())


def test_lazy_load_reads_each_array_when_used(ws):
    """``load_packed(lazy=True)``: the same arrays (values, dtype, shape, writable), read one by one."""
    arrays = _arrays()
    for compact in (False, True):
        assert store_many(ws, "t", {"k": ("s", arrays)}, compact=compact)
        got = load_packed(ws, "t", "k", "s", lazy=True)
        assert set(got) == set(arrays) and len(got) == len(arrays)
        assert not got._made  # nothing read yet
        assert got["text"] is got["text"] and set(got._made) == {"text"}
        for name, a in arrays.items():
            assert got[name].dtype == a.dtype and got[name].shape == a.shape and np.array_equal(got[name], a), name
            got[name][...] = 0
        assert load_packed(ws, "t", "k", "other stamp", lazy=True) is None


def test_a_short_blob_is_not_read_lazily(ws):
    arrays = _arrays()
    blob = pack("s", arrays, compact=True)
    ws.put_blobs("t", {"k": blob[:-5000]})
    assert load_packed(ws, "t", "k", "s", lazy=True) is None and load_packed(ws, "t", "k", "s") is None


def test_a_damaged_lazy_array_raises_value_error(ws):
    from lzt.workspace.packed import pack

    arrays = _arrays()
    import json
    import struct

    import pytest

    blob = bytearray(pack("s", arrays, compact=True))
    from lzt.workspace.packed import _MAGIC

    magic = len(_MAGIC)  # the magic, the header's length, the header, the arrays
    (size,) = struct.unpack_from("<Q", blob, magic)
    head = json.loads(bytes(blob[magic + 8:magic + 8 + size]))
    name, _, _, off, how = next(e for e in head["arrays"] if len(e) == 5 and int(e[4]["len"]) > 1000)
    at = magic + 8 + size + off  # the start of a compressed array: its frame header
    blob[at:at + 8] = bytes(8)
    ws.put_blobs("t", {"k": bytes(blob)})
    got = load_packed(ws, "t", "k", "s", lazy=True)
    assert got is not None  # the lengths still agree: damage shows when the array is read
    with pytest.raises(ValueError, match=name):
        got[name]
    assert np.array_equal(got["small"], arrays["small"])  # the others still read


def _frames(blob: bytes) -> list[tuple[str, int, int]]:
    """(name, start in the blob, length) of each zstd-compressed array of a compact blob."""
    import json
    import struct

    from lzt.workspace.packed import _MAGIC

    (size,) = struct.unpack_from("<Q", blob, len(_MAGIC))
    head = json.loads(bytes(blob[len(_MAGIC) + 8:len(_MAGIC) + 8 + size]))
    base = len(_MAGIC) + 8 + size
    return [(e[0], base + e[3], int(e[4]["len"])) for e in head["arrays"] if len(e) == 5 and "zstd" in e[4]]


def test_any_byte_flipped_inside_a_compressed_array_raises_value_error(ws):
    """Frames carry zstd's content checksum: damage anywhere in one (its blocks, its checksum)
    raises ValueError when the array is read; without the checksum most flips in the blocks
    decompressed to wrong values silently. The eager load says unreadable (None: computed again)."""
    import pytest

    arrays = _arrays()
    blob = pack("s", arrays, compact=True)
    frames = _frames(blob)
    assert {n for n, _, _ in frames} >= {"codes", "text", "grid", "big"}
    for name, start, length in frames:
        for at in np.linspace(start + 6, start + length - 1, 9).astype(int):
            bad = bytearray(blob)
            bad[at] ^= 0x10
            ws.put_blobs("t", {"k": bytes(bad)})
            got = load_packed(ws, "t", "k", "s", lazy=True)
            with pytest.raises(ValueError, match=name):
                got[name]
            assert np.array_equal(got["small"], arrays["small"])
            assert load_packed(ws, "t", "k", "s") is None


def test_frames_without_a_checksum_still_read(ws):
    """Blobs written before the checksum (pyarrow's frames: no checksum flag) read as they were."""
    import json
    import struct

    import pyarrow as pa

    from lzt.workspace.packed import _MAGIC

    arrays = _arrays()
    blob = bytearray(pack("s", arrays, compact=True))
    frames = _frames(bytes(blob))
    (size,) = struct.unpack_from("<Q", blob, len(_MAGIC))
    head = json.loads(bytes(blob[len(_MAGIC) + 8:len(_MAGIC) + 8 + size]))
    entries = {e[0]: e for e in head["arrays"]}
    chunks, off = [], 0
    for e in head["arrays"]:  # the blob again, each frame as pyarrow writes it
        start = len(_MAGIC) + 8 + size + e[3]
        n = int(e[4]["len"]) if len(e) == 5 else int(np.prod(e[2])) * np.dtype(e[1]).itemsize
        raw = bytes(blob[start:start + n])
        if any(name == e[0] for name, _, _ in frames):
            plain = pa.Codec("zstd").decompress(raw, decompressed_size=int(e[4]["zstd"]), asbytes=True)
            raw = pa.Codec("zstd", compression_level=1).compress(plain, asbytes=True)
            assert not raw[4] & 0x04  # no checksum flag in the frame header descriptor
            entries[e[0]][4]["len"] = len(raw)
        entries[e[0]][3] = off
        chunks += [raw, b"\0" * (-len(raw) % 8)]
        off += len(raw) + len(chunks[-1])
    new_head = json.dumps(head, ensure_ascii=False).encode("utf-8")
    ws.put_blobs("t", {"k": b"".join([_MAGIC, struct.pack("<Q", len(new_head)), new_head, *chunks])})
    for got in (load_packed(ws, "t", "k", "s"), load_packed(ws, "t", "k", "s", lazy=True)):
        for name, a in arrays.items():
            assert got[name].dtype == a.dtype and np.array_equal(got[name], a), name
    assert all(blob[s + 4] & 0x04 for _, s, _ in frames)  # new frames have it
