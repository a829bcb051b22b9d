"""The format table: what a file is (by its content first, its name second) and which
reader takes it.

``sniff(path)`` names a file's format as a canonical suffix, from the first bytes where
they are telling: SQLite/GeoPackage, FlatGeobuf, ZIP (XLSX when it holds
``xl/workbook.xml``), tile packages (MBTiles, GeoPackage tile sets: by their tables), legacy XLS (OLE2), shapefile (file code 9994), GeoJSON/JSON,
KML/GML/GPX XML, TIFF (and BigTIFF), ERDAS Imagine, NetCDF/HDF5, JPEG 2000, ASCII grid,
GDAL VRT, IFC (``ISO-10303-21``), glTF binary, and the files people mistake for data
(PDF, DWG, HTML). Where the content says nothing the suffix decides. The formats
themselves (kind, suffixes, leading bytes, reader, names) are ``layers.formats.TABLE``.

Content wins over the name: a GeoJSON called ``.csv`` is read as GeoJSON (with a note
saying so), a GeoTIFF called ``.dat`` is a raster, an IFC called ``.txt`` is sent to
``lzt bim``, CityJSON (``"type": "CityJSON"``) goes to layers.cityjson. GDAL chooses its
driver by suffix for some formats, so a misnamed file is
handed to it under the right suffix (a link in a temporary folder, never a file next to
the user's). An ``.xls`` that is really delimited text (a common "Excel export" of web
systems) is read as CSV; one that is really an HTML page is refused with advice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import warnings
import zipfile
from pathlib import Path

from layers import formats
from layers.formats import content_note, kind_of, label_of, misnamed
from layers.spec import LoadedLayer, ReadOptions
from lzt.core.errors import LztInputError
from lzt.core.sqlite_files import readable_by_gdal

_SHP = b"\x00\x00\x27\x0a"


def supported_suffixes() -> list[str]:
    """Vector and table suffixes lzt reads (rasters are read by ``layers.raster``)."""
    return sorted(formats.suffixes("vector", "table"))


def _reader(fmt: str) -> str | None:
    f = formats.by_suffix(fmt) if fmt else None
    return f.reader if f else None


def _parts_of(suffix: str) -> tuple[str, ...]:
    f = formats.by_suffix(suffix) if suffix else None
    return f.parts if f and f.key == suffix else ()


def _is_xlsx_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return any(n.lower() == "xl/workbook.xml" for n in z.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _text_format(head: bytes) -> str | None:
    """JSON and XML flavours, ASCII grids: by the first characters of a text file."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):].decode(codec, "ignore").encode("utf-8", "ignore")
            break
    text = head.lstrip(b" \t\r\n")
    lower = text[:4096].lower()
    if text.startswith(b"{") and (b'"type":"cityjson"' in lower.replace(b" ", b"")
                                  or b'"cityobjects"' in lower):
        return ".cityjson"  # before GeoJSON: city objects have "geometry" keys too
    if text.startswith(b"\x1e{"):
        return ".geojsons"
    if text.startswith((b"{", b"[")):
        first, _, rest = text.partition(b"\n")
        if first.rstrip().endswith(b"}") and rest.lstrip().startswith(b"{"):
            return ".geojsonl"
        geo = (b'"featurecollection"', b'"feature"', b'"coordinates"', b'"geometry"', b'"geometries"')
        return ".geojson" if any(g in lower.replace(b" ", b"") for g in geo) else ".json"
    if text.startswith(b"<"):
        for mark, fmt in ((b"<kml", ".kml"), (b"<gpx", ".gpx"), (b"<vrtdataset", ".vrt"),
                          (b"<html", ".html"), (b"<!doctype html", ".html")):
            if mark in lower:
                return fmt
        if b"gml" in lower and (b"featurecollection" in lower or b"featuremember" in lower):
            return ".gml"
        return ".xml" if text.startswith(b"<?xml") else None
    if lower.startswith(b"ncols"):
        return ".asc"
    return None


def sniff(path: Path) -> str:
    """The format of ``path`` as a canonical suffix (of ``layers.formats.TABLE``), by its content
    where that is telling, else by its suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise LztInputError(path, f"cannot read: {exc.strerror or exc}") from None
    kind = next((fmt for magic, fmt in formats.magic_bytes() if head.startswith(magic)), None)
    if kind == ".gpkg":  # any SQLite file: a tile package (MBTiles, GeoPackage of tiles) or not
        from layers.tilesets import sqlite_flavour

        kind = sqlite_flavour(path) or kind
    if kind is None:
        if head[:3] == b"fgb" and head[3:4] in (b"\x01", b"\x02", b"\x03"):  # 'fgb' major 'fgb' patch
            kind = ".fgb"  # GDAL judges the rest (and refuses version 2 itself)
        elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            kind = (suffix if suffix in (".xlsx", ".xlsm") else ".xlsx") if _is_xlsx_zip(path) else ".zip"
        elif head.startswith(_SHP) and (suffix == ".shp" or head[100:104] == b"\x00\x00\x00\x01"):
            kind = ".shp"  # (a .shx index starts alike; its first record is at offset 50, not number 1)
        elif not head.startswith(_SHP):
            kind = _text_format(head)
    if kind is not None:
        return suffix if suffix != kind and formats.canonical(suffix) == kind else kind
    if suffix == ".xls":  # not OLE2: an "Excel export" that is text or HTML
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<")):
            raise LztInputError(path, "is a web page (HTML) saved with an .xls suffix, not a "
                                      "spreadsheet: open it in Excel and save it as .xlsx")
        return ".csv"
    strict = formats.by_suffix(suffix).strict if formats.by_suffix(suffix) else None
    if strict:
        raise LztInputError(path, f"is not a {strict} file (its content does not match its suffix)")
    return suffix


@contextlib.contextmanager
def named_as(path: Path, fmt: str):
    """``path`` under a name whose suffix says ``fmt`` (GDAL picks some drivers by name): a
    link (or, where links are not allowed, a copy) in a temporary folder, with a
    shapefile's sidecars beside it. ``path`` itself when its name already fits."""
    if not misnamed(path, fmt):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="lzt-") as tmp:
        target = Path(tmp) / (path.stem + fmt)
        pairs = [(path, target)]
        if fmt == ".shp":
            pairs += [(p, Path(tmp) / p.name) for p in path.parent.iterdir()
                      if p.stem == path.stem and p != path and p.suffix.lower() in _parts_of(".shp")]
        for src, dst in pairs:
            try:
                os.symlink(src.resolve(), dst)
            except OSError:
                shutil.copyfile(src, dst)
        yield target


def _is_json(path: Path, limit: int = 64 << 20) -> bool:
    """Whether a (not too large) file parses as JSON at all."""
    if path.stat().st_size > limit:
        return False
    try:
        json.loads(path.read_bytes().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def _refuse(path: Path, fmt: str) -> None:
    kind, named = kind_of(fmt), f", named {path.suffix}" if misnamed(path, fmt) and path.suffix else ""
    if kind == "raster":
        raise LztInputError(path, f"is a {label_of(fmt)} raster{named}, not a vector layer: import "
                                  "it with lzt import (rasters are stored as rasters)")
    if kind == "bim":
        raise LztInputError(path, f"is an {label_of(fmt)}{named}, not a GIS layer: import it with lzt bim")
    if kind == "other":
        raise LztInputError(path, f"is a {label_of(fmt)}{named}, which lzt does not read; lzt reads "
                                  f"{', '.join(supported_suffixes())} (and GeoTIFF rasters)")
    raise LztInputError(path, f"unsupported format {path.suffix or '(no suffix)'}; lzt reads "
                              f"{', '.join(supported_suffixes())} (and GeoTIFF rasters)")


def read_vector(path: str | Path, options: ReadOptions = ReadOptions()) -> list[LoadedLayer]:
    """Every layer (or ``options.layer``) of a vector or table file, in the file's own CRS.

    Raises ``LztInputError`` (one line, naming the file) for anything wrong with the input.
    """
    from layers import tables, vector

    path = Path(path)
    if not path.exists():
        raise LztInputError(path, "no such file")
    if path.is_dir():
        raise LztInputError(path, "is a folder, not a file")
    if path.stat().st_size == 0:
        raise LztInputError(path, "is empty (0 bytes)")
    fmt = sniff(path)
    reader = _reader(fmt)
    if reader not in ("gdal", "shapefile", "zip", "table", "cityjson"):
        _refuse(path, fmt)
    with warnings.catch_warnings(record=True) as caught:  # said in lzt's words below, never let through
        warnings.simplefilter("always")
        if reader == "table":
            loaded = tables.read_table(path, options, kind=fmt)
        elif reader == "cityjson":
            from layers.cityjson import read_cityjson

            loaded = read_cityjson(path, options)
        else:
            with readable_by_gdal(path) as readable, named_as(readable, fmt) as src:
                if reader == "shapefile":
                    loaded = vector.read_shapefile(src, options, display=path)
                elif reader == "zip":
                    loaded = vector.read_zip(src, options, display=path)
                else:
                    try:
                        loaded = vector.read_gdal(src, options, display=path)
                    except LztInputError as exc:
                        if fmt == ".json" and exc.problem.startswith("cannot open") and _is_json(path):
                            raise LztInputError(path, "is JSON but not GeoJSON (no features or geometries "
                                                      "in it): save the records as GeoJSON or CSV") from None
                        raise
    notes = vector.reader_warnings(caught)[0]
    note = content_note(path, fmt) if reader != "table" else None  # tables say it themselves
    notes = ([note] if note else []) + notes
    return [dataclasses.replace(ll, warnings=(*notes, *ll.warnings)) for ll in loaded] if notes else loaded


def _parts(path: Path) -> list[Path]:
    """The files that make up a dataset: a shapefile's or MapInfo table's sidecars too."""
    suffixes = _parts_of(path.suffix.lower())
    if not suffixes:
        return [path]
    stem = path.stem.lower()
    siblings = {p.name.lower(): p for p in path.parent.iterdir()
                if p.stem.lower() == stem and p.is_file()}
    return [siblings[stem + s] for s in suffixes if stem + s in siblings] or [path]


def sha256_of(path: str | Path) -> str:
    """SHA-256 of a file; for a shapefile of its parts together (.shp .shx .dbf .prj .cpg,
    in that order), likewise for MapInfo .tab/.mif."""
    h = hashlib.sha256()
    for p in _parts(Path(path)):
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()
