"""GeoPackage geometry blobs: the GPKG header followed by ISO WKB.

Encoding and decoding are vectorised through shapely 2 (``to_wkb`` /
``from_wkb``) and numpy; the only per-row Python work is slicing the bytes,
which sqlite3 needs as separate objects anyway. Points are written without an
envelope (as GDAL does), so a point layer's blobs all have the same length and
decode with one ``numpy.frombuffer``.
"""

from __future__ import annotations

import numpy as np
import shapely

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_POINT_BLOB_LEN = 8 + 21  # header without envelope + little-endian 2D WKB point
_POINT_DTYPE = np.dtype(
    [("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs_id", "<i4"),
     ("byte_order", "u1"), ("wkb_type", "<u4"), ("x", "<f8"), ("y", "<f8")]
)
_ENV_HEADER_DTYPE = np.dtype(
    [("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs_id", "<i4"), ("env", "<f8", (4,))]
)
_BARE_HEADER_DTYPE = np.dtype(
    [("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs_id", "<i4")]
)


def encode(geoms: np.ndarray, srs_id: int) -> list[bytes | None]:
    """GeoPackage blobs for an array of shapely geometries (None stays None)."""
    geoms = np.asarray(geoms, dtype=object)
    out: list[bytes | None] = [None] * len(geoms)
    present = ~shapely.is_missing(geoms)
    if not present.any():
        return out
    idx = np.flatnonzero(present)
    g = geoms[idx]
    empty = shapely.is_empty(g)
    points = (shapely.get_type_id(g) == 0) & ~empty
    wkb = shapely.to_wkb(g, flavor="iso", byte_order=1, output_dimension=3)

    # Points: bare 8-byte header, no envelope.  Others: header + XY envelope.
    bare = np.zeros(len(g), dtype=_BARE_HEADER_DTYPE)
    bare["magic"], bare["srs_id"] = b"GP", srs_id
    bare["flags"] = 0x01 | np.where(empty, 0x10, 0)
    env = np.zeros(len(g), dtype=_ENV_HEADER_DTYPE)
    env["magic"], env["srs_id"] = b"GP", srs_id
    env["flags"] = 0x01 | (1 << 1)
    env["env"] = shapely.bounds(g)[:, [0, 2, 1, 3]]  # minx, maxx, miny, maxy
    use_bare = points | empty
    bare_b, env_b = bare.tobytes(), env.tobytes()
    for j, i in enumerate(idx):
        if use_bare[j]:
            out[i] = bare_b[8 * j: 8 * j + 8] + wkb[j]
        else:
            out[i] = env_b[40 * j: 40 * j + 40] + wkb[j]
    return out


def decode(blobs: list[bytes | None]) -> np.ndarray:
    """Shapely geometries from GeoPackage blobs (None for NULL)."""
    n = len(blobs)
    if n == 0:
        return np.empty(0, dtype=object)
    fast = _decode_points(blobs)
    if fast is not None:
        return fast
    wkb: list[bytes | None] = [None] * n
    for i, b in enumerate(blobs):
        if b is None:
            continue
        if b[:2] != b"GP":
            raise ValueError("not a GeoPackage geometry blob")
        flags = b[3]
        if flags & 0x20:  # extended geometry type: not ours
            raise ValueError("extended GeoPackage geometry types are not supported")
        start = 8 + _ENVELOPE_BYTES.get((flags >> 1) & 0x07, 0)
        wkb[i] = b[start:]
    return shapely.from_wkb(np.array(wkb, dtype=object))


def _decode_points(blobs: list[bytes | None]) -> np.ndarray | None:
    """Fast path: every blob a 2D point without envelope (or None)."""
    present = [b for b in blobs if b is not None]
    if not present or any(len(b) != _POINT_BLOB_LEN for b in present):
        return None
    rec = np.frombuffer(b"".join(present), dtype=_POINT_DTYPE)
    if not ((rec["wkb_type"] == 1).all() and (rec["byte_order"] == 1).all()
            and ((rec["flags"] & 0x0E) == 0).all()):
        return None
    pts = shapely.points(rec["x"], rec["y"])
    empty = (rec["flags"] & 0x10) != 0
    if empty.any():
        pts[empty] = shapely.from_wkt("POINT EMPTY")
    if len(present) == len(blobs):
        return pts
    out = np.full(len(blobs), None, dtype=object)
    out[[i for i, b in enumerate(blobs) if b is not None]] = pts
    return out


def point_xy(blobs: list[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """x, y arrays of non-null 2D point blobs, or None when they are not all points."""
    if not blobs or any(len(b) != _POINT_BLOB_LEN for b in blobs):
        return None
    rec = np.frombuffer(b"".join(blobs), dtype=_POINT_DTYPE)
    if not (rec["wkb_type"] == 1).all():
        return None
    return rec["x"].copy(), rec["y"].copy()
