"""Offline tile packages (MBTiles, GeoPackage tile sets) as raster layers.

Both are SQLite files: ``sqlite_flavour`` tells an MBTiles file (``metadata`` and ``tiles``,
no ``gpkg_contents``) and a GeoPackage holding only tiles (``gpkg_contents`` rows of
``data_type = 'tiles'``) from a GeoPackage of features, by its tables. A package is not
copied into the workspace: ``prepare_package`` returns a small GDAL VRT referencing it (the
same form as a linked orthophoto, see ``layers.imagery``), whose implicit overviews are the
package's zoom levels, so a view reads the level that matches its scale and reprojects it
into the workspace CRS like any raster. The package's own facts (format, zoom levels,
bounds, attribution) are kept with the layer.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import rasterio
from rasterio.enums import Resampling
from rasterio.io import MemoryFile

from layers.raster import _GDAL_ERRORS, _cause, _info
from lzt.core.errors import LztInputError

MBTILES = ".mbtiles"
GPKG_TILES = "gpkg-tiles"  # the format key of a GeoPackage of tiles (its files are named .gpkg)


@dataclass(frozen=True)
class SqliteContent:
    """What a SQLite file holds: ``flavour`` (MBTILES, GPKG_TILES or None for anything else),
    the GeoPackage's tile tables and whether it has features (or attribute tables) too."""

    flavour: str | None
    tile_tables: tuple[str, ...] = ()
    has_features: bool = False


def sqlite_content(path: str | Path) -> SqliteContent:
    """Look inside a SQLite file (read-only) for MBTiles or GeoPackage tiles."""
    try:
        con = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    except sqlite3.Error:
        return SqliteContent(None)
    try:
        names = {r[0].lower() for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        if "gpkg_contents" in names:
            rows = con.execute("SELECT table_name, lower(data_type) FROM gpkg_contents").fetchall()
            tiles = tuple(t for t, kind in rows if kind == "tiles")
            other = any(kind != "tiles" for _, kind in rows)
            return SqliteContent(GPKG_TILES if tiles and not other else None, tiles, other)
        if {"metadata", "tiles"} <= names:
            return SqliteContent(MBTILES)
    except sqlite3.Error:
        pass
    finally:
        con.close()
    return SqliteContent(None)


def tile_table(path: str | Path, name: str | None) -> str | None:
    """The tile table of a GeoPackage called ``name`` (SQLite names ignore case), or None."""
    if not name:
        return None
    return next((t for t in sqlite_content(path).tile_tables if t.lower() == name.lower()), None)


def sqlite_flavour(path: str | Path) -> str | None:
    """MBTILES, GPKG_TILES or None (a GeoPackage of features, or not a tile package)."""
    return sqlite_content(path).flavour


def gdal_name(path: str | Path, table: str | None = None) -> str:
    """The name GDAL opens a package (or one tile table of a GeoPackage) by."""
    path = Path(path).resolve()
    if table is None and sqlite_flavour(path) == GPKG_TILES:
        tables = sqlite_content(path).tile_tables
        table = tables[0] if len(tables) == 1 else None
        if table is None:
            raise LztInputError(path, f"holds several tile sets ({', '.join(tables)}); name one with --layer")
    return f"GPKG:{path}:{table}" if table else str(path)


def package_metadata(path: str | Path, table: str | None = None) -> dict:
    """The package's own description: MBTiles ``metadata`` rows, or a GeoPackage tile set's
    identifier, description and zoom levels (from ``gpkg_tile_matrix``)."""
    con = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        if table is None and sqlite_flavour(path) == MBTILES:
            meta = {str(k): str(v) for k, v in con.execute("SELECT name, value FROM metadata")}
            if "minzoom" not in meta or "maxzoom" not in meta:
                lo, hi = con.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
                meta.setdefault("minzoom", str(lo))
                meta.setdefault("maxzoom", str(hi))
            return meta
        table = table or sqlite_content(path).tile_tables[0]
        ident, desc = con.execute("SELECT identifier, description FROM gpkg_contents WHERE table_name = ?",
                                  (table,)).fetchone()
        lo, hi = con.execute("SELECT min(zoom_level), max(zoom_level) FROM gpkg_tile_matrix WHERE table_name = ?",
                             (table,)).fetchone()
        return {"name": ident or table, "description": desc or "", "minzoom": str(lo), "maxzoom": str(hi),
                "table": table}
    except (sqlite3.Error, TypeError) as e:
        raise LztInputError(path, f"is not a readable tile package: {e}") from None
    finally:
        con.close()


def check_tiles(path: str | Path, table: str | None = None, n: int = 4) -> None:
    """Decode the ``n`` first tiles of the coarsest and of the finest level (GDAL draws an
    undecodable tile as empty, silently); LztInputError naming the first bad one."""
    import io

    from PIL import Image, UnidentifiedImageError

    t = f'"{table}"' if table else "tiles"
    con = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        rows = [r for order in ("ASC", "DESC") for r in con.execute(
            f"SELECT zoom_level, tile_column, tile_row, tile_data FROM {t} ORDER BY zoom_level {order} LIMIT ?", (n,))]
    except sqlite3.Error as e:
        raise LztInputError(path, f"is not a readable tile package: {e}") from None
    finally:
        con.close()
    if not rows:
        raise LztInputError(path, "tile package holds no tiles")
    for z, x, y, data in rows:
        try:
            with Image.open(io.BytesIO(bytes(data or b""))) as im:
                im.load()
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
            raise LztInputError(path, f"tile {z}/{x}/{y} (level/column/row) cannot be decoded: {e}") from None


def package_vrt(name: str, ds) -> bytes:
    """A VRT over the opened package ``ds`` (GDAL name ``name``), band for band; with one
    simple source per band, GDAL gives it the package's zoom levels as implicit overviews."""
    from xml.sax.saxutils import escape

    gt = ", ".join(repr(float(v)) for v in ds.transform.to_gdal())
    bands = []
    for b in ds.indexes:
        interp = ds.colorinterp[b - 1].name.capitalize()
        bands.append(f'<VRTRasterBand dataType="Byte" band="{b}"><ColorInterp>{interp}</ColorInterp>'
                     f'<SimpleSource><SourceFilename relativeToVRT="0">{escape(name)}</SourceFilename>'
                     f'<SourceBand>{b}</SourceBand><SrcRect xOff="0" yOff="0" xSize="{ds.width}" '
                     f'ySize="{ds.height}"/><DstRect xOff="0" yOff="0" xSize="{ds.width}" '
                     f'ySize="{ds.height}"/></SimpleSource></VRTRasterBand>')
    return (f'<VRTDataset rasterXSize="{ds.width}" rasterYSize="{ds.height}"><SRS>{escape(ds.crs.to_wkt())}</SRS>'
            f'<GeoTransform>{gt}</GeoTransform>{"".join(bands)}</VRTDataset>').encode()


def prepare_package(path: str | Path, table: str | None = None):
    """(VRT bytes, RasterInfo, facts) for linking a tile package as a raster layer: checks that
    GDAL opens it as 8-bit imagery and that its coarsest level's pixels decode."""
    path = Path(path)
    meta = package_metadata(path, table)
    if meta.get("format", "").lower() in ("pbf", "mvt"):
        raise LztInputError(path, "is a vector tile package (Mapbox Vector Tiles): lzt reads raster tile "
                                  "packages (PNG, JPEG, WebP tiles) only")
    name = gdal_name(path, table)
    check_tiles(path, name.rsplit(":", 1)[1] if name.startswith("GPKG:") else None)
    try:
        with rasterio.open(name) as ds:
            if ds.crs is None:
                raise LztInputError(path, "tile package has no CRS")
            if any(d != "uint8" for d in ds.dtypes):
                raise LztInputError(path, f"tile package of {ds.dtypes[0]} pixels: only 8-bit image tiles "
                                          "(PNG, JPEG, WebP) are read")
            ovr = ds.overviews(1)
            k = ovr[-1] if ovr else max(1, max(ds.width, ds.height) // 256)
            ds.read(out_shape=(ds.count, max(1, ds.height // k), max(1, ds.width // k)),
                    resampling=Resampling.nearest)
            data = package_vrt(name, ds)
        with MemoryFile(data) as mem, mem.open() as vrt:
            info = _info(vrt, vrt.crs)
    except LztInputError:
        raise
    except _GDAL_ERRORS as e:
        raise LztInputError(path, f"cannot read tile package: {_cause(e)}") from e
    fmt = "MBTiles" if name == str(path.resolve()) else "GeoPackage"
    package = {k: meta[k] for k in ("name", "attribution", "description", "bounds", "table", "source") if meta.get(k)}
    package.update({"format": fmt, "tile_format": meta.get("format", ""), "minzoom": _int(meta.get("minzoom")),
                    "maxzoom": _int(meta.get("maxzoom"))})
    facts = {"linked": str(path.resolve()), "package": package}
    return data, info, facts


def _int(v) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


__all__ = ["GPKG_TILES", "MBTILES", "SqliteContent", "gdal_name", "package_metadata", "package_vrt",
           "check_tiles", "prepare_package", "sqlite_content", "sqlite_flavour", "tile_table"]
