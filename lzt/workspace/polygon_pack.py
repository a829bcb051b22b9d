"""A polygon layer's polygons packed in the workspace: shapely ragged arrays (coordinates and
offsets) as one keyed blob (``lzt.workspace.packed``) with the layer's stamp.

Decoding 105,692 parcels from GeoPackage blobs costs ~0.4 s; their packed arrays read back in a
fraction of it. Overlays (``lzt.analysis.polygon_cache``) rebuild shapely polygons from them; the
map (``lzt.render.cache``) draws straight from them. A big polygon layer gets them when it is
written (``store_on_write``: imports, the demo, copies); others when a count first decodes them.
Polygons come back as MultiPolygons when the layer mixes both types (the same points lie in them).
"""

from __future__ import annotations

import numpy as np

from lzt.core.convex_rings import convex_flags
from lzt.core.lazy import lazy_module
from lzt.workspace.base import Workspace
from lzt.workspace.packed import load_packed, stamp_text, store_packed

shapely = lazy_module("shapely")

KIND = "lzt_polygon_cache"
#: a polygon layer of more features than this gets its packed polygons when it is written
#: (the map loads such a layer whole on its first view of the district; see lzt.render.cache)
STORE_ON_WRITE = 20_000


def store_polygons(ws: Workspace, layer: str, stamp: str, fids, geoms, ragged=None, convex=None) -> None:
    """Keep ``layer``'s polygons (``fids`` ascending) for ``stamp`` (``stamp_text``); nothing when
    they are not polygons of one family (or curves), or the workspace cannot be written.
    ``ragged``: their ``to_ragged_array`` form when the caller has it already. Beside them, which
    are strictly convex rings and their bounds (``lzt.core.convex_rings``: what a count in a new
    process would otherwise work out again); ``convex``: those (flags, bounds) when known."""
    if ragged is None:
        try:
            ragged = shapely.to_ragged_array(geoms, include_z=False)  # x, y pairs (read as such)
        except (ValueError, TypeError, shapely.errors.GEOSException):
            return
    gtype, coords, offsets = ragged
    if gtype not in (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON):
        return
    offsets = without_ringless_parts(gtype, offsets)
    flags, bounds = convex if convex is not None else \
        convex_flags(gtype == shapely.GeometryType.MULTIPOLYGON, np.asarray(coords, dtype=np.float64), offsets)
    store_packed(ws, KIND, layer, stamp, {
        "fid": np.asarray(fids, dtype=np.int64), "coords": coords, "type": np.array(int(gtype)),
        "levels": np.array(len(offsets)), **{f"offsets{i}": o for i, o in enumerate(offsets)},
        "convex": flags, "bounds": bounds})


def store_on_write(ws: Workspace, layer: str, stamp: object, fids: np.ndarray, geoms: np.ndarray) -> None:
    """Keep the polygons of a layer being written (inside its write; ``stamp`` is the
    ``layer_stamp`` it will have), when it has more than ``STORE_ON_WRITE`` features."""
    if len(fids) <= STORE_ON_WRITE:
        return
    order = np.argsort(fids, kind="stable")
    store_polygons(ws, layer, stamp_text(stamp), np.asarray(fids)[order], np.asarray(geoms, dtype=object)[order])


def packed_arrays(ws: Workspace, layer: str) -> dict[str, np.ndarray] | None:
    """The layer's packed polygons as stored (``fid``, ``coords``, ``type``, ``levels``,
    ``offsets0``...), None when the workspace holds none for the layer's current stamp. Reads only."""
    z = load_packed(ws, KIND, layer, stamp_text(ws.layer_stamp(layer)))
    if z is None or not {"fid", "coords", "type", "levels"} <= set(z):
        return None
    return z


def ragged_offsets(z: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """The offsets of ``packed_arrays``' answer, innermost first (as ``to_ragged_array``), without
    parts that have no ring (a cache stored before they were dropped still holds them)."""
    offsets = tuple(z[f"offsets{i}"] for i in range(int(z["levels"])))
    return without_ringless_parts(shapely.GeometryType(int(z["type"])), offsets)


def without_ringless_parts(gtype, offsets: tuple) -> tuple:
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
