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

from lzt.analysis.ragged import RaggedPolygons
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
    fids, polys = layer_polygon_set(ws, layer)
    return fids, (polys.geometries() if isinstance(polys, RaggedPolygons) else polys)


def layer_polygon_set(ws: Workspace, layer: str) -> tuple[np.ndarray, RaggedPolygons | np.ndarray]:
    """(fid, polygons) as ``layer_polygons``, the polygons as ``RaggedPolygons`` when they came from
    the packed cache (shapely objects built only when asked for; the overlay kernel tests convex
    quadrilaterals without them), else a shapely array. For counts."""
    stamp = stamp_text(ws.layer_stamp(layer))
    with _lock:
        hit = _session.get(ws, {}).get(layer)
    if hit is not None and hit[0] == stamp:
        return hit[1], hit[2]
    fids, geoms = _read_packed(ws, layer, stamp)
    if fids is None:
        fids, geoms = ws.geometries(layer)
        ragged = RaggedPolygons.from_geometries(geoms)  # keeps the shapely objects beside
        if ragged is None:
            store_polygons(ws, layer, stamp, fids, geoms)
        else:
            store_polygons(ws, layer, stamp, fids, geoms, ragged.ragged_array, (ragged.convex_flags(), ragged.bounds()))
            geoms = ragged
    with _lock:
        _session.setdefault(ws, {})[layer] = (stamp, fids, geoms)
    return fids, geoms


def _read_packed(ws, layer: str, stamp: str):
    z = load_packed(ws, KIND, layer, stamp)
    if z is None:
        return None, None
    try:
        polys = RaggedPolygons(shapely.GeometryType(int(z["type"])), z["coords"], ragged_offsets(z))
        sizes = (len(polys.coords), *(len(o) - 1 for o in polys.offsets[:-1]))
        if any(len(o) == 0 or o[0] != 0 or o[-1] != n or (np.diff(o) < 0).any()
               for o, n in zip(polys.offsets, sizes)) or polys.coords.shape[1:] != (2,):
            return None, None  # offsets that do not fit the arrays: decoded from the layer again
        if "convex" in z and "bounds" in z:  # stored since 2026-12 beside the rings
            polys.use_convex_flags(z["convex"], z["bounds"])
        return z["fid"], polys
    except (ValueError, KeyError):
        return None, None  # unreadable: decoded from the layer again
