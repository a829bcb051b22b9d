"""Write features out of the workspace: GeoPackage, Shapefile, GeoJSON, FlatGeobuf, CSV, XLSX.

Spatial formats go through GDAL (pyogrio). GeoPackages are written as GPKG 1.3
so that the QGIS our users have (3.22) opens them without a warning. Shapefiles
get a ``.cpg`` (UTF-8) so Chinese attributes survive. CSV carries WKT, or x/y
columns for point layers (UTF-8 with BOM, which Excel on Chinese Windows reads
correctly); XLSX carries x/y for points and WKT otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers import formats
from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError
from lzt.core.sqlite_files import refuse_if_held
from lzt.workspace.base import Workspace

#: suffix -> GDAL driver ("CSV"/"XLSX": written by pandas), from the format table
FORMATS = {s: f.driver for s, f in formats.export_formats("vector", "table").items()}
XLSX_MAX_ROWS = 1_048_575


def export_features(gdf: gpd.GeoDataFrame, out: str | Path, *, crs: str | None = None,
                    layer: str | None = None) -> Path:
    """Write ``gdf`` to ``out`` (format from the suffix), reprojected to ``crs`` if given.

    The file appears complete or not at all: it is written beside the target
    and moved into place.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise LztInputError(out, f"unknown output format {suffix or '(none)'}; use one of "
                                 f"{', '.join(sorted(FORMATS))}")
    if not out.parent.exists():
        raise LztInputError(out, f"folder {out.parent} does not exist")
    refuse_if_held(out, "export over")  # replacing it would cut the open workspace off its file
    if crs:
        target = crsmod.parse_crs(crs, source="--crs")
        gdf = gdf.to_crs(target)
        if not np.isfinite(gdf.total_bounds).all() and len(gdf.geometry.dropna()):
            raise LztInputError("--crs", f"the data cannot be expressed in {crs}")
    gdf = _plain_columns(gdf)
    layer = layer or out.stem
    tmpdir = out.parent
    tmp = tmpdir / f".{out.stem}.lzt-tmp{suffix}"
    _remove_dataset(tmp)
    try:
        if suffix in (".csv", ".xlsx"):
            _write_table(gdf, tmp, suffix)
        else:
            _write_gdal(gdf, tmp, FORMATS[suffix], layer)
        if suffix == ".shp":  # parts the new file may not have (.cpg, .qix) must not stay beside it
            _remove_dataset(out)
        # single files: os.replace swaps the old one for the new at once, so a failure (or the
        # export child killed) before it leaves the old file as it was, not nothing
        for part in _dataset_parts(tmp):
            os.replace(part, out.with_suffix(part.suffix) if suffix == ".shp" else out)
    except LztInputError:
        _remove_dataset(tmp)
        raise
    except Exception as exc:  # GDAL/driver failures are reported against the output
        _remove_dataset(tmp)
        raise LztInputError(out, f"cannot write: {exc}") from None
    return out


def _plain_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Nullable extension dtypes -> plain numpy/object so every driver accepts them."""
    gdf = gdf.copy()
    for c in gdf.columns:
        if c == gdf.geometry.name:
            continue
        s = gdf[c]
        if isinstance(s.dtype, pd.BooleanDtype):
            gdf[c] = s.astype(object).where(s.notna(), None)
        elif isinstance(s.dtype, pd.core.arrays.integer.IntegerDtype):
            gdf[c] = s.astype("float64") if s.isna().any() else s.astype("int64")
        elif pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
            gdf[c] = s.astype(object).where(s.notna(), None)
    return gdf


def _write_gdal(gdf: gpd.GeoDataFrame, path: Path, driver: str, layer: str) -> None:
    import pyogrio

    kwargs: dict = {}
    if driver == "GPKG":
        kwargs["dataset_options"] = {"VERSION": "1.3"}
        kwargs["layer"] = layer
    elif driver == "ESRI Shapefile":
        kwargs["encoding"] = "UTF-8"  # GDAL writes the .cpg
        gdf = _shapefile_dates(gdf).rename(columns=shapefile_field_names(gdf.columns, gdf.geometry.name))
        kinds = set(gdf.geometry.geom_type.dropna())
        if len({k.replace("Multi", "") for k in kinds}) > 1:
            raise LztInputError(path.with_name(path.name.replace(".lzt-tmp", "")[1:]),
                                f"a Shapefile holds one geometry type, the layer has {sorted(kinds)}")
    elif driver == "FlatGeobuf":
        kwargs["layer_options"] = {"SPATIAL_INDEX": "YES"}
    elif driver == "GeoJSON":
        kwargs["layer_options"] = {"RFC7946": "NO", "WRITE_NAME": "NO"}
    pyogrio.write_dataframe(gdf.reset_index(), path, driver=driver, **kwargs)


def shapefile_field_names(columns, geometry: str = "geometry") -> dict[str, str]:
    """The columns a Shapefile cannot hold as named (DBF: 10 bytes in UTF-8) -> unique short names."""
    names = [str(c) for c in columns if c != geometry]
    taken, renamed = set(), {}
    for name in names:  # names that fit keep them, whatever their place in the list
        if len(name.encode("utf-8")) <= 10 and name.lower() not in taken:
            taken.add(name.lower())
    kept = set()
    for name in names:
        if len(name.encode("utf-8")) <= 10 and name.lower() not in kept:
            kept.add(name.lower())
            continue
        stem, i = _utf8_prefix(name, 10), 1
        short = stem
        while short.lower() in taken:
            tail = f"_{i}"
            short, i = _utf8_prefix(name, 10 - len(tail)) + tail, i + 1
        taken.add(short.lower())
        renamed[name] = short
    return renamed


def _utf8_prefix(text: str, limit: int) -> str:
    """The longest prefix of ``text`` within ``limit`` UTF-8 bytes (whole characters only)."""
    out = ""
    for ch in text:
        if len((out + ch).encode("utf-8")) > limit:
            break
        out += ch
    return out


def _shapefile_dates(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """DBF has dates but no date-times: midnight-only columns become dates, others ISO text."""
    gdf = gdf.copy()
    for c in gdf.columns:
        if c != gdf.geometry.name and pd.api.types.is_datetime64_any_dtype(gdf[c]):
            s = gdf[c]
            if (s.dropna() == s.dropna().dt.normalize()).all():
                gdf[c] = s.dt.date.astype(object).where(s.notna(), None)
            else:
                gdf[c] = s.dt.strftime("%Y-%m-%dT%H:%M:%S").astype(object).where(s.notna(), None)
    return gdf


def _write_table(gdf: gpd.GeoDataFrame, path: Path, suffix: str) -> None:
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    df = pd.DataFrame(gdf.drop(columns=[gdf.geometry.name])).reset_index()
    present = ~shapely.is_missing(geoms)
    points = present.any() and (shapely.get_type_id(geoms[present]) == 0).all()
    if points:
        df["x"], df["y"] = shapely.get_x(geoms), shapely.get_y(geoms)
    else:
        df["wkt"] = shapely.to_wkt(geoms, rounding_precision=3)
    if suffix == ".csv":
        df.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        if len(df) > XLSX_MAX_ROWS:
            raise LztInputError(path.with_name(path.name.replace(".lzt-tmp", "")[1:]),
                                f"{len(df)} rows exceed Excel's limit of {XLSX_MAX_ROWS}; "
                                "export to CSV or filter with --where/--bbox")
        for c in df.columns:
            if pd.api.types.is_datetime64_any_dtype(df[c]) and getattr(df[c].dt, "tz", None) is not None:
                df[c] = df[c].dt.tz_localize(None)
        df.to_excel(path, index=False, engine="openpyxl")


def _dataset_parts(path: Path) -> list[Path]:
    if path.suffix.lower() == ".shp":
        return [p for p in path.parent.glob(path.stem + ".*") if p.suffix.lower() in
                (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix")]
    return [path] if path.exists() else []


def _remove_dataset(path: Path) -> None:
    for p in _dataset_parts(path):
        p.unlink(missing_ok=True)


def for_output(ws: Workspace, layer: str, gdf: gpd.GeoDataFrame, *, unmasked: bool = False, purpose: str = "export",
               target: str | None = None) -> gpd.GeoDataFrame:
    """Features of ``layer`` about to leave the workspace: personal data masked when the layer
    is personal (``lzt.workspace.personal``: complaints and every layer derived from them),
    unless ``unmasked``, which is written to the workspace's audit log."""
    from lzt.analysis.masking import mask_layer_rows
    from lzt.workspace.personal import layer_is_personal

    if not layer_is_personal(ws.layer(layer)):
        return gdf
    if unmasked:
        ws.audit(f"{purpose}_unmasked", {"layer": layer, "rows": len(gdf), "target": target})
        return gdf
    return mask_layer_rows(ws, layer, gdf)
