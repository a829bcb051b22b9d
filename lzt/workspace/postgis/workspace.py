"""A shared workspace in one schema of a PostgreSQL/PostGIS database (psycopg 3).

The same rules as the GeoPackage workspace, with a server underneath: every
vector layer is a table (``fid`` identity primary key, a PostGIS ``geom`` column
in the workspace CRS with a GiST index, typed attribute columns), the catalogue,
settings, rasters (GeoTIFF bytes), blobs, inspections and the audit trail live
in ``lzt_*`` tables beside them. Every write is one transaction; bulk imports
stream through COPY. Loaded only for ``postgresql://`` URLs (see ``open.py``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import geopandas as gpd
import numpy as np
import pyarrow as pa
import shapely

from layers.kinds import LayerKind
from lzt import __version__
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.workspace import personal
from lzt.workspace.base import Bounds, FieldInfo, LayerInfo
from lzt.workspace.field_types import column_values, field_type
from lzt.workspace.postgis import copy_rows as pg_copy
from lzt.workspace.postgis.copy_rows import decode_wkb
from lzt.workspace.postgis import roles as pg_roles
from lzt.workspace.postgis.connect import connect, ensure_postgis, errors_as_input, set_search_path
from lzt.workspace.postgis.ddl import (
    FROM_PG,
    SCHEMA_DDL,
    check_pg_name,
    col_out,
    column_sql_type,
    geom_out,
    geometry_column_type,
)
from lzt.workspace.postgis.reads import FINGERPRINT, TABLE_JOIN, PgReadsMixin
from lzt.workspace.postgis.records import PgRecordsMixin
from lzt.workspace.postgis.sql import q, qualified, to_sql
from lzt.workspace.postgis.url import PgUrl, parse_url
from lzt.workspace.rows import VectorRowsMixin
from lzt.workspace.schema import (
    GEOM,
    TITLE_TYPES,
    attribute_frame,
    extent_of,
    feature_ids,
    point_array,
    layer_geometry_type,
    now,
    validate_layer_name,
    z_order,
)

SCHEMA_VERSION = 1


class PostGISWorkspace(PgReadsMixin, VectorRowsMixin, PgRecordsMixin):
    """A workspace in one schema of a PostGIS database. Use ``create``, ``creating`` or ``open``."""

    def __init__(self, conn, url: PgUrl):
        self._conn = conn
        self._url = url
        self.uri = url.safe
        self.schema = url.schema
        self._lock = threading.RLock()
        self._points: dict[str, tuple] = {}  # layer -> (stamp, fid, x, y)
        self._pg_types: dict[str, dict[str, str]] = {}  # layer -> column -> PostgreSQL type name
        self._fingerprints: dict[str, str] = {}  # layer -> the catalogue's fingerprint (reads.FINGERPRINT)
        self._plans: dict = {}  # layer -> reads.ReadPlan
        self._sizes: dict[str, tuple[int, float]] = {}  # layer -> (pg_table_size, reltuples) when last read
        crs = self.get_setting("crs")
        if crs is None:
            raise LztInputError(self.uri, f"schema {self.schema!r} holds no lzt workspace settings")
        self._crs: str = crs
        self._srid: int = int(self.get_setting("srs_id"))

    # -- lifecycle ----------------------------------------------------------
    @classmethod
    def open(cls, url: str) -> PostGISWorkspace:
        """Open the workspace in the URL's schema; ``LztInputError`` naming the URL if that fails."""
        parsed = parse_url(url)
        conn = connect(parsed, need_postgis=True)
        try:
            with errors_as_input(parsed):
                found = conn.execute("SELECT to_regclass(%s) IS NOT NULL",
                                     (f'"{parsed.schema}".lzt_settings',)).fetchone()[0]
            if not found:
                raise LztInputError(parsed.safe, f"no lzt workspace in schema {parsed.schema!r} "
                                                 "(create one with: lzt init URL, or lzt push WS.gpkg URL)")
            with errors_as_input(parsed):
                return cls(conn, parsed)
        except BaseException:
            conn.close()
            raise

    @classmethod
    def create(cls, url: str, crs: str = "EPSG:4547") -> PostGISWorkspace:
        """Create a new, empty workspace in the URL's schema (made if absent)."""
        with cls.creating(url, crs) as ws:
            pass
        return ws

    @classmethod
    @contextmanager
    def creating(cls, url: str, crs: str = "EPSG:4547") -> Iterator[PostGISWorkspace]:
        """A new workspace whose creation and everything done in the block is one transaction.

        ``lzt push`` fills a workspace this way: it appears complete or not at all.
        """
        from lzt.core import crs as crsmod

        parsed = parse_url(url)
        crs_parsed = crsmod.parse_crs(crs, source=str(crs))
        crsmod.require_projected_metres(crs_parsed, source=str(crs))
        crs_text = crsmod.crs_string(crs_parsed)
        srid = crs_parsed.to_epsg()
        if srid is None:
            raise LztInputError(str(crs), "a PostGIS workspace needs a CRS with an EPSG code")
        conn = connect(parsed, need_postgis=False)
        try:
            with errors_as_input(parsed), conn.transaction():
                set_search_path(conn, parsed.schema, ensure_postgis(conn, parsed, create=True))
                s = q(parsed.schema)
                exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL",
                                      (f'"{parsed.schema}".lzt_settings',)).fetchone()[0]
                if exists:
                    raise LztInputError(parsed.safe, f"schema {parsed.schema!r} already holds an lzt workspace; "
                                                     "choose another ?schema= or drop it first")
                if not conn.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", (srid,)).fetchone():
                    raise LztInputError(str(crs), f"EPSG:{srid} is not in PostGIS's spatial_ref_sys")
                conn.execute(f"CREATE SCHEMA IF NOT EXISTS {s}", ())
                tables, *functions = SCHEMA_DDL.format(s=s).split("CREATE FUNCTION")
                for stmt in tables.split(";"):
                    if stmt.strip():
                        conn.execute(stmt, ())
                for function in functions:
                    conn.execute("CREATE FUNCTION" + function, ())
                settings = {"crs": crs_text, "srs_id": srid, "created_at": now(),
                            "created_by": f"lzt {__version__}", "schema_version": SCHEMA_VERSION}
                with conn.cursor() as cur:
                    cur.executemany(f"INSERT INTO {s}.lzt_settings VALUES (%s, %s)",
                                    [(k, json.dumps(v, ensure_ascii=False)) for k, v in settings.items()])
                ws = cls(conn, parsed)
                yield ws
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> PostGISWorkspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostGISWorkspace({self.uri!r}, crs={self._crs!r})"

    # -- plumbing -------------------------------------------------------------
    def _t(self, name: str) -> str:
        return qualified(self.schema, name)

    def _query(self, sql: str, params: Sequence[Any] = (), *, binary: bool = False) -> list[tuple]:
        """Rows of one statement; ``binary`` results skip text parsing (bytea, floats, integers)."""
        with self._lock, errors_as_input(self._url), self._conn.cursor(binary=binary) as cur:
            cur.execute(sql, tuple(params))
            return cur.fetchall() if cur.description else []

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """A cursor inside one transaction (a savepoint when nested)."""
        with self._lock, errors_as_input(self._url), self._conn.transaction(), self._conn.cursor() as cur:
            yield cur

    @contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[PostGISWorkspace]:
        """Group several writes into one transaction: all land or none do (``bulk`` changes
        nothing here: COPY is the bulk path)."""
        with self._lock, errors_as_input(self._url), self._conn.transaction():
            yield self

    # -- settings -----------------------------------------------------------
    @property
    def crs(self) -> str:
        return self._crs

    @property
    def srs_id(self) -> int:
        return self._srid

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._query(f"SELECT value FROM {self._t('lzt_settings')} WHERE key = %s", (key,))
        return default if not rows else json.loads(rows[0][0])

    def set_setting(self, key: str, value: Any) -> None:
        if key in ("crs", "srs_id"):
            raise LztInputError(self.uri, f"setting {key!r} is fixed when the workspace is created")
        with self._write() as cur:
            cur.execute(f"INSERT INTO {self._t('lzt_settings')} VALUES (%s, %s) "
                        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                        (key, json.dumps(value, ensure_ascii=False)))

    # -- catalogue ----------------------------------------------------------
    _LAYER_COLS = ("name, kind, geometry_type, crs, count, minx, miny, maxx, maxy, source, source_hash, "
                   "imported_at, details")

    def _infos(self, name: str | None = None) -> list[LayerInfo]:
        """Catalogue rows with their tables' columns, in one round trip."""
        columns = ("ARRAY(SELECT a.attname::text || ' ' || t.typname::text FROM pg_attribute a "
                   "JOIN pg_type t ON t.oid = a.atttypid "
                   "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)")
        sql = (f"SELECT {', '.join('l.' + c.strip() for c in self._LAYER_COLS.split(','))}, {columns}, "
               f"{FINGERPRINT}, pg_table_size(c.oid), c.reltuples FROM {self._t('lzt_layers')} l {TABLE_JOIN}")
        params: list[Any] = [self.schema]
        if name is not None:
            sql += " WHERE l.name = %s"
            params.append(name)
        # under the lock until the kept facts are set: a read plan takes the layer's facts and its
        # fingerprint from one catalogue read (``reads.PgReadsMixin._read_plan``)
        with self._lock:
            rows = self._query(sql + " ORDER BY l.position", params)
            out = []
            for (lname, kind, gtype, crs, count, minx, miny, maxx, maxy, source, shash, at, details, columns,
                 fingerprint, size, tuples) in rows:
                extent = None if minx is None else (minx, miny, maxx, maxy)
                fields: list[FieldInfo] = []
                pg_types: dict[str, str] = {}
                if kind != LayerKind.RASTER:
                    for entry in columns or []:
                        col, typ = entry.rsplit(" ", 1)
                        if col not in ("fid", GEOM):
                            fields.append(FieldInfo(col, FROM_PG.get(typ, "TEXT")))
                            pg_types[col] = typ
                self._pg_types[lname] = pg_types  # the server's types (timestamp or timestamptz) for reads
                self._fingerprints[lname] = fingerprint
                self._sizes[lname] = (int(size or 0), float(-1 if tuples is None else tuples))
                out.append(LayerInfo(name=lname, kind=kind, geometry_type=gtype, crs=crs, count=int(count),
                                     extent=extent, fields=tuple(fields), source=source, source_hash=shash,
                                     imported_at=at, details=json.loads(details or "{}")))
            return out

    def layers(self) -> list[LayerInfo]:
        return self._infos()

    def has_layer(self, name: str) -> bool:
        return bool(self._query(f"SELECT 1 FROM {self._t('lzt_layers')} WHERE name = %s", (name,)))

    def layer(self, name: str) -> LayerInfo:
        found = self._infos(name)
        if not found:
            names = [r[0] for r in self._query(f"SELECT name FROM {self._t('lzt_layers')} ORDER BY name")]
            listing = ", ".join(names) if names else "none yet"
            raise LztInputError(self.uri, f"no layer named {name!r} (layers: {listing})")
        return found[0]

    def fields(self, name: str) -> dict[str, str]:
        """Attribute fields of a vector layer: name -> type."""
        return {f.name: f.type for f in self.layer(name).fields}

    # -- vector writes ------------------------------------------------------
    def write_layer(self, name: str, gdf: gpd.GeoDataFrame, *, kind: str = "vector",
                    source: str | None = None, source_hash: str | None = None,
                    details: dict[str, Any] | None = None, replace: bool = False,
                    spatial_order: bool = False, feedback: Feedback | None = None,
                    fids: Sequence[int] | np.ndarray | None = None,
                    field_types: dict[str, str] | None = None,
                    imported_at: str | None = None, points: np.ndarray | None = None) -> LayerInfo:
        """See ``Workspace.write_layer``; rows stream in through COPY.

        ``spatial_order`` as in the GeoPackage backend; ``fids``, ``field_types`` and
        ``imported_at`` keep what a copied workspace had (``lzt push``/``pull``).
        """
        fb = ensure(feedback)
        points = point_array(points, len(gdf), source or self.uri)
        if points is not None:  # the 2D points they stand for
            located = np.isfinite(points).all(axis=1)
            geoms = np.full(len(points), None, dtype=object)
            geoms[located] = shapely.points(points[located])
            gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
        validate_layer_name(name, source or self.uri)
        check_pg_name(name, "layer name", source or self.uri)
        attrs = attribute_frame(gdf, source or self.uri)
        if fids is None and spatial_order and len(gdf) > 1:
            order = z_order(shapely.bounds(np.asarray(gdf.geometry.values, dtype=object)))
            gdf, attrs = gdf.iloc[order], attrs.iloc[order]
        geoms = np.asarray(gdf.geometry.values, dtype=object)
        for c in attrs.columns:
            check_pg_name(c, "field name", source or self.uri)
        columns = list(attrs.columns)
        ftypes = {c: (field_types or {}).get(c) or field_type(attrs[c]) for c in columns}
        gtype = layer_geometry_type(geoms)
        n = len(gdf)
        fid_arr = feature_ids(fids, n, source or self.uri)

        fb.progress(0, n, "编码几何")
        bounds = shapely.bounds(geoms)
        ok = ~np.isnan(bounds).any(axis=1)
        extent = extent_of(bounds, ok)
        arrays = [pa.array(fid_arr, pa.int64()), pg_copy.ewkb_hex(geoms, self._srid)]
        for c in columns:
            arrays.append(pg_copy.arrow_column(column_values(attrs[c], ftypes[c]), ftypes[c]))
            fb.check()
        table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(len(arrays))])
        geom_type = geometry_column_type(geoms, self._srid)

        t = self._t(name)
        self._plans.pop(name, None)
        with self._write() as cur:
            if self.has_layer(name):
                if not replace:
                    raise LztInputError(source or self.uri, f"layer {name!r} already exists "
                                                            "(use another --layer name, or replace it)")
                self._drop(cur, name)
            coldefs = "".join(f", {q(c)} {column_sql_type(ftypes[c], attrs[c])}" for c in columns)
            cur.execute(f"CREATE TABLE {t} (fid bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL, "
                        f"{q(GEOM)} {geom_type}{coldefs})", ())
            names = ", ".join(["fid", q(GEOM), *(q(c) for c in columns)])

            def on_batch(done: int) -> None:
                fb.progress(done, n, "写入要素")
                fb.check()

            pg_copy.copy_in(cur, f"COPY {t} ({names}) FROM STDIN (FORMAT csv)", table, on_batch=on_batch)
            fb.check()
            fb.progress(n, n, "建立空间索引")
            cur.execute(f"ALTER TABLE {t} ADD PRIMARY KEY (fid)", ())
            cur.execute(f"CREATE INDEX ON {t} USING gist ({q(GEOM)})", ())
            cur.execute(f"ALTER TABLE {t} ALTER COLUMN fid RESTART WITH {int(fid_arr.max()) + 1 if n else 1}", ())
            cur.execute(f"ANALYZE {t}", ())
            # Any later change, by lzt or by another client (QGIS), bumps lzt_layers.changes.
            cur.execute(f"CREATE TRIGGER lzt_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} "
                        f"FOR EACH STATEMENT EXECUTE FUNCTION {q(self.schema)}.lzt_touch()", ())
            if kind == LayerKind.SUPERVISION and ftypes.get("version") == "INTEGER":
                # Every writer, lzt or direct SQL, takes part in the optimistic locking.
                cur.execute(f"CREATE TRIGGER lzt_check_version BEFORE UPDATE ON {t} FOR EACH ROW "
                            f"EXECUTE FUNCTION {q(self.schema)}.lzt_check_version()", ())
            ex = extent or (None, None, None, None)
            cur.execute(f"INSERT INTO {self._t('lzt_layers')} ({self._LAYER_COLS}) "
                        "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                        (name, kind, TITLE_TYPES[gtype], self._crs, n, *ex, source, source_hash,
                         imported_at or now(), json.dumps(details or {}, ensure_ascii=False, default=str)))
            pg_roles.on_layer_created(cur, self.schema, name, kind, dict(ftypes), details)
        return self.layer(name)

    def drop_layer(self, name: str) -> None:
        self.layer(name)
        with self._write() as cur:
            self._drop(cur, name)

    def _drop(self, cur, name: str) -> None:
        self._plans.pop(name, None)
        row = cur.execute(f"SELECT kind FROM {self._t('lzt_layers')} WHERE name = %s", (name,)).fetchone()
        if row and row[0] != "raster":
            pg_roles.on_layer_dropped(cur, self.schema, name)
            cur.execute(f"DROP TABLE IF EXISTS {self._t(name)} CASCADE", ())
        cur.execute(f"DELETE FROM {self._t('lzt_rasters')} WHERE name = %s", (name,))
        cur.execute(f"DELETE FROM {self._t('lzt_layers')} WHERE name = %s", (name,))

    # -- vector reads -------------------------------------------------------
    def _source(self, info: LayerInfo) -> str:
        """The relation to read: the table, or the masking view of a personal layer for users
        without the raw rights."""
        if personal.layer_is_personal(info):
            allowed = self._query("SELECT has_table_privilege(%s, 'SELECT')",
                                  (f'"{self.schema}"."{info.name}"',))[0][0]
            if not allowed:
                return self._t(pg_roles.masked_view_name(info.name))
        return self._t(info.name)

    def reads_masked(self, name: str) -> bool:
        """True when this user reads personal layer ``name`` only through its masking view."""
        info = self.layer(name)
        return personal.layer_is_personal(info) and self._source(info) != self._t(info.name)

    def _envelope(self, bbox: Bounds) -> tuple[str, list]:
        return "ST_MakeEnvelope(%s, %s, %s, %s, %s)", [float(v) for v in bbox] + [self._srid]

    def fids_in_bbox(self, name: str, bbox: Bounds) -> np.ndarray:
        info = self._require_vector(name)
        env, params = self._envelope(bbox)
        rows = self._query(f"SELECT fid FROM {self._source(info)} WHERE {q(GEOM)} && {env}", params)
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def fids_in_bboxes(self, name: str, boxes: np.ndarray) -> np.ndarray:
        """Feature ids whose envelope meets any of ``boxes`` (n x 4: minx, miny, maxx, maxy)."""
        info = self._require_vector(name)
        boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        if len(boxes) == 0:
            return np.zeros(0, dtype=np.int64)
        rows = self._query(
            f"SELECT DISTINCT t.fid FROM unnest(%s::float8[], %s::float8[], %s::float8[], %s::float8[]) "
            f"AS b(x0, y0, x1, y1) JOIN {self._source(info)} t "
            f"ON t.{q(GEOM)} && ST_MakeEnvelope(b.x0, b.y0, b.x1, b.y1, %s) ORDER BY t.fid",
            [boxes[:, i].tolist() for i in range(4)] + [self._srid])
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def count_values(self, name: str, field: str, *, where=None, prefix: int | None = None) -> dict[Any, int]:
        """See ``Workspace.count_values``: one GROUP BY on the server."""
        info = self._require_vector(name)
        allcols = {f.name: f.type for f in info.fields}
        if field not in allcols:
            raise LztInputError(self.uri, f"layer {name!r} has no field {field!r}")
        col = f"t.{q(field)}"
        if prefix is not None:  # the ISO text form, as the GeoPackage stores it
            text = f"to_char({col}, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS')" if allcols[field] == "DATETIME" else f"{col}::text"
            col = f"left({text}, {int(prefix)})"
        sql = f"SELECT {col} AS k, count(*) FROM {self._source(info)} t"
        params: list[Any] = []
        if where is not None:
            wsql, params = to_sql(where, allcols)
            sql += f" WHERE ({wsql})"
        rows = self._query(sql + " GROUP BY 1", params)
        return {k: int(n) for k, n in rows}

    def iter_batches(self, name: str, *, columns: Sequence[str] | None = None,
                     batch_size: int = 100_000) -> Iterator[gpd.GeoDataFrame]:
        info = self._require_vector(name)
        allcols = {f.name: f.type for f in info.fields}
        cols = self._select_columns(name, allcols, columns)
        sel = ", ".join(["t.fid", geom_out("t")] + [col_out("t", c, allcols[c]) for c in cols])
        last = 0
        while True:
            rows = self._query(f"SELECT {sel} FROM {self._source(info)} t WHERE t.fid > %s ORDER BY t.fid LIMIT %s",
                               (last, batch_size))
            if not rows:
                return
            last = rows[-1][0]
            yield self._frame(rows, cols, {c: allcols[c] for c in cols}, True)

    def read_layer(self, name: str, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        """The whole layer as one GeoDataFrame."""
        return self.read_features(name, columns=columns)

    def change_marks(self) -> dict[str, str]:
        """Per layer, a mark that changes with its rows (``lzt_layers.changes``, bumped by a trigger
        on any client's INSERT/UPDATE/DELETE/TRUNCATE), its catalogue row and columns (replaced,
        altered, re-granted: ``reads.FINGERPRINT``) and a rewrite of its table (``pg_class.xmin``,
        e.g. ALTER ... TYPE ... USING, which fires no row trigger). One query, for the keys of
        pictures kept across sessions (``lzt.render.view_cache``), as the GeoPackage's
        ``gpkg_contents.last_change``. The marks also hold the database and the login (roles
        see different rows and columns: the picture a supervisor's session kept must not open a
        viewer's session on the same computer)."""
        rows = self._query(f"SELECT l.name, concat_ws('|', l.changes, c.xmin, {FINGERPRINT}, current_database(), "
                           "current_setting('port'), current_user) "
                           f"FROM {self._t('lzt_layers')} l {TABLE_JOIN}", (self.schema,))
        return {str(n): str(m) for n, m in rows}

    def layer_stamp(self, name: str) -> object:
        """Changes whenever layer ``name`` does (the public key for derived caches)."""
        return self._layer_stamp(name)

    def _layer_stamp(self, name: str) -> object:
        """The relation read, the layer's change counter (bumped by triggers on any client) and its
        table's ``pg_class.xmin``, which a rewrite changes (ALTER ... TYPE ... USING rewrites every
        row and fires no row trigger: packed polygons and kept points were used as before it)."""
        source = self._source(self._require_vector(name))
        return (source, *self._query(f"SELECT l.position, l.changes, c.xmin::text FROM {self._t('lzt_layers')} l "
                                     f"{TABLE_JOIN} WHERE l.name = %s", (self.schema, name))[0])

    def point_coords(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(fid, x, y) of a point layer, kept in memory until the layer changes (on any client)."""
        stamp = self._layer_stamp(name)
        source = stamp[0]
        cached = self._points.get(name)
        if cached is None or cached[0] != stamp:
            self._points[name] = cached = (stamp, *self._read_points(name, source))
        return cached[1].copy(), cached[2].copy(), cached[3].copy()

    def _read_points(self, name: str, source: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        g = q(GEOM)
        stmt = (f"COPY (SELECT fid, ST_X({g}), ST_Y({g}) FROM {source} "
                f"WHERE {g} IS NOT NULL AND NOT ST_IsEmpty({g})) TO STDOUT (FORMAT binary)")
        import psycopg

        try:
            with self._lock, errors_as_input(self._url), self._conn.cursor() as cur:
                rec = pg_copy.copy_out_fixed(cur, stmt, [("fid", ">i8"), ("x", ">f8"), ("y", ">f8")])
        except psycopg.errors.InternalError_ as exc:
            if "POINT" not in str(exc):
                raise
            raise LztInputError(self.uri, f"layer {name!r} is not a point layer") from None
        order = np.argsort(rec["fid"], kind="stable")  # cheaper here than ORDER BY on the server
        fid, x, y = rec["fid"][order], rec["x"][order], rec["y"][order]
        keep = ~(np.isnan(x) | np.isnan(y))
        return fid[keep], x[keep], y[keep]

    def _decode_geometries(self, blobs: list) -> np.ndarray:
        return decode_wkb(blobs)

    # -- rasters ------------------------------------------------------------
    def write_raster(self, name: str, data: bytes, *, info: dict[str, Any], source: str | None = None,
                     source_hash: str | None = None, replace: bool = False,
                     imported_at: str | None = None) -> LayerInfo:
        validate_layer_name(name, source or self.uri)
        check_pg_name(name, "layer name", source or self.uri)
        bounds = info.get("bounds_workspace") or info.get("bounds")
        with self._write() as cur:
            if self.has_layer(name):
                if not replace:
                    raise LztInputError(source or self.uri, f"layer {name!r} already exists")
                self._drop(cur, name)
            cur.execute(f"INSERT INTO {self._t('lzt_layers')} ({self._LAYER_COLS}) "
                        "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                        (name, "raster", None, info.get("crs") or self._crs,
                         int(info.get("width", 0)) * int(info.get("height", 0)),
                         *(bounds or (None,) * 4), source, source_hash, imported_at or now(),
                         json.dumps(info, ensure_ascii=False, default=str)))
            cur.execute(f"INSERT INTO {self._t('lzt_rasters')} VALUES (%s, %s)", (name, bytes(data)))
        return self.layer(name)

    def raster_bytes(self, name: str) -> bytes:
        info = self.layer(name)
        if info.kind != LayerKind.RASTER:
            raise LztInputError(self.uri, f"layer {name!r} is not a raster layer")
        return bytes(self._query(f"SELECT data FROM {self._t('lzt_rasters')} WHERE name = %s", (name,))[0][0])

    # -- keyed blobs (BIM meshes, ...) -------------------------------------------
    def put_blobs(self, kind: str, blobs: dict[str, bytes]) -> None:
        """Store (or replace) blobs under ``kind``/key, in one transaction."""
        with self._write() as cur:
            cur.executemany(f"INSERT INTO {self._t('lzt_blobs')} VALUES (%s, %s, %s) "
                            "ON CONFLICT (kind, key) DO UPDATE SET data = EXCLUDED.data",
                            [(kind, k, bytes(v)) for k, v in blobs.items()])

    def move_blobs(self, src: str, dst: str) -> int:
        """Every blob of kind ``src`` now of kind ``dst`` (replacing those of the same key), in one
        transaction; how many moved."""
        t = self._t("lzt_blobs")
        with self._write() as cur:
            cur.execute(f"INSERT INTO {t} SELECT %s, key, data FROM {t} WHERE kind = %s "
                        "ON CONFLICT (kind, key) DO UPDATE SET data = EXCLUDED.data", (dst, src))
            cur.execute(f"DELETE FROM {t} WHERE kind = %s", (src,))
            return cur.rowcount

    def delete_blobs(self, kind: str) -> int:
        """Remove every blob of ``kind``; how many."""
        with self._write() as cur:
            cur.execute(f"DELETE FROM {self._t('lzt_blobs')} WHERE kind = %s", (kind,))
            return cur.rowcount

    def get_blob(self, kind: str, key: str) -> bytes | None:
        """A stored blob, or None."""
        rows = self._query(f"SELECT data FROM {self._t('lzt_blobs')} WHERE kind = %s AND key = %s", (kind, key))
        return None if not rows else bytes(rows[0][0])
