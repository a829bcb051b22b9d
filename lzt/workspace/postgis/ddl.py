"""The tables, functions and column types of a PostGIS workspace schema, and how columns are
written into and read out of SQL."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from lzt.core.errors import LztInputError
from lzt.workspace.postgis.sql import q
from lzt.workspace.schema import GEOM

SQL_TYPES = {"INTEGER": "bigint", "REAL": "double precision", "TEXT": "text", "BOOLEAN": "boolean",
              "DATE": "date", "DATETIME": "timestamp", "BLOB": "bytea"}
FROM_PG = {"int2": "INTEGER", "int4": "INTEGER", "int8": "INTEGER", "float4": "REAL", "float8": "REAL",
            "numeric": "REAL", "bool": "BOOLEAN", "date": "DATE", "timestamp": "DATETIME",
            "timestamptz": "DATETIME", "bytea": "BLOB"}
PG_GEOM_NAMES = {0: "Point", 1: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
                  6: "MultiPolygon", 7: "GeometryCollection"}

SCHEMA_DDL = """
CREATE TABLE {s}.lzt_settings (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE {s}.lzt_layers (
    name text PRIMARY KEY, kind text NOT NULL, geometry_type text, crs text NOT NULL,
    count bigint NOT NULL, minx float8, miny float8, maxx float8, maxy float8,
    source text, source_hash text, imported_at text NOT NULL, details text NOT NULL DEFAULT '{{}}',
    position bigserial, changes bigint NOT NULL DEFAULT 0);
CREATE TABLE {s}.lzt_rasters (name text PRIMARY KEY REFERENCES {s}.lzt_layers(name) ON DELETE CASCADE,
    data bytea NOT NULL);
CREATE TABLE {s}.lzt_blobs (kind text NOT NULL, key text NOT NULL, data bytea NOT NULL,
    PRIMARY KEY (kind, key));
CREATE TABLE {s}.lzt_audit (id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
    "user" text NOT NULL DEFAULT current_user, action text NOT NULL, detail text NOT NULL);
CREATE TABLE {s}.lzt_inspections (id bigserial PRIMARY KEY, layer text NOT NULL, parcel_id text,
    fid bigint NOT NULL, inspected_on date NOT NULL, inspector text NOT NULL, result text NOT NULL,
    notes text, photos text NOT NULL DEFAULT '[]',
    recorded_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
    recorded_by text NOT NULL DEFAULT current_user);
CREATE INDEX ON {s}.lzt_inspections (layer, parcel_id);
CREATE FUNCTION {s}.lzt_touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog AS $f$
BEGIN
  UPDATE {s}.lzt_layers SET changes = changes + 1 WHERE name = TG_TABLE_NAME;
  RETURN NULL;
END
$f$;
CREATE FUNCTION {s}.lzt_check_version() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF NEW.version IS DISTINCT FROM OLD.version + 1 THEN
    RAISE EXCEPTION 'feature %% of %%: an edit must set version = version + 1 (optimistic locking)',
      OLD.fid, TG_TABLE_NAME USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$f$;
"""


def column_sql_type(ftype: str, series: pd.Series | None) -> str:
    """The PostgreSQL type of a workspace column type (aware date-times: timestamptz)."""
    if ftype == "DATETIME" and series is not None and pd.api.types.is_datetime64_any_dtype(series.dtype) \
            and getattr(series.dt, "tz", None) is not None:
        return "timestamptz"  # aware date-times keep their instant (stored in UTC, as the GeoPackage does)
    return SQL_TYPES.get(ftype, "text")


def geometry_column_type(geoms: np.ndarray, srid: int) -> str:
    """A typed geometry column when the rows allow it (QGIS likes them), else a plain one."""
    present = geoms[~shapely.is_missing(geoms)]
    if len(present) == 0:
        return f"geometry(Geometry, {srid})"
    types = np.unique(shapely.get_type_id(present))
    zs = np.unique(shapely.has_z(present))
    if len(zs) > 1:
        return "geometry"
    z = "Z" if zs[0] else ""
    if len(types) == 1 and int(types[0]) in PG_GEOM_NAMES:
        return f"geometry({PG_GEOM_NAMES[int(types[0])]}{z}, {srid})"
    return f"geometry(Geometry{z}, {srid})"


def geom_out(alias: str) -> str:
    """The geometry as plain WKB (no SRID to strip afterwards)."""
    return f"ST_AsBinary({alias}.{q(GEOM)})"


def col_out(alias: str, column: str, ftype: str) -> str:
    """A column as read: dates and date-times as ISO text, parsed in bulk by pandas as for GeoPackages."""
    if ftype == "DATETIME":
        return f"replace({alias}.{q(column)}::text, ' ', 'T')"
    if ftype == "DATE":
        return f"{alias}.{q(column)}::text"
    return f"{alias}.{q(column)}"


def check_pg_name(name: str, what: str, source: str) -> None:
    """``LztInputError`` when ``name`` is longer than PostgreSQL's 63-byte identifiers."""
    if len(name.encode("utf-8")) > 63:
        raise LztInputError(source, f"{what} {name!r} is longer than PostgreSQL's 63 bytes "
                                    "(a Chinese character takes 3): shorten it")
