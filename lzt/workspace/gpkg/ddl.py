"""The SQL that lays out a GeoPackage workspace: GeoPackage 1.3 tables, lzt's own ``lzt_*`` tables,
the R-tree triggers of spec Annex F.3, and a splitter for scripts of such statements."""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10300  # GeoPackage 1.3

LZT_SCHEMA = """
CREATE TABLE lzt_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE lzt_layers (
    name TEXT PRIMARY KEY, kind TEXT NOT NULL, geometry_type TEXT, crs TEXT NOT NULL,
    count INTEGER NOT NULL, minx REAL, miny REAL, maxx REAL, maxy REAL,
    source TEXT, source_hash TEXT, imported_at TEXT NOT NULL, details TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE lzt_rasters (name TEXT PRIMARY KEY REFERENCES lzt_layers(name), data BLOB NOT NULL);
CREATE TABLE lzt_point_cache (name TEXT PRIMARY KEY, stamp TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE lzt_blobs (kind TEXT NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (kind, key));
"""

GPKG_SCHEMA = """
CREATE TABLE gpkg_spatial_ref_sys (
    srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
    table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
    description TEXT DEFAULT '', last_change DATETIME NOT NULL
        DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
    CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
    table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
    CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
    CONSTRAINT uk_gc_table_name UNIQUE (table_name),
    CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
    CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (
    table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
    definition TEXT NOT NULL, scope TEXT NOT NULL,
    CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
INSERT INTO gpkg_spatial_ref_sys VALUES
    ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
    ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
"""

# GeoPackage 1.3 R-tree triggers (spec Annex F.3), table/column substituted.
RTREE_TRIGGERS = """
CREATE TRIGGER "rtree_{t}_{c}_insert" AFTER INSERT ON "{t}"
WHEN (new."{c}" NOT NULL AND NOT ST_IsEmpty(NEW."{c}")) BEGIN
  INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (NEW."fid",
    ST_MinX(NEW."{c}"), ST_MaxX(NEW."{c}"), ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")); END;
CREATE TRIGGER "rtree_{t}_{c}_update1" AFTER UPDATE OF "{c}" ON "{t}"
WHEN OLD."fid" = NEW."fid" AND (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}")) BEGIN
  INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (NEW."fid",
    ST_MinX(NEW."{c}"), ST_MaxX(NEW."{c}"), ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")); END;
CREATE TRIGGER "rtree_{t}_{c}_update2" AFTER UPDATE OF "{c}" ON "{t}"
WHEN OLD."fid" = NEW."fid" AND (NEW."{c}" ISNULL OR ST_IsEmpty(NEW."{c}")) BEGIN
  DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."fid"; END;
CREATE TRIGGER "rtree_{t}_{c}_update3" AFTER UPDATE ON "{t}"
WHEN OLD."fid" != NEW."fid" AND (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}")) BEGIN
  DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."fid";
  INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (NEW."fid",
    ST_MinX(NEW."{c}"), ST_MaxX(NEW."{c}"), ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")); END;
CREATE TRIGGER "rtree_{t}_{c}_update4" AFTER UPDATE ON "{t}"
WHEN OLD."fid" != NEW."fid" AND (NEW."{c}" ISNULL OR ST_IsEmpty(NEW."{c}")) BEGIN
  DELETE FROM "rtree_{t}_{c}" WHERE id IN (OLD."fid", NEW."fid"); END;
CREATE TRIGGER "rtree_{t}_{c}_delete" AFTER DELETE ON "{t}"
WHEN old."{c}" NOT NULL BEGIN
  DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."fid"; END;
"""

AUDIT_DDL = ("CREATE TABLE IF NOT EXISTS lzt_audit (id INTEGER PRIMARY KEY AUTOINCREMENT, "
             "at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL)")
INSPECTIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS lzt_inspections (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "layer TEXT NOT NULL, parcel_id TEXT, fid INTEGER NOT NULL, inspected_on TEXT NOT NULL, "
    "inspector TEXT NOT NULL, result TEXT NOT NULL, notes TEXT, photos TEXT NOT NULL DEFAULT '[]', "
    "recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL)")
BLOBS_DDL = ("CREATE TABLE IF NOT EXISTS lzt_blobs (kind TEXT NOT NULL, key TEXT NOT NULL, "
             "data BLOB NOT NULL, PRIMARY KEY (kind, key))")


def split_sql(script: str) -> list[str]:
    """Split a script of CREATE/INSERT statements (and trigger bodies) into statements."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            out.append(text)
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf))
    return out
