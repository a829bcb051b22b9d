"""Stored digests leave out what differs between two builds whatever the code: the stamp of a
packed blob (a layer's last_change time), not its arrays."""

from __future__ import annotations

import numpy as np

from lzt.demo.digest import _blob_digest
from lzt.workspace.packed import pack


def test_packed_blob_digest_ignores_the_stamp_not_the_arrays():
    arrays = {"fid": np.arange(5, dtype=np.int64), "coords": np.linspace(0, 1, 10).reshape(5, 2)}
    a = pack('["2026-12-06T22:56:03.974Z|5", 5]', arrays)
    b = pack('["2026-12-06T23:39:29.889Z|5", 5]', arrays)
    assert a != b
    assert _blob_digest(a) == _blob_digest(b)
    changed = dict(arrays, coords=arrays["coords"] + 1e-9)
    assert _blob_digest(pack('["2026-12-06T22:56:03.974Z|5", 5]', changed)) != _blob_digest(a)
    assert _blob_digest(b"glTF raw") != _blob_digest(b"glTF raw!")
