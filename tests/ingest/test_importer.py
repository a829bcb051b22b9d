"""Import into a workspace: CRS handling, repairs, rasters, all-or-nothing."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from lzt.core.errors import LztInputError
from lzt.ingest import ImportOptions, import_paths
from lzt.workspace import create_workspace


@pytest.fixture
def merc(tmp_path):
    w = create_workspace(tmp_path / "merc.gpkg", "EPSG:3857")
    yield w
    w.close()


def test_real_world_data_repaired_and_counted(merc, real_data):
    rep = import_paths(merc, [real_data / "vector/countries.geojson"])[0]
    assert rep.count == 179 and rep.repaired == 2 and rep.crs_source == "EPSG:4326"
    g = merc.read_features("countries")
    assert shapely.is_valid(g.geometry.values).all()
    ref = gpd.read_file(real_data / "vector/countries.geojson").to_crs(3857)
    assert np.allclose(g.total_bounds, ref.total_bounds, rtol=1e-6)


def test_empty_and_mismatched_geometries_kept(merc, real_data):
    reps = import_paths(merc, [real_data / "malformed/test_geometry_empty.gpkg",
                               real_data / "malformed/test_geometry_valid.gpkg"])
    assert reps[0].count == 45 and reps[0].empty_geometries == 45
    assert reps[1].count == 2 and reps[1].repaired == 1
    assert merc.layer("test_geometry_empty").count == 45


def test_multi_layer_geopackage_all_or_one(merc, real_data):
    reps = import_paths(merc, [real_data / "vector/test_allcorrect_with_indexes_and_fks.gpkg"])
    assert [r.layer for r in reps] == ["test_allcorrect", "test_foreign", "test_multi_fk", "test_other"]
    reps = import_paths(merc, [real_data / "vector/test_gdal_error.gpkg"],
                        ImportOptions(layer="cbs_arbeidsmarktregio_2014_labelpoint"))
    assert len(reps) == 1 and merc.layer("cbs_arbeidsmarktregio_2014_labelpoint").count == 1


def test_wrong_region_for_the_workspace_crs_is_refused(ws, real_data):
    before = ws.layers()
    with pytest.raises(LztInputError, match="area of use of EPSG:4547"):
        import_paths(ws, [real_data / "vector/coutwildrnp.shp"])
    assert ws.layers() == before


def test_projected_coordinates_without_crs_need_src_crs(ws, tmp_path):
    p = tmp_path / "pts.csv"
    pd.DataFrame({"x": [525354.4, 506167.5], "y": [2513606.2, 2504671.8]}).to_csv(p, index=False)
    with pytest.raises(LztInputError, match="--src-crs"):
        import_paths(ws, [p])
    rep = import_paths(ws, [p], ImportOptions(src_crs="EPSG:4547"))[0]
    assert rep.crs_from == "--src-crs"
    np.testing.assert_allclose(ws.read_features("pts").geometry.x, [525354.4, 506167.5])


def test_lonlat_declared_wrong_is_caught(ws, tmp_path):
    p = tmp_path / "bad.csv"
    pd.DataFrame({"x": [525354.4], "y": [2513606.2]}).to_csv(p, index=False)
    with pytest.raises(LztInputError, match="latitudes beyond|not lon/lat|not valid"):
        import_paths(ws, [p], ImportOptions(src_crs="EPSG:4326"))


def test_coords_option_needs_lonlat(ws, tmp_path):
    p = tmp_path / "p.csv"
    pd.DataFrame({"x": [525354.4], "y": [2513606.2]}).to_csv(p, index=False)
    with pytest.raises(LztInputError, match="lon/lat"):
        import_paths(ws, [p], ImportOptions(src_crs="EPSG:4547", coords="gcj02"))


def _dem(path, crs="EPSG:4547"):
    data = np.linspace(20, 600, 200 * 300, dtype="float32").reshape(200, 300)
    data[0, 0] = -9999
    with rasterio.open(path, "w", driver="GTiff", width=300, height=200, count=1, dtype="float32",
                       crs=crs, transform=from_origin(520000, 2512000, 30, 30), nodata=-9999) as ds:
        ds.write(data, 1)
    return data


def test_raster_import_and_read_back(ws, tmp_path):
    from layers.raster import read_window

    data = _dem(tmp_path / "dem.tif")
    rep = import_paths(ws, [tmp_path / "dem.tif"])[0]
    assert rep.kind == "raster" and rep.extent == [520000.0, 2506000.0, 529000.0, 2512000.0]
    info = ws.layer("dem")
    assert info.kind == "raster" and info.count == 300 * 200
    arr = read_window(ws.raster_bytes("dem"), "EPSG:4547", (520000, 2506000, 529000, 2512000), 300, 200,
                      resampling="nearest")
    np.testing.assert_array_equal(arr[0].filled(-9999), data)


def test_corrupt_raster_leaves_workspace_untouched(ws, real_data, tmp_path):
    _dem(tmp_path / "ok.tif")
    with pytest.raises(LztInputError, match="corrupt.tif"):
        import_paths(ws, [tmp_path / "ok.tif", real_data / "malformed/corrupt.tif"])
    assert ws.layers() == []


def test_same_name_needs_replace(ws, tmp_path):
    p = tmp_path / "a.csv"
    pd.DataFrame({"lon": [114.1], "lat": [22.6]}).to_csv(p, index=False)
    import_paths(ws, [p])
    with pytest.raises(LztInputError, match="already exists"):
        import_paths(ws, [p])
    assert import_paths(ws, [p], ImportOptions(replace=True))[0].status == "replaced"


def test_raster_of_another_region_is_refused(ws, real_data, merc):
    with pytest.raises(LztInputError, match="area of use"):
        import_paths(ws, [real_data / "raster/RGB.byte.tif"])
    rep = import_paths(merc, [real_data / "raster/RGB.byte.tif"])[0]
    assert rep.extra["bands"] == 3 and rep.extra["overviews"]
