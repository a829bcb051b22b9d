"""The polygons of a layer for overlays, decoded once: kept for the session and packed in the workspace.

Counting points per parcel needs every parcel as a shapely polygon; decoding 105,692 of them
from GeoPackage blobs costs ~0.4 s, more than the count itself. Like the point cache, the
coordinates are stored packed (``lzt.workspace.polygon_pack``: shapely's ragged arrays as a keyed
blob) with the layer's stamp and rebuilt when the layer changes; in a session
the polygons are also kept in memory (per workspace object, until the stamp changes). Polygons
come back as MultiPolygons when the layer mixes both types (the same points lie in them); a
workspace that cannot be written keeps the session copy only.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

from lzt.workspace.base import Workspace
from lzt.workspace.packed import load_packed, stamp_text
from lzt.workspace.polygon_pack import KIND, ragged_offsets, store_polygons
from lzt.core.lazy import lazy_module

shapely = lazy_module("shapely")

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
        store_polygons(ws, layer, stamp, fids, geoms)
    with _lock:
        _session.setdefault(ws, {})[layer] = (stamp, fids, geoms)
    return fids, geoms


def _read_packed(ws, layer: str, stamp: str):
    z = load_packed(ws, KIND, layer, stamp)
    if z is None:
        return None, None
    try:
        geoms = shapely.from_ragged_array(shapely.GeometryType(int(z["type"])), z["coords"], ragged_offsets(z))
        return z["fid"], np.asarray(geoms, dtype=object)
    except (ValueError, KeyError):
        return None, None  # unreadable: decoded from the layer again
