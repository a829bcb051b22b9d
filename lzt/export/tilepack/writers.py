"""The two package files, written with SQLite directly (resumable, no GDAL on the write path).

MBTiles 1.3: ``metadata(name, value)`` and ``tiles(zoom_level, tile_column, tile_row,
tile_data)`` with rows counted from the south (TMS). GeoPackage 1.2 tile set: the required
``gpkg_spatial_ref_sys``, ``gpkg_contents``, ``gpkg_tile_matrix_set`` (the whole EPSG:3857
world, so a tile's column and row are its XYZ ones) and ``gpkg_tile_matrix`` (one row per
level), and the tile table itself. Written as 1.2 (user_version 10200): GeoPackages of 1.4
make the QGIS 3.22 our users have warn. Bookkeeping for resuming (``lzt_job``,
``lzt_done``) lives in the file while it is being built and is dropped when it is finished.
"""

from __future__ import annotations

import re
import sqlite3

from lzt.export.tilepack.grid import ORIGIN, TILE, tile_span

_JOB = ("CREATE TABLE IF NOT EXISTS lzt_job (key TEXT PRIMARY KEY, value TEXT)",
        "CREATE TABLE IF NOT EXISTS lzt_done (z INTEGER, x INTEGER, y INTEGER, PRIMARY KEY (z, x, y))")


class PackageWriter:
    """Tiles into an open SQLite file: ``create`` the schema, ``put`` tiles, ``finish``."""

    def __init__(self, con: sqlite3.Connection, name: str):
        self.con, self.name = con, name

    def create(self, levels: tuple[int, int], bounds: tuple[float, float, float, float]) -> None:
        for sql in _JOB:
            self.con.execute(sql)

    def put(self, z: int, x: int, y: int, data: bytes) -> None:
        raise NotImplementedError

    def finish(self, meta: dict[str, str]) -> None:
        self.con.execute("DROP TABLE IF EXISTS lzt_done")
        self.con.execute("DROP TABLE IF EXISTS lzt_job")


class MBTilesWriter(PackageWriter):
    def create(self, levels, bounds) -> None:
        super().create(levels, bounds)
        self.con.execute("CREATE TABLE IF NOT EXISTS metadata (name TEXT, value TEXT)")
        self.con.execute("CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, "
                         "tile_row INTEGER, tile_data BLOB)")
        self.con.execute("CREATE UNIQUE INDEX IF NOT EXISTS tile_index ON tiles (zoom_level, tile_column, tile_row)")

    def put(self, z, x, y, data) -> None:
        self.con.execute("INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, data))

    def finish(self, meta) -> None:
        self.con.execute("DELETE FROM metadata")
        self.con.executemany("INSERT INTO metadata VALUES (?, ?)", sorted(meta.items()))
        super().finish(meta)


def table_name(name: str) -> str:
    """A tile table name from the package's name (letters, digits, underscores)."""
    t = re.sub(r"\W", "_", name, flags=re.ASCII).strip("_") or "tiles"
    return ("t_" + t if t[0].isdigit() or t.lower().startswith(("gpkg_", "rtree_", "sqlite_")) else t)[:63]


class GpkgTilesWriter(PackageWriter):
    def __init__(self, con, name):
        super().__init__(con, name)
        self.table = table_name(name)

    def create(self, levels, bounds) -> None:
        from pyproj import CRS

        super().create(levels, bounds)
        con, t = self.con, self.table
        con.execute("PRAGMA application_id = 1196444487")  # 'GPKG'
        con.execute("PRAGMA user_version = 10200")
        con.execute("CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER "
                    "PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, "
                    "definition TEXT NOT NULL, description TEXT)")
        con.executemany("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
            ("WGS 84 geodetic", 4326, "EPSG", 4326, CRS.from_epsg(4326).to_wkt("WKT1_GDAL"), "longitude/latitude"),
            ("WGS 84 / Pseudo-Mercator", 3857, "EPSG", 3857, CRS.from_epsg(3857).to_wkt("WKT1_GDAL"), "web tiles")])
        con.execute("CREATE TABLE IF NOT EXISTS gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT "
                    "NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL "
                    "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, "
                    "max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES "
                    "gpkg_spatial_ref_sys(srs_id))")
        con.execute("CREATE TABLE IF NOT EXISTS gpkg_tile_matrix_set (table_name TEXT NOT NULL PRIMARY KEY, "
                    "srs_id INTEGER NOT NULL, min_x DOUBLE NOT NULL, min_y DOUBLE NOT NULL, max_x DOUBLE NOT NULL, "
                    "max_y DOUBLE NOT NULL, CONSTRAINT fk_gtms_table_name FOREIGN KEY (table_name) REFERENCES "
                    "gpkg_contents(table_name), CONSTRAINT fk_gtms_srs FOREIGN KEY (srs_id) REFERENCES "
                    "gpkg_spatial_ref_sys (srs_id))")
        con.execute("CREATE TABLE IF NOT EXISTS gpkg_tile_matrix (table_name TEXT NOT NULL, zoom_level INTEGER NOT "
                    "NULL, matrix_width INTEGER NOT NULL, matrix_height INTEGER NOT NULL, tile_width INTEGER NOT "
                    "NULL, tile_height INTEGER NOT NULL, pixel_x_size DOUBLE NOT NULL, pixel_y_size DOUBLE NOT "
                    "NULL, CONSTRAINT pk_ttm PRIMARY KEY (table_name, zoom_level), CONSTRAINT fk_tmm_table_name "
                    "FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name))")
        con.execute(f'CREATE TABLE IF NOT EXISTS "{t}" (id INTEGER PRIMARY KEY AUTOINCREMENT, zoom_level INTEGER '
                    'NOT NULL, tile_column INTEGER NOT NULL, tile_row INTEGER NOT NULL, tile_data BLOB NOT NULL, '
                    'UNIQUE (zoom_level, tile_column, tile_row))')
        con.execute("INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, min_x, "
                    "min_y, max_x, max_y, srs_id) VALUES (?, 'tiles', ?, '', ?, ?, ?, ?, 3857)", (t, self.name, *bounds))
        con.execute("INSERT OR REPLACE INTO gpkg_tile_matrix_set VALUES (?, 3857, ?, ?, ?, ?)",
                    (t, -ORIGIN, -ORIGIN, ORIGIN, ORIGIN))
        con.executemany("INSERT OR REPLACE INTO gpkg_tile_matrix VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [(t, z, 1 << z, 1 << z, TILE, TILE, tile_span(z) / TILE, tile_span(z) / TILE)
                         for z in range(levels[0], levels[1] + 1)])

    def put(self, z, x, y, data) -> None:
        self.con.execute(f'INSERT OR REPLACE INTO "{self.table}" (zoom_level, tile_column, tile_row, tile_data) '
                         'VALUES (?, ?, ?, ?)', (z, x, y, data))

    def finish(self, meta) -> None:
        desc = "; ".join(f"{k}: {meta[k]}" for k in ("description", "source", "attribution") if meta.get(k))
        self.con.execute("UPDATE gpkg_contents SET description = ?, last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')"
                         " WHERE table_name = ?", (desc, self.table))
        super().finish(meta)


WRITERS = {"MBTiles": MBTilesWriter, "GPKG": GpkgTilesWriter}
