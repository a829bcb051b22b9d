"""Content beats suffix: what a file is, whatever it is called; reader warnings in lzt's words."""

from __future__ import annotations

import json
import shutil
import warnings
import zipfile

import pandas as pd
import pytest
import shapely

from layers.formats import content_note, kind_of
from layers.registry import read_vector, sniff
from lzt.core.errors import LztInputError
from lzt.ingest import import_paths

AMAP = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"id": "B0FFG1ABCD", "name": "甲", "address": []},
     "geometry": {"type": "Point", "coordinates": [114.25, 22.72]}},
    {"type": "Feature", "properties": {"id": "B0FFG2ABCD", "name": "乙", "address": "龙城大道1号"},
     "geometry": {"type": "Point", "coordinates": [114.26, 22.73]}},
    {"type": "Feature", "properties": {"id": "B0FFG3ABCD", "name": "丙", "address": ["x", "y"]},
     "geometry": {"type": "Point", "coordinates": [114.27, 22.74]}},
]}


@pytest.mark.parametrize("head, name, fmt, kind", [
    (b"II*\x00" + b"\x00" * 60, "dem.dat", ".tif", "raster"),
    (b"MM\x00*" + b"\x00" * 60, "dem.tiff", ".tiff", "raster"),
    (b"II+\x00" + b"\x00" * 60, "big.bin", ".tif", "raster"),
    (b"ISO-10303-21;\nHEADER;", "model.txt", ".ifc", "bim"),
    (b"glTF\x02\x00\x00\x00", "m.bin", ".glb", "bim"),
    (b"%PDF-1.7\n", "map.csv", ".pdf", "other"),
    (b"AC1032\x00", "plan.dat", ".dwg", "other"),
    (b'{"type": "FeatureCollection", "features": []}', "x.csv", ".geojson", "vector"),
    (b'\xef\xbb\xbf  {"type":"Feature","geometry":null}', "x.txt", ".geojson", "vector"),
    (b'{"type":"Feature","geometry":null}\n{"type":"Feature","geometry":null}\n', "x.json", ".geojsonl",
     "vector"),
    (b'[{"lng": 114.2, "lat": 22.7}]', "records.txt", ".json", "vector"),
    (b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">', "a.xml", ".kml", "vector"),
    (b'<?xml version="1.0"?><wfs:FeatureCollection xmlns:gml="http://www.opengis.net/gml">', "a.txt",
     ".gml", "vector"),
    (b'<gpx version="1.1">', "track.xml", ".gpx", "vector"),
    (b"<!DOCTYPE html><html><body>", "export.csv", ".html", "other"),
    (b"ncols 10\nnrows 10\n", "grid.txt", ".asc", "raster"),
    (b"EHFA_HEADER_TAG\x00", "x.dat", ".img", "raster"),
    (b"CDF\x01\x00", "x.dat", ".nc", "raster"),
    (b"\x89HDF\r\n\x1a\n", "x.h5", ".nc", "raster"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "x.dat", ".jp2", "raster"),
    (b"name,lng,lat\na,114.2,22.7\n", "a.txt", ".txt", "table"),
])
def test_sniff_by_content(tmp_path, head, name, fmt, kind):
    p = tmp_path / name
    p.write_bytes(head)
    assert sniff(p) == fmt and kind_of(fmt) == kind


def test_geojson_named_csv_is_read_as_geojson(tmp_path):
    p = tmp_path / "amap.csv"
    p.write_text(json.dumps(AMAP, ensure_ascii=False), encoding="utf-8")
    (ll,) = read_vector(p)
    assert len(ll.gdf) == 3 and ll.crs is not None and ll.crs.to_epsg() == 4326
    assert ll.warnings[0] == "is GeoJSON, named .csv: read as GeoJSON (its content)"
    assert content_note(p, ".geojson") == ll.warnings[0]


def test_list_properties_become_json_text_without_a_library_warning(tmp_path):
    """Amap's "address": [] in some features and text in others: pyogrio's UserWarning (with
    lzt's source path) used to reach the terminal; now one note in lzt's words."""
    p = tmp_path / "amap.geojson"
    p.write_text(json.dumps(AMAP, ensure_ascii=False), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning that escapes fails the test
        (ll,) = read_vector(p)
    assert pd.isna(ll.gdf["address"].iloc[0])
    assert ll.gdf["address"].tolist()[1:] == ["龙城大道1号", '["x", "y"]']
    assert [w for w in ll.warnings if "address" in w] == [
        "field 'address' holds lists or objects (in some features at least): stored as JSON text, "
        "empty lists as empty values"]


def test_list_columns_throughout(tmp_path):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"acroutes": [100000, 440000], "parent": {"adcode": 440300},
                                           "tel": []},
         "geometry": {"type": "Point", "coordinates": [114.25, 22.72]}},
        {"type": "Feature", "properties": {"acroutes": [100000], "parent": {"adcode": 440000}, "tel": ["1"]},
         "geometry": {"type": "Point", "coordinates": [114.26, 22.73]}}]}
    p = tmp_path / "datav.json"
    p.write_text(json.dumps(fc), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (ll,) = read_vector(p)
    assert ll.gdf["acroutes"].tolist() == ["[100000, 440000]", "[100000]"]
    assert ll.gdf["parent"].tolist() == ['{"adcode": 440300}', '{"adcode": 440000}']
    assert pd.isna(ll.gdf["tel"].iloc[0]) and ll.gdf["tel"].iloc[1] == '["1"]'


def test_misnamed_binary_formats_read(tmp_path, real_data):
    g = tmp_path / "g.csv"  # a GeoPackage called .csv: GDAL's CSV driver used to take it (traceback)
    shutil.copy(real_data / "vector/test_gdal_error.gpkg", g)
    layers = read_vector(g)
    assert len(layers) == 2 and all("is GeoPackage, named .csv" in ll.warnings[0] for ll in layers)
    z = tmp_path / "shapes.dat"  # a zipped shapefile called .dat
    with zipfile.ZipFile(z, "w") as zf:
        for part in real_data.joinpath("vector").glob("coutwildrnp.*"):
            zf.write(part, part.name)
    (ll,) = read_vector(z)
    assert len(ll.gdf) == 67 and "is ZIP, named .dat" in ll.warnings[0]
    d = tmp_path / "s"  # a shapefile whose .shp is called .dat (sidecars beside it)
    d.mkdir()
    for part in real_data.joinpath("vector").glob("coutwildrnp.*"):
        shutil.copy(part, d / (part.stem + (".dat" if part.suffix == ".shp" else part.suffix)))
    (ll,) = read_vector(d / "coutwildrnp.dat")
    assert len(ll.gdf) == 67 and ll.crs.to_epsg() == 4326 and "NAME" in ll.gdf.columns
    assert not list(d.glob("*.shp"))  # nothing written next to the user's files


def test_geotiff_named_dat_imports_as_a_raster(real_data, tmp_path):
    from lzt.workspace import create_workspace

    p = tmp_path / "byte.dat"
    shutil.copy(real_data / "raster/byte.tif", p)
    ws = create_workspace(tmp_path / "merc.gpkg", "EPSG:3857")  # byte.tif lies in California
    try:
        (rep,) = import_paths(ws, [p])
        assert rep.kind == "raster" and ws.layer("byte").kind == "raster"
    finally:
        ws.close()


def test_ifc_named_txt_leaves_the_workspace_as_it_was(ws, real_data, tmp_path):
    p = tmp_path / "model.txt"
    shutil.copy(real_data / "ifc/IfcOpenHouse_IFC4.ifc", p)
    with pytest.raises(LztInputError, match="lzt bim"):
        import_paths(ws, [p])
    assert ws.layers() == []


def test_xlsx_named_csv_says_so(tmp_path):
    p = tmp_path / "really.csv"
    pd.DataFrame({"经度": [114.2], "纬度": [22.7]}).to_excel(p, index=False, engine="openpyxl")
    (ll,) = read_vector(p)
    assert ll.warnings[0] == "is Excel workbook (XLSX), named .csv: read as Excel workbook (XLSX) (its content)"
    assert shapely.get_x(ll.gdf.geometry.iloc[0]) == pytest.approx(114.2)
