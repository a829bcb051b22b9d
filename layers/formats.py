"""The one table of file formats lzt knows: what each is, how its content is recognised,
which reader takes it, what it is called (Chinese and English) and how it is written.

Every way in and out derives its list from ``TABLE``: the readers' dispatch
(``layers.registry``), ``lzt import`` and ``lzt bim`` (search and help), the GUI's file
dialog and drop handler, the export formats of ``lzt export`` and the export dialog,
and ``lzt formats``. Adding a format is one ``Format`` entry here (plus its reader when
none of the existing ones opens it).

Kinds: "vector" and "table" (read by ``layers.registry.read_vector``), "raster" (stored as
a raster layer), "bim" (models for ``lzt bim``), "other" (recognised only to be refused
with advice). The next kind is "service" (remote sources: WMTS/WMS/XYZ, OGC API).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

KINDS = ("vector", "table", "raster", "bim", "other")
READABLE_KINDS = ("vector", "table", "raster", "bim")
KIND_LABELS = {"vector": ("矢量", "vector"), "table": ("表格", "table"), "raster": ("栅格", "raster"),
               "bim": ("BIM 模型", "BIM model"), "other": ("其他", "other")}


@dataclass(frozen=True)
class Format:
    """One file format.

    ``suffixes``: the names it goes by, the first canonical; ``same_as``: another entry
    this one is a flavour of (a file named one and holding the other is not misnamed);
    ``magic``: leading bytes that identify the content (other content tests live in
    ``layers.registry.sniff``); ``strict``: the name used when content must match the
    suffix ("is not a ... file"); ``reader``: "gdal", "shapefile", "zip", "table",
    "raster" or "bim" (None: not read); ``parts``: the sidecar files of one dataset;
    ``in_zip``: looked for inside a ZIP; ``driver``/``writes``: how and under which
    suffixes it is exported; ``named``: other suffixes its files commonly carry without
    being misnamed (CityJSON as ``.json``).
    """

    kind: str
    suffixes: tuple[str, ...]
    en: str
    zh: str
    reader: str | None = None
    magic: tuple[bytes, ...] = ()
    same_as: str | None = None
    strict: str | None = None
    parts: tuple[str, ...] = ()
    in_zip: bool = False
    driver: str | None = None
    writes: tuple[str, ...] = ()
    named: tuple[str, ...] = ()
    name: str | None = None

    @property
    def key(self) -> str:
        """The canonical suffix (or the name of a format known only by its content)."""
        return self.name or self.suffixes[0]

    def label(self, lang: str = "zh") -> str:
        """The name people know it by, in Chinese (``zh``) or English (``en``)."""
        return self.en if lang == "en" else self.zh

    def to_json(self) -> dict:
        """The record ``lzt formats --json`` prints."""
        return {"format": self.key, "kind": self.kind, "suffixes": list(self.suffixes), "label_en": self.en,
                "label_zh": self.zh, "read": self.reader is not None, "export": list(self.writes)}


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

TABLE: tuple[Format, ...] = (
    # vector (GeoPackage first: the default export)
    Format("vector", (".gpkg",), "GeoPackage", "GeoPackage", "gdal", magic=(b"SQLite format 3\x00",),
           strict="GeoPackage", in_zip=True, driver="GPKG", writes=(".gpkg",)),
    Format("vector", (".shp",), "shapefile", "Shapefile", "shapefile", strict="shapefile",
           parts=(".shp", ".shx", ".dbf", ".prj", ".cpg"), in_zip=True, driver="ESRI Shapefile",
           writes=(".shp",)),
    Format("vector", (".geojson",), "GeoJSON", "GeoJSON", "gdal", in_zip=True, driver="GeoJSON",
           writes=(".geojson",)),
    Format("vector", (".json",), "JSON", "JSON", "gdal", same_as=".geojson", in_zip=True, driver="GeoJSON",
           writes=(".json",)),
    Format("vector", (".fgb",), "FlatGeobuf", "FlatGeobuf", "gdal", strict="FlatGeobuf", in_zip=True,
           driver="FlatGeobuf", writes=(".fgb",)),
    Format("vector", (".kml",), "KML", "KML", "gdal", in_zip=True),
    Format("vector", (".tab",), "MapInfo TAB", "MapInfo TAB 表", "gdal",
           parts=(".tab", ".dat", ".map", ".id", ".ind", ".cpg"), in_zip=True),
    Format("vector", (".mif",), "MapInfo MIF", "MapInfo MIF 交换文件", "gdal", parts=(".mif", ".mid"),
           in_zip=True),
    Format("vector", (".geojsonl", ".geojsons"), "GeoJSON text sequence", "GeoJSON 文本序列", "gdal"),
    Format("vector", (".gml",), "GML", "GML", "gdal"),
    Format("vector", (".gpx",), "GPX", "GPX 轨迹", "gdal"),
    Format("vector", (".cityjson",), "CityJSON buildings", "CityJSON 建筑", "cityjson", named=(".json", ".jsonl")),
    Format("vector", (".zip",), "ZIP", "ZIP 压缩包", "zip", strict="ZIP"),
    # tables
    Format("table", (".csv", ".txt", ".tsv"), "delimited text", "CSV 分隔符文本", "table", driver="CSV",
           writes=(".csv",)),
    Format("table", (".xlsx", ".xlsm"), "Excel workbook (XLSX)", "Excel 工作簿 (xlsx)", "table",
           strict="XLSX", driver="XLSX", writes=(".xlsx",)),
    Format("table", (".xls",), "Excel 97-2003 workbook", "Excel 97-2003 工作簿", "table", magic=(_OLE2,)),
    # rasters
    Format("raster", (".tif", ".tiff"), "GeoTIFF", "GeoTIFF", "raster",
           magic=(b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"), driver="GTiff", writes=(".tif", ".tiff")),
    Format("raster", (".img",), "ERDAS Imagine", "ERDAS Imagine", "raster", magic=(b"EHFA_HEADER_TAG",)),
    Format("raster", (".vrt",), "GDAL VRT", "GDAL VRT", "raster"),
    Format("raster", (".jp2",), "JPEG 2000", "JPEG 2000", "raster", magic=(b"\x00\x00\x00\x0cjP  \r\n\x87\n",)),
    Format("raster", (".asc",), "ASCII grid", "ASCII 格网", "raster"),
    Format("raster", (".nc",), "NetCDF/HDF5", "NetCDF/HDF5", "raster",
           magic=(b"CDF\x01", b"CDF\x02", b"\x89HDF\r\n\x1a\n")),
    Format("raster", (".dem",), "DEM raster", "DEM 栅格", "raster", same_as=".tif"),
    # offline tile packages (SQLite, told apart from a GeoPackage of features by their tables)
    Format("raster", (".mbtiles",), "MBTiles tile package", "MBTiles 瓦片包", "tiles", strict="MBTiles",
           driver="MBTiles"),
    Format("raster", (), "GeoPackage tile set", "GeoPackage 瓦片集", "tiles", name="gpkg-tiles", named=(".gpkg",),
           driver="GPKG"),
    # BIM models (read by bim_import, which recognises them by content itself)
    Format("bim", (".ifc",), "IFC model (ISO-10303-21)", "IFC 模型", "bim", magic=(b"ISO-10303-21",)),
    Format("bim", (".glb",), "glTF binary model", "glTF 二进制模型", "bim", magic=(b"glTF",)),
    Format("bim", (".gltf",), "glTF model", "glTF 模型", "bim"),
    Format("bim", (".obj",), "OBJ mesh", "OBJ 网格", "bim"),
    Format("bim", (".ply",), "PLY mesh", "PLY 网格", "bim"),
    Format("bim", (".stl",), "STL mesh", "STL 网格", "bim"),
    # recognised only to be refused with advice
    Format("other", (".pdf",), "PDF document", "PDF 文档", magic=(b"%PDF",)),
    Format("other", (".dwg",), "AutoCAD DWG drawing", "AutoCAD DWG 图纸", magic=(b"AC10",)),
    Format("other", (".html",), "web page (HTML)", "网页 (HTML)"),
    Format("other", (".xml",), "XML document", "XML 文档"),
)

_BY_SUFFIX: dict[str, Format] = {s: f for f in TABLE for s in (*f.suffixes, f.key)}


def by_suffix(suffix: str) -> Format | None:
    """The entry a suffix (".tiff", ".SHP", ...) names, or None."""
    return _BY_SUFFIX.get(suffix.lower())


def suffixes(*kinds: str, reader: str | None = None) -> list[str]:
    """Every suffix of the given kinds (all readable kinds when none), in table order;
    only those read by ``reader`` when given."""
    kinds = kinds or READABLE_KINDS
    # a format known only by its content is listed under the suffix its files carry
    return list(dict.fromkeys(s for f in TABLE if f.kind in kinds and f.reader is not None
                              and (reader is None or f.reader == reader) for s in (f.suffixes or f.named)))


def canonical(suffix: str) -> str:
    """The suffix a flavour or alias stands for (".tiff" -> ".tif", ".json" -> ".geojson")."""
    f = by_suffix(suffix)
    if f is None:
        return suffix
    return f.same_as or f.key


def tile_packages() -> dict[str, Format]:
    """Suffix -> format of the tile packages ``lzt tiles`` writes (and lzt reads as layers)."""
    return {s: f for f in TABLE if f.reader == "tiles" for s in (f.suffixes or f.named)}


def magic_bytes() -> list[tuple[bytes, str]]:
    """(leading bytes, canonical suffix) for every format recognised by its first bytes."""
    return [(m, f.key) for f in TABLE for m in f.magic]


def patterns(*kinds: str) -> str:
    """A file-dialog pattern list of the readable suffixes: ``*.shp *.gpkg ...``."""
    return " ".join("*" + s for s in suffixes(*kinds))


def listing(*kinds: str, lang: str = "en") -> str:
    """The readable formats of ``kinds`` for help texts: ``shapefile (.shp), GeoPackage (.gpkg), ...``."""
    kinds = kinds or READABLE_KINDS
    return ", ".join(f"{f.label(lang)} ({'/'.join(f.suffixes or f.named)})" for f in TABLE
                     if f.kind in kinds and f.reader is not None)


def export_formats(*kinds: str) -> dict[str, Format]:
    """Suffix -> format for everything lzt exports (of ``kinds``; all when none)."""
    return {s: f for f in TABLE if f.writes and (not kinds or f.kind in kinds) for s in f.writes}


def kind_of(fmt: str) -> str:
    """"vector", "table", "raster", "bim", "other" or "unknown" for a format (suffix)."""
    f = by_suffix(fmt) if fmt else None
    return f.kind if f else "unknown"


def label_of(fmt: str) -> str:
    """The name people know a format by ("GeoJSON", "GeoTIFF"...)."""
    f = by_suffix(fmt) if fmt else None
    return f.en if f else (fmt or "(no suffix)")


def misnamed(path: Path, fmt: str) -> bool:
    """True when ``path``'s suffix names another format than its content (``fmt``)."""
    f = by_suffix(fmt) if fmt else None
    if f is not None and path.suffix.lower() in f.named:
        return False
    return canonical(path.suffix.lower()) != canonical(fmt)


def content_note(path: Path, fmt: str) -> str | None:
    """"is GeoJSON, named .csv: read as GeoJSON" when name and content disagree."""
    if not misnamed(path, fmt):
        return None
    return f"is {label_of(fmt)}, named {path.suffix or '(no suffix)'}: read as {label_of(fmt)} (its content)"
