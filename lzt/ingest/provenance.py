"""Which China datum a file's own make-up points to: field signatures of the usual sources.

Web map data rarely states its datum, but its fields give away where it came from:

- DataV GeoAtlas boundaries (derived from Amap): ``adcode`` with ``acroutes``/``parent``/
  ``childrenNum``/``subFeatureIndex`` -> GCJ-02; a file named like ``440300_full.json`` too.
- Amap POIs: ``typecode`` of six-digit codes, ids ``B0`` + eight letters/digits -> GCJ-02.
- Baidu places: ``uid`` of 24 hexadecimal digits -> BD-09.
- Coordinate columns whose names say it (``gcj_lng``, ``bd_lat``, ``百度经度``, ``lng_wgs84``,
  ``经度(GCJ02)``), or a column of per-record system names (``coord_type``, ``坐标系``:
  "gcj02", "bd09ll", "wgs84").
- Words in the file name (``poi_amap_2024.csv``, ``baidu_...``): a weak hint only.

Each finding is a ``Clue`` (datum, strength, signature, fields, text). Strong clues are
the source's own fingerprint; weak ones are hints ("gps" in a column name is often
GCJ-02 in practice). Nothing here reads coordinates.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from lzt.core.chinacoords import DATUM_OF_WORD, LABELS, datum_in_name

_VALUES = 200  # values looked at per column
_SHARE = 0.8  # share of those that must match a pattern
_WEAK_WORDS = {"gps", "qq"}
_LONLAT_WORDS = {"lon", "lng", "long", "longitude", "经度", "东经", "lat", "latitude", "纬度", "北纬"}
_DATAV_MARKS = ("acroutes", "parent", "childrennum", "subfeatureindex")
_DATUM_COLUMNS = {"coordtype", "coordsys", "coordsystem", "crs", "坐标系", "坐标类型", "坐标系统", "datum"}
_TYPECODE = re.compile(r"^\d{6}(\|\d{6})*$")
_AMAP_ID = re.compile(r"^B0[0-9A-Z]{8}$")
_BAIDU_UID = re.compile(r"^[0-9a-f]{24}$")


@dataclass(frozen=True)
class Clue:
    """One piece of provenance evidence."""

    datum: str  # "wgs84" | "gcj02" | "bd09"
    strength: str  # "strong" | "weak"
    signature: str  # "datav" | "amap_poi" | "baidu_uid" | "coordinate_columns" | "datum_column" | "file_name"
    fields: tuple[str, ...]
    text: str  # Chinese, for people

    def to_json(self) -> dict:
        d = asdict(self)
        d["fields"] = list(self.fields)
        return d


def _column(cols: dict[str, str], *names: str) -> str | None:
    return next((cols[n] for n in names if n in cols), None)


def _share(series: pd.Series, pattern: re.Pattern) -> float:
    values = series.dropna().astype(str).str.strip()
    values = values[values != ""].head(_VALUES)
    return float(values.map(lambda v: bool(pattern.match(v))).mean()) if len(values) else 0.0


def _datav(cols: dict[str, str]) -> list[Clue]:
    if "adcode" not in cols:
        return []
    marks = [cols[m] for m in _DATAV_MARKS if m in cols]
    if marks:
        fields = (cols["adcode"], *marks)
        return [Clue("gcj02", "strong", "datav", fields,
                     f"DataV 行政区划字段 {'/'.join(fields)}")]
    return [Clue("gcj02", "weak", "datav", (cols["adcode"],), f"高德行政区划代码字段 {cols['adcode']}")]


def _amap(df: pd.DataFrame, cols: dict[str, str]) -> list[Clue]:
    fields = []
    tc = _column(cols, "typecode", "type_code")
    if tc is not None and _share(df[tc], _TYPECODE) >= _SHARE:
        fields.append(tc)
    ident = next((c for c in (_column(cols, "id", "poiid", "poi_id", "amapid", "gaodeid"),) if c), None)
    if ident is not None and _share(df[ident], _AMAP_ID) >= _SHARE:
        fields.append(ident)
    if not fields:
        return []
    what = "、".join(f"{f}（B0… 编号）" if f == ident else f"{f}（六位分类码）" for f in fields)
    return [Clue("gcj02", "strong", "amap_poi", tuple(fields), f"高德 POI 字段 {what}")]


def _baidu(df: pd.DataFrame, cols: dict[str, str]) -> list[Clue]:
    uid = _column(cols, "uid", "baiduuid", "bduid")
    if uid is None or _share(df[uid], _BAIDU_UID) < _SHARE:
        return []
    return [Clue("bd09", "strong", "baidu_uid", (uid,), f"百度地点 {uid}（24 位十六进制）")]


def _coordinate_columns(x_field: str | None, y_field: str | None) -> list[Clue]:
    said = {}
    for f in (x_field, y_field):
        if f:
            datum, rest = datum_in_name(f)
            if datum is not None and rest in _LONLAT_WORDS:
                said[f] = datum
    if len(set(said.values())) != 1:
        return []
    datum = next(iter(said.values()))
    weak = any(w in str(f).lower() for f in said for w in _WEAK_WORDS)
    fields = tuple(said)
    return [Clue(datum, "weak" if weak else "strong", "coordinate_columns", fields,
                 f"坐标列名 {'/'.join(fields)} 写明 {LABELS[datum]}")]


def _datum_column(df: pd.DataFrame, cols: dict[str, str]) -> list[Clue]:
    col = next((cols[k] for k in cols if k in _DATUM_COLUMNS), None)
    if col is None:
        return []
    values = df[col].dropna().astype(str).str.strip().head(_VALUES)
    named = [d for d, _ in map(datum_in_name, values) if d is not None]
    if not named or len(named) < _SHARE * len(values):
        return []
    top = max(set(named), key=named.count)
    if named.count(top) < _SHARE * len(named):
        return []
    return [Clue(top, "strong", "datum_column", (col,), f"字段 {col} 记录坐标系为 {LABELS[top]}")]


def _file_name(path: Path | None) -> list[Clue]:
    if path is None:
        return []
    stem = Path(path).stem
    if re.fullmatch(r"\d{6}(_full)?", stem):
        return [Clue("gcj02", "weak", "file_name", (Path(path).name,),
                     f"文件名 {Path(path).name} 是 DataV 的命名方式")]
    for token in re.split(r"[\s_\-.()（）\[\]]+", stem.lower()):
        datum = DATUM_OF_WORD.get(token)  # a whole word, not part of one
        if datum is not None and token not in _WEAK_WORDS:
            return [Clue(datum, "weak", "file_name", (Path(path).name,),
                         f"文件名 {Path(path).name} 含 {token}")]
    return []


def clues(df: pd.DataFrame, *, x_field: str | None = None, y_field: str | None = None,
          path: Path | str | None = None) -> list[Clue]:
    """Provenance clues of a table of attributes (the geometry column is ignored)."""
    cols: dict[str, str] = {}
    for c in df.columns:
        cols.setdefault(re.sub(r"[\s_\-]", "", str(c).lower()), str(c))
    out = _datav(cols) + _amap(df, cols) + _baidu(df, cols) + _coordinate_columns(x_field, y_field)
    out += _datum_column(df, cols)
    out += _file_name(Path(path) if path else None)
    return out
