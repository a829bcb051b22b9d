"""The CRS note a map sheet (and the status bar) carries, true for any CRS.

The Chinese Gauss-Krüger wording (``2000国家大地坐标系 高斯-克吕格投影 3度带 中央经线114°``) is
given only to Transverse Mercator CRSs on CGCS2000, Xi'an 1980 or Beijing 1954 (new or old)
with scale 1 and a false easting of 500 km (with or without a zone prefix); UTM, other
Transverse Mercator, other projections, lon/lat, local (engineering) CRSs and CRSs on an
unknown datum each get a note of their own. Vertical datums are named only when known.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lzt.core.crs import parse_crs

if TYPE_CHECKING:
    from pyproj import CRS

_DATUMS = {"China Geodetic Coordinate System 2000": "2000国家大地坐标系", "China 2000": "2000国家大地坐标系",
           "Xian 1980": "1980西安坐标系", "Beijing 1954": "1954北京坐标系", "New Beijing": "新1954北京坐标系",
           "WGS 84": "WGS84坐标系", "World Geodetic System 1984": "WGS84坐标系",
           "World Geodetic System 1984 ensemble": "WGS84坐标系"}
_CHINESE_GK_DATUMS = {"2000国家大地坐标系", "1980西安坐标系", "1954北京坐标系", "新1954北京坐标系"}
_METHODS = {"Popular Visualisation Pseudo Mercator": "Web墨卡托投影", "Mercator (variant A)": "墨卡托投影",
            "Mercator (variant B)": "墨卡托投影", "Albers Equal Area": "阿尔伯斯等积圆锥投影",
            "Lambert Conic Conformal (2SP)": "兰勃特等角圆锥投影", "Lambert Conic Conformal (1SP)": "兰勃特等角圆锥投影"}
_VERTICAL = {"Yellow Sea 1985": "1985国家高程基准", "Yellow Sea 1956": "1956黄海高程系",
             "EGM96 geoid": "EGM96大地水准面高程", "EGM2008 geoid": "EGM2008大地水准面高程"}


def _horizontal(crs: CRS) -> CRS:
    if crs.is_bound:
        crs = crs.source_crs
    if crs.is_compound:
        crs = next((c for c in crs.sub_crs_list if not c.is_vertical), crs.sub_crs_list[0])
    return crs


def _datum(crs: CRS) -> str:
    geod = crs.geodetic_crs
    for name in (geod.name if geod else None, crs.datum.name if crs.datum else None):
        if name in _DATUMS:
            return _DATUMS[name]
    name = crs.datum.name if crs.datum else (geod.name if geod else crs.name)
    if name.lower().startswith("unknown"):
        ellps = crs.ellipsoid.name if crs.ellipsoid else "未知"
        return f"大地基准未知（{ellps}椭球）"
    return geod.name if geod else name


def _meridian(cm: float) -> str:
    return f"中央经线{cm:g}°" if cm >= 0 else f"中央经线{-cm:g}°W"


def _gk_zone(crs: CRS, cm: float, fe: float) -> str:
    """"3度带 …", "6度带 …" or "" when the zone width cannot be told."""
    prefix = int(fe // 1_000_000)
    if prefix:
        width = 3 if cm == 3 * prefix else (6 if cm == 6 * prefix - 3 else 0)
        return f"{width}度带 第{prefix}带（横坐标含带号）" if width else ""
    if "3-degree" in crs.name:
        return "3度带"
    if cm % 3 == 0 and cm % 6 != 3:  # only a 3° zone has this central meridian
        return "3度带"
    if cm % 6 == 3 and re.search(r"Gauss-Kruger (CM|zone|\d)", crs.name):  # EPSG names 6° zones so
        return "6度带"
    return ""


def crs_note_zh(crs) -> str:
    """The CRS note for ``crs``, e.g. for EPSG:4547
    ``2000国家大地坐标系 高斯-克吕格投影 3度带 中央经线114°``; for EPSG:32650
    ``WGS84坐标系 UTM投影 第50N带 中央经线117°``."""
    crs = _horizontal(parse_crs(crs))
    if crs.is_engineering or (crs.datum is None and not crs.is_projected and not crs.is_geographic):
        return f"独立坐标系“{crs.name}”（未关联国家大地基准）"
    datum = _datum(crs)
    if crs.is_geographic:
        return f"{datum} 地理坐标（经纬度）"
    op = crs.coordinate_operation
    method = op.method_name if op else ""
    p = {q.name: q.value for q in op.params} if op else {}
    cm, k = p.get("Longitude of natural origin"), p.get("Scale factor at natural origin")
    fe, fn, lat0 = p.get("False easting", 0.0), p.get("False northing", 0.0), p.get("Latitude of natural origin", 0.0)
    if method == "Transverse Mercator" and cm is not None and k is not None:
        if datum in _CHINESE_GK_DATUMS and k == 1 and lat0 == 0 and fn == 0 and fe % 1_000_000 == 500_000:
            return " ".join(s for s in (datum, "高斯-克吕格投影", _gk_zone(crs, cm, fe), _meridian(cm)) if s)
        zone = (cm + 183) / 6
        if k == 0.9996 and fe == 500_000 and fn in (0, 10_000_000) and lat0 == 0 and zone == int(zone) \
                and 1 <= zone <= 60:
            return f"{datum} UTM投影 第{int(zone)}{'N' if fn == 0 else 'S'}带 {_meridian(cm)}"
        return f"{datum} 横轴墨卡托投影 {_meridian(cm)} 比例因子{k:g}"
    auth = crs.to_authority(min_confidence=100)
    code = f"（{auth[0]}:{auth[1]}）" if auth else ""
    if method in _METHODS:
        return f"{datum} {_METHODS[method]}{code}"
    geod = crs.geodetic_crs.name if crs.geodetic_crs else ""
    return f"{crs.name}{code}" if geod and geod in crs.name else f"{datum} {crs.name}{code}"


def vertical_datum_zh(crs) -> str | None:
    """The vertical datum of a compound CRS in the sheet's words (``1985国家高程基准``), else None."""
    crs = parse_crs(crs)
    if crs.is_bound:
        crs = crs.source_crs
    vert = next((c for c in crs.sub_crs_list if c.is_vertical), None) if crs.is_compound else (
        crs if crs.is_vertical else None)
    if vert is None or vert.datum is None:
        return None
    return vertical_name_zh(vert.datum.name)


def vertical_name_zh(name: str) -> str:
    """A vertical datum's name as a Chinese sheet writes it (unknown names are kept as given)."""
    return _VERTICAL.get(name.strip(), name.strip())
