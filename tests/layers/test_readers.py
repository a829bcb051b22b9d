"""File readers: every real file reads or fails clearly; Chinese encodings and headers."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from layers.registry import read_vector, sha256_of
from layers.spec import ReadOptions
from lzt.core.errors import LztInputError

READABLE = {  # file -> (layers, features of the first layer)
    "vector/countries.geojson": (1, 179), "vector/countries.fgb": (1, 179),
    "vector/coutwildrnp.shp": (1, 67), "vector/test_gdal_error.gpkg": (2, 1),
    "vector/test_allcorrect_with_indexes_and_fks.gpkg": (4, 1), "vector/curves_line.csv": (1, 9),
    "vector/volcano_data_2010.csv": (1, 63), "malformed/corrupt_too_long.shp": (1, 10),
    "malformed/curvepolygon.gpkg": (1, 1), "malformed/latin1.shp": (1, 1),
    "malformed/test_geometry_valid.gpkg": (1, 2), "malformed/test_geometry_empty.gpkg": (1, 45),
}
FAILING = {
    "vector/areas.csv": "no coordinate columns",
    "malformed/test_broken_geopackage.gpkg": "gpkg_contents",
    "malformed/test_tin.shp": "TIN",
    "malformed/topp_states.fgb": "version 2",
    "malformed/clusterfuzz-testcase-minimized-fgb_fuzzer-4642513358553088.fgb": "",
}


@pytest.mark.parametrize("name", sorted(READABLE))
def test_real_files_read(real_data, name):
    layers = read_vector(real_data / name)
    n_layers, n_first = READABLE[name]
    assert len(layers) == n_layers and len(layers[0].gdf) == n_first
    # cross-check with a plain pyogrio read where GDAL reads the file directly
    if name.endswith((".geojson", ".fgb", ".gpkg")) and "curve" not in name:
        ref = pyogrio.read_dataframe(real_data / name, layer=layers[0].source_layer)
        assert len(ref) == n_first


@pytest.mark.parametrize("name", sorted(FAILING))
def test_real_broken_files_fail_clearly(real_data, name):
    with pytest.raises(LztInputError) as e:
        read_vector(real_data / name)
    msg = str(e.value)
    assert "\n" not in msg and name.split("/")[-1] in msg and FAILING[name] in msg


def test_every_real_vector_file_is_covered(real_data):
    names = {f"{d}/{p.name}" for d in ("vector", "malformed") for p in (real_data / d).iterdir()
             if p.suffix.lower() in (".shp", ".gpkg", ".geojson", ".fgb", ".csv", ".kml")}
    assert names == set(READABLE) | set(FAILING)


def test_latin1_dbf_without_shx_or_cpg(real_data):
    ll = read_vector(real_data / "malformed/latin1.shp")[0]
    assert ll.gdf["Name"].iloc[0] == "Ñandú"
    assert not (real_data / "malformed/latin1.shx").exists()  # nothing written beside the data
    assert any(".shx" in w for w in ll.warnings)


def test_curves_are_linearised(real_data):
    ll = read_vector(real_data / "vector/curves_line.csv")[0]
    assert ll.stats["curves_linearised"] == 4
    assert set(ll.gdf.geom_type) <= {"LineString", "MultiLineString"}


@pytest.fixture
def chinese_gdf():
    return gpd.GeoDataFrame({"名称": ["布吉街道", "坂田花园", "龙城广场"], "用地": ["R2", "M1", "G1"]},
                            geometry=shapely.points([1, 2, 3], [4, 5, 6]), crs="EPSG:4547")


def test_gbk_shapefile_without_cpg(tmp_path, chinese_gdf):
    p = tmp_path / "gbk.shp"
    pyogrio.write_dataframe(chinese_gdf, p, encoding="GBK")
    (tmp_path / "gbk.cpg").unlink(missing_ok=True)
    ll = read_vector(p)[0]
    assert ll.gdf["名称"].tolist() == chinese_gdf["名称"].tolist()
    assert ll.encoding == "gb18030" and any("gb18030" in w for w in ll.warnings)


def test_zipped_shapefile(tmp_path, chinese_gdf):
    pyogrio.write_dataframe(chinese_gdf, tmp_path / "a.shp", encoding="UTF-8")
    z = tmp_path / "a.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for part in tmp_path.glob("a.*"):
            if part.suffix != ".zip":
                zf.write(part, f"data/{part.name}")
    ll = read_vector(z)[0]
    assert ll.gdf["名称"].tolist() == chinese_gdf["名称"].tolist() and ll.crs.to_epsg() == 4547
    assert sha256_of(tmp_path / "a.shp") != sha256_of(z)


def test_gb18030_csv_with_chinese_headers(tmp_path):
    p = tmp_path / "诉求.csv"
    df = pd.DataFrame({"工单编号": ["A1", "A2", "A3"], "经度": [114.1, 114.2, "缺失"],
                       "纬度": [22.6, 22.7, 22.8], "地址": ["布吉街道某某花园", "坂田", "龙城"]})
    p.write_bytes(df.to_csv(index=False).encode("gb18030"))
    ll = read_vector(p)[0]
    assert ll.encoding == "gb18030" and ll.coords_kind == "lonlat"
    assert (ll.x_field, ll.y_field) == ("经度", "纬度")
    assert ll.gdf["地址"].tolist()[0] == "布吉街道某某花园"
    assert ll.stats["rows_without_coords"] == 1 and ll.gdf.geometry.iloc[2] is None
    assert len(ll.gdf) == 3  # never silently dropped


def test_survey_order_xy_columns(tmp_path):
    p = tmp_path / "survey.csv"
    # X坐标 = northing, Y坐标 = easting (Chinese survey notation)
    pd.DataFrame({"点号": [1, 2], "X坐标": [2513606.263, 2504671.880], "Y坐标": [525354.413, 506167.545]}
                 ).to_csv(p, index=False)
    ll = read_vector(p)[0]
    assert ll.coords_kind == "projected"
    np.testing.assert_allclose(ll.gdf.geometry.x, [525354.413, 506167.545])
    # and a GIS-style table that labels easting as X: same points
    q = tmp_path / "gis.csv"
    pd.DataFrame({"x": [525354.413], "y": [2513606.263]}).to_csv(q, index=False)
    assert read_vector(q)[0].gdf.geometry.x.iloc[0] == pytest.approx(525354.413)


def test_xlsx_with_explicit_fields(tmp_path):
    p = tmp_path / "表.xlsx"
    pd.DataFrame({"东": [525354.4, 506167.5], "北": [2513606.2, 2504671.8], "名": ["甲", "乙"]}).to_excel(p, index=False)
    with pytest.raises(LztInputError, match="no coordinate columns"):
        read_vector(p)
    ll = read_vector(p, ReadOptions(x_field="东", y_field="北"))[0]
    assert ll.gdf.geometry.y.tolist() == [2513606.2, 2504671.8]
    with pytest.raises(LztInputError, match="has no column 'nope'"):
        read_vector(p, ReadOptions(x_field="nope", y_field="北"))


@pytest.mark.parametrize("content, suffix, needle", [
    (b"\x00\x01\x02garbage" * 10, ".csv", ""),
    (b"", ".csv", "empty"),
    (b"lon,lat,name\n", ".csv", "no row has numeric coordinates"),
    (b"not a zip", ".zip", "ZIP"),
    (b"{ not json", ".geojson", "cannot"),
    (b"hello", ".docx", "unsupported format"),
    (b"SQLite format 3\x00" + b"\x00" * 100, ".gpkg", "cannot"),
])
def test_garbage_inputs(tmp_path, content, suffix, needle):
    p = tmp_path / f"bad{suffix}"
    p.write_bytes(content)
    with pytest.raises(LztInputError) as e:
        read_vector(p)
    assert needle in str(e.value) and "bad" in str(e.value) and "\n" not in str(e.value)


def test_kml(tmp_path, chinese_gdf):
    p = tmp_path / "点.kml"
    pyogrio.write_dataframe(chinese_gdf.to_crs(4326), p, driver="KML")
    ll = read_vector(p)
    assert len(ll) == 1 and len(ll[0].gdf) == 3 and ll[0].crs.to_epsg() == 4326
