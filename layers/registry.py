"""Choose a reader for a file by its suffix and its first bytes.

The content wins over the name where the two disagree in a way lzt can tell: a
GeoPackage (SQLite header), FlatGeobuf (``fgb`` magic), ZIP, XLSX (a ZIP with
``xl/workbook.xml``), legacy XLS (OLE2 header) or shapefile (file code 9994) is read
as what it is, whatever it is called. An ``.xls`` that is really delimited text (a
common "Excel export" of web systems) is read as CSV; one that is really an HTML page
is refused with advice.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from layers.spec import LoadedLayer, ReadOptions
from lzt.core.errors import LztInputError

GDAL_SUFFIXES = {".gpkg", ".geojson", ".json", ".geojsonl", ".geojsons", ".fgb", ".kml", ".gml",
                 ".gpx", ".tab", ".mif"}
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"}
_BINARY = {".gpkg": "GeoPackage", ".fgb": "FlatGeobuf", ".zip": "ZIP", ".xlsx": "XLSX",
           ".xlsm": "XLSX", ".shp": "shapefile"}
_PARTS = {".shp": (".shp", ".shx", ".dbf", ".prj", ".cpg"),
          ".tab": (".tab", ".dat", ".map", ".id", ".ind", ".cpg"), ".mif": (".mif", ".mid")}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SHP = b"\x00\x00\x27\x0a"


def supported_suffixes() -> list[str]:
    """Vector and table suffixes lzt reads (rasters are read by ``layers.raster``)."""
    return sorted(GDAL_SUFFIXES | TABLE_SUFFIXES | {".shp", ".zip"})


def _is_xlsx_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return any(n.lower() == "xl/workbook.xml" for n in z.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def sniff(path: Path) -> str:
    """The format (as a suffix) of ``path``, by its content where that is telling."""
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise LztInputError(path, f"cannot read: {exc.strerror or exc}") from None
    kind = None
    if head[:3] == b"fgb" and head[3:4] in (b"\x01", b"\x02", b"\x03"):  # 'fgb' major 'fgb' patch
        kind = ".fgb"  # GDAL judges the rest (and refuses version 2 itself)
    elif head.startswith(b"SQLite format 3\x00"):
        kind = ".gpkg"
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind = (suffix if suffix in (".xlsx", ".xlsm") else ".xlsx") if _is_xlsx_zip(path) else ".zip"
    elif head.startswith(_OLE2):
        kind = ".xls"
    elif head.startswith(_SHP) and suffix == ".shp":
        kind = ".shp"
    if kind is not None:
        return kind
    if suffix == ".xls":  # not OLE2: an "Excel export" that is text or HTML
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<")):
            raise LztInputError(path, "is a web page (HTML) saved with an .xls suffix, not a "
                                      "spreadsheet: open it in Excel and save it as .xlsx")
        return ".csv"
    if suffix in _BINARY:
        raise LztInputError(path, f"is not a {_BINARY[suffix]} file (its content does not match "
                                  "its suffix)")
    return suffix


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
    kind = sniff(path)
    if kind == ".shp":
        return vector.read_shapefile(path, options)
    if kind == ".zip":
        return vector.read_zip(path, options)
    if kind in TABLE_SUFFIXES:
        return tables.read_table(path, options, kind=kind)
    if kind in GDAL_SUFFIXES:
        return vector.read_gdal(path, options)
    raise LztInputError(path, f"unsupported format {path.suffix or '(no suffix)'}; lzt reads "
                              f"{', '.join(supported_suffixes())} (and GeoTIFF rasters)")


def _parts(path: Path) -> list[Path]:
    """The files that make up a dataset: a shapefile's or MapInfo table's sidecars too."""
    suffixes = _PARTS.get(path.suffix.lower())
    if suffixes is None:
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
