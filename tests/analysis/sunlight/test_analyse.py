"""Workspace-level sunlight: the proposal's impact equals the before/after difference of an
independent ray cast with and without the tower; bad input is said and the rest goes on."""

from datetime import date

import numpy as np
import pytest
import shapely

from lzt.analysis.sunlight.analyse import analyse_buildings, analyse_points
from lzt.analysis.sunlight.rule import SunlightRule
from lzt.analysis.sunlight.run import lit
from lzt.core.errors import LztInputError
from tests.analysis.sunlight.brute import blocked
from tests.analysis.sunlight.conftest import X0, Y0, scene_buildings, tower_prism

DAY = date(2026, 1, 20)
STEP = 10.0


def _brute_hours(run, prisms):
    rec, sun = run.receivers, None
    from lzt.analysis.sunlight.analyse import lonlat_and_convergence
    from lzt.analysis.sunlight.run import sun_samples

    lon, lat, gamma = lonlat_and_convergence("EPSG:4547", X0, Y0)
    sun = sun_samples(DAY, run.rule, STEP, lat, lon, gamma)
    free = lit(rec, sun, np.full((1, len(sun.azimuth)), -np.inf))
    out = np.array([(free[i] & ~blocked(rec.x[i], rec.y[i], rec.z[i], sun.azimuth, sun.tan_alt, prisms)).sum()
                    for i in range(len(rec))])
    return out * STEP / 60


def test_proposal_impact_is_the_before_after_difference_of_a_ray_cast(sun_ws):
    run = analyse_buildings(sun_ws, "buildings", day=DAY, rule=SunlightRule(), step_min=STEP, spacing=4.0,
                            proposed=["tower"])
    by_id = {r.building: r for r in run.results}
    # the tower shades the slab right behind it; S1 is the site itself, not a neighbour
    assert "R1" in by_id and "S1" not in by_id and "O1" not in by_id
    white = scene_buildings()
    existing = [(g, h) for g, h, b in zip(white.geometry, white["height_m"], white["building_id"])
                if b not in ("S1", "R3")]  # S1 lies under the BIM model, R3 has no height
    before = _brute_hours(run, existing)
    after = _brute_hours(run, existing + [tower_prism(sun_ws)])
    step_h = STEP / 60
    assert np.abs(run.hours_before.hours - before).max() <= step_h + 1e-9
    assert np.abs(run.hours.hours - after).max() <= step_h + 1e-9
    r1 = by_id["R1"]
    south = (run.receivers.owner == 1) & (run.receivers.ny < -0.5)
    assert run.hours.hours[south].min() < run.hours_before.hours[south].min() - 1.0  # the tower's shadow
    assert r1.min_hours_after <= r1.min_hours_before
    assert r1.points_losing == int((after[run.receivers.owner == 1] < before[run.receivers.owner == 1]).sum())
    assert r1.lost_minutes == pytest.approx((r1.min_hours_before - r1.min_hours_after) * 60)
    impacted = {r.building for r in run.impacted()}
    assert impacted == {r.building for r in run.results if r.status_before == "PASS" and r.status == "FAIL"}
    assert any("没有高度" in p for p in run.problems)  # R3 said, the analysis went on


def test_without_a_proposal_every_residential_building_is_analysed(sun_ws):
    run = analyse_buildings(sun_ws, "buildings", day=DAY, rule=SunlightRule(), step_min=30.0, spacing=5.0)
    assert sorted(r.building for r in run.results) == ["R1", "R2", "R3", "S1"]
    run = analyse_buildings(sun_ws, "buildings", where="building_id = 'O1'", day=DAY, rule=SunlightRule(),
                            step_min=30.0, spacing=5.0)
    assert [r.building for r in run.results] == ["O1"]


def test_points_inside_a_building_are_said_and_left_out(sun_ws):
    import geopandas as gpd

    pts = gpd.GeoDataFrame({"name": ["open", "inside"]},
                           geometry=[shapely.Point(X0, Y0 + 60), shapely.Point(X0, Y0 + 36)], crs="EPSG:4547")
    sun_ws.write_layer("windows", pts)
    run = analyse_points(sun_ws, "windows", day=DAY, rule=SunlightRule(), step_min=STEP, proposed=["tower"])
    assert [r["point"] for r in run.results] == [1]
    assert any("建筑内部" in p for p in run.problems)
    (r,) = run.results
    assert r["hours_after"] <= r["hours_before"]


def test_unknown_model_and_layer_are_input_errors(sun_ws):
    with pytest.raises(LztInputError, match="no BIM model"):
        analyse_buildings(sun_ws, "buildings", day=DAY, rule=SunlightRule(), proposed=["nope"])
    with pytest.raises(LztInputError, match="no such layer"):
        analyse_buildings(sun_ws, "houses", day=DAY, rule=SunlightRule())


def test_batches_give_the_same_hours(sun_ws, monkeypatch):
    import lzt.analysis.sunlight.analyse as A

    whole = analyse_buildings(sun_ws, "buildings", day=DAY, rule=SunlightRule(), step_min=STEP, spacing=4.0,
                              proposed=["tower"])
    monkeypatch.setattr(A, "BATCH", 7)  # many passes, never splitting a building
    parts = analyse_buildings(sun_ws, "buildings", day=DAY, rule=SunlightRule(), step_min=STEP, spacing=4.0,
                              proposed=["tower"])
    assert np.array_equal(parts.hours.hours, whole.hours.hours)
    assert np.array_equal(parts.hours_before.hours, whole.hours_before.hours)
    assert [r.to_json() for r in parts.results] == [r.to_json() for r in whole.results]


def test_facade_points_inside_a_neighbour_are_left_out(ws):
    import geopandas as gpd

    # two terraced houses sharing a wall: the shared wall has no receivers, and says so
    a = shapely.box(X0, Y0, X0 + 10, Y0 + 10)
    b = shapely.box(X0 + 10, Y0, X0 + 20, Y0 + 10)
    ws.write_layer("buildings", gpd.GeoDataFrame({"building_id": ["A", "B"], "use": ["住宅", "住宅"],
                                                  "height_m": [9.0, 9.0]}, geometry=[a, b], crs="EPSG:4547"))
    run = analyse_buildings(ws, "buildings", day=DAY, rule=SunlightRule(), step_min=30.0, spacing=1.0)
    assert len(run.receivers) == 2 * 30  # 40 points each, less the 10 on each side of the shared wall
    assert any("共墙" in p for p in run.problems)
    assert not shapely.contains_xy(a, run.receivers.x, run.receivers.y).any()
    assert not shapely.contains_xy(b, run.receivers.x, run.receivers.y).any()
