"""A small workspace for the sheet tests (EPSG:4547), built in the test."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

X0, Y0 = 520_000.0, 2_510_000.0


@pytest.fixture
def sheet_ws(tmp_path):
    from lzt.workspace import create_workspace

    ws = create_workspace(tmp_path / "ws.gpkg")
    streets = gpd.GeoDataFrame(
        {"name": ["龙城", "龙岗", "宝龙"], "code": ["440307015", "440307016", "440307019"]},
        geometry=[shapely.box(X0, Y0, X0 + 2000, Y0 + 2000), shapely.box(X0 + 2000, Y0, X0 + 4000, Y0 + 2000),
                  shapely.box(X0, Y0 + 2000, X0 + 4000, Y0 + 3000)], crs="EPSG:4547")
    ws.write_layer("streets", streets)
    parcels = gpd.GeoDataFrame(
        {"parcel_id": ["P1", "P2"], "landuse_code": ["R2", "M1"]},
        geometry=[shapely.box(X0 + 100, Y0 + 100, X0 + 900, Y0 + 900),
                  shapely.box(X0 + 2100, Y0 + 100, X0 + 2900, Y0 + 900)], crs="EPSG:4547")
    ws.write_layer("parcels", parcels)
    yield ws
    ws.close()
