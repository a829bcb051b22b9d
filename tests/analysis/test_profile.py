"""Elevation profiles against independent computations: a DEM in another CRS whose heights
are an analytic function of its own coordinates (tests/dems.py), a nodata corner, a box
building of known height crossing the line, a zone crossed."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from lzt.analysis.profile import elevation_profile, parse_line
from lzt.core.errors import LztInputError
from tests.dems import GRIDS, NODATA, SLOPE, dem_workspace, height_at

UTM = "EPSG:32650"
X0, Y0, PX, W, H = GRIDS[UTM]
TO_WS = Transformer.from_crs(UTM, "EPSG:4547", always_xy=True)
TO_UTM = Transformer.from_crs("EPSG:4547", UTM, always_xy=True)


def ws_point(ux, uy):
    return TO_WS.transform(ux, uy)


@pytest.fixture
def utm_ws(tmp_path):
    ws = dem_workspace(tmp_path, UTM, "plane", name="dem")
    yield ws
    ws.close()


def test_ground_is_the_dem_surface_in_its_own_crs(utm_ws):
    a = ws_point(X0 + 2000, Y0 - 3000)
    b = ws_point(X0 + 9000, Y0 - 6000)
    p = elevation_profile(utm_ws, shapely.LineString([a, b]), buildings=None, bim=None)
    ux, uy = TO_UTM.transform(p.x, p.y)
    truth = height_at(UTM, ux, uy)  # linear in the raster's own x: bilinear sampling is exact
    assert np.isfinite(p.ground).all()
    np.testing.assert_allclose(p.ground, truth, atol=1e-3)
    assert p.distance[0] == 0 and p.distance[-1] == pytest.approx(p.length_m)
    assert np.diff(p.distance).max() <= PX / 2 + 1e-6  # half a pixel by default
    # a hand check: the plane rises SLOPE m per metre of UTM easting
    assert p.ground[-1] - p.ground[0] == pytest.approx(SLOPE * (ux[-1] - ux[0]), abs=1e-3)


def test_nodata_gives_gaps_not_zeros(utm_ws):
    # the DEM's top-left 6 x 6 pixels are nodata: a line from inside that corner outwards
    a = ws_point(X0 + 1.5 * PX, Y0 - 1.5 * PX)
    b = ws_point(X0 + 20 * PX, Y0 - 1.5 * PX)
    p = elevation_profile(utm_ws, shapely.LineString([a, b]), step=5.0, buildings=None, bim=None)
    ux, _ = TO_UTM.transform(p.x, p.y)
    deep = ux < X0 + 5 * PX  # every neighbouring pixel centre is nodata
    clear = ux > X0 + 7 * PX  # every neighbouring pixel centre has data
    assert np.isnan(p.ground[deep]).all() and deep.any()
    assert np.isfinite(p.ground[clear]).all()
    assert not np.any(np.isclose(p.ground[np.isfinite(p.ground)], NODATA))


def test_a_box_building_cut_by_the_line(utm_ws):
    a = np.array(ws_point(X0 + 3000, Y0 - 4000))
    b = a + np.array([1000.0, 0.0])
    cx, cy = a[0] + 400.0, a[1]
    box = shapely.box(cx - 15, cy - 10, cx + 15, cy + 10)
    other = shapely.box(cx, cy + 50, cx + 20, cy + 70)  # beside the line: not cut
    utm_ws.write_layer("buildings", gpd.GeoDataFrame({"building_id": ["B1", "B2"], "height_m": [36.0, 90.0]},
                                                     geometry=[box, other], crs="EPSG:4547"))
    p = elevation_profile(utm_ws, shapely.LineString([a, b]), bim=None)
    (c,) = p.cuts
    assert c.id == "B1" and c.start_m == pytest.approx(385.0) and c.end_m == pytest.approx(415.0)
    g = float(height_at(UTM, *TO_UTM.transform(cx, cy)))
    assert c.height_m == 36.0 and c.ground_z == pytest.approx(g, abs=1e-3) and c.top_z == pytest.approx(g + 36.0)


def test_a_line_doubling_back_measures_along_itself(utm_ws):
    a = np.array(ws_point(X0 + 3000, Y0 - 4000))
    box = shapely.box(a[0] + 90, a[1] - 5, a[0] + 110, a[1] + 5)
    utm_ws.write_layer("buildings", gpd.GeoDataFrame({"building_id": ["B"], "height_m": [10.0]},
                                                     geometry=[box], crs="EPSG:4547"))
    line = shapely.LineString([a, a + [200, 0], a + [200, 1], a + [0, 1]])  # out and back past the box
    p = elevation_profile(utm_ws, line, bim=None)
    spans = sorted((round(c.start_m, 6), round(c.end_m, 6)) for c in p.cuts)
    assert spans == [(90.0, 110.0), (291.0, 311.0)]


def test_zones_crossed(utm_ws):
    a = np.array(ws_point(X0 + 3000, Y0 - 4000))
    zone = shapely.box(a[0] + 100, a[1] - 50, a[0] + 300, a[1] + 50)
    utm_ws.write_layer("height_limits", gpd.GeoDataFrame({"zone_id": ["K"], "height_limit_m": [24.0],
                                                          "reference": ["相对地面"]}, geometry=[zone],
                                                         crs="EPSG:4547"))
    p = elevation_profile(utm_ws, shapely.LineString([a, a + [500, 0]]))
    (z,) = p.zones
    assert (z.zone, z.reference, z.limit_m) == ("K", "ground", 24.0)
    assert (z.start_m, z.end_m) == (pytest.approx(100.0), pytest.approx(300.0))
    j = p.to_json()
    assert j["zones"][0]["zone"] == "K" and len(j["samples"]) == len(p.distance)


def test_no_dem_gives_no_ground(ws):
    p = elevation_profile(ws, "510000,2510000 510100,2510000", buildings=None, bim=None)
    assert p.dem is None and np.isnan(p.ground).all()


@pytest.mark.parametrize("text", ["", "510000,2510000", "1,2 3", "a,b c,d", "5,5 5,5"])
def test_bad_lines_are_one_clear_error(text):
    with pytest.raises(LztInputError, match="--line"):
        parse_line(text)
