"""GDAL vector formats through pyogrio: GeoPackage, Shapefile (also zipped), GeoJSON,
FlatGeobuf, KML.

Layers are read with Arrow where it works; curved geometries (CurvePolygon,
CompoundCurve, ...), which shapely cannot hold, are read again through pyogrio's
non-Arrow path, which linearises them. Every GDAL or geometry failure becomes
an ``LztInputError`` naming the file.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError
from pyproj import CRS

from layers import encoding as enc
from layers.spec import LoadedLayer, ReadOptions
from lzt.core.errors import LztInputError

GDAL_ERRORS = (DataSourceError, DataLayerError, FieldError, GeometryError, RuntimeError, ValueError,
               IndexError, OSError)


@contextlib.contextmanager
def _gdal_config(**options):
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({k: None for k in options})


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def list_layers(path: Path, display: str | None = None) -> list[tuple[str, str | None]]:
    """(name, geometry type) of each layer in a GDAL source."""
    try:
        return [(str(n), None if t is None else str(t)) for n, t in pyogrio.list_layers(path)]
    except GDAL_ERRORS as exc:
        raise LztInputError(display or path, f"cannot open: {_short(exc)}") from None


def read_layer(path: str | Path, layer: str | None, display: Path, *, encoding: str | None = None,
               **gdal_options) -> tuple[gpd.GeoDataFrame, dict[str, int]]:
    """One layer as a GeoDataFrame (in the file's CRS) and read statistics."""
    stats: dict[str, int] = {}
    kwargs = dict(layer=layer, encoding=encoding, **gdal_options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            try:
                df = pyogrio.read_dataframe(path, use_arrow=True, **kwargs)
            except NotImplementedError:  # curved geometries: the non-Arrow path linearises
                df = pyogrio.read_dataframe(path, use_arrow=False, **kwargs)
                stats["curves_linearised"] = len(df)
        except GDAL_ERRORS as exc:
            raise LztInputError(display, f"cannot read{f' layer {layer!r}' if layer else ''}: "
                                         f"{_short(exc)}") from None
        except Exception as exc:  # shapely on geometry it cannot represent (TIN, MultiPatch)
            if "WKB type" in str(exc) or "GEOS" in type(exc).__name__:
                raise LztInputError(display, "contains geometry lzt cannot represent (e.g. TIN or "
                                             f"MultiPatch surfaces): {_short(exc)}") from None
            raise
    if not isinstance(df, gpd.GeoDataFrame):  # an attribute table without geometry
        df = gpd.GeoDataFrame(df, geometry=gpd.GeoSeries([None] * len(df)))
    return df, stats


def _crs_of(gdf: gpd.GeoDataFrame) -> CRS | None:
    return None if gdf.crs is None else CRS.from_user_input(gdf.crs)


def read_gdal(path: Path, options: ReadOptions) -> list[LoadedLayer]:
    """GeoPackage, GeoJSON, FlatGeobuf, KML: one layer or all of them."""
    layers = list_layers(path)
    if not layers:
        raise LztInputError(path, "contains no layers")
    names = [n for n, _ in layers]
    if options.layer is not None:
        if options.layer not in names:
            raise LztInputError(path, f"has no layer {options.layer!r} (layers: {', '.join(names)})")
        names = [options.layer]
    out = []
    for name in names:
        gdf, stats = read_layer(path, name if len(layers) > 1 or options.layer else None, path,
                                encoding=options.encoding)
        stem = path.stem if len(layers) == 1 else name
        out.append(LoadedLayer(name=stem, gdf=gdf, crs=_crs_of(gdf), source=path, source_layer=name,
                               encoding=options.encoding, stats=stats))
    return out


def _shapefile_encoding(dbf_bytes: bytes | None, has_cpg: bool, options: ReadOptions,
                        display: Path) -> tuple[str | None, list[str]]:
    if options.encoding:
        return options.encoding, []
    if has_cpg or not dbf_bytes:
        return None, []  # GDAL honours the .cpg
    found, confident = enc.detect(enc.dbf_text_bytes(dbf_bytes))
    if found is None:
        raise LztInputError(display, "unknown attribute encoding (no .cpg); give it with --encoding")
    warns = [] if found in ("utf-8", "utf-8-sig") else [
        f"no .cpg: attribute encoding detected as {found}" + ("" if confident else " (uncertain)")]
    return found, warns


def read_shapefile(path: Path, options: ReadOptions) -> list[LoadedLayer]:
    """A .shp with its sidecars; encoding from .cpg or detected; missing .shx restored."""
    dbf = next((p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.exists()), None)
    has_cpg = any(path.with_suffix(s).exists() for s in (".cpg", ".CPG"))
    encoding, warns = _shapefile_encoding(dbf.read_bytes() if dbf else None, has_cpg, options, path)
    shx_missing = not any(path.with_suffix(s).exists() for s in (".shx", ".SHX"))
    if shx_missing:
        # GDAL rebuilds a missing .shx next to the .shp: do it in a private copy,
        # never in the user's folder.
        warns.append("the .shx index is missing: rebuilt (in a temporary copy) from the .shp")
        with tempfile.TemporaryDirectory() as tmp:
            for part in path.parent.glob(path.stem + ".*"):
                shutil.copy(part, Path(tmp) / part.name)
            with _gdal_config(SHAPE_RESTORE_SHX="YES"):
                gdf, stats = read_layer(Path(tmp) / path.name, None, path, encoding=encoding)
    else:
        gdf, stats = read_layer(path, None, path, encoding=encoding)
    return [LoadedLayer(name=path.stem, gdf=gdf, crs=_crs_of(gdf), source=path, encoding=encoding or
                        ("from .cpg" if has_cpg else None), warnings=warns, stats=stats)]


def read_zip(path: Path, options: ReadOptions) -> list[LoadedLayer]:
    """Shapefiles (or other GDAL files) inside a .zip, read through /vsizip/."""
    try:
        with zipfile.ZipFile(path) as z:
            members = z.namelist()
            shps = [m for m in members if m.lower().endswith(".shp") and not m.startswith("__MACOSX")]
            others = [m for m in members if Path(m).suffix.lower() in (".gpkg", ".geojson", ".fgb", ".kml")]
            if not shps and not others:
                raise LztInputError(path, "the zip holds no shapefile or other vector file")
            out = []
            for m in shps:
                if options.layer and Path(m).stem != options.layer:
                    continue
                stem = m[:-4]
                names = {n.lower(): n for n in members}
                dbf = names.get((stem + ".dbf").lower())
                has_cpg = (stem + ".cpg").lower() in names
                encoding, warns = _shapefile_encoding(z.read(dbf) if dbf else None, has_cpg, options, path)
                vsi = f"/vsizip/{path.resolve()}/{m}"
                gdf, stats = read_layer(vsi, None, path, encoding=encoding)
                out.append(LoadedLayer(name=Path(m).stem, gdf=gdf, crs=_crs_of(gdf), source=path,
                                       source_layer=Path(m).stem, encoding=encoding, warnings=warns,
                                       stats=stats))
            for m in others:
                for ll in read_gdal(Path(f"/vsizip/{path.resolve()}/{m}"), options):
                    ll.source = path
                    out.append(ll)
    except zipfile.BadZipFile as exc:
        raise LztInputError(path, f"not a readable zip file: {exc}") from None
    if not out:
        raise LztInputError(path, f"no layer {options.layer!r} in the zip")
    return out
