"""Sunlight hours on the ground: cells against the brute-force ray cast, nodata inside buildings."""

from datetime import date

import geopandas as gpd
import numpy as np
import shapely

from lzt.analysis.sunlight.analyse import lonlat_and_convergence
from lzt.analysis.sunlight.grid import GROUND_M, sunlight_grid
from lzt.analysis.sunlight.rule import SunlightRule
from lzt.analysis.sunlight.run import sun_samples
from tests.analysis.sunlight.brute import blocked

X0, Y0 = 515_000.0, 2_511_000.0
DAY = date(2026, 1, 20)


def test_ground_hours_match_a_ray_cast(ws):
    block = shapely.box(X0 - 10, Y0 - 10, X0 + 10, Y0 + 10)
    ws.write_layer("buildings", gpd.GeoDataFrame({"height_m": [30.0]}, geometry=[block], crs="EPSG:4547"))
    values, (cell, _, x0, _, _, y1), problems = sunlight_grid(
        ws, "buildings", (X0 - 40, Y0 - 40, X0 + 40, Y0 + 80), 8.0, day=DAY, rule=SunlightRule(), step_min=10.0)
    assert values.shape == (15, 10) and not problems
    rows, cols = np.indices(values.shape)
    cx, cy = x0 + (cols + 0.5) * cell, y1 - (rows + 0.5) * cell
    inside = shapely.contains_xy(block, cx, cy)
    assert np.isnan(values[inside]).all() and np.isfinite(values[~inside]).all()
    lon, lat, gamma = lonlat_and_convergence("EPSG:4547", X0, Y0)
    sun = sun_samples(DAY, SunlightRule(), 10.0, lat, lon, gamma)
    for r, c in zip(*np.nonzero(~inside)):
        ref = (~blocked(cx[r, c], cy[r, c], GROUND_M, sun.azimuth, sun.tan_alt, [(block, 30.0)])).sum() / 6
        assert abs(values[r, c] - ref) <= 10 / 60 + 1e-6
    assert values[~inside].min() < 1.0 and values[-1].max() == 8.0  # dark just north, full sun to the south
