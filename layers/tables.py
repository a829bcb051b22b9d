"""CSV and Excel tables with coordinates: x/y (lon/lat) columns or a WKT column.

Reading. CSV/TXT/TSV: encoding UTF-8 (BOM or not), else GB18030 (GBK exports from Excel
on Chinese Windows), else refused ("unknown encoding"; ``ReadOptions.encoding`` forces
one); delimiter sniffed (comma, tab, semicolon, pipe); parsed by pyarrow with every
column read as text and then typed column by column: integers, decimals, ISO dates;
codes with leading zeros ("0755", "007") and digit strings of 16+ characters (ID
numbers) stay text. Ragged rows fall back to Python's csv module (short rows padded,
surplus empty cells dropped, anything else refused with the line). Excel: every sheet
(or ``ReadOptions.layer``) that has coordinates; a header row below a title is found.

Coordinates. Column pairs are found by name, case-insensitively, ignoring spaces,
underscores and a unit in brackets, in this order: lon/lat (经度/纬度 ...), Chinese
survey X坐标/Y坐标, easting/northing (东坐标/北坐标, 横坐标/纵坐标), plain x/y. Values decide
the orientation: Chinese survey notation calls the northing X and the easting Y, so
X坐标/Y坐标 are read in survey order unless their values say otherwise (northings are
1e6..1e7, eastings 1e5..1e6, or 1e7..1e8 with a zone prefix), and what was done is
always said in a warning; other pairs are swapped only when the values prove it
(likewise a "longitude" within ±90 next to a "latitude" beyond ±90). Rows without
numeric coordinates — and (0, 0) placeholders when no other point is near (0, 0) — are
kept with a NULL geometry and counted in ``stats['rows_without_coords']``. The x/y
columns stay as attributes (their raw text shows what was wrong); a WKT column becomes
the geometry (curves linearised by GDAL) and is dropped.

A table with a header but no data rows is refused ("no data rows"): importing nothing
is a mistake more often than an intention. A table whose rows all lack coordinates is
read, ``coords_kind`` "unknown", with a warning.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import shapely

from layers import encoding as enc
from layers.spec import LoadedLayer, ReadOptions
from lzt.core.chinacoords import datum_in_name
from lzt.core.errors import LztInputError

NULLS = ["", "NULL", "null", "Null", "NaN", "nan", "NA", "N/A", "n/a", "#N/A", "None", "none"]
_FAMILIES = [  # (what, x-candidate names, y-candidate names), normalised, in priority order
    ("lonlat", ["lon", "lng", "long", "longitude", "经度", "东经", "gpslon", "gpslng", "gps经度",
                "wgs84经度", "lonwgs84", "经度wgs84", "中心经度", "中心点经度"],
     ["lat", "latitude", "纬度", "北纬", "gpslat", "gps纬度", "wgs84纬度", "latwgs84", "纬度wgs84",
      "中心纬度", "中心点纬度"]),
    ("survey", ["y坐标", "坐标y", "y坐标值", "yzb"], ["x坐标", "坐标x", "x坐标值", "xzb"]),
    ("en", ["东坐标", "横坐标", "easting", "east", "东向坐标"],
     ["北坐标", "纵坐标", "northing", "north", "北向坐标"]),
    ("xy", ["x", "pointx", "xcoord", "coordx", "xcoordinate", "centroidx", "中心x"],
     ["y", "pointy", "ycoord", "coordy", "ycoordinate", "centroidy", "中心y"]),
]
_LON_WORDS = {"lon", "lng", "long", "longitude", "经度", "东经"}
_LAT_WORDS = {"lat", "latitude", "纬度", "北纬"}
WKT_NAMES = ["wkt", "wktgeom", "geometry", "geom", "thegeom", "shape", "geometrywkt", "几何",
             "空间信息", "图形", "坐标串"]
_CURVED = r"(?i)^\s*(CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|MULTICURVE|MULTISURFACE)"


class _NoCoords(LztInputError):
    """No coordinate columns in a table (an Excel sheet may be skipped for it)."""


def read_table(path: Path, options: ReadOptions, kind: str | None = None) -> list[LoadedLayer]:
    """A CSV/TXT/TSV/XLSX/XLS table as point (x/y) or WKT layers."""
    from layers.formats import content_note

    kind = kind or path.suffix.lower()
    note = content_note(path, kind)
    notes = [note] if note else []
    if kind in (".xlsx", ".xlsm", ".xls"):
        return _read_workbook(path, options, kind, notes)
    df, encoding, more = read_csv(path, options.encoding)
    ll = build_layer(df, path, options, name=path.stem, warnings=notes + more)
    return [_replace(ll, encoding=encoding)]


def _replace(ll: LoadedLayer, **kw) -> LoadedLayer:
    import dataclasses

    return dataclasses.replace(ll, **kw)


# --- CSV ----------------------------------------------------------------------------

def read_csv(path: Path, encoding: str | None = None) -> tuple[pd.DataFrame, str, list[str]]:
    """A delimited text file as a typed DataFrame, the encoding used, and warnings."""
    raw = path.read_bytes()
    if not raw.strip():
        raise LztInputError(path, "is empty")
    warns: list[str] = []
    detected = encoding is None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) and encoding is None:
        encoding = "utf-16"  # Excel's "Unicode text" export: UTF-16 with BOM, tab-separated
    if encoding is None:
        if b"\x00" in raw[:8192]:
            raise LztInputError(path, "is a binary file, not a text table")
        encoding = enc.detect(raw, western=False)
        if encoding is None:
            raise LztInputError(path, "unknown encoding: the text is neither UTF-8 nor Chinese "
                                      "GB18030/GBK; save it as UTF-8 or give the encoding")
        if encoding == enc.GB:
            warns.append("text encoding detected as gb18030 (GBK)")
    try:
        if encoding == "utf-8-sig" or (encoding == enc.UTF8 and raw.startswith(b"\xef\xbb\xbf")):
            data = raw[3:]
        elif encoding == enc.UTF8:
            if not detected:
                raw.decode("utf-8")  # a given encoding is checked too (detection already did)
            data = raw
        else:
            data = raw.decode(encoding).encode("utf-8")
    except (UnicodeDecodeError, LookupError) as exc:
        raise LztInputError(path, f"cannot decode as {encoding}: {type(exc).__name__}") from None
    sample = data[:65536].decode("utf-8", "ignore")
    sep = enc.sniff_delimiter(sample)
    try:
        header = next(csv.reader(io.StringIO(sample), delimiter=sep))
    except (StopIteration, csv.Error):
        raise LztInputError(path, "has no header row") from None
    names, renamed = _column_names(header)
    if renamed:
        warns.append(f"column names made unique or filled in: {', '.join(renamed[:8])}")
    table, ragged = _parse(path, data, sep, names)
    if ragged:
        warns.append(ragged)
    if table.num_rows == 0:
        raise LztInputError(path, "has a header row but no data rows")
    table = pa.table({n: _typed(table.column(n)) for n in table.column_names}).combine_chunks()
    df = table.to_pandas()
    blank = [c for c in df.columns if c.startswith("field_") and c not in header and df[c].isna().all()]
    return df.drop(columns=blank), enc.canonical(encoding) if encoding != "utf-8-sig" else encoding, warns


def _column_names(header: list[str]) -> tuple[list[str], list[str]]:
    names, seen, renamed = [], set(), []
    for i, h in enumerate(header):
        name = h.strip().lstrip("\ufeff") or f"field_{i + 1}"
        base, k = name, 2
        while name in seen:
            name, k = f"{base}_{k}", k + 1
        if name != h.strip() and h.strip():
            renamed.append(f"{h.strip()}→{name}")
        seen.add(name)
        names.append(name)
    return names, renamed


def _parse(path: Path, data: bytes, sep: str, names: list[str]) -> tuple[pa.Table, str | None]:
    convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, null_values=NULLS,
                                   strings_can_be_null=True, quoted_strings_can_be_null=True)
    for newlines in (False, True):
        try:
            return pacsv.read_csv(pa.py_buffer(data),
                                  read_options=pacsv.ReadOptions(column_names=names, skip_rows=1,
                                                                 block_size=1 << 24),
                                  parse_options=pacsv.ParseOptions(delimiter=sep,
                                                                   newlines_in_values=newlines),
                                  convert_options=convert), None
        except (pa.ArrowInvalid, pa.ArrowException):
            continue
    return _parse_ragged(path, data, sep, names)


def _parse_ragged(path, data: bytes, sep: str, names: list[str]) -> tuple[pa.Table, str | None]:
    """Python's csv for rows pyarrow refuses: short rows padded, surplus empty cells dropped."""
    rows = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=sep)
    next(rows, None)
    width, cols, short = len(names), [[] for _ in names], 0
    try:
        for row in rows:
            if not row:
                continue
            if len(row) > width:
                if any(c.strip() for c in row[width:]):
                    raise LztInputError(path, f"line {rows.line_num} has {len(row)} fields but the "
                                              f"header has {width}")
                row = row[:width]
            elif len(row) < width:
                short += 1
                row = row + [""] * (width - len(row))
            for col, v in zip(cols, row):
                col.append(None if v in NULLS else v)
    except csv.Error as exc:
        raise LztInputError(path, f"not a readable table: {exc}") from None
    table = pa.table({n: pa.array(c, type=pa.string()) for n, c in zip(names, cols)})
    return table, (f"{short} rows had fewer fields than the header: padded with empty values"
                   if short else None)


def _cast(col: pa.ChunkedArray, typ) -> pa.ChunkedArray | None:
    try:
        return pc.cast(col, typ)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _some(col: pa.ChunkedArray, pattern: str) -> bool:
    return bool(pc.any(pc.match_substring_regex(col, pattern)).as_py())


def _typed(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """A text column as int64, float64 or timestamp when every value is one, else text.

    Arrow's casts fail fast on the first value that does not fit, so text columns cost
    little; codes with leading zeros and 16+ digit numbers (ID numbers) stay text."""
    if col.null_count == len(col):
        return col
    head = pc.utf8_trim_whitespace(pc.drop_null(col.slice(0, 2000)))
    if all(_cast(head, t) is None for t in (pa.float64(), pa.timestamp("s"))) and not _slash_dates(head):
        return col  # text: decided from the first rows, at no cost for the rest
    text, nums = col, _cast(col, pa.float64())
    if nums is None:
        # Arrow's timestamps refuse edge whitespace: parsed as they are, no text needs trimming
        # (and the whitespace scan below, 0.1 s for a million dates, is not needed)
        stamps = _cast(col, pa.timestamp("s"))
        if stamps is not None:
            return stamps
    if nums is None and _some(col, r"^\s|\s$"):
        text = pc.utf8_trim_whitespace(col)
        nums = _cast(text, pa.float64())
    if nums is not None:
        if (pc.max(pc.abs(nums)).as_py() or 0) >= 1e15 and _some(text, r"^[+-]?\d{16,}$"):
            return col  # ID numbers (18-digit 身份证, credit codes), not quantities
        if not pc.all(pc.equal(nums, pc.floor(nums))).as_py():
            return nums  # a fraction somewhere: the integer cast would fail (and costs a full parse)
        ints = _cast(text, pa.int64())
        if ints is None:
            return nums
        return col if _some(text, r"^[+-]?0\d") else ints  # "0755", "007" stay text
    stamps = _cast(text, pa.timestamp("s"))
    if stamps is None:
        stamps = _slash_dates(text)
    return col if stamps is None else stamps


def _slash_dates(text: pa.ChunkedArray) -> pa.ChunkedArray | None:
    try:
        return pc.strptime(text, format="%Y/%m/%d", unit="s")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


# --- Excel --------------------------------------------------------------------------

def _read_workbook(path: Path, options: ReadOptions, kind: str, notes: list[str]) -> list[LoadedLayer]:
    engine = "xlrd" if kind == ".xls" else "openpyxl"
    try:
        sheets = pd.read_excel(path, sheet_name=None, engine=engine)
    except ImportError:
        raise LztInputError(path, "legacy .xls needs the xlrd package; save it as .xlsx") from None
    except Exception as exc:  # openpyxl/xlrd raise many types for broken files
        raise LztInputError(path, f"cannot read the spreadsheet: {_short(exc)}") from None
    if options.layer is not None:
        if options.layer not in sheets:
            raise LztInputError(path, f"has no sheet {options.layer!r} (sheets: {', '.join(sheets)})")
        sheets = {options.layer: sheets[options.layer]}
    out, skipped, first_error = [], [], None
    for sheet, df in sheets.items():
        try:
            df = _excel_header(path, df, sheet, engine, options)
            if df.shape[1] == 0 or len(df) == 0:
                raise _NoCoords(path, f"sheet {sheet!r} has a header row but no data rows")
            out.append((sheet, build_layer(_normalise(df), path, options, name=str(sheet),
                                           warnings=list(notes))))
        except _NoCoords as exc:
            first_error = first_error or exc
            skipped.append(str(sheet))
    if not out:
        raise first_error
    if len(out) == 1 and options.layer is None:
        sheet, ll = out[0]
        extra = [f"read sheet {sheet!r}; skipped sheets without coordinates: {', '.join(skipped)}"
                 ] if skipped else []
        return [_replace(ll, name=path.stem, warnings=ll.warnings + tuple(extra))]
    return [_replace(ll, source_layer=sheet) for sheet, ll in out]


def _excel_header(path, df: pd.DataFrame, sheet, engine, options) -> pd.DataFrame:
    """The sheet with its real header row: a title or notes may sit above it."""
    if _columns_found(list(map(str, df.columns)), options):
        return df
    for i in range(min(20, len(df))):
        if _columns_found([str(v) for v in df.iloc[i].tolist()], options):
            return pd.read_excel(path, sheet_name=sheet, header=i + 1, engine=engine)
    return df


def _columns_found(cols: list[str], options: ReadOptions) -> bool:
    if options.x_field or options.y_field:
        return options.x_field in cols and options.y_field in cols
    return _find_pairs(cols) != [] or _find(cols, WKT_NAMES) is not None


def _normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Excel columns of mixed Python objects (numbers and text) as text."""
    df = df.copy()
    df.columns = [str(c).strip() for c in df.columns]
    for c in df.columns:
        if df[c].dtype == object:
            kind = pd.api.types.infer_dtype(df[c], skipna=True)
            if kind not in ("datetime", "datetime64", "date", "boolean", "empty"):
                df[c] = df[c].map(lambda v: None if v is None or v != v else str(v)).astype("str")
    return df


# --- geometry -----------------------------------------------------------------------

def _norm(name: str) -> str:
    name = re.sub(r"[（(\[][^)）\]]*[)）\]]\s*$", "", str(name).strip().lower())
    return re.sub(r"[\s_\-.]", "", name)


def _find(cols: list[str], names: list[str]) -> str | None:
    normal = {}
    for c in cols:
        normal.setdefault(_norm(c), c)
    return next((normal[n] for n in names if n in normal), None)


def _find_pairs(cols: list[str]) -> list[tuple[str, str, str]]:
    """(family, x column, y column) pairs present, best first."""
    pairs = []
    for family, xs, ys in _FAMILIES:
        x, y = _find(cols, xs), _find(cols, ys)
        if x and y and x != y:
            pairs.append((family, x, y))
    tagged = [p for p in _tagged_pairs(cols) if not any(p[1:] == q[1:] for q in pairs)]
    lonlat_found = any(p[0] == "lonlat" for p in pairs)
    pairs = pairs + tagged if lonlat_found else tagged + pairs
    if not any(p[0] == "lonlat" for p in pairs):  # "GPS定位经度", "中心点经度" ...
        for a, b in (("经度", "纬度"), ("longitude", "latitude")):
            xs, ys = [c for c in cols if a in _norm(c)], [c for c in cols if b in _norm(c)]
            if len(xs) == 1 and len(ys) == 1:
                pairs.insert(0, ("lonlat", xs[0], ys[0]))
                break
    return pairs


def _tagged_pairs(cols: list[str]) -> list[tuple[str, str, str]]:
    """Lon/lat pairs whose names say their system ("gcj_lng"/"gcj_lat", "百度经度"/"百度纬度",
    "lng_wgs84"/"lat_wgs84"), WGS84 first, then GCJ-02, then BD-09."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for c in cols:
        datum, rest = datum_in_name(c)
        if datum is not None and rest in _LON_WORDS | _LAT_WORDS:
            found.setdefault(datum, ([], []))[0 if rest in _LON_WORDS else 1].append(c)
    return [("lonlat", found[d][0][0], found[d][1][0]) for d in ("wgs84", "gcj02", "bd09")
            if d in found and len(found[d][0]) == 1 and len(found[d][1]) == 1]


def _numbers(s: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(s.astype("str").str.strip(), errors="coerce").to_numpy(dtype=float,
                                                                                 na_value=np.nan)


def _orientation(a: np.ndarray, b: np.ndarray) -> bool | None:
    """True when the values prove a is the northing/latitude and b the easting/longitude,
    False when they prove the reverse, None when they cannot tell."""
    ok = np.isfinite(a) & np.isfinite(b)
    if not ok.any():
        return None
    ma, mb = np.median(np.abs(a[ok])), np.median(np.abs(b[ok]))
    north = lambda m: 1e6 <= m < 1e7  # noqa: E731 - metres north of the equator (lat 9..90)
    east = lambda m: 1e5 <= m < 1e6 or 1e7 <= m < 1e8  # noqa: E731 - with or without zone
    if north(ma) and east(mb):
        return True
    if east(ma) and north(mb):
        return False
    xa, xb = np.abs(a[ok]).max(), np.abs(b[ok]).max()
    if xa <= 90 < xb <= 180:
        return True
    if xb <= 90 < xa <= 180:
        return False
    return None


def _choose_xy(df: pd.DataFrame, path, options: ReadOptions, warns: list[str]):
    cols = list(df.columns)
    if options.x_field or options.y_field:
        missing = [f for f in (options.x_field, options.y_field) if f and f not in cols]
        if missing:
            raise _NoCoords(path, f"has no column {missing[0]!r} (columns: {', '.join(cols[:40])})")
        if not (options.x_field and options.y_field):
            raise LztInputError(path, "give both the x and the y field")
        xf, yf = options.x_field, options.y_field
        x, y = _numbers(df[xf]), _numbers(df[yf])
        if _orientation(x, y):
            warns.append(f"{xf} looks like northings/latitudes and {yf} like eastings/longitudes: "
                         "check that the x and y fields are not swapped")
        return xf, yf, x, y
    pairs = _find_pairs(cols)
    if not pairs:
        return None
    family, xf, yf = pairs[0]
    if len(pairs) > 1:
        warns.append(f"used {xf}/{yf}; the table also has "
                     f"{', '.join(f'{a}/{b}' for _, a, b in pairs[1:])} (choose with x/y fields)")
    x, y = _numbers(df[xf]), _numbers(df[yf])
    swap = _orientation(x, y)
    if family == "survey":  # xf is the Y坐标 column, yf the X坐标 column
        if swap:  # values prove Y坐标 holds northings: the table uses GIS order
            warns.append(f"{yf} holds eastings and {xf} northings: read in GIS order "
                         f"(x = {yf}, y = {xf})")
            return yf, xf, y, x
        how = "as its values confirm" if swap is False else "the values cannot tell"
        warns.append(f"read in Chinese survey order, {yf} = north and {xf} = east ({how})")
        return xf, yf, x, y
    if swap:
        warns.append(f"{xf} holds northings/latitudes and {yf} eastings/longitudes: "
                     f"swapped (x = {yf}, y = {xf})")
        return yf, xf, y, x
    return xf, yf, x, y


def build_layer(df: pd.DataFrame, path: Path, options: ReadOptions, *, name: str,
                warnings: list[str]) -> LoadedLayer:
    """A typed table as a layer: points from x/y columns, else geometry from WKT."""
    warns = list(warnings)
    stats: dict[str, int] = {}
    df = df.reset_index(drop=True)
    chosen = _choose_xy(df, path, options, warns)
    crs = None
    if chosen is not None:
        xf, yf, x, y = chosen
        ok, kind = _located(x, y, xf, yf, stats, warns)
        if options.points_as_xy:
            xy = np.column_stack([x, y]).astype(float)
            xy[~ok] = np.nan
            gdf = gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(np.full(len(df), None, dtype=object)))
            stats["null_geometries"] = int((~ok).sum())
            crs = _src_crs(None, options)
            return LoadedLayer(name=name, gdf=gdf if crs is None else gdf.set_crs(crs), crs=crs, source=path,
                               coords_kind=kind, x_field=xf, y_field=yf, warnings=tuple(warns),
                               stats=stats, xy=xy)
        geoms = np.full(len(x), None, dtype=object)
        if ok.any():
            geoms[ok] = shapely.points(x[ok], y[ok])
        gdf = gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms))
    else:
        wf = _find(list(df.columns), WKT_NAMES)
        if wf is None and options.allow_no_geometry:
            geoms = np.full(len(df), None, dtype=object)
            gdf = gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms))
            stats["null_geometries"] = len(df)
            return LoadedLayer(name=name, gdf=gdf, crs=None, source=path, coords_kind="none",
                               warnings=tuple(warns), stats=stats)
        if wf is None:
            raise _NoCoords(path, "no coordinate columns found (looked for lon/lat, 经度/纬度, "
                                  "X坐标/Y坐标, x/y, 东坐标/北坐标, or a WKT column); name them with "
                                  "the x/y field options")
        geoms, crs = _from_wkt(df[wf], wf, path, stats, warns)
        gdf = gpd.GeoDataFrame(df.drop(columns=[wf]), geometry=gpd.GeoSeries(geoms))
        xf = yf = None
        kind = "geometry"
    stats["null_geometries"] = int(shapely.is_missing(np.asarray(geoms, dtype=object)).sum())
    crs = _src_crs(crs, options)
    if crs is not None:
        gdf = gdf.set_crs(crs)
    return LoadedLayer(name=name, gdf=gdf, crs=crs, source=path, coords_kind=kind, x_field=xf,
                       y_field=yf, warnings=tuple(warns), stats=stats)


def _src_crs(crs, options: ReadOptions):
    """``options.src_crs`` parsed when given, else ``crs`` (what the file says)."""
    if options.src_crs is None:
        return crs
    from lzt.core.crs import parse_crs

    return parse_crs(options.src_crs, source="src_crs")


def _located(x: np.ndarray, y: np.ndarray, xf: str, yf: str, stats, warns) -> tuple[np.ndarray, str]:
    """(rows with a location, "lonlat" | "projected" | "unknown") of x/y columns, with the warnings."""
    ok = np.isfinite(x) & np.isfinite(y)
    zero = ok & (x == 0) & (y == 0)
    others = ok & ~zero
    placeholders = 0
    if zero.any() and others.any() and (np.abs(x[others]) + np.abs(y[others])).min() > 1:
        ok, placeholders = others, int(zero.sum())
        warns.append(f"{placeholders} rows have coordinates (0, 0), a placeholder for "
                     "'no location': kept without a location")
    stats["rows_without_coords"] = int((~ok).sum())
    bad = int((~ok).sum()) - placeholders
    if bad and ok.any():
        warns.append(f"{bad} rows have no numeric coordinates in {xf}/{yf}: kept without a location")
    if not ok.any():
        warns.append(f"no row has numeric coordinates in {xf}/{yf}: all {len(x)} rows kept "
                     "without a location")
        return ok, "unknown"
    lonlat = (np.abs(x[ok]) <= 180).all() and (np.abs(y[ok]) <= 90).all()
    return ok, "lonlat" if lonlat else "projected"


def _from_wkt(col: pd.Series, wf: str, path: Path, stats, warns):
    text = col.astype("str").str.strip()
    srid = text.str.extract(r"^SRID=(\d+);", expand=False)
    text = text.str.replace(r"^SRID=\d+;\s*", "", regex=True)
    arr = text.to_numpy(dtype=object, na_value=None)
    present = np.array([t is not None and t != "" for t in arr], dtype=bool)
    curved = present & text.str.match(_CURVED).fillna(False).to_numpy(dtype=bool)
    plain = present & ~curved
    geoms = np.full(len(arr), None, dtype=object)
    geoms[plain] = shapely.from_wkt(arr[plain], on_invalid="ignore")
    if curved.any():
        geoms[curved] = _linearise(arr[curved], path)
        stats["curves_linearised"] = int(curved.sum())
        warns.append(f"{int(curved.sum())} curved geometries linearised")
    unreadable = present & shapely.is_missing(geoms)
    stats["rows_without_coords"] = int((~present).sum() + unreadable.sum())
    if unreadable.any():
        cut = int((text.str.len().to_numpy(na_value=0)[unreadable] == 32767).sum())
        warns.append(f"{int(unreadable.sum())} rows have unreadable WKT in {wf}: kept without a "
                     "location" + (f" ({cut} are cut at Excel's 32,767-character cell limit)"
                                   if cut else ""))
    if (~present).any():
        warns.append(f"{int((~present).sum())} rows have no WKT in {wf}: kept without a location")
    codes = set(srid.dropna())
    crs = None
    if len(codes) == 1:
        from lzt.core.crs import parse_crs

        crs = parse_crs(f"EPSG:{codes.pop()}", source=str(path))
    return geoms, crs


def _linearise(wkt: np.ndarray, path: Path) -> np.ndarray:
    """Curved WKT (which shapely cannot hold) linearised by GDAL, through a scratch CSV."""
    from layers.vector import read_layer

    frame = pd.DataFrame({"n": np.arange(len(wkt)), "WKT": wkt})
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "curves.csv"
        frame.to_csv(scratch, index=False)
        gdf, _ = read_layer(scratch, None, path)
    if len(gdf) != len(wkt):
        raise LztInputError(path, "could not linearise its curved WKT geometries")
    return np.asarray(gdf.geometry.values, dtype=object)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
