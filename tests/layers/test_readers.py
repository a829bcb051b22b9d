"""Readers on the real public files (../shared/data/real, see SOURCES.md there) and the
registry: every file reads or fails with a one-line LztInputError, never anything else."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from layers.registry import read_vector, sha256_of, sniff, supported_suffixes
from layers.spec import LoadedLayer, ReadOptions
from lzt.core.errors import LztInputError

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".fgb", ".csv", ".kml")


def real(*parts: str) -> Path:
    p = REAL.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"real test data not found: {p}")
    return p


# file -> [(source layer, rows, EPSG or None, geometry types)] of what read_vector returns
READABLE = {
    "vector/countries.geojson": [("countries", 179, 4326, {"Polygon", "MultiPolygon"})],
    "vector/countries.fgb": [("countries", 179, 4326, {"MultiPolygon"})],
    "vector/coutwildrnp.shp": [(None, 67, 4326, {"Polygon"})],
    "vector/test_gdal_error.gpkg": [("cbs_arbeidsmarktregio_2014_gegeneraliseerd", 1, 28992, {"MultiPolygon"}),
                                    ("cbs_arbeidsmarktregio_2014_labelpoint", 1, 28992, {"Point"})],
    "vector/test_allcorrect_with_indexes_and_fks.gpkg": [
        ("test_allcorrect", 1, 28992, {"Polygon"}), ("test_foreign", 2, 28992, set()),
        ("test_multi_fk", 1, 28992, set()), ("test_other", 1, 28992, set())],
    "vector/curves_line.csv": [(None, 9, None, {"MultiLineString"})],
    "vector/volcano_data_2010.csv": [(None, 63, None, {"Point"})],
    "malformed/corrupt_too_long.shp": [(None, 10, None, {"LineString"})],
    "malformed/curvepolygon.gpkg": [("curvepolygon", 1, 4326, {"Polygon"})],
    "malformed/latin1.shp": [(None, 1, None, {"Polygon"})],
    "malformed/test_geometry_valid.gpkg": [("test_geometry_valid", 2, 28992, {"Polygon", "Point"})],
    "malformed/test_geometry_empty.gpkg": [("test_geometry_empty", 45, 28992, {"Point"})],  # EMPTY
}
FAILING = {  # file -> words the one-line message must contain
    "vector/areas.csv": "no coordinate columns",
    "malformed/test_broken_geopackage.gpkg": "gpkg_contents",
    "malformed/test_tin.shp": "TIN",
    "malformed/topp_states.fgb": "version 2",
    "malformed/clusterfuzz-testcase-minimized-fgb_fuzzer-4642513358553088.fgb": "no layers",
}


def test_every_real_vector_file_is_covered():
    real("vector")
    names = {f"{d}/{p.name}" for d in ("vector", "malformed") for p in (REAL / d).iterdir()
             if p.suffix.lower() in VECTOR_SUFFIXES}
    assert names == set(READABLE) | set(FAILING)


@pytest.mark.parametrize("name", sorted(READABLE))
def test_real_files_read(name):
    layers = read_vector(real(name))
    expected = READABLE[name]
    assert len(layers) == len(expected)
    for ll, (source_layer, rows, epsg, types) in zip(layers, expected):
        assert isinstance(ll, LoadedLayer) and ll.source == REAL / name
        assert ll.source_layer == source_layer and len(ll.gdf) == rows
        assert (ll.crs.to_epsg() if ll.crs is not None else None) == epsg
        assert set(ll.gdf.geom_type.dropna()) == types
        assert isinstance(ll.warnings, tuple) and all("\n" not in w for w in ll.warnings)


@pytest.mark.parametrize("name", sorted(FAILING))
def test_real_broken_files_fail_clearly(name):
    with pytest.raises(LztInputError) as e:
        read_vector(real(name))
    msg = str(e.value)
    assert "\n" not in msg and Path(name).name in msg and FAILING[name] in msg


@pytest.mark.parametrize("folder", ["vector", "malformed", "raster", "ifc", "mesh"])
def test_any_real_file_reads_or_raises_input_error(folder):
    """Whatever lands in read_vector (a raster, an IFC, a GLB ...) gives no traceback."""
    for p in sorted(real(folder).iterdir()):
        try:
            read_vector(p)
        except LztInputError as e:
            assert "\n" not in str(e) and p.name in str(e)


@pytest.mark.parametrize("name", ["vector/countries.geojson", "vector/countries.fgb",
                                  "vector/coutwildrnp.shp", "vector/test_gdal_error.gpkg",
                                  "malformed/test_geometry_valid.gpkg"])
def test_attributes_and_geometries_match_a_plain_pyogrio_read(name):
    for ll in read_vector(real(name)):
        ref = pyogrio.read_dataframe(REAL / name, layer=ll.source_layer, use_arrow=False)
        cols = [c for c in ref.columns if c != "geometry"]
        assert list(ll.gdf.columns.drop("geometry")) == cols
        for c in cols:
            assert _values(ll.gdf[c]) == _values(ref[c]), c
        assert shapely.equals_exact(np.asarray(ll.gdf.geometry.values), np.asarray(ref.geometry.values),
                                    tolerance=0).all()


def _values(s: pd.Series) -> list:
    return s.astype(object).where(s.notna(), None).tolist()


def test_countries_geojson_and_fgb_agree():
    a = read_vector(real("vector/countries.geojson"))[0].gdf.sort_values("id").reset_index(drop=True)
    b = read_vector(real("vector/countries.fgb"))[0].gdf  # in packed R-tree order
    b = b.sort_values("id").reset_index(drop=True)
    assert a["name"].tolist() == b["name"].tolist()
    # GeoJSON keeps single Polygons; FlatGeobuf stores all as MultiPolygon
    assert np.allclose(a.area, b.area)
    # the two invalid countries are passed on unrepaired (ingest repairs)
    invalid = set(a.loc[~a.is_valid, "name"])
    assert invalid == {"Antarctica", "Canada"} == set(b.loc[~b.is_valid, "name"])


def test_gpkg_layers_with_only_null_geometry_are_read_and_reported():
    layers = read_vector(real("vector/test_allcorrect_with_indexes_and_fks.gpkg"))
    foreign = next(ll for ll in layers if ll.source_layer == "test_foreign")
    assert foreign.stats["null_geometries"] == 2 and foreign.gdf.geometry.isna().all()
    assert any("no geometry" in w for w in foreign.warnings)
    assert layers[0].stats["null_geometries"] == 0 and layers[0].warnings == ()
    one = read_vector(REAL / "vector/test_allcorrect_with_indexes_and_fks.gpkg",
                      ReadOptions(layer="test_other"))
    assert [ll.source_layer for ll in one] == ["test_other"]
    with pytest.raises(LztInputError, match="no layer 'nope'.*test_allcorrect"):
        read_vector(REAL / "vector/test_allcorrect_with_indexes_and_fks.gpkg", ReadOptions(layer="nope"))


def test_empty_geometries_are_counted():
    ll = read_vector(real("malformed/test_geometry_empty.gpkg"))[0]
    assert ll.stats == {"null_geometries": 0, "empty_geometries": 45}
    assert ll.gdf.shape[1] == 29 and any("empty" in w for w in ll.warnings)


def test_invalid_geometry_is_passed_on_unrepaired():
    ll = read_vector(real("malformed/test_geometry_valid.gpkg"))[0]
    assert (~ll.gdf.is_valid).sum() == 1


def test_curve_polygon_is_linearised_and_counted():
    ll = read_vector(real("malformed/curvepolygon.gpkg"))[0]
    assert ll.stats["curves_linearised"] == 1
    poly = ll.gdf.geometry.iloc[0]
    assert poly.geom_type == "Polygon"  # QGIS wrote a CurvePolygon of straight segments only
    ref = pyogrio.read_dataframe(REAL / "malformed/curvepolygon.gpkg", use_arrow=False)
    assert shapely.equals_exact(poly, ref.geometry.iloc[0], tolerance=0)


def test_curves_in_a_wkt_column_are_linearised():
    ll = read_vector(real("vector/curves_line.csv"))[0]
    assert ll.stats["curves_linearised"] == 4 and ll.stats["rows_without_coords"] == 0
    assert ll.coords_kind == "geometry" and ll.crs is None
    assert list(ll.gdf.columns) == ["SHAPE_Length", "geometry"]  # the WKT column became geometry
    ref = pd.read_csv(REAL / "vector/curves_line.csv")
    assert ll.gdf["SHAPE_Length"].tolist() == ref["SHAPE_Length"].tolist()
    # the linearised length is close to the length the source recorded
    np.testing.assert_allclose(ll.gdf.length, ref["SHAPE_Length"], rtol=0.02)


def test_volcano_csv_matches_pandas():
    ll = read_vector(real("vector/volcano_data_2010.csv"))[0]
    ref = pd.read_csv(REAL / "vector/volcano_data_2010.csv")
    assert (ll.x_field, ll.y_field, ll.coords_kind) == ("Longitude", "Latitude", "lonlat")
    assert list(ll.gdf.columns.drop("geometry")) == list(ref.columns)  # x/y columns kept too
    np.testing.assert_allclose(ll.gdf.geometry.x, ref["Longitude"])
    np.testing.assert_allclose(ll.gdf.geometry.y, ref["Latitude"])
    assert ll.gdf["Name"].tolist() == ref["Name"].tolist()
    assert ll.stats["rows_without_coords"] == 0 and ll.encoding == "utf-8"


def test_corrupt_too_long_reads_its_ten_lines():
    ll = read_vector(real("malformed/corrupt_too_long.shp"))[0]
    ref = pyogrio.read_dataframe(REAL / "malformed/corrupt_too_long.shp")
    assert len(ll.gdf) == 10 and ll.gdf.drop(columns="geometry").equals(ref.drop(columns="geometry"))


def test_latin1_dbf_without_shx_or_cpg():
    ll = read_vector(real("malformed/latin1.shp"))[0]
    assert ll.gdf["Name"].iloc[0] == "Ñandú" and ll.encoding in ("cp1252", "iso-8859-1")
    assert not (REAL / "malformed/latin1.shx").exists()  # nothing written beside the data
    assert any(".shx" in w for w in ll.warnings) and any("neither UTF-8" in w for w in ll.warnings)


def test_tin_is_refused_naming_the_problem():
    with pytest.raises(LztInputError, match=r"test_tin\.shp: contains TIN geometries .*MultiPatch"):
        read_vector(real("malformed/test_tin.shp"))


def test_src_crs_overrides_without_reprojecting():
    ll = read_vector(real("vector/countries.fgb"), ReadOptions(src_crs="EPSG:4490"))[0]
    ref = read_vector(REAL / "vector/countries.fgb")[0]
    assert ll.crs.to_epsg() == 4490 and ll.gdf.crs.to_epsg() == 4490
    assert np.array_equal(ll.gdf.total_bounds, ref.gdf.total_bounds)
    assert any("China Geodetic Coordinate System 2000" in w for w in ll.warnings)
    with pytest.raises(LztInputError, match="unknown CRS"):
        read_vector(REAL / "vector/countries.fgb", ReadOptions(src_crs="EPSG:99999999"))


# --- registry -------------------------------------------------------------------------

def test_supported_suffixes():
    s = supported_suffixes()
    assert {".shp", ".zip", ".gpkg", ".geojson", ".fgb", ".kml", ".csv", ".xlsx", ".xls"} <= set(s)
    assert s == sorted(s)


@pytest.mark.parametrize("content, name, needle", [
    (b"hello", "bad.docx", "unsupported format .docx"),
    (b"hello", "bad", "unsupported format (no suffix)"),
    (b"", "bad.csv", "empty (0 bytes)"),
    (b"not a zip", "bad.zip", "not a ZIP file"),
    (b"not a gpkg", "bad.gpkg", "not a GeoPackage file"),
    (b"not fgb", "bad.fgb", "not a FlatGeobuf file"),
    (b"not an xlsx", "bad.xlsx", "not a XLSX file"),
    (b"\x00\x00\x00\x01" * 30, "bad.shp", "not a shapefile"),
    (b"{ not json", "bad.geojson", "cannot"),
    (b"SQLite format 3\x00" + b"\x00" * 100, "bad.gpkg", "cannot"),
    (b"<html><table><tr><td>1</td></tr></table></html>", "bad.xls", "HTML"),
    # content beats suffix: what is not a GIS layer is named as what it is
    (b"ISO-10303-21;\nHEADER;", "model.txt", "is an IFC model (ISO-10303-21), named .txt, not a GIS "
                                             "layer: import it with lzt bim"),
    (b"%PDF-1.7\n", "map.csv", "is a PDF document, named .csv, which lzt does not read"),
    (b'[{"lng": 114.2, "lat": 22.7}]', "records.json", "is JSON but not GeoJSON"),
])
def test_garbage_inputs(tmp_path, content, name, needle):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(LztInputError) as e:
        read_vector(p)
    msg = str(e.value)
    assert needle in msg and name in msg and "\n" not in msg
    assert "supported" not in needle or ".shp" in msg and ".gpkg" in msg and ".csv" in msg


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(LztInputError, match="no such file"):
        read_vector(tmp_path / "nope.shp")
    with pytest.raises(LztInputError, match="folder"):
        read_vector(tmp_path)


def test_content_wins_over_the_name(tmp_path):
    gpkg = tmp_path / "data.bin"
    shutil.copy(real("vector/test_gdal_error.gpkg"), gpkg)
    assert sniff(gpkg) == ".gpkg" and len(read_vector(gpkg)) == 2
    fgb = tmp_path / "countries.dat"
    shutil.copy(REAL / "vector/countries.fgb", fgb)
    assert len(read_vector(fgb)[0].gdf) == 179


def test_sha256_of_a_shapefile_covers_its_parts(tmp_path):
    for part in real("vector").glob("coutwildrnp.*"):
        shutil.copy(part, tmp_path / part.name)
    shp = tmp_path / "coutwildrnp.shp"
    expected = hashlib.sha256(b"".join((tmp_path / f"coutwildrnp{s}").read_bytes()
                                       for s in (".shp", ".shx", ".dbf", ".prj", ".cpg"))).hexdigest()
    assert sha256_of(shp) == expected
    (tmp_path / "coutwildrnp.cpg").write_text("UTF-8")
    assert sha256_of(shp) != expected  # an encoding change is a change of the data
    single = REAL / "vector/countries.fgb"
    assert sha256_of(single) == hashlib.sha256(single.read_bytes()).hexdigest()
