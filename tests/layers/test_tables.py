"""CSV and Excel tables: encodings, delimiters, Chinese headers, survey order, WKT, dirty
values, and the speed of a 1,000,000-row x/y CSV."""

from __future__ import annotations

import os

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
import shapely
from pyproj import Transformer

from layers.registry import read_vector
from layers.spec import ReadOptions
from layers.tables import read_csv
from lzt.core.errors import LztInputError

# Longgang points: WGS84 lon/lat and the same in EPSG:4547 (CGCS2000 3-degree GK CM 114E)
LON = np.array([114.2468, 114.0600, 114.3500])
LAT = np.array([22.7205, 22.6400, 22.6900])
E, N = Transformer.from_crs(4326, 4547, always_xy=True).transform(LON, LAT)


def one(path, **options):
    layers = read_vector(path, ReadOptions(**options))
    assert len(layers) == 1
    return layers[0]


def test_gb18030_csv_with_chinese_headers(tmp_path):
    p = tmp_path / "诉求.csv"
    df = pd.DataFrame({"工单编号": ["A1", "A2", "A3"], "经度": [114.1, 114.2, "缺失"],
                       "纬度": [22.6, 22.7, 22.8], "地址": ["布吉街道某某花园", "坂田", "龙城"]})
    p.write_bytes(df.to_csv(index=False).encode("gb18030"))
    ll = one(p)
    assert ll.encoding == "gb18030" and ll.coords_kind == "lonlat" and ll.crs is None
    assert (ll.x_field, ll.y_field) == ("经度", "纬度")
    assert ll.gdf["地址"].tolist() == df["地址"].tolist()
    assert ll.stats["rows_without_coords"] == 1 and ll.gdf.geometry.iloc[2] is None
    assert len(ll.gdf) == 3 and ll.gdf["经度"].iloc[2] == "缺失"  # kept, raw value visible
    assert any("gb18030" in w for w in ll.warnings) and any("1 rows" in w for w in ll.warnings)
    # the same table read by plain pandas: same rows and values
    ref = pd.read_csv(p, encoding="gb18030")
    assert ll.gdf["工单编号"].tolist() == ref["工单编号"].tolist()


def test_survey_order_x_is_north(tmp_path):
    """X坐标 = northing, Y坐标 = easting (Chinese survey notation), EPSG:4547 values."""
    p = tmp_path / "控制点.csv"
    pd.DataFrame({"点号": ["G1", "G2", "G3"], "X坐标": N, "Y坐标": E}).to_csv(p, index=False)
    ll = one(p)
    assert ll.coords_kind == "projected" and (ll.x_field, ll.y_field) == ("Y坐标", "X坐标")
    np.testing.assert_allclose(ll.gdf.geometry.x, E)
    np.testing.assert_allclose(ll.gdf.geometry.y, N)
    assert any("survey order" in w for w in ll.warnings)


def test_survey_names_in_gis_order_follow_the_values(tmp_path):
    p = tmp_path / "gis.csv"
    pd.DataFrame({"X坐标(m)": E, "Y坐标(m)": N}).to_csv(p, index=False)
    ll = one(p)
    assert ll.x_field == "X坐标(m)"
    np.testing.assert_allclose(ll.gdf.geometry.x, E)
    assert any("GIS order" in w for w in ll.warnings)


def test_survey_eastings_with_zone_prefix(tmp_path):
    p = tmp_path / "zone.csv"  # 3-degree zone 38 eastings: 38,5xx,xxx
    pd.DataFrame({"X坐标": N, "Y坐标": E + 38_000_000}).to_csv(p, index=False)
    ll = one(p)
    np.testing.assert_allclose(ll.gdf.geometry.x, E + 38_000_000)
    np.testing.assert_allclose(ll.gdf.geometry.y, N)


def test_survey_order_when_values_cannot_tell(tmp_path):
    p = tmp_path / "local.csv"
    pd.DataFrame({"X坐标": [10.0, 20.0], "Y坐标": [300.0, 400.0]}).to_csv(p, index=False)
    ll = one(p)
    assert ll.gdf.geometry.x.tolist() == [300.0, 400.0]  # Y坐标 is east
    assert any("cannot tell" in w for w in ll.warnings)


def test_plain_xy_swapped_only_when_values_prove_it(tmp_path):
    p = tmp_path / "gis.csv"
    pd.DataFrame({"x": E, "y": N}).to_csv(p, index=False)
    ll = one(p)
    np.testing.assert_allclose(ll.gdf.geometry.x, E)
    assert ll.warnings == () and ll.coords_kind == "projected"
    q = tmp_path / "swapped.csv"
    pd.DataFrame({"x": N, "y": E}).to_csv(q, index=False)
    ll = one(q)
    np.testing.assert_allclose(ll.gdf.geometry.x, E)
    assert any("swapped" in w for w in ll.warnings)


def test_lon_lat_columns_holding_each_other(tmp_path):
    p = tmp_path / "a.csv"
    pd.DataFrame({"经度": LAT, "纬度": LON}).to_csv(p, index=False)
    ll = one(p)
    np.testing.assert_allclose(ll.gdf.geometry.x, LON)
    assert ll.coords_kind == "lonlat" and any("swapped" in w for w in ll.warnings)


def test_header_variants(tmp_path):
    p = tmp_path / "h.csv"
    pd.DataFrame({"GPS定位经度": LON, "GPS定位纬度": LAT, "名称": list("abc")}).to_csv(p, index=False)
    assert (one(p).x_field, one(p).y_field) == ("GPS定位经度", "GPS定位纬度")
    q = tmp_path / "q.csv"
    pd.DataFrame({"LONGITUDE": LON, "Latitude ": LAT}).to_csv(q, index=False)
    ll = one(q)
    assert ll.x_field == "LONGITUDE" and ll.coords_kind == "lonlat"
    r = tmp_path / "r.csv"  # two pairs: lon/lat wins, and the user is told
    pd.DataFrame({"x": E, "y": N, "lng": LON, "lat": LAT}).to_csv(r, index=False)
    ll = one(r)
    assert (ll.x_field, ll.y_field) == ("lng", "lat") and any("also has x/y" in w for w in ll.warnings)
    assert one(r, x_field="x", y_field="y").coords_kind == "projected"


def test_explicit_fields_and_a_missing_one(tmp_path):
    p = tmp_path / "t.csv"
    pd.DataFrame({"东": E, "北": N, "名": ["甲", "乙", "丙"]}).to_csv(p, index=False)
    with pytest.raises(LztInputError, match="no coordinate columns"):
        read_vector(p)
    ll = one(p, x_field="东", y_field="北")
    np.testing.assert_allclose(ll.gdf.geometry.y, N)
    assert (ll.x_field, ll.y_field) == ("东", "北") and ll.warnings == ()
    with pytest.raises(LztInputError) as e:
        read_vector(p, ReadOptions(x_field="经度", y_field="北"))
    assert "has no column '经度'" in str(e.value) and "东, 北, 名" in str(e.value)
    ll = one(p, x_field="北", y_field="东")  # obeyed, but the user is warned
    assert ll.gdf.geometry.x.iloc[0] == pytest.approx(N[0]) and any("swapped" in w for w in ll.warnings)


def test_xlsx_with_chinese_headers_and_a_title_row(tmp_path):
    p = tmp_path / "巡查点.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "巡查"
    ws.append(["龙岗区2025年巡查点位统计表"])
    ws.append(["序号", "点位名称", "经度", "纬度", "巡查日期"])
    for i, (lon, lat) in enumerate(zip(LON, LAT)):
        ws.append([i + 1, f"点位{i + 1}", lon, lat, pd.Timestamp("2025-03-01") + pd.Timedelta(days=i)])
    notes = wb.create_sheet("说明")
    notes.append(["本表由街道办填报"])
    wb.save(p)
    ll = one(p)
    assert ll.name == "巡查点" and ll.source_layer is None and ll.coords_kind == "lonlat"
    assert ll.gdf["点位名称"].tolist() == ["点位1", "点位2", "点位3"]
    np.testing.assert_allclose(ll.gdf.geometry.x, LON)
    assert pd.api.types.is_datetime64_any_dtype(ll.gdf["巡查日期"])
    assert any("skipped sheets" in w and "说明" in w for w in ll.warnings)


def test_xlsx_with_several_sheets(tmp_path):
    p = tmp_path / "多表.xlsx"
    with pd.ExcelWriter(p) as xw:
        pd.DataFrame({"经度": LON, "纬度": LAT}).to_excel(xw, sheet_name="学校", index=False)
        pd.DataFrame({"X坐标": N, "Y坐标": E}).to_excel(xw, sheet_name="医院", index=False)
    layers = read_vector(p)
    assert [(ll.name, ll.source_layer, ll.coords_kind) for ll in layers] == [
        ("学校", "学校", "lonlat"), ("医院", "医院", "projected")]
    assert [ll.source_layer for ll in read_vector(p, ReadOptions(layer="医院"))] == ["医院"]
    with pytest.raises(LztInputError, match="no sheet '药店'"):
        read_vector(p, ReadOptions(layer="药店"))


def test_xlsx_mixed_column_becomes_text(tmp_path):
    p = tmp_path / "m.xlsx"
    pd.DataFrame({"lon": [114.1, "无", 114.3], "lat": [22.6, 22.7, 22.8], "编号": [1, "A2", 3]}).to_excel(p, index=False)
    ll = one(p)
    assert ll.stats["rows_without_coords"] == 1 and ll.gdf["编号"].tolist() == ["1", "A2", "3"]


def test_garbage_bytes_with_a_csv_suffix(tmp_path):
    p = tmp_path / "garbage.csv"
    p.write_bytes(os.urandom(4096).replace(b"\x00", b"\x01") + b"\x00")
    with pytest.raises(LztInputError, match=r"garbage\.csv: is a binary file"):
        read_vector(p)
    q = tmp_path / "western.csv"  # text, but neither UTF-8 nor Chinese
    q.write_bytes("lon;lat;name\n114,1;22,6;Gérard Ñandú café\n".encode("cp1252"))
    with pytest.raises(LztInputError, match=r"western\.csv: unknown encoding"):
        read_vector(q)
    ll = one(q, encoding="cp1252", x_field="lon", y_field="lat")  # the user may say
    assert ll.gdf["name"].iloc[0] == "Gérard Ñandú café"


def test_empty_csv_and_header_only(tmp_path):
    """Decided: a header without rows is refused (importing nothing is a mistake)."""
    p = tmp_path / "empty.csv"
    p.write_bytes(b"")
    with pytest.raises(LztInputError, match="empty"):
        read_vector(p)
    p.write_bytes(b"\r\n  \r\n")
    with pytest.raises(LztInputError, match="empty"):
        read_vector(p)
    p.write_bytes("经度,纬度,名称\r\n".encode())
    with pytest.raises(LztInputError, match=r"empty\.csv: has a header row but no data rows"):
        read_vector(p)


def test_rows_all_without_coordinates_are_read(tmp_path):
    p = tmp_path / "todo.csv"
    p.write_text("工单编号,经度,纬度\nA1,,\nA2,待核实,\n", encoding="utf-8")
    ll = one(p)
    assert ll.coords_kind == "unknown" and len(ll.gdf) == 2 and ll.gdf.geometry.isna().all()
    assert ll.stats["rows_without_coords"] == 2 and any("no row has" in w for w in ll.warnings)


def test_zero_zero_placeholders(tmp_path):
    p = tmp_path / "z.csv"
    p.write_text("lon,lat\n114.1,22.6\n0,0\n114.2,22.7\n", encoding="utf-8")
    ll = one(p)
    assert ll.stats["rows_without_coords"] == 1 and ll.gdf.geometry.iloc[1] is None
    assert any("(0, 0)" in w for w in ll.warnings)


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiters_and_crlf(tmp_path, sep):
    p = tmp_path / "d.txt"
    rows = [["名称", "经度", "纬度"], ["甲, 乙", "114.1", "22.6"], ["丙", "114.2", "22.7"]]
    text = "\r\n".join(sep.join(f'"{c}"' if sep in c else c for c in r) for r in rows) + "\r\n"
    p.write_bytes(text.encode("utf-8-sig"))
    ll = one(p)
    assert ll.gdf["名称"].tolist() == ["甲, 乙", "丙"] and ll.gdf.geometry.x.tolist() == [114.1, 114.2]
    assert list(ll.gdf.columns) == ["名称", "经度", "纬度", "geometry"]  # no BOM in the first name


def test_quoted_newlines_ragged_rows_and_duplicate_names(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text('名称,lon,lat,备注,备注\n"两行\n地址",114.1,22.6,a,b\n短行,114.2,22.7\n尾逗号,114.3,22.8,c,d,,\n',
                 encoding="utf-8")
    ll = one(p)
    assert ll.gdf["名称"].tolist() == ["两行\n地址", "短行", "尾逗号"]
    assert list(ll.gdf.columns) == ["名称", "lon", "lat", "备注", "备注_2", "geometry"]
    assert ll.gdf["备注_2"].tolist()[::2] == ["b", "d"]
    assert any("padded" in w for w in ll.warnings) and any("备注_2" in w for w in ll.warnings)
    bad = tmp_path / "bad.csv"
    bad.write_text("lon,lat\n114.1,22.6\n114.2,22.7,extra\n", encoding="utf-8")
    with pytest.raises(LztInputError, match=r"bad\.csv: line 3 has 3 fields"):
        read_vector(bad)


def test_column_types(tmp_path):
    p = tmp_path / "types.csv"
    p.write_text(
        "lon,lat,编码,身份证,数量,金额,日期,时间,斜杠日期,备注\n"
        "114.1,22.6,0755,440307199001011234,3,1.5,2025-03-01,2025-03-01 09:30:00,2025/3/1,甲\n"
        "114.2,22.7,0123,440307198001011111,,2.25,2025-03-02,2025-03-02T10:00:00,2025/12/31,\n",
        encoding="utf-8")
    df = one(p).gdf
    assert df["编码"].tolist() == ["0755", "0123"]  # leading zeros kept
    assert df["身份证"].tolist() == ["440307199001011234", "440307198001011111"]
    assert df["数量"].iloc[0] == 3 and pd.isna(df["数量"].iloc[1])
    assert df["金额"].dtype == float
    for c in ("日期", "时间", "斜杠日期"):
        assert pd.api.types.is_datetime64_any_dtype(df[c]), c
    assert df["斜杠日期"].iloc[1] == pd.Timestamp("2025-12-31")
    assert pd.isna(df["备注"].iloc[1])


def test_padded_dates_and_numbers_are_typed_after_trimming(tmp_path):
    p = tmp_path / "padded.csv"
    p.write_text('lon,lat,时间,数量,日期\n114.1,22.6,2025-03-01 09:30:00, 3 ,2025-03-01\n'
                 '114.2,22.7," 2025-03-02 10:00:00",4,"2025-03-02 "\n', encoding="utf-8")
    df = one(p).gdf
    assert df["时间"].tolist() == [pd.Timestamp("2025-03-01 09:30"), pd.Timestamp("2025-03-02 10:00")]
    assert df["日期"].tolist() == [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-02")]
    assert df["数量"].tolist() == [3, 4]


def test_utf16_export_and_fake_xls(tmp_path):
    p = tmp_path / "unicode.txt"  # Excel "Unicode text": UTF-16 with BOM, tab-separated
    p.write_bytes("名称\t经度\t纬度\r\n甲\t114.1\t22.6\r\n".encode("utf-16"))
    ll = one(p)
    assert ll.gdf["名称"].tolist() == ["甲"] and ll.encoding == "utf-16"
    q = tmp_path / "导出.xls"  # web systems' "Excel" exports are often tab-separated text
    q.write_bytes("名称\t经度\t纬度\r\n乙\t114.2\t22.7\r\n".encode("gb18030"))
    ll = one(q)
    assert ll.gdf["名称"].tolist() == ["乙"] and any("delimited text" in w for w in ll.warnings)


def test_xlsx_named_csv(tmp_path):
    p = tmp_path / "really.csv"
    pd.DataFrame({"经度": LON, "纬度": LAT}).to_excel(p, index=False, engine="openpyxl")
    ll = one(p)
    assert len(ll.gdf) == 3 and any("Excel" in w for w in ll.warnings)


def test_wkt_column(tmp_path):
    p = tmp_path / "w.csv"
    pd.DataFrame({"名称": ["面", "坏", "空", "弧"],
                  "geom": ["SRID=4547;POLYGON ((525000 2510000, 525100 2510000, 525100 2510100, 525000 2510000))",
                           "POLYGON ((1 2", None, "CIRCULARSTRING (0 0, 1 1, 2 0)"]}).to_csv(p, index=False)
    ll = one(p)
    assert ll.crs.to_epsg() == 4547 and ll.coords_kind == "geometry" and list(ll.gdf.columns) == ["名称", "geometry"]
    assert ll.stats["rows_without_coords"] == 2 and ll.stats["curves_linearised"] == 1
    assert ll.gdf.geometry.iloc[0].area == pytest.approx(5000)
    assert ll.gdf.geometry.iloc[3].geom_type == "LineString" and len(ll.gdf.geometry.iloc[3].coords) > 10
    assert ll.gdf.geometry.iloc[1] is None and ll.gdf.geometry.iloc[2] is None


def test_wkt_in_xlsx_with_curves(tmp_path):
    p = tmp_path / "w.xlsx"
    pd.DataFrame({"WKT": ["COMPOUNDCURVE ((0 0, 1 0), CIRCULARSTRING (1 0, 2 1, 3 0))", "POINT (1 2)"]}
                 ).to_excel(p, index=False)
    ll = one(p)
    assert ll.stats["curves_linearised"] == 1
    assert ll.gdf.geometry.iloc[0].length == pytest.approx(1 + np.pi, rel=1e-3)


def test_src_crs_is_attached(tmp_path):
    p = tmp_path / "p.csv"
    pd.DataFrame({"x": E, "y": N}).to_csv(p, index=False)
    ll = one(p, src_crs="EPSG:4547")
    assert ll.crs.to_epsg() == 4547 and ll.gdf.crs.to_epsg() == 4547
    np.testing.assert_allclose(ll.gdf.geometry.x, E)  # not reprojected


def test_read_csv_matches_pandas_on_a_dirty_table(tmp_path):
    rng = np.random.default_rng(3)
    n = 5000
    df = pd.DataFrame({"id": np.arange(n), "名称": [f"点{i}" for i in range(n)],
                       "lon": rng.uniform(114, 114.4, n).round(6), "lat": rng.uniform(22.5, 22.8, n).round(6),
                       "v": rng.normal(size=n)})
    df.loc[::97, "lon"] = np.nan
    p = tmp_path / "dirty.csv"
    df.to_csv(p, index=False)
    got, encoding, _ = read_csv(p)
    ref = pd.read_csv(p)
    assert encoding == "utf-8" and list(got.columns) == list(ref.columns)
    for c in ref.columns:
        np.testing.assert_array_equal(got[c].to_numpy(), ref[c].to_numpy())
    ll = one(p)
    assert ll.stats["rows_without_coords"] == int(df["lon"].isna().sum())


@pytest.mark.slow
def test_a_million_rows_read(tmp_path):  # its speed is measured in bench/run.py (import group)
    n = 1_000_000
    rng = np.random.default_rng(0)
    p = tmp_path / "big.csv"
    pacsv.write_csv(pa.table({"编号": np.arange(n), "类别": rng.choice(["住宅", "学校", "医院"], n),
                              "经度": rng.uniform(114.0, 114.4, n).round(7),
                              "纬度": rng.uniform(22.5, 22.8, n).round(7)}), p)
    ll = one(p)
    assert len(ll.gdf) == n and ll.stats["rows_without_coords"] == 0 and ll.coords_kind == "lonlat"
    assert shapely.get_x(ll.gdf.geometry.values[:3]).tolist() == ll.gdf["经度"].iloc[:3].tolist()


@pytest.mark.parametrize("cols, chosen, also", [
    (["gcj_lng", "gcj_lat"], ("gcj_lng", "gcj_lat"), None),
    (["百度经度", "百度纬度"], ("百度经度", "百度纬度"), None),
    (["lng_bd09", "lat_bd09", "lng_wgs84", "lat_wgs84"], ("lng_wgs84", "lat_wgs84"), "lng_bd09/lat_bd09"),
    (["lng", "lat", "bd_lng", "bd_lat"], ("lng", "lat"), "bd_lng/bd_lat"),
])
def test_coordinate_columns_named_after_their_system(tmp_path, cols, chosen, also):
    """Columns such as gcj_lng/gcj_lat or 百度经度/百度纬度 are found; when a table has several
    systems, WGS84 is preferred and the others are named in a warning."""
    p = tmp_path / "t.csv"
    data = {c: [LON[0] if i % 2 == 0 else LAT[0]] for i, c in enumerate(cols)}
    pd.DataFrame(data).to_csv(p, index=False)
    ll = one(p)
    assert (ll.x_field, ll.y_field) == chosen and ll.coords_kind == "lonlat"
    assert any(also in w for w in ll.warnings) if also else not any("also has" in w for w in ll.warnings)
