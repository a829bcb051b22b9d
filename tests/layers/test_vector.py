"""GDAL formats on fixtures built here: shapefile encodings (GBK without .cpg, a wrong
.cpg), zipped shapefiles (GBK member names too), curves, GeoPackage, GeoJSON, FlatGeobuf,
KML; compared against plain pyogrio reads."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyogrio
import pytest
import shapely

from layers.registry import read_vector, sha256_of
from layers.spec import ReadOptions
from lzt.core.errors import LztInputError

NAMES = ["布吉街道", "坂田花园", "龙城广场", "平湖·华南城"]


@pytest.fixture
def chinese_gdf():
    return gpd.GeoDataFrame({"名称": NAMES, "用地": ["R2", "M1", "G1", "B1"], "面积": [1.5, 2.0, 3.25, 4.0]},
                            geometry=shapely.points([525000, 526000, 527000, 528000], [2510000] * 4),
                            crs="EPSG:4547")


def write_shp(gdf, folder: Path, stem: str, encoding: str, cpg: str | None = "keep") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{stem}.shp"
    pyogrio.write_dataframe(gdf, p, encoding=encoding)
    cpg_path = p.with_suffix(".cpg")
    if cpg is None:
        cpg_path.unlink(missing_ok=True)
    elif cpg != "keep":
        cpg_path.write_text(cpg)
    return p


def test_gbk_shapefile_without_cpg(tmp_path, chinese_gdf):
    p = write_shp(chinese_gdf, tmp_path, "gbk", "GBK", cpg=None)
    assert not p.with_suffix(".cpg").exists()
    with pytest.raises(UnicodeDecodeError):
        p.with_suffix(".dbf").read_bytes().decode("utf-8")  # really GBK bytes
    ll = read_vector(p)[0]
    assert list(ll.gdf.columns) == ["名称", "用地", "面积", "geometry"]  # Chinese field names too
    assert ll.gdf["名称"].tolist() == NAMES and ll.gdf["面积"].tolist() == [1.5, 2.0, 3.25, 4.0]
    assert ll.encoding == "gb18030" and any("gb18030" in w for w in ll.warnings)
    assert ll.crs.to_epsg() == 4547 and ll.source_layer is None and ll.name == "gbk"
    ref = pyogrio.read_dataframe(p, encoding="GBK")  # an independent read told the truth
    assert ll.gdf["名称"].tolist() == ref["名称"].tolist()


@pytest.mark.parametrize("cpg, warned", [("936", False), ("GBK", False), ("UTF-8", True), ("SYSTEM", True)])
def test_gbk_shapefile_whatever_its_cpg_says(tmp_path, chinese_gdf, cpg, warned):
    p = write_shp(chinese_gdf, tmp_path, "gbk", "GBK", cpg=cpg)
    ll = read_vector(p)[0]
    assert ll.gdf["名称"].tolist() == NAMES and ll.encoding == "gb18030"
    assert any(".cpg" in w for w in ll.warnings) == warned


def test_utf8_shapefile_without_cpg_needs_no_warning(tmp_path, chinese_gdf):
    p = write_shp(chinese_gdf, tmp_path, "u", "UTF-8", cpg=None)
    ll = read_vector(p)[0]
    assert ll.gdf["名称"].tolist() == NAMES and ll.encoding == "utf-8" and ll.warnings == ()


def test_explicit_encoding_wins(tmp_path, chinese_gdf):
    p = write_shp(chinese_gdf, tmp_path, "gbk", "GBK", cpg="UTF-8")
    ll = read_vector(p, ReadOptions(encoding="GBK"))[0]
    assert ll.gdf["名称"].tolist() == NAMES and ll.encoding == "gb18030" and ll.warnings == ()
    with pytest.raises(LztInputError, match="unknown encoding 'klingon'"):
        read_vector(p, ReadOptions(encoding="klingon"))


def test_shapefile_without_shx_is_restored_in_a_copy(tmp_path, chinese_gdf):
    p = write_shp(chinese_gdf, tmp_path, "a", "UTF-8")
    p.with_suffix(".shx").unlink()
    before = sorted(x.name for x in tmp_path.iterdir())
    ll = read_vector(p)[0]
    assert ll.gdf["名称"].tolist() == NAMES and any(".shx" in w for w in ll.warnings)
    assert sorted(x.name for x in tmp_path.iterdir()) == before  # nothing written beside it


def test_shapefile_without_dbf(tmp_path, chinese_gdf):
    p = write_shp(chinese_gdf, tmp_path, "a", "UTF-8")
    p.with_suffix(".dbf").unlink()
    ll = read_vector(p)[0]
    assert len(ll.gdf) == 4 and list(ll.gdf.columns) == ["geometry"]
    assert any(".dbf" in w for w in ll.warnings)


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for part in sorted(folder.iterdir()):
            zf.write(part, prefix + part.name)
    return target


def test_zipped_shapefile(tmp_path, chinese_gdf):
    write_shp(chinese_gdf, tmp_path / "src", "parcels", "GBK", cpg=None)
    z = zip_folder(tmp_path / "src", tmp_path / "a.zip", prefix="data/")
    ll = read_vector(z)[0]
    assert ll.gdf["名称"].tolist() == NAMES and ll.crs.to_epsg() == 4547 and ll.encoding == "gb18030"
    assert (ll.name, ll.source_layer, ll.source) == ("parcels", "parcels", z)
    ref = pyogrio.read_dataframe(f"/vsizip/{z}/data/parcels.shp", encoding="GBK")
    assert ll.gdf.drop(columns="geometry").equals(ref.drop(columns="geometry"))
    assert sha256_of(z) == sha256_of(z) != sha256_of(tmp_path / "src" / "parcels.shp")


def test_zip_with_several_shapefiles_and_a_layer_choice(tmp_path, chinese_gdf):
    write_shp(chinese_gdf, tmp_path / "src", "roads", "UTF-8")
    write_shp(chinese_gdf.iloc[:2], tmp_path / "src", "parks", "UTF-8")
    z = zip_folder(tmp_path / "src", tmp_path / "two.zip")
    layers = read_vector(z)
    assert sorted((ll.name, len(ll.gdf)) for ll in layers) == [("parks", 2), ("roads", 4)]
    assert [ll.name for ll in read_vector(z, ReadOptions(layer="parks"))] == ["parks"]
    with pytest.raises(LztInputError, match="no layer 'nope'.*parks, roads"):
        read_vector(z, ReadOptions(layer="nope"))


def test_zip_with_gbk_member_names(tmp_path, chinese_gdf):
    """Zips made on Chinese Windows store names in GBK without the UTF-8 flag."""
    write_shp(chinese_gdf, tmp_path / "src", "AAAA", "UTF-8")
    z = zip_folder(tmp_path / "src", tmp_path / "gbk.zip")
    z.write_bytes(z.read_bytes().replace(b"AAAA", "龙岗".encode("gbk")))
    ll = read_vector(z)[0]
    assert ll.name == "龙岗" and ll.gdf["名称"].tolist() == NAMES


def test_zip_shapefile_without_shx(tmp_path, chinese_gdf):
    p = write_shp(chinese_gdf, tmp_path / "src", "a", "UTF-8")
    p.with_suffix(".shx").unlink()
    ll = read_vector(zip_folder(tmp_path / "src", tmp_path / "a.zip"))[0]
    assert ll.gdf["名称"].tolist() == NAMES and ll.name == "a" and any(".shx" in w for w in ll.warnings)


def test_zip_with_a_geopackage_and_junk(tmp_path, chinese_gdf):
    chinese_gdf.to_file(tmp_path / "in.gpkg", layer="pois")
    z = tmp_path / "g.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(tmp_path / "in.gpkg", "in.gpkg")
        zf.writestr("__MACOSX/._in.gpkg", b"junk")
        zf.writestr("readme.txt", "说明")
    (ll,) = read_vector(z)
    assert ll.name == "in" and ll.source_layer == "pois" and ll.gdf["名称"].tolist() == NAMES


def test_zip_without_vector_data(tmp_path):
    z = tmp_path / "docs.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "nothing here")
    with pytest.raises(LztInputError, match=r"docs\.zip: the ZIP holds no shapefile"):
        read_vector(z)


def _circular_wkb(points) -> bytes:
    return struct.pack("<BII", 1, 8, len(points)) + b"".join(struct.pack("<dd", *p) for p in points)


def test_curves_in_a_geopackage_are_linearised(tmp_path):
    """A real arc (CIRCULARSTRING) written through GDAL, next to a line and a NULL."""
    p = tmp_path / "arcs.gpkg"
    line = shapely.to_wkb(shapely.LineString([(0, 0), (5, 5)]))
    table = pa.table({"名称": ["弧", "线", "空"],
                      "geometry": pa.array([_circular_wkb([(0, 0), (1, 1), (2, 0)]), line, None], pa.binary())})
    pyogrio.write_arrow(table, p, layer="arcs", driver="GPKG", geometry_name="geometry",
                        geometry_type="Unknown", crs="EPSG:4547")
    ll = read_vector(p)[0]
    assert ll.stats == {"curves_linearised": 1, "null_geometries": 1, "empty_geometries": 0}
    arc = ll.gdf.geometry.iloc[0]
    assert arc.geom_type == "LineString" and len(arc.coords) > 10
    np.testing.assert_allclose(shapely.distance(shapely.points(arc.coords), shapely.Point(1, 0)), 1)
    assert ll.gdf["名称"].tolist() == ["弧", "线", "空"]


def test_geopackage_attribute_table_and_layer_names(tmp_path, chinese_gdf):
    p = tmp_path / "two.gpkg"
    chinese_gdf.to_file(p, layer="地块")
    pyogrio.write_dataframe(chinese_gdf.drop(columns="geometry"), p, layer="台账", driver="GPKG")
    layers = {ll.source_layer: ll for ll in read_vector(p)}
    assert set(layers) == {"地块", "台账"}
    assert layers["地块"].name == "地块" and layers["地块"].gdf["名称"].tolist() == NAMES
    table = layers["台账"]
    assert table.gdf.geometry.isna().all() and len(table.gdf) == 4
    assert any("no geometry column" in w for w in table.warnings)


def test_geojson_with_null_geometry_and_chinese_properties(tmp_path):
    p = tmp_path / "点.geojson"
    p.write_text('{"type":"FeatureCollection","features":['
                 '{"type":"Feature","properties":{"名称":"龙岗中心城"},"geometry":{"type":"Point","coordinates":[114.25,22.72]}},'
                 '{"type":"Feature","properties":{"名称":"无坐标"},"geometry":null}]}', encoding="utf-8")
    ll = read_vector(p)[0]
    assert ll.gdf["名称"].tolist() == ["龙岗中心城", "无坐标"] and ll.crs.to_epsg() == 4326
    assert ll.stats["null_geometries"] == 1 and ll.name == "点"


def test_flatgeobuf_round_trip(tmp_path, chinese_gdf):
    p = tmp_path / "a.fgb"
    pyogrio.write_dataframe(chinese_gdf, p)
    ll = read_vector(p)[0]
    assert ll.crs.to_epsg() == 4547 and sorted(ll.gdf["名称"]) == sorted(NAMES)


def test_kml(tmp_path, chinese_gdf):
    p = tmp_path / "点.kml"
    pyogrio.write_dataframe(chinese_gdf.to_crs(4326), p, driver="KML")
    ll = read_vector(p)
    assert len(ll) == 1 and len(ll[0].gdf) == 4 and ll[0].crs.to_epsg() == 4326
    assert ll[0].gdf["名称"].tolist() == NAMES


def test_mapinfo_tab(tmp_path, chinese_gdf):
    p = tmp_path / "t.tab"  # as MapInfo on Chinese Windows writes it: charset WindowsSimpChinese
    pyogrio.write_dataframe(chinese_gdf, p, driver="MapInfo File", layer_options={"ENCODING": "CP936"})
    assert b"WindowsSimpChinese" in p.read_bytes()
    ll = read_vector(p)[0]
    assert len(ll.gdf) == 4 and ll.gdf["名称"].tolist() == NAMES
    parts = {x.suffix.lower() for x in tmp_path.iterdir()}
    assert {".tab", ".dat", ".map", ".id"} <= parts and sha256_of(p) != sha256_of(p.with_suffix(".dat"))
