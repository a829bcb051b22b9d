"""The sheet's CRS note is true for every class of CRS (Chinese GK, UTM, other TM, lon/lat,
other projections, local and unknown-datum CRSs) and names a vertical datum only when known."""

import re

import pytest
from pyproj import CRS
from pyproj.database import query_crs_info

from lzt.core.crs_note import crs_note_zh, vertical_datum_zh

CHINESE = r"^(CGCS2000|Xian 1980|Beijing 1954|New Beijing) / "


def _epsg_projected():
    return [(i.code, i.name) for i in query_crs_info(auth_name="EPSG", pj_types="PROJECTED_CRS")]


@pytest.mark.parametrize("code, note", [
    (4547, "2000国家大地坐标系 高斯-克吕格投影 3度带 中央经线114°"),
    (4526, "2000国家大地坐标系 高斯-克吕格投影 3度带 第38带（横坐标含带号） 中央经线114°"),
    (4498, "2000国家大地坐标系 高斯-克吕格投影 6度带 第20带（横坐标含带号） 中央经线117°"),
    (4509, "2000国家大地坐标系 高斯-克吕格投影 6度带 中央经线117°"),
    (2383, "1980西安坐标系 高斯-克吕格投影 3度带 中央经线114°"),
    (2362, "1980西安坐标系 高斯-克吕格投影 3度带 第38带（横坐标含带号） 中央经线114°"),
    (2435, "1954北京坐标系 高斯-克吕格投影 3度带 中央经线114°"),
    (21480, "1954北京坐标系 高斯-克吕格投影 6度带 中央经线117°"),  # "Gauss-Kruger 20N", no prefix
])
def test_chinese_gauss_kruger(code, note):
    assert crs_note_zh(f"EPSG:{code}") == note


def test_every_chinese_gk_crs_in_epsg_gets_its_zone_width_and_meridian():
    checked = 0
    for code, name in _epsg_projected():
        if not (re.match(CHINESE, name) and "Gauss-Kruger" in name):
            continue
        crs = CRS.from_epsg(int(code))
        cm = {p.name: p.value for p in crs.coordinate_operation.params}["Longitude of natural origin"]
        note = crs_note_zh(crs)
        width = "3度带" if "3-degree" in name else "6度带"  # EPSG's naming of the two zone systems
        assert note.split()[1:3] == ["高斯-克吕格投影", width], (code, name, note)
        assert note.endswith(f"中央经线{cm:g}°"), (code, name, note)
        checked += 1
    assert checked > 200


def test_gk_wording_only_for_chinese_datums():
    for code, name in _epsg_projected():
        if "高斯-克吕格" in crs_note_zh(f"EPSG:{code}"):
            assert re.match(CHINESE, name), (code, name)
    # Pulkovo's Gauss-Kruger zones and Sweden's RT90 are Transverse Mercator on other datums
    assert crs_note_zh("EPSG:28404") == "Pulkovo 1942 横轴墨卡托投影 中央经线21° 比例因子1"
    assert "高斯-克吕格" not in crs_note_zh("EPSG:2400")


def test_utm_zones_north_and_south():
    assert crs_note_zh("EPSG:32650") == "WGS84坐标系 UTM投影 第50N带 中央经线117°"
    assert crs_note_zh("EPSG:32750") == "WGS84坐标系 UTM投影 第50S带 中央经线117°"
    assert crs_note_zh("EPSG:26711") == "NAD27 UTM投影 第11N带 中央经线117°W"
    for zone in (1, 30, 49, 60):
        cm = 6 * zone - 183
        note = crs_note_zh(f"EPSG:{32600 + zone}")
        assert f"第{zone}N带" in note and "高斯" not in note
        assert note.endswith(f"{abs(cm)}°" + ("W" if cm < 0 else ""))


def test_lonlat_and_other_projections():
    assert crs_note_zh("EPSG:4326") == "WGS84坐标系 地理坐标（经纬度）"
    assert crs_note_zh("EPSG:4490") == "2000国家大地坐标系 地理坐标（经纬度）"
    assert crs_note_zh("EPSG:4214") == "1954北京坐标系 地理坐标（经纬度）"
    assert crs_note_zh("EPSG:3857") == "WGS84坐标系 Web墨卡托投影（EPSG:3857）"
    assert crs_note_zh("EPSG:5070") == "NAD83 阿尔伯斯等积圆锥投影（EPSG:5070）"
    assert crs_note_zh("EPSG:28992") == "Amersfoort / RD New（EPSG:28992）"


def test_local_and_unknown_datum_crs():
    assert crs_note_zh('LOCAL_CS["深圳独立坐标系",UNIT["metre",1]]') == "独立坐标系“深圳独立坐标系”（未关联国家大地基准）"
    # a Gauss-Krüger-shaped CRS on a bare ellipsoid: the datum is not known, so no national name
    note = crs_note_zh("+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=krass +units=m")
    assert note == "大地基准未知（Krassovsky, 1942椭球） 横轴墨卡托投影 中央经线114° 比例因子1"
    # the same on CGCS2000's datum is Gauss-Krüger, whatever it is called
    wkt = CRS("EPSG:4547").to_wkt().replace("CGCS2000 / 3-degree Gauss-Kruger CM 114E", "my grid")
    assert crs_note_zh(wkt) == "2000国家大地坐标系 高斯-克吕格投影 3度带 中央经线114°"


def test_vertical_datum_only_when_known():
    assert vertical_datum_zh("EPSG:4547+5737") == "1985国家高程基准"
    assert crs_note_zh("EPSG:4547+5737") == crs_note_zh("EPSG:4547")
    assert vertical_datum_zh("EPSG:4326+5773") == "EGM96大地水准面高程"
    assert vertical_datum_zh("EPSG:32650+3855") == "EGM2008大地水准面高程"
    assert vertical_datum_zh("EPSG:4547") is None and vertical_datum_zh("EPSG:4326") is None
