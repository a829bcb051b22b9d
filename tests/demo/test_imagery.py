"""The demo's synthetic orthophotos follow the ledger: vacant, building site, finished."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely

from layers.imagery import acquisition_date
from lzt.demo import imagery as im

CRS = "EPSG:4547"
B = (500_000.0, 2_500_000.0, 500_400.0, 2_500_400.0)


def _inputs():
    parcels = gpd.GeoDataFrame({"parcel_id": ["P1", "S1", "S2"], "landuse_code": ["G1", "R2", "M1"]},
                               geometry=[shapely.box(500_000, 2_500_000, 500_400, 2_500_400),
                                         shapely.box(500_040, 2_500_040, 500_160, 2_500_160),
                                         shapely.box(500_240, 2_500_240, 500_360, 2_500_360)], crs=CRS)
    roads = gpd.GeoDataFrame({"width_m": [20.0]}, geometry=[shapely.LineString([(500_000, 2_500_200), (500_400, 2_500_200)])],
                             crs=CRS)
    buildings = gpd.GeoDataFrame({"floors": []}, geometry=[], crs=CRS)
    sup = gpd.GeoDataFrame({"parcel_id": ["S1", "S2"],
                            "actual_start": [pd.Timestamp("2024-03-01"), pd.NaT],
                            "actual_completion": [pd.NaT, pd.NaT], "stopped_since": [pd.NaT, pd.NaT]},
                           geometry=list(parcels.geometry[1:]), crs=CRS)
    return parcels, roads, buildings, sup


def _mean(img, box):
    """Mean colour of the pixels inside ``box`` (x0, y0, x1, y1), at 1 m pixels over B."""
    x0, y0, x1, y1 = box
    return img[:, int(B[3] - y1):int(B[3] - y0), int(x0 - B[0]):int(x1 - B[0])].reshape(3, -1).mean(axis=1)


def test_a_parcel_started_between_the_dates_changes_and_the_rest_does_not():
    parcels, roads, buildings, sup = _inputs()
    empty = gpd.GeoDataFrame({"parcel_id": [], "floors": []}, geometry=[], crs=CRS)
    a, b = (im.render_orthophoto(d, B, parcels, roads, buildings, sup, empty, 1) for d in im.DATES)
    assert a.shape == (3, 400, 400) and a.dtype == np.uint8
    inner = (500_060, 2_500_060, 500_140, 2_500_140)
    assert np.abs(_mean(a, inner) - im._VACANT).max() < 12  # vacant in 2022
    assert np.abs(_mean(b, inner) - im._SOIL).max() < 12  # a building site in 2026 (started 2024)
    idle = (500_260, 2_500_260, 500_340, 2_500_340)
    assert np.abs(_mean(a, idle) - im._VACANT).max() < 12 and np.abs(_mean(b, idle) - im._VACANT).max() < 12
    road = (500_100, 2_500_195, 500_300, 2_500_205)
    assert np.abs(_mean(b, road) - im._ROAD).max() < 12


def test_the_geotiff_carries_its_date_and_overviews(tmp_path):
    px = np.zeros((3, 600, 700), np.uint8)
    px[0] = 200
    im.write_geotiff(px, (0.0, 0.0, 700.0, 600.0), tmp_path / "o.tif", date(2022, 10, 1))
    with rasterio.open(tmp_path / "o.tif") as ds:
        assert acquisition_date(ds.tags()) == "2022-10-01"
        assert ds.overviews(1) == [2, 4] and ds.crs.to_epsg() == 4547
        assert abs(int(ds.read(1)[300, 350]) - 200) <= 3  # JPEG, nearly lossless on a flat colour


def test_the_demo_has_two_dated_acquisitions_over_changing_parcels(demo_path):
    from lzt.analysis.imagery import acquisitions, before_after
    from lzt.workspace import open_workspace

    ws = open_workspace(demo_path)
    try:
        acq = acquisitions(ws)
        assert [(a.layer, a.acquired) for a in acq] == [("imagery_2022", "2022-10-01"), ("imagery_2026", "2026-10-01")]
        sup = ws.read_features("supervision")
        changed = [r.parcel_id for r in sup.itertuples()
                   if before_after(ws, r.geometry, r.actual_start) and
                   "2022-10-01" < str(r.actual_start)[:10] <= "2026-10-01"]
        assert len(changed) >= 3
        assert ws.get_setting("demo")["format"] == 7
    finally:
        ws.close()
