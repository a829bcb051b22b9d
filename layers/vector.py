"""GDAL vector formats through pyogrio: GeoPackage, Shapefile (also zipped), GeoJSON,
FlatGeobuf, KML, MapInfo.

Layers are read with Arrow. Curved geometries (CurvePolygon, CompoundCurve,
CircularString, MultiCurve, MultiSurface), which shapely cannot hold and pyogrio's
Arrow path refuses, are read again through pyogrio's row path, which linearises them
(OGR_G_GetLinearGeometry); how many rows were curved is asked of GDAL (OGR SQL
``OGR_GEOMETRY``) and reported as ``stats['curves_linearised']``. Geometry shapely
cannot represent at all (TIN, PolyhedralSurface: ArcGIS MultiPatch) is refused. Invalid
geometries are passed on as they are (ingest repairs them). Every GDAL failure becomes
an ``LztInputError`` naming the file; nothing is ever written next to the user's files.

Shapefile attribute encoding: ``ReadOptions.encoding``, else the ``.cpg`` when the DBF
text decodes with it, else detection (``layers.encoding``); the encoding used is always
handed to GDAL explicitly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import shutil
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError
from shapely.errors import ShapelyError

from layers import encoding as enc
from layers import formats
from layers.spec import LoadedLayer, ReadOptions
from lzt.core.errors import LztInputError

GDAL_ERRORS = (DataSourceError, DataLayerError, FieldError, GeometryError, RuntimeError, ValueError,
               IndexError, KeyError, OSError, UnicodeError)
CURVED = {"CIRCULARSTRING", "COMPOUNDCURVE", "CURVEPOLYGON", "MULTICURVE", "MULTISURFACE", "CURVE",
          "SURFACE"}
ZIP_MEMBERS = tuple(s for f in formats.TABLE if f.in_zip for s in f.suffixes)  # searched in this order
_DBF_SAMPLE = 4_000_000  # bytes of a DBF looked at for encoding detection


@contextlib.contextmanager
def _gdal_config(**options):
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({k: None for k in options})


def short(exc: BaseException) -> str:
    """An exception as one short line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _crs(gdf):
    from pyproj import CRS

    return None if gdf.crs is None else CRS.from_user_input(gdf.crs)


def _geometry_types(src, layer: str | None) -> dict[str, int]:
    """{OGR geometry type name: rows} of a layer, asked of GDAL (geometry not decoded)."""
    try:
        name = layer or str(pyogrio.list_layers(src)[0][0])
        df = pyogrio.read_dataframe(src, sql=f'SELECT OGR_GEOMETRY AS t FROM "{name}"',
                                    sql_dialect="OGRSQL", read_geometry=False)
        return {str(k).upper(): int(v) for k, v in df["t"].value_counts().items()}
    except Exception:  # only used to explain or count: never fatal
        return {}


def geometry_stats(gdf: gpd.GeoDataFrame) -> dict[str, int]:
    """null_geometries / empty_geometries of a frame."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    missing = shapely.is_missing(geoms)
    empty = int(shapely.is_empty(geoms[~missing]).sum()) if len(geoms) else 0
    return {"null_geometries": int(missing.sum()), "empty_geometries": empty}


def read_layer(src, layer: str | None, display, *, encoding: str | None = None, notes: list[str] | None = None,
               **dataset_options) -> tuple[gpd.GeoDataFrame, dict[str, int]]:
    """One layer as a GeoDataFrame (in the file's CRS) and read statistics.

    ``src`` is a path, a /vsizip/ path or bytes; ``display`` names the file in errors.
    Warnings the reader raises are not let through: they are appended to ``notes`` in
    lzt's words (and list/object fields become JSON text, see ``json_columns``).
    """
    stats: dict[str, int] = {}
    what = f"layer {layer!r}" if layer else "it"
    kwargs = dict(layer=layer, encoding=encoding, **dataset_options)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            try:
                df = pyogrio.read_dataframe(src, use_arrow=True, **kwargs)
            except (NotImplementedError, ShapelyError):
                # Curves (which the Arrow path refuses) or a WKB shapely cannot decode: the row
                # path linearises curves; what it still cannot decode is explained below.
                try:
                    df = pyogrio.read_dataframe(src, use_arrow=False, **kwargs)
                except ShapelyError as exc:
                    types = sorted(t for t in _geometry_types(src, layer) if t not in CURVED)
                    raise LztInputError(display, _unsupported(types, exc)) from None
                curved = {t: n for t, n in _geometry_types(src, layer).items() if t in CURVED}
                stats["curves_linearised"] = sum(curved.values())
        except LztInputError:
            raise
        except GDAL_ERRORS as exc:
            if isinstance(exc, UnicodeError) or "not encoded in UTF-8" in str(exc):
                raise LztInputError(display, f"cannot read {what}: its text is not valid "
                                             f"{encoding or 'UTF-8'}; give the encoding") from None
            raise LztInputError(display, f"cannot read {what}: {short(exc)}") from None
    if not isinstance(df, gpd.GeoDataFrame):  # a table without geometry
        df = gpd.GeoDataFrame(df, geometry=gpd.GeoSeries([None] * len(df), index=df.index))
    said, unparsed = reader_warnings(caught)
    df, listed = json_columns(df, unparsed)
    if notes is not None:
        if listed:
            many = len(listed) > 1
            notes.append(f"{'fields' if many else 'field'} {', '.join(map(repr, listed))} "
                         f"{'hold' if many else 'holds'} lists or objects (in some features at least): "
                         "stored as JSON text, empty lists as empty values")
        notes += said
    stats.update(geometry_stats(df))
    return df, stats


_JSON_UNPARSED = re.compile(r"Could not parse column '(.+)' as JSON")


def reader_warnings(caught) -> tuple[list[str], set[str]]:
    """Warnings pyogrio/GDAL raised while reading, in lzt's words (deduplicated), and the
    columns pyogrio could not parse as JSON (lists in some features, text in others)."""
    said, unparsed = [], set()
    for w in caught:
        text = " ".join(str(w.message).split())
        m = _JSON_UNPARSED.search(text)
        if m:
            unparsed.add(m.group(1))
            continue
        if text.startswith("Error parsing datetimes"):
            line = "some date/time values could not be read as dates: that field is kept as text"
        else:
            line = f"the GDAL reader warned: {text if len(text) <= 200 else text[:197] + '...'}"
        if line not in said:
            said.append(line)
    return said, unparsed


def _json_value(v):
    if isinstance(v, np.ndarray):
        v = v.tolist()
    if isinstance(v, str) and v.lstrip()[:1] in ("[", "{"):
        try:
            v = json.loads(v)
        except ValueError:
            return v
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(v, ensure_ascii=False, default=str) if len(v) else None
    return v


def json_columns(df: gpd.GeoDataFrame, unparsed: set[str] = frozenset()) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Columns holding lists or objects (GeoJSON arrays such as Amap's ``"address": []`` or
    DataV's ``acroutes``; GDAL list fields) as JSON text, empty ones as NULL; ``unparsed``
    columns (mixed lists and text, left as GDAL's text by pyogrio) parsed per value.
    Returns the frame and the columns changed."""
    changed = []
    geom = df.geometry.name
    for c in df.columns:
        if c == geom or df[c].dtype != object:
            continue
        col = df[c]
        nested = col.map(lambda v: isinstance(v, (list, tuple, dict, np.ndarray))).any()
        if not nested and c not in unparsed:
            continue
        new = col.map(_json_value)
        if not new.equals(col):
            df = df.copy() if not changed else df
            df[c] = new
            changed.append(str(c))
    return df, changed


def _unsupported(types: list[str], exc: BaseException) -> str:
    named = [t for t in types if t in ("TIN", "POLYHEDRALSURFACE", "TRIANGLE")] or types
    what = ", ".join(named) if named else "some"
    return (f"contains {what} geometries (3D surfaces such as ArcGIS MultiPatch), which lzt "
            f"cannot read; convert them to polygons first ({short(exc)})")


def _layer_warnings(gdf: gpd.GeoDataFrame, stats: dict[str, int], has_geometry: bool) -> list[str]:
    n = len(gdf)
    out = []
    if not has_geometry:
        out.append("has no geometry column: attributes only, no locations")
    elif n and stats.get("null_geometries") == n:
        out.append(f"all {n} rows have no geometry (NULL): attributes only")
    elif n and stats.get("empty_geometries", 0) + stats.get("null_geometries", 0) == n:
        out.append(f"all {n} geometries are empty or NULL: no locations")
    if stats.get("curves_linearised"):
        out.append(f"{stats['curves_linearised']} curved geometries linearised")
    return out


def _with_src_crs(gdf, crs, options: ReadOptions, display, warns: list[str]):
    """The caller's CRS, when given, replaces the file's (no reprojection)."""
    if options.src_crs is None:
        return gdf, crs
    from lzt.core.crs import parse_crs

    given = parse_crs(options.src_crs, source="src_crs")
    if crs is not None and not crs.equals(given):
        warns.append(f"the file says its CRS is {crs.name}; taken as {given.name} as asked")
    return gdf.set_crs(given, allow_override=True), given


def read_gdal(path: Path, options: ReadOptions, *, src=None, display: Path | None = None
              ) -> list[LoadedLayer]:
    """GeoPackage, GeoJSON, FlatGeobuf, KML, MapInfo: one layer or all of them."""
    src = path if src is None else src
    display = display or path
    try:
        layers = [(str(n), t) for n, t in pyogrio.list_layers(src)]
    except GDAL_ERRORS as exc:
        raise LztInputError(display, f"cannot open: {short(exc)}") from None
    if not layers:
        raise LztInputError(display, "contains no layers (an empty or damaged file)")
    names = [n for n, _ in layers]
    if options.layer is not None:
        if options.layer not in names:
            raise LztInputError(display, f"has no layer {options.layer!r} (layers: {', '.join(names)})")
        names = [options.layer]
    # GeoPackage, GeoJSON and FlatGeobuf are UTF-8 by definition; MapInfo declares a charset,
    # but "Neutral" ones may hold anything: there the caller's encoding is used.
    text_enc = options.encoding if path.suffix.lower() in (".tab", ".mif") else None
    out, skipped = [], []
    for name in names:
        notes: list[str] = []
        gdf, stats = read_layer(src, name if len(layers) > 1 else None, display, encoding=text_enc,
                                notes=notes)
        if len(layers) > 1 and len(gdf) == 0 and path.suffix.lower() == ".kml" and not options.layer:
            skipped.append(name)  # Google Earth folders without placemarks
            continue
        geom_type = dict(layers).get(name)
        warns = notes + _layer_warnings(gdf, stats, has_geometry=geom_type is not None)
        gdf, crs = _with_src_crs(gdf, _crs(gdf), options, display, warns)
        out.append(LoadedLayer(name=path.stem if len(layers) == 1 else name, gdf=gdf, crs=crs,
                               source=display, source_layer=name, encoding=text_enc or "utf-8",
                               warnings=tuple(warns), stats=stats))
    if skipped and out:
        out[0] = dataclasses.replace(out[0], warnings=out[0].warnings + (
            f"skipped {len(skipped)} empty layers: {', '.join(skipped[:10])}",))
    if not out:
        raise LztInputError(display, "contains no features in any layer")
    return out


def _shapefile_encoding(dbf_head: bytes | None, cpg: str | None, options: ReadOptions,
                        display) -> tuple[str, list[str]]:
    """The DBF encoding to hand to GDAL, and what to tell the user about it."""
    if options.encoding:
        try:
            return enc.canonical(options.encoding), []
        except LookupError:
            raise LztInputError(display, f"unknown encoding {options.encoding!r}") from None
    sample = enc.dbf_sample(dbf_head or b"")
    if cpg is not None:
        named = enc.cpg_encoding(cpg)
        if named and enc.decodes(sample, named):
            return named, []
        found = enc.detect(sample, western=True)
        if named:
            return found, [f"the .cpg says {cpg.strip()!r} but the attributes are not {named}: "
                           f"read as {found}"]
        return found, [f".cpg {cpg.strip()!r} names no known encoding: attributes read as {found}"]
    found = enc.detect(sample, western=True)
    if found == enc.UTF8:
        return found, []
    if found == enc.GB:
        return found, [f"no .cpg: attribute encoding detected as {found} (GBK)"]
    return found, [f"no .cpg and the attributes are neither UTF-8 nor Chinese (GB18030): read as "
                   f"{found}, which may be wrong; give the encoding if text looks garbled"]


def _read_head(p: Path) -> bytes:
    with open(p, "rb") as fh:
        return fh.read(_DBF_SAMPLE)


def _sidecar(shp: Path, suffix: str) -> Path | None:
    for s in (suffix, suffix.upper()):
        if shp.with_suffix(s).exists():
            return shp.with_suffix(s)
    return None


def read_shapefile(path: Path, options: ReadOptions, *, display: Path | None = None,
                   layer_name: str | None = None) -> list[LoadedLayer]:
    """A .shp with its sidecars; encoding from .cpg or detected; a missing .shx restored."""
    display = display or path
    dbf, cpg = _sidecar(path, ".dbf"), _sidecar(path, ".cpg")
    cpg_text = cpg.read_bytes().decode("ascii", "replace") if cpg else None
    encoding, warns = _shapefile_encoding(_read_head(dbf) if dbf else None, cpg_text, options, display)
    if dbf is None:
        warns.append("no .dbf next to the .shp: geometry only, no attributes")
    if _sidecar(path, ".shx") is None:
        # GDAL rebuilds a missing .shx next to the .shp: do it in a private copy,
        # never in the user's folder (which may be read-only).
        warns.append("the .shx index is missing: rebuilt from the .shp (in a temporary copy)")
        with tempfile.TemporaryDirectory() as tmp:
            for part in path.parent.iterdir():
                if part.stem == path.stem and part.is_file():
                    shutil.copy(part, Path(tmp) / part.name)
            with _gdal_config(SHAPE_RESTORE_SHX="YES"):
                gdf, stats = read_layer(Path(tmp) / path.name, None, display, encoding=encoding, notes=warns)
    else:
        gdf, stats = read_layer(path, None, display, encoding=encoding, notes=warns)
    warns += _layer_warnings(gdf, stats, has_geometry=True)
    gdf, crs = _with_src_crs(gdf, _crs(gdf), options, display, warns)
    return [LoadedLayer(name=layer_name or path.stem, gdf=gdf, crs=crs, source=display,
                        source_layer=layer_name, encoding=encoding, warnings=tuple(warns),
                        stats=stats)]


def _zip_display_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it: names without the UTF-8 flag are stored in
    the creator's code page (GBK on Chinese Windows), which zipfile reads as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", "replace")
    for codec in (enc.UTF8, enc.GB):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    return info.filename


def read_zip(path: Path, options: ReadOptions, *, display: Path | None = None) -> list[LoadedLayer]:
    """Shapefiles (or GeoPackage/GeoJSON/FlatGeobuf/KML/MapInfo files) inside a .zip.

    Read through GDAL's /vsizip/ (whose default member-name code page, CP437, is the one
    zipfile uses, so the names agree); a shapefile without .shx is extracted to a
    temporary folder first, because GDAL must write the rebuilt index. ``display`` names the
    file in messages (``path`` may be a temporary link to it).
    """
    display = display or path
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise LztInputError(display, f"not a readable ZIP file: {short(exc)}") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and "__MACOSX" not in i.filename
                 and not Path(i.filename).name.startswith("._")]
        by_lower = {i.filename.lower(): i for i in infos}
        members = [i for i in infos if Path(i.filename).suffix.lower() in ZIP_MEMBERS]
        if not members:
            raise LztInputError(display, "the ZIP holds no shapefile or other vector file (looked for "
                                      f"{', '.join(ZIP_MEMBERS)})")
        stems = [Path(_zip_display_name(i)).stem for i in members]
        out: list[LoadedLayer] = []
        for info, stem in zip(members, stems):
            display_name = stem if stems.count(stem) == 1 else _zip_display_name(info).rsplit(".", 1)[0]
            if options.layer and options.layer not in (stem, display_name):
                continue
            vsi = f"/vsizip/{path.absolute()}/{info.filename}"  # not resolve(): path may be a link
            try:
                if info.filename.lower().endswith(".shp"):
                    out += _zip_shapefile(zf, display, info, by_lower, vsi, display_name, options)
                else:
                    sub = dataclasses.replace(options, layer=None)
                    lls = read_gdal(Path(info.filename), sub, src=vsi, display=display)
                    if len(lls) == 1:
                        lls = [dataclasses.replace(lls[0], name=display_name)]
                    out += lls
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                raise LztInputError(display, f"cannot read {info.filename}: {short(exc)}") from None
    if not out:
        found = ", ".join(sorted(set(stems)))
        raise LztInputError(display, f"has no layer {options.layer!r} (it holds: {found})")
    return out


def _zip_shapefile(zf: zipfile.ZipFile, path: Path, info: zipfile.ZipInfo, by_lower: dict, vsi: str,
                   name: str, options: ReadOptions) -> list[LoadedLayer]:
    stem = info.filename[:-4]
    part = {s: by_lower.get((stem + s).lower()) for s in (".dbf", ".shx", ".cpg", ".prj")}
    if part[".shx"] is None:
        with tempfile.TemporaryDirectory() as tmp:
            for s, i in [(".shp", info)] + [(s, i) for s, i in part.items() if i is not None]:
                with zf.open(i) as src, open(Path(tmp) / f"layer{s}", "wb") as dst:
                    shutil.copyfileobj(src, dst)
            return read_shapefile(Path(tmp) / "layer.shp", options, display=path, layer_name=name)
    dbf_head = None
    if part[".dbf"] is not None:
        with zf.open(part[".dbf"]) as fh:
            dbf_head = fh.read(_DBF_SAMPLE)
    cpg = zf.read(part[".cpg"]).decode("ascii", "replace") if part[".cpg"] is not None else None
    encoding, warns = _shapefile_encoding(dbf_head, cpg, options, path)
    if part[".dbf"] is None:
        warns.append(f"no .dbf for {info.filename} in the ZIP: geometry only, no attributes")
    gdf, stats = read_layer(vsi, None, path, encoding=encoding, notes=warns)
    warns += _layer_warnings(gdf, stats, has_geometry=True)
    gdf, crs = _with_src_crs(gdf, _crs(gdf), options, path, warns)
    return [LoadedLayer(name=name, gdf=gdf, crs=crs, source=path, source_layer=name,
                        encoding=encoding, warnings=tuple(warns), stats=stats)]
