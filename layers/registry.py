"""Choose a reader for a file by its suffix and its first bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from layers.spec import LoadedLayer, ReadOptions
from lzt.core.errors import LztInputError

_GDAL = {".gpkg", ".geojson", ".json", ".fgb", ".kml", ".gml", ".gpx"}
_TABLES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"}
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_MAGIC = {b"SQLite format 3\x00": ".gpkg", b"PK\x03\x04": ".zip"}


def supported_suffixes() -> list[str]:
    """Vector/table suffixes lzt reads."""
    return sorted(_GDAL | _TABLES | {".shp", ".zip"})


def sniff(path: Path) -> str:
    """The format suffix by content when it disagrees with (or lacks) the name's suffix."""
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise LztInputError(path, f"cannot read: {exc.strerror}") from None
    if head[:3] == b"fgb" and head[4:7] == b"fgb":  # FlatGeobuf: 'fgb' version 'fgb' patch
        return ".fgb"
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            if kind == ".zip" and suffix in (".xlsx", ".xlsm"):
                return suffix  # an xlsx is a zip too
            return kind
    if suffix in (".gpkg", ".fgb", ".zip", ".xlsx", ".xlsm") and head:
        raise LztInputError(path, f"is not a {suffix[1:].upper()} file (its content does not match)")
    return suffix


def read_vector(path: str | Path, options: ReadOptions = ReadOptions()) -> list[LoadedLayer]:
    """Read every (or the chosen) layer of a vector or table file."""
    from layers import tables, vector

    path = Path(path)
    if not path.exists():
        raise LztInputError(path, "no such file")
    if path.stat().st_size == 0:
        raise LztInputError(path, "is empty (0 bytes)")
    kind = sniff(path)
    if kind == ".shp":
        return vector.read_shapefile(path, options)
    if kind == ".zip":
        return vector.read_zip(path, options)
    if kind in _TABLES:
        return tables.read_table(path, options)
    if kind in _GDAL:
        return vector.read_gdal(path, options)
    raise LztInputError(path, f"unsupported format {path.suffix or '(no suffix)'}; lzt reads "
                              f"{', '.join(supported_suffixes())} and GeoTIFF rasters")


def sha256_of(path: str | Path) -> str:
    """SHA-256 of a file; for a shapefile, of its parts together (.shp .shx .dbf .prj .cpg)."""
    path = Path(path)
    parts = [path]
    if path.suffix.lower() == ".shp":
        parts = [p for s in _SHAPEFILE_PARTS for p in (path.with_suffix(s),) if p.exists()]
    h = hashlib.sha256()
    for p in parts:
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()
