"""Height-limit zones (控高) against white models and BIM models on a DEM whose heights are
known analytically (tests/dems.py: a plane rising 0.3 m per metre eastwards)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from lzt.analysis.height_limits import check_height_limits, parse_reference, read_zones, zone_allowed_at
from lzt.core.errors import LztInputError
from tests.dems import GRIDS, SLOPE, dem_workspace

X0, Y0 = GRIDS["EPSG:4547"][0], GRIDS["EPSG:4547"][1]
CRS = "EPSG:4547"


def ground(x: float) -> float:
    return 20.0 + SLOPE * (x - X0)  # the plane DEM, exact under bilinear sampling


def box(cx, cy, half=10.0):
    return shapely.box(cx - half, cy - half, cx + half, cy + half)


@pytest.fixture
def scene(tmp_path):
    ws = dem_workspace(tmp_path, CRS, "plane", name="dem")
    cx = [X0 + 1000, X0 + 1200, X0 + 1400, X0 + 3000, X0 + 1600]
    cy = Y0 - 2000
    b = gpd.GeoDataFrame({"building_id": ["A", "B", "C", "OUT", "NOH"], "height_m": [40.0, 60.0, 55.0, 99.0, None]},
                         geometry=[box(x, cy) for x in cx], crs=CRS)
    ws.write_layer("buildings", b, source="test")
    # a BIM model (the import's height) on its own footprint, and a white model under it (left out)
    m = gpd.GeoDataFrame({"name": ["M1"], "height_m": [80.0], "placed": [True]},
                         geometry=[shapely.MultiPolygon([box(X0 + 2000, cy, 15)])], crs=CRS)
    ws.write_layer("bim_models", m, kind="bim", source="test")
    ws.write_layer("buildings_under", b.iloc[:0], source="test")
    zones = gpd.GeoDataFrame(
        {"zone_id": ["K1", "K2"], "height_limit_m": [50.0, 400.0], "reference": ["相对地面", "绝对高程"]},
        geometry=[shapely.box(X0 + 900, cy - 100, X0 + 1500, cy + 100),     # A B C: 50 m above ground
                  shapely.box(X0 + 1350, cy - 100, X0 + 2100, cy + 100)],  # C and the model: top ≤ 400 m
        crs=CRS)
    ws.write_layer("height_limits", zones, source="test")
    yield ws
    ws.close()


def test_each_structure_against_its_binding_zone(scene):
    got = {c.id: c for c in check_height_limits(scene)}
    assert set(got) == {"A", "B", "C", "M1", "NOH"}  # OUT lies in no zone
    assert got["A"].status == "PASS" and got["A"].margin_m == pytest.approx(10.0)
    assert got["B"].status == "FAIL" and got["B"].margin_m == pytest.approx(-10.0)
    # C is in both: above ground 50 m, absolute 400 - ground(C) = 400 - 440 < 0 binds
    gc = ground(X0 + 1400)
    assert got["C"].zones == 2 and got["C"].zone == "K2" and got["C"].reference == "absolute"
    assert got["C"].ground_z == pytest.approx(gc, abs=1e-3)
    assert got["C"].allowed_height_m == pytest.approx(400.0 - gc, abs=1e-3)
    assert got["C"].top_z == pytest.approx(gc + 55.0, abs=1e-3)
    assert got["C"].status == "FAIL"
    gm = ground(X0 + 2000)
    assert got["M1"].kind == "bim" and got["M1"].margin_m == pytest.approx(400.0 - gm - 80.0, abs=1e-3)
    assert got["NOH"].status == "NO_DATA" and "没有高度" in got["NOH"].detail
    assert [c.status for c in check_height_limits(scene)][:2] == ["FAIL", "FAIL"]  # worst first


def test_exactly_the_limit_passes_and_the_tolerance_warns(scene):
    b = scene.read_features("buildings")
    b.loc[b["building_id"] == "A", "height_m"] = 50.0
    b.loc[b["building_id"] == "B", "height_m"] = 50.005
    scene.write_layer("buildings", b, source="test", replace=True)
    got = {c.id: c for c in check_height_limits(scene)}
    assert got["A"].status == "PASS" and got["B"].status == "WARN"


def test_white_model_under_a_bim_model_is_left_out(scene):
    b = scene.read_features("buildings")
    extra = gpd.GeoDataFrame({"building_id": ["UNDER"], "height_m": [10.0]}, geometry=[box(X0 + 2000, Y0 - 2000)],
                             crs=CRS)
    scene.write_layer("buildings", gpd.GeoDataFrame(pd_concat(b, extra), crs=CRS), source="test", replace=True)
    assert "UNDER" not in {c.id for c in check_height_limits(scene)}


def pd_concat(a, b):
    import pandas as pd

    return pd.concat([a.reset_index(drop=True), b], ignore_index=True)


def test_zone_allowed_at_gives_the_least_height(scene):
    fps = [box(X0 + 1400, Y0 - 2000), box(X0 + 1000, Y0 - 2000), box(X0 + 5000, Y0 - 2000)]
    got = zone_allowed_at(scene, fps)
    assert got[0][1] == "K2" and got[0][0] == pytest.approx(400.0 - ground(X0 + 1400), abs=1e-3)
    assert got[1] == (50.0, "K1")
    assert got[2] is None


def test_bad_zones_are_refused_with_the_layer_named(scene):
    z = scene.read_features("height_limits")
    z.loc[z.index[0], "reference"] = "whatever"
    scene.write_layer("height_limits", z, source="test", replace=True)
    with pytest.raises(LztInputError, match="height_limits.*K1|neither"):
        read_zones(scene, "height_limits")
    z.loc[z.index[0], "reference"] = "ground"
    z.loc[z.index[1], "height_limit_m"] = None
    scene.write_layer("height_limits", z, source="test", replace=True)
    with pytest.raises(LztInputError, match="K2 has no usable height limit"):
        check_height_limits(scene)
    with pytest.raises(LztInputError, match="no layer 'nope'"):
        check_height_limits(scene, zones="nope")


@pytest.mark.parametrize("text,ref", [("绝对高程", "absolute"), ("absolute", "absolute"), ("1985高程", "absolute"),
                                      ("相对地面", "ground"), ("", "ground"), (None, "ground")])
def test_reference_words(text, ref):
    assert parse_reference(text, "t") == ref


def test_structures_in_an_empty_box(scene):
    from lzt.analysis.structures import read_structures

    far = (X0 + 9000, Y0 - 9000, X0 + 9100, Y0 - 8900)
    assert read_structures(scene, bbox=far).empty
    from lzt.analysis.profile import elevation_profile

    p = elevation_profile(scene, f"{far[0]},{far[1]} {far[2]},{far[3]}")
    assert p.cuts == [] and p.zones == [] and np.isfinite(p.ground).all()
