"""The polygons of a layer for overlays, decoded once: kept for the session and packed in the workspace.

Counting points per parcel needs every parcel as a shapely polygon; decoding 105,692 of them
from GeoPackage blobs costs ~0.4 s, more than the count itself. Like the point cache, the
coordinates are stored packed (shapely's ragged arrays: coordinates and offsets, as a keyed
blob ``ws.put_blobs``) with the layer's stamp and rebuilt when the layer changes; in a session
the polygons are also kept in memory (per workspace object, until the stamp changes). Polygons
come back as MultiPolygons when the layer mixes both types (the same points lie in them); a
workspace that cannot be written keeps the session copy only.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import shapely

from lzt.workspace.base import Workspace
from lzt.workspace.packed import load_packed, stamp_text, store_packed

KIND = "lzt_polygon_cache"
_session: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def layer_polygons(ws: Workspace, layer: str) -> tuple[np.ndarray, np.ndarray]:
    """(fid, polygons) of a polygon layer in fid order, from the session, the packed cache or the
    workspace (then packed for the next session)."""
    stamp = stamp_text(ws.layer_stamp(layer))
    with _lock:
        hit = _session.get(ws, {}).get(layer)
    if hit is not None and hit[0] == stamp:
        return hit[1], hit[2]
    fids, geoms = _read_packed(ws, layer, stamp)
    if fids is None:
        fids, geoms = ws.geometries(layer)
        _store_packed(ws, layer, stamp, fids, geoms)
    with _lock:
        _session.setdefault(ws, {})[layer] = (stamp, fids, geoms)
    return fids, geoms


def _read_packed(ws, layer: str, stamp: str):
    z = load_packed(ws, KIND, layer, stamp)
    if z is None:
        return None, None
    try:
        gtype = shapely.GeometryType(int(z["type"]))
        offsets = _without_ringless_parts(gtype, tuple(z[f"offsets{i}"] for i in range(int(z["levels"]))))
        geoms = shapely.from_ragged_array(gtype, z["coords"], offsets)
        return z["fid"], np.asarray(geoms, dtype=object)
    except (ValueError, KeyError):
        return None, None  # unreadable: decoded from the layer again


def _store_packed(ws, layer: str, stamp: str, fids, geoms) -> None:
    try:
        gtype, coords, offsets = shapely.to_ragged_array(geoms)
    except (ValueError, TypeError, shapely.errors.GEOSException):
        return  # not polygons of one family (or curves): the session copy only
    if gtype not in (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON):
        return
    offsets = _without_ringless_parts(gtype, offsets)
    store_packed(ws, KIND, layer, stamp, {
        "fid": np.asarray(fids, dtype=np.int64), "coords": coords, "type": np.array(int(gtype)),
        "levels": np.array(len(offsets)), **{f"offsets{i}": o for i, o in enumerate(offsets)}})


def _without_ringless_parts(gtype: shapely.GeometryType, offsets: tuple) -> tuple:
    """Multipolygon offsets without parts that have no ring. shapely 2.1 writes such a part for an
    empty polygon in a layer that mixes polygons and multipolygons, and its ``from_ragged_array``
    crashes the interpreter (segfault) on it; the geometry stays, empty."""
    if gtype != shapely.GeometryType.MULTIPOLYGON:
        return offsets
    rings, parts, geoms = (np.asarray(o) for o in offsets)
    keep = np.diff(parts) > 0
    if keep.all():
        return offsets
    renumber = np.concatenate([[0], np.cumsum(keep)]).astype(geoms.dtype)
    return rings, np.concatenate([parts[:-1][keep], parts[-1:]]), renumber[geoms]
