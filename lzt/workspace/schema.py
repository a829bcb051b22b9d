"""The rules every workspace backend keeps alike: layer names, the attribute columns a
layer is written with, feature ids, geometry type names, row order, edit and inspection
checks, and how a value is stored in a column of a given type.

Backends (``lzt.workspace.gpkg``, ``lzt.workspace.postgis``) import these; nothing
here knows SQLite or PostgreSQL.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
from collections.abc import Sequence
from datetime import date, datetime, timezone
from typing import Any

import numpy as np

from lzt.core.errors import LztInputError
from lzt.core.lazy import lazy_module

gpd = lazy_module("geopandas")
pd = lazy_module("pandas")
shapely = lazy_module("shapely")

GEOM = "geom"  # the geometry column of every vector layer
RESERVED_PREFIXES = ("gpkg_", "rtree_", "sqlite_", "lzt_")
NAME_RE = re.compile(r"^[^\W\d]\w{0,62}$")
INSPECTION_FIELDS = ("inspected_on", "inspector", "result", "notes")


def now() -> str:
    """The current UTC time as the catalogue stores it (ISO 8601, milliseconds, ``Z``)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def validate_layer_name(name: str, source: str) -> str:
    """A layer name usable as a table name; ``LztInputError`` otherwise."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise LztInputError(source, f"invalid layer name {name!r}: use letters (Chinese allowed), "
                                    "digits and _, starting with a letter, at most 63 characters")
    if name.lower().startswith(RESERVED_PREFIXES):
        raise LztInputError(source, f"invalid layer name {name!r}: names starting with "
                                    f"{', '.join(RESERVED_PREFIXES)} are reserved")
    return name



def attribute_frame(gdf: gpd.GeoDataFrame, source: str) -> pd.DataFrame:
    """The attribute columns of ``gdf`` as stored: names as text, ``fid``/``geom`` renamed
    ``*_1``; ``LztInputError`` if two names differ only by case."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError("write_layer needs a GeoDataFrame")
    attrs = pd.DataFrame(gdf.drop(columns=[gdf.geometry.name]))
    attrs.columns = stored_names(attrs.columns, source)
    return attrs


def stored_names(columns, source: str) -> list[str]:
    """Attribute column names as stored: as text, ``fid``/``geom`` renamed ``*_1``;
    ``LztInputError`` if two names differ only by case."""
    names = [str(c) for c in columns]
    for bad in ("fid", GEOM):
        names = [f"{c}_1" if c.lower() == bad else c for c in names]
    lowered = [c.lower() for c in names]
    if len(set(lowered)) != len(lowered):
        raise LztInputError(source, "field names differ only by case; rename them")
    return names


def feature_ids(fids: Sequence[int] | np.ndarray | None, n: int, source: str) -> np.ndarray:
    """``fids`` checked (unique positive integers, one per row), or 1..n when None."""
    if fids is None:
        return np.arange(1, n + 1, dtype=np.int64)
    arr = np.asarray(fids, dtype=np.int64)
    if len(arr) != n or (n and (len(np.unique(arr)) != n or arr.min() < 1)):
        raise LztInputError(source, "feature ids must be unique positive integers, one per row")
    return arr


def point_array(points: np.ndarray | None, n: int, source: str) -> np.ndarray | None:
    """``write_layer(points=)`` checked: an n x 2 float array, one row per feature (or None)."""
    if points is None:
        return None
    arr = np.asarray(points, dtype=float)
    if arr.ndim != 2 or arr.shape != (n, 2):
        raise LztInputError(source, f"points must be {n} x 2 coordinates, one row per feature "
                                    f"(got shape {arr.shape})")
    return arr


def extent_of(bounds: np.ndarray, ok: np.ndarray) -> tuple[float, float, float, float] | None:
    """The union of the rows of ``bounds`` (n x 4) selected by ``ok``; None when none is."""
    if not ok.any():
        return None
    b = bounds[ok]
    return (float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max()))


def layer_geometry_type(geoms: np.ndarray) -> str:
    """The layer's geometry type (``POINT``, ``MULTIPOLYGON``, ... or ``GEOMETRY``) of ``geoms``."""
    return geometry_type_name(shapely.get_type_id(geoms), shapely.is_empty(geoms))


def geometry_type_name(type_id: np.ndarray, empty: np.ndarray) -> str:
    """The layer's geometry type from its geometries' type ids (-1: missing) and emptiness."""
    tid = type_id[(type_id >= 0) & ~empty]
    kinds = np.flatnonzero(np.bincount(tid, minlength=8)).tolist() if len(tid) else []
    names = {0: "POINT", 1: "LINESTRING", 3: "POLYGON", 4: "MULTIPOINT",
             5: "MULTILINESTRING", 6: "MULTIPOLYGON", 7: "GEOMETRYCOLLECTION"}
    if len(kinds) == 1:
        return names.get(kinds[0], "GEOMETRY")
    if kinds in ([0, 4], [1, 5], [3, 6]):
        return names[kinds[1]]
    return "GEOMETRY"


# The catalogue's spelling of each geometry type.
TITLE_TYPES = {"POINT": "Point", "LINESTRING": "LineString", "POLYGON": "Polygon",
                "MULTIPOINT": "MultiPoint", "MULTILINESTRING": "MultiLineString",
                "MULTIPOLYGON": "MultiPolygon", "GEOMETRYCOLLECTION": "GeometryCollection",
                "GEOMETRY": "Geometry"}


def z_order(bounds: np.ndarray) -> np.ndarray:
    """Row order along a Z (Morton) curve of the envelope centres; missing geometries last."""
    cx = (bounds[:, 0] + bounds[:, 2]) / 2
    cy = (bounds[:, 1] + bounds[:, 3]) / 2
    ok = np.isfinite(cx) & np.isfinite(cy)
    if not ok.any():
        return np.arange(len(bounds))
    def scaled(v):
        lo, hi = v[ok].min(), v[ok].max()
        q = np.zeros(len(v), dtype=np.uint64)
        q[ok] = ((v[ok] - lo) / max(hi - lo, 1e-9) * 65535).astype(np.uint64)
        return q
    def spread(v):  # 16 bits -> every other of 32 bits
        v = (v | (v << np.uint64(8))) & np.uint64(0x00FF00FF)
        v = (v | (v << np.uint64(4))) & np.uint64(0x0F0F0F0F)
        v = (v | (v << np.uint64(2))) & np.uint64(0x33333333)
        return (v | (v << np.uint64(1))) & np.uint64(0x55555555)
    code = spread(scaled(cx)) | (spread(scaled(cy)) << np.uint64(1))
    code[~ok] = np.uint64(2**63)
    return np.argsort(code, kind="stable")


def editable_columns(uri: str, name: str, fields: dict[str, str], changes: dict[str, Any]) -> list[str]:
    """The columns an optimistic edit of layer ``name`` sets; ``LztInputError`` if the layer has
    no ``version`` field or ``changes`` names an unknown field or ``version`` itself."""
    if "version" not in fields:
        raise LztInputError(uri, f"layer {name!r} has no version field; it cannot be edited "
                                 "with optimistic locking (import it with --kind supervision)")
    unknown = sorted(set(changes) - set(fields))
    if unknown or "version" in changes:
        bad = ", ".join(unknown) or "version"
        raise LztInputError(uri, f"layer {name!r}: cannot set field(s) {bad}")
    return list(changes)


def conflict_message(uri: str, name: str, fid: int, current: int, expected: int) -> str:
    """What an edit made on an outdated version of a feature is told."""
    return (f"{uri}: feature {fid} of {name!r} was changed by someone else "
            f"(version {current}, edit made on version {expected}); reload it and try again")


def inspection_photo_refs(uri: str, record: dict[str, Any], photos: dict[str, bytes]) -> list[dict]:
    """Check an inspection record's fields (both backends); the photos' {name, sha256, bytes}."""
    missing = [k for k in ("inspected_on", "inspector", "result") if not record.get(k)]
    if missing:
        raise LztInputError(uri, f"inspection record lacks {', '.join(missing)}")
    extra = sorted(set(record) - set(INSPECTION_FIELDS))
    if extra:
        raise LztInputError(uri, f"inspection record has unknown field(s) {', '.join(extra)}")
    return [{"name": n, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)} for n, b in photos.items()]


def default_actor() -> str:
    """The editing user of a file workspace: ``$LZT_USER`` if set, else the OS login."""
    return os.environ.get("LZT_USER") or getpass.getuser()


def sql_value(value: Any, ftype: str) -> Any:
    """One Python value as the workspace stores it in a column of ``ftype``."""
    if value is None:
        return None
    if ftype == "DATE":
        return value.isoformat()[:10] if isinstance(value, (date, datetime)) else str(value)[:10]
    if ftype == "DATETIME":
        return value.isoformat(timespec="milliseconds") if isinstance(value, datetime) else str(value)
    if ftype == "BOOLEAN":
        return int(bool(value))
    if ftype == "INTEGER":
        return int(value)
    if ftype == "REAL":
        return float(value)
    return value if isinstance(value, (str, bytes)) else str(value)
