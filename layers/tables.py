"""CSV and Excel tables with coordinates: x/y (lon/lat) columns or a WKT column.

Column detection knows English and Chinese headers (经度/纬度, X坐标/Y坐标,
东坐标/北坐标 ...). In Chinese survey notation X is the northing and Y the
easting; when a table's "x" values look like Longgang northings (~2.5e6) and
its "y" values like eastings (~5e5), the columns are swapped and a warning
says so. Rows whose coordinates are missing or not numbers are kept, without a
location, and counted: never silently dropped.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers import encoding as enc
from layers.spec import LoadedLayer, ReadOptions
from lzt.core.errors import LztInputError

X_NAMES = ["lon", "lng", "long", "longitude", "经度", "东经", "x", "point_x", "easting", "东坐标",
           "y坐标", "横坐标", "x_coord", "xcoord", "gps_lon", "gps经度", "wgs84经度", "坐标x"]
Y_NAMES = ["lat", "latitude", "纬度", "北纬", "y", "point_y", "northing", "北坐标", "x坐标", "纵坐标",
           "y_coord", "ycoord", "gps_lat", "gps纬度", "wgs84纬度", "坐标y"]
WKT_NAMES = ["wkt", "geometry", "geom", "the_geom", "shape", "几何", "空间信息"]
# Chinese survey headers: X坐标 is the northing, Y坐标 the easting (X_NAMES/Y_NAMES above already
# map them that way); plain x/y may still be in survey order, decided from the values.


def read_table(path: Path, options: ReadOptions) -> list[LoadedLayer]:
    """A CSV/TXT/XLSX/XLS table as a point (or WKT) layer."""
    suffix = path.suffix.lower()
    warnings: list[str] = []
    used_encoding = None
    if suffix in (".xlsx", ".xlsm", ".xls"):
        df = _read_excel(path)
    else:
        df, used_encoding, warnings = _read_csv(path, options.encoding)
    df.columns = [str(c).strip() for c in df.columns]
    if df.columns.duplicated().any():
        dupes = sorted(set(df.columns[df.columns.duplicated()]))
        raise LztInputError(path, f"duplicate column names: {', '.join(dupes)}")
    gdf, kind, xf, yf, stats, more = _geometry(df, path, options)
    return [LoadedLayer(name=path.stem, gdf=gdf, crs=None, source=path, coords_kind=kind, x_field=xf,
                        y_field=yf, encoding=used_encoding, warnings=warnings + more, stats=stats)]


def _read_excel(path: Path) -> pd.DataFrame:
    try:
        return pd.read_excel(path, sheet_name=0)
    except Exception as exc:  # openpyxl/xlrd raise many types for broken files
        raise LztInputError(path, f"cannot read the spreadsheet: {' '.join(str(exc).split())[:160]}") from None


def _read_csv(path: Path, encoding: str | None) -> tuple[pd.DataFrame, str, list[str]]:
    raw = path.read_bytes()
    if not raw.strip():
        raise LztInputError(path, "is empty")
    warnings: list[str] = []
    if encoding is None:
        encoding, confident = enc.detect(raw)
        if encoding is None or not confident and encoding not in ("gb18030",):
            raise LztInputError(path, "unknown text encoding (not UTF-8 or GB18030); give it with "
                                      "--encoding")
        if encoding not in ("utf-8", "utf-8-sig"):
            warnings.append(f"text encoding detected as {encoding}")
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise LztInputError(path, f"cannot decode as {encoding}: {exc}") from None
    if "\x00" in text[:10000]:
        raise LztInputError(path, "is a binary file, not a text table")
    head = text[:20000]
    try:
        sep = csv.Sniffer().sniff(head.split("\n", 1)[0] + "\n", delimiters=",;\t|").delimiter
    except csv.Error:
        sep = ","
    try:
        buf = io.BytesIO(raw if encoding in ("utf-8", "utf-8-sig") else text.encode("utf-8"))
        try:
            df = pd.read_csv(buf, sep=sep, engine="pyarrow")
        except Exception:  # ragged rows etc.: the C parser is more forgiving, and says where
            buf.seek(0)
            df = pd.read_csv(buf, sep=sep, engine="c", on_bad_lines="error")
    except pd.errors.EmptyDataError:
        raise LztInputError(path, "has no header row") from None
    except Exception as exc:
        raise LztInputError(path, f"not a readable table: {' '.join(str(exc).split())[:160]}") from None
    return df, encoding, warnings


def _find(columns: list[str], names: list[str]) -> str | None:
    lower = {c.lower().replace(" ", ""): c for c in columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


def _numeric(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _geometry(df: pd.DataFrame, path: Path, options: ReadOptions):
    cols = list(df.columns)
    stats: dict[str, int] = {}
    warns: list[str] = []
    if options.x_field or options.y_field:
        for f in (options.x_field, options.y_field):
            if f and f not in cols:
                raise LztInputError(path, f"has no column {f!r} (columns: {', '.join(cols[:30])})")
        if not (options.x_field and options.y_field):
            raise LztInputError(path, "give both --x-field and --y-field")
        xf, yf = options.x_field, options.y_field
    else:
        xf, yf = _find(cols, X_NAMES), _find(cols, Y_NAMES)
    if xf and yf and xf != yf:
        x, y = _numeric(df[xf]), _numeric(df[yf])
        if not (options.x_field or options.y_field):
            xs, ys = np.nanmedian(x) if np.isfinite(x).any() else 0, np.nanmedian(y) if np.isfinite(y).any() else 0
            # survey order: X = northing (~2.5e6 in Longgang), Y = easting (~5e5, or 3.85e7 with zone)
            if 1e6 < xs < 1e7 and 1e5 < ys < 1e6:
                x, y, xf, yf = y, x, yf, xf
                warns.append(f"columns read in survey order: {xf} is the easting, {yf} the northing")
        bad = ~(np.isfinite(x) & np.isfinite(y))
        stats["rows_without_coords"] = int(bad.sum())
        if bad.all():
            raise LztInputError(path, f"no row has numeric coordinates in {xf}/{yf}")
        if bad.any():
            warns.append(f"{int(bad.sum())} rows have no usable coordinates; kept without a location")
        geoms = shapely.points(np.where(bad, np.nan, x), np.where(bad, np.nan, y))
        geoms[bad] = None
        ok = ~bad
        lonlat = bool((np.abs(x[ok]) <= 180).all() and (np.abs(y[ok]) <= 90).all())
        attrs = df.drop(columns=[xf, yf]) if not (options.x_field or options.y_field) else df
        return (gpd.GeoDataFrame(attrs.reset_index(drop=True), geometry=gpd.GeoSeries(geoms)),
                "lonlat" if lonlat else "projected", xf, yf, stats, warns)
    wf = _find(cols, WKT_NAMES)
    if wf:
        return _from_wkt(df, wf, path, stats, warns)
    raise LztInputError(path, "no coordinate columns found (looked for lon/lat, x/y, 经度/纬度, "
                              "X坐标/Y坐标, or a WKT column); name them with --x-field/--y-field")


def _from_wkt(df: pd.DataFrame, wf: str, path: Path, stats, warns):
    text = df[wf].astype(object).where(df[wf].notna(), None).to_numpy()
    curved = np.array([bool(t) and bool(re.match(r"\s*(CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|"
                                                     r"MULTICURVE|MULTISURFACE)", str(t), re.I))
                       for t in text])
    geoms = np.full(len(text), None, dtype=object)
    plain = ~curved & np.array([t is not None for t in text])
    geoms[plain] = shapely.from_wkt(text[plain].astype(str), on_invalid="ignore")
    if curved.any():
        geoms[curved] = _linearise_wkt(path, wf, np.flatnonzero(curved), len(df))
        stats["curves_linearised"] = int(curved.sum())
    bad = plain & shapely.is_missing(geoms)
    stats["rows_without_coords"] = int(bad.sum() + (~plain & ~curved).sum())
    if bad.any():
        warns.append(f"{int(bad.sum())} rows have unreadable WKT in {wf}; kept without a location")
    attrs = df.drop(columns=[wf]).reset_index(drop=True)
    return gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(geoms)), "unknown", wf, None, stats, warns


def _linearise_wkt(path: Path, wf: str, rows: np.ndarray, n: int) -> np.ndarray:
    """Curved WKT (which shapely cannot hold) linearised by GDAL's CSV reader."""
    from layers.vector import read_layer

    if path.suffix.lower() not in (".csv", ".txt"):
        raise LztInputError(path, "curved WKT geometries are only supported in CSV files")
    gdf, _ = read_layer(path, None, path, GEOM_POSSIBLE_NAMES=wf, KEEP_GEOM_COLUMNS="NO")
    if len(gdf) != n:
        raise LztInputError(path, "could not linearise the curved WKT geometries")
    return np.asarray(gdf.geometry.values, dtype=object)[rows]
