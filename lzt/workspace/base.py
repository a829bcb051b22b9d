"""The storage interface every workspace backend implements.

A workspace is lzt's local spatial index: vector layers (all in the workspace
CRS, each with a spatial index), raster layers, settings and, later, styles and
audit entries. The default backend is one GeoPackage file (``lzt.workspace.gpkg``); a
PostGIS backend implements the same ``Workspace`` protocol. SQL dialect details
stay inside the backends: callers pass plain values and ``lzt.query.expr``
predicate trees, never SQL text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import numpy as np

    from lzt.core.feedback import Feedback
    from lzt.core.filters import Expr

Bounds = tuple[float, float, float, float]  # minx, miny, maxx, maxy

#: Field types a workspace column can have (the GeoPackage vocabulary).
FIELD_TYPES = ("INTEGER", "REAL", "TEXT", "BOOLEAN", "DATE", "DATETIME", "BLOB")


@dataclass(frozen=True)
class FieldInfo:
    """One attribute column: its name as the user sees it and its type."""

    name: str
    type: str  # one of FIELD_TYPES


@dataclass(frozen=True)
class LayerInfo:
    """What the workspace knows about one layer (vector or raster)."""

    name: str
    kind: str  # a ``layers.kinds.LayerKind`` (stored as its text; compares equal to it)
    geometry_type: str | None  # "Point", "MultiPolygon", ...; None for rasters/tables
    crs: str  # e.g. "EPSG:4547"
    count: int  # features (vector) or pixels (raster: width*height)
    extent: Bounds | None  # in ``crs``; None when the layer is empty
    fields: tuple[FieldInfo, ...] = ()
    source: str | None = None  # file the layer came from
    source_hash: str | None = None  # sha256 of that file (or of its parts)
    imported_at: str | None = None  # ISO-8601 UTC
    details: dict[str, Any] = field(default_factory=dict)  # import report, raster facts...

    def to_json(self) -> dict[str, Any]:
        """The ``lzt layers --json`` record."""
        return {
            "name": self.name,
            "kind": self.kind,
            "geometry_type": self.geometry_type,
            "crs": self.crs,
            "count": self.count,
            "extent": list(self.extent) if self.extent else None,
            "fields": [{"name": f.name, "type": f.type} for f in self.fields],
            "source": self.source,
            "source_hash": self.source_hash,
            "imported_at": self.imported_at,
            **({"details": self.details} if self.details else {}),
        }


@runtime_checkable
class Workspace(Protocol):
    """The one storage interface. Every write is one transaction."""

    uri: str

    # -- settings -----------------------------------------------------------
    @property
    def crs(self) -> str:
        """The workspace CRS as an authority string, e.g. ``"EPSG:4547"``."""

    @property
    def srs_id(self) -> int:
        """The workspace CRS's id in the backend's spatial reference table."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any) -> None: ...

    # -- catalogue ----------------------------------------------------------
    def layers(self) -> list[LayerInfo]: ...

    def layer(self, name: str) -> LayerInfo:
        """The layer's record; ``LztInputError`` naming the workspace if absent."""

    def has_layer(self, name: str) -> bool: ...

    # -- vector writes (each one transaction) -------------------------------
    def write_layer(
        self,
        name: str,
        gdf: gpd.GeoDataFrame,
        *,
        kind: str = "vector",
        source: str | None = None,
        source_hash: str | None = None,
        details: dict[str, Any] | None = None,
        replace: bool = False,
        spatial_order: bool = False,
        feedback: Feedback | None = None,
        fids: Sequence[int] | np.ndarray | None = None,
        field_types: dict[str, str] | None = None,
        imported_at: str | None = None,
        points: np.ndarray | None = None,
    ) -> LayerInfo:
        """Store ``gdf`` (already in the workspace CRS) as layer ``name`` of ``kind`` (a
        ``layers.kinds.LayerKind``). ``points`` (n x 2, NaN for no location) stands for the
        geometry column of a point layer: the same stored rows as 2D points, without a million
        point objects built only to be written.

        Lands whole or not at all. ``replace=False`` refuses an existing name.
        ``spatial_order`` stores the rows along a Z curve of their envelopes (fids follow
        that order) so that a window's rows are stored together; ``fids``, ``field_types``
        and ``imported_at`` keep what a copied workspace had (``lzt push``/``pull``).
        """

    def drop_layer(self, name: str) -> None: ...

    # -- vector reads -------------------------------------------------------
    def fids_in_bbox(self, name: str, bbox: Bounds) -> np.ndarray:
        """Feature ids whose envelope meets ``bbox``, through the spatial index."""

    def fids_in_bboxes(self, name: str, boxes: np.ndarray) -> np.ndarray:
        """Feature ids whose envelope meets any of ``boxes`` (n x 4), through the index."""

    def fields(self, name: str) -> dict[str, str]:
        """Attribute fields of a vector layer: name -> type (FIELD_TYPES)."""

    def transaction(self, *, bulk: bool = False):
        """Context manager grouping writes into one transaction (nestable). ``bulk``: the
        transaction writes many rows (a large import); a backend may store them differently
        meanwhile, never with another outcome."""

    def read_features(
        self,
        name: str,
        *,
        fids: Sequence[int] | np.ndarray | None = None,
        bbox: Bounds | None = None,
        where: Expr | None = None,
        columns: Sequence[str] | None = None,
        geometry: bool = True,
        limit: int | None = None,
    ) -> gpd.GeoDataFrame:
        """Materialise features: only the rows and columns asked for.

        ``bbox`` filters by envelope through the spatial index, ``where`` is an
        attribute predicate tree (``lzt.query.expr``; spatial terms in it are
        *not* handled here). The result's index is the feature id (``fid``).
        """

    def count_values(self, name: str, field: str, *, where: Expr | None = None,
                     prefix: int | None = None) -> dict[Any, int]:
        """How many features have each value of ``field`` (None for missing), counted in the
        database. ``prefix`` counts by the first characters of the value's ISO/text form
        (7 characters of a date-time: the month)."""

    def read_layer(self, name: str, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        """The whole layer as one GeoDataFrame."""

    def iter_batches(
        self, name: str, *, columns: Sequence[str] | None = None, batch_size: int = 100_000
    ) -> Iterator[gpd.GeoDataFrame]:
        """Stream a whole layer in batches (for exports and analyses)."""

    def layer_stamp(self, name: str) -> object:
        """A value that changes whenever layer ``name`` changes (on any client): a key for caches
        of things derived from the layer (the gazetteer, ...). Compare with ``==`` only."""

    def point_coords(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(fid, x, y) arrays of a point layer, fast (for counts and binning)."""

    def geometries(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(fid, geometry) arrays of a whole vector layer in fid order, decoded once per session
        and kept until the layer changes (for overlays of the same polygons)."""

    def text_columns(self, name: str, columns: Sequence[str]) -> tuple[np.ndarray, dict[str, list[str | None]]]:
        """(fid in fid order, {column: each feature's value as text, None when missing}) of a
        whole layer, fast (for indexes of names such as the gazetteer)."""

    def text_codes(self, name: str, columns: Sequence[str]) -> tuple[np.ndarray, dict[str, tuple[np.ndarray, list[str]]]]:
        """``text_columns`` factorised: (fid in fid order, {column: (int64 code per feature, -1 when
        missing; the distinct values, in order of first appearance)}), without a Python string per
        feature where the backend can (the gazetteer's million POI names)."""

    # -- rasters ------------------------------------------------------------
    def write_raster(
        self,
        name: str,
        data: bytes,
        *,
        info: dict[str, Any],
        source: str | None = None,
        source_hash: str | None = None,
        replace: bool = False,
        imported_at: str | None = None,
    ) -> LayerInfo:
        """Store a raster (GeoTIFF bytes with overviews) and its facts."""

    def raster_bytes(self, name: str) -> bytes: ...

    # -- keyed blobs (BIM meshes, ...) -------------------------------------------
    def put_blobs(self, kind: str, blobs: dict[str, bytes]) -> None: ...

    def get_blob(self, kind: str, key: str) -> bytes | None: ...

    def move_blobs(self, src: str, dst: str) -> int:
        """Every blob of kind ``src`` now of kind ``dst`` (replacing those of the same key), in one
        transaction; how many moved."""

    def delete_blobs(self, kind: str) -> int:
        """Remove every blob of ``kind``; how many."""

    # -- edits with versions and an audit trail (supervision) --------------------
    @property
    def actor(self) -> str:
        """Who edits: the database user (PostGIS) or ``$LZT_USER`` / the OS login (GeoPackage)."""

    def update_feature(self, name: str, fid: int, changes: dict[str, Any], *, expected_version: int,
                       action: str = "edit") -> int:
        """Set ``changes`` on one feature if its ``version`` is still ``expected_version``.

        One transaction: the update, the version bump and an audit entry (who, when,
        old -> new). Raises ``ConflictError`` when someone else changed the feature
        first, so nothing is ever overwritten silently. Returns the new version.
        """

    def add_inspection(self, name: str, fid: int, record: dict[str, Any], *, expected_version: int,
                       photos: dict[str, bytes] | None = None, changes: dict[str, Any] | None = None
                       ) -> int:
        """Record an inspection (核查记录) of feature ``fid`` of supervision layer ``name``.

        ``record`` has inspected_on, inspector, result, notes; ``photos`` maps file
        names to their bytes (stored by sha256); ``changes`` optionally updates the
        feature (e.g. its status) in the same transaction. The feature's version is
        checked and bumped as in ``update_feature``. Returns the inspection id.
        """

    def inspections(self, name: str, parcel_id: str | None = None) -> list[dict[str, Any]]:
        """Inspection records of layer ``name`` (of one parcel), oldest first."""

    def audit(self, action: str, detail: dict[str, Any]) -> None:
        """Append an audit entry (who, when, what); entries are never rewritten."""

    def audit_entries(self, action: str | None = None) -> list[dict[str, Any]]:
        """All audit entries (of one action), oldest first: {at, user, action, detail}."""

    # -- copying a whole workspace (``lzt push``/``pull``, ``lzt.workspace.transfer``) --------
    def all_settings(self) -> dict[str, Any]:
        """Every setting, by key."""

    def restore_settings(self, settings: dict[str, Any]) -> None:
        """Write settings as they were elsewhere (the fixed CRS keys are kept)."""

    def blob_items(self) -> Iterator[tuple[str, str, bytes]]:
        """Every stored blob as (kind, key, bytes), one at a time."""

    def record_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """All inspection records (with ids) and audit entries, oldest first."""

    def restore_records(self, inspections: list[dict[str, Any]], audit: list[dict[str, Any]]) -> None:
        """Append inspection records and audit entries as they were, keeping ids, times and users."""

    # -- lifecycle ------------------------------------------------------------
    def close(self) -> None: ...
