"""Small workspaces for the renderer tests, built in the test (EPSG:4547)."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

X0, Y0 = 520_000.0, 2_510_000.0  # a corner in Longgang


@pytest.fixture
def small_ws(tmp_path):
    """Three land-use parcels, a point layer, a line and a complaints layer with personal data."""
    from lzt.workspace import create_workspace

    ws = create_workspace(tmp_path / "ws.gpkg")
    parcels = gpd.GeoDataFrame(
        {"parcel_id": ["P1", "P2", "P3"], "landuse_code": ["R2", "B1", "G1"], "name": ["一号地", "二号地", "三号地"]},
        geometry=[shapely.box(X0, Y0, X0 + 400, Y0 + 400), shapely.box(X0 + 500, Y0, X0 + 900, Y0 + 400),
                  shapely.box(X0, Y0 + 500, X0 + 400, Y0 + 900)], crs="EPSG:4547")
    ws.write_layer("parcels", parcels)
    pts = gpd.GeoDataFrame({"name": ["甲", "乙"]}, geometry=shapely.points([X0 + 700, X0 + 200], [Y0 + 700, Y0 + 200]),
                           crs="EPSG:4547")
    ws.write_layer("poi", pts)
    comp = gpd.GeoDataFrame({"order_id": ["A1"], "cat_l1": ["噪声扰民"], "citizen_name": ["张三丰"],
                             "citizen_phone": ["13812341234"]},
                            geometry=shapely.points([X0 + 650], [Y0 + 650]), crs="EPSG:4547")
    ws.write_layer("complaints", comp, kind="complaints")
    yield ws
    ws.close()
