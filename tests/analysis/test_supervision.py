"""Supervision rules at their boundaries, and the checks over a workspace against plain shapely."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest
import shapely

from lzt.analysis import supervision as sv
from lzt.core.errors import LztInputError

AGREED = date(2023, 3, 15)


def idle(**terms):
    return sv.check_idle_land({"agreed_start": AGREED, "area_m2": 9000.0, **terms}, terms.pop("as_of", None)
                              or date(2024, 3, 15))


# -- idle land: not started ------------------------------------------------------------

def test_not_started_exactly_one_year_is_idle_and_the_day_before_is_not():
    t = {"agreed_start": AGREED}
    assert sv.check_idle_land(t, date(2024, 3, 15)).status == "FAIL"  # the anniversary: 满一年
    before = sv.check_idle_land(t, date(2024, 3, 14))
    assert before.status == "WARN" and before.limit == date(2024, 3, 15)  # due within warn_days
    assert sv.check_idle_land(t, date(2023, 6, 1)).status == "PASS"
    assert sv.check_idle_land(t, date(2023, 3, 1)).status == "PASS"  # not even due to start


def test_two_years_marks_reclaim_and_exempt_causes_warn():
    t = {"agreed_start": AGREED}
    r = sv.check_idle_land(t, date(2025, 3, 15))
    assert r.status == "FAIL" and "无偿收回" in r.detail
    g = sv.check_idle_land(t | {"delay_cause": "政府原因"}, date(2025, 3, 15))
    assert g.status == "WARN" and "政府原因" in g.detail


def test_leap_day_anniversary_falls_on_28_february():
    assert sv.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert sv.check_idle_land({"agreed_start": date(2024, 2, 29)}, date(2025, 2, 28)).status == "FAIL"


def test_started_after_the_as_of_date_counts_as_not_started():
    t = {"agreed_start": AGREED, "actual_start": date(2024, 6, 1)}
    assert sv.check_idle_land(t, date(2024, 3, 15)).status == "FAIL"
    assert sv.check_idle_land(t, date(2024, 7, 1)).status == "PASS"


def test_missing_agreed_start_is_no_data():
    assert sv.check_idle_land({}, date(2024, 1, 1)).status == "NO_DATA"


# -- idle land: started, then stopped ---------------------------------------------------

STARTED = {"agreed_start": AGREED, "actual_start": date(2023, 4, 1), "stopped_since": date(2023, 9, 1),
           "area_m2": 9000.0, "developed_area_m2": 2000.0, "investment_total": 10000.0, "investment_done": 5000.0}


def test_exactly_one_third_developed_is_not_idle_just_under_is():
    at = date(2024, 9, 1)  # stopped exactly one year
    assert sv.check_idle_land(STARTED | {"developed_area_m2": 3000.0}, at).status == "PASS"  # = 1/3
    assert sv.check_idle_land(STARTED | {"developed_area_m2": 2999.99}, at).status == "FAIL"


def test_exactly_25_percent_invested_is_not_idle_just_under_is():
    at = date(2024, 9, 1)
    ok_area = {"developed_area_m2": 6000.0}
    assert sv.check_idle_land(STARTED | ok_area | {"investment_done": 2500.0}, at).status == "PASS"
    assert sv.check_idle_land(STARTED | ok_area | {"investment_done": 2499.0}, at).status == "FAIL"


def test_stopped_exactly_one_year_is_idle_a_day_less_is_not():
    assert sv.check_idle_land(STARTED, date(2024, 9, 1)).status == "FAIL"
    assert sv.check_idle_land(STARTED, date(2024, 8, 31)).status == "WARN"
    assert sv.check_idle_land(STARTED | {"stopped_since": None}, date(2026, 1, 1)).status == "PASS"


def test_completed_parcel_is_never_idle():
    assert sv.check_idle_land(STARTED | {"actual_completion": date(2024, 1, 1)}, date(2026, 1, 1)).status == "PASS"


# -- overdue completion ---------------------------------------------------------------------

def test_completion_on_the_agreed_day_is_on_time():
    t = {"agreed_completion": date(2025, 6, 30)}
    assert sv.check_overdue_completion(t | {"actual_completion": date(2025, 6, 30)}, date(2026, 1, 1)).status == "PASS"
    late = sv.check_overdue_completion(t | {"actual_completion": date(2025, 7, 1)}, date(2026, 1, 1))
    assert late.status == "FAIL" and late.value == 1 and late.inputs["months_late"] == 1
    assert sv.check_overdue_completion(t, date(2025, 6, 30)).status == "WARN"  # due today, not done
    assert sv.check_overdue_completion(t, date(2025, 7, 1)).status == "FAIL"


@pytest.mark.parametrize("months, rate", [(7, 0.035), (24, 0.20), (41, 0.205), (1, 0.005)])
def test_penalty_rate_follows_the_shenzhen_oracle(months, rate):
    assert sv.penalty_rate(months) == pytest.approx(rate)


def test_started_months_count_a_started_month_whole():
    assert sv.started_months(date(2025, 1, 31), date(2025, 2, 1)) == 1
    assert sv.started_months(date(2025, 1, 15), date(2025, 3, 15)) == 2
    assert sv.started_months(date(2025, 1, 15), date(2025, 3, 16)) == 3
    assert sv.started_months(date(2025, 1, 15), date(2025, 1, 15)) == 0


# -- indicators from BIM ---------------------------------------------------------------------

def test_far_rounds_half_up_before_comparing():
    t = {"far_max": 2.5}
    assert sv.check_far(2.504 * 1000, 1000, t).status == "PASS"  # 2.50
    assert sv.check_far(2.505 * 1000, 1000, t).value == 2.51  # half-up, not banker's
    assert sv.round2(2.675) == 2.68


def test_far_excess_within_verification_tolerance_warns():
    t = {"far_max": 2.0}
    # 20,000 m² permitted on 10,000 m²; tolerance for > 10,000 m² GFA is 0.5 %: 100.5 m² at 20,100
    assert sv.check_far(20_090.0, 10_000, t).status == "WARN"
    assert sv.check_far(20_300.0, 10_000, t).status == "FAIL"
    assert sv.check_far(None, 10_000, t).status == "NO_DATA"
    assert sv.check_far(5_000.0, 10_000, {"far_max": 2.0, "far_min": 1.0}).status == "WARN"  # not completed
    assert sv.check_far(5_000.0, 10_000, {"far_max": 2.0, "far_min": 1.0, "actual_completion": "2024-01-01"}
                        ).status == "FAIL"


def test_height_exactly_at_the_limit_passes():
    assert sv.check_height([("A", 54.0, "±0.00")], {"height_max": 54.0}).status == "PASS"
    assert sv.check_height([("A", 54.005, None)], {"height_max": 54.0}).status == "WARN"  # geometry tolerance
    r = sv.check_height([("A", 30.0, None), ("B", 54.2, None)], {"height_max": 54.0})
    assert r.status == "FAIL" and r.inputs["model"] == "B"


def test_coverage_is_the_union_of_footprints():
    site = 1000.0
    a = shapely.box(0, 0, 20, 10)
    b = shapely.box(10, 0, 30, 10)  # overlaps a by 100 m²
    r = sv.check_coverage([a, b], site, {"coverage_max": 30.0})
    assert r.value == pytest.approx(30.0) and r.status == "PASS"  # exactly the cap
    assert sv.check_coverage([a, b], site, {"coverage_max": 29.9}).status == "FAIL"


def test_setback_against_an_independent_distance():
    parcel = shapely.box(0, 0, 100, 60)
    fp = shapely.box(10, 8, 90, 50)  # 8 m to the south edge, 10 m west/east, 10 m north
    assert sv.check_setback([fp], parcel, {"setback_m": 8.0}).status == "PASS"
    r = sv.check_setback([fp], parcel, {"setback_m": 9.0})
    assert r.status == "FAIL" and r.value == pytest.approx(parcel.exterior.distance(fp))
    out = sv.check_setback([shapely.box(95, 10, 105, 20)], parcel, {"setback_m": 3.0})
    assert out.status == "FAIL" and "越出" in out.detail


def test_setback_per_edge():
    parcel = shapely.Polygon([(0, 0), (100, 0), (100, 60), (0, 60)])  # edges 1-2 south, 2-3 east, ...
    fp = shapely.box(10, 8, 90, 50)
    ok = {"setback_edges": "1-2:8;2-3:10;3-4:10;4-1:10"}
    assert sv.check_setback([fp], parcel, ok).status == "PASS"
    bad = sv.check_setback([fp], parcel, {"setback_edges": "1-2:5;2-3:12;3-4:5;4-1:5"})
    assert bad.status == "FAIL" and bad.inputs["worst_edge"] == "2-3" and bad.limit == 12
    with pytest.raises(LztInputError, match="cannot read edge setback"):
        sv.check_setback([fp], parcel, {"parcel_id": "X", "setback_edges": "south:5"})


# -- over a workspace --------------------------------------------------------------------------

@pytest.fixture
def sup_ws(ws):
    parcels = [shapely.box(510_000, 2_510_000, 510_100, 2_510_100),
               shapely.box(510_200, 2_510_000, 510_300, 2_510_080)]
    terms = gpd.GeoDataFrame({
        "parcel_id": ["P1", "P2"], "area_m2": [10_000.0, 8_000.0], "far_max": [2.0, 3.0],
        "coverage_max": [30.0, 40.0], "height_max": [50.0, 80.0], "setback_m": [5.0, 5.0],
        "agreed_start": ["2023-01-10", "2024-05-01"], "actual_start": ["2023-01-05", None],
        "agreed_completion": ["2026-01-10", "2027-05-01"], "version": [1, 1]},
        geometry=parcels, crs=ws.crs)
    for c in ("agreed_start", "actual_start", "agreed_completion"):
        terms[c] = [None if not isinstance(v, str) else date.fromisoformat(v) for v in terms[c]]
    ws.write_layer("supervision", terms, kind="supervision")
    models = gpd.GeoDataFrame({
        "name": ["M1", "M2", "M3"], "gfa_m2": [12_000.0, 9_000.0, 500.0], "height_m": [45.0, 30.0, 9.0],
        "height_reference": ["±0.00"] * 3},
        geometry=[shapely.box(510_010, 2_510_010, 510_050, 2_510_040),   # on P1
                  shapely.box(510_060, 2_510_050, 510_090, 2_510_090),   # on P1
                  shapely.box(510_500, 2_510_000, 510_510, 2_510_010)],  # on no parcel
        crs=ws.crs)
    ws.write_layer("bim_models", models, kind="bim")
    return ws


def test_run_checks_matches_plain_shapely(sup_ws):
    (p1, p2) = sv.run_checks(sup_ws, as_of=date(2026, 11, 1))
    assert p1.models == ["M1", "M2"] and p2.models == []
    r = {x.rule: x for x in p1.results}
    assert r["far"].value == pytest.approx(round(21_000 / 10_000, 2)) and r["far"].status == "FAIL"
    fps = [shapely.box(510_010, 2_510_010, 510_050, 2_510_040), shapely.box(510_060, 2_510_050, 510_090, 2_510_090)]
    assert r["coverage"].value == pytest.approx(shapely.union_all(fps).area / 10_000 * 100)
    assert r["height"].value == 45.0 and r["height"].status == "PASS"
    assert r["setback"].value == pytest.approx(sup_ws.read_features("supervision").geometry.iloc[0].exterior
                                               .distance(shapely.union_all(fps)))
    assert r["overdue_completion"].status == "FAIL"
    q = {x.rule: x.status for x in p2.results}
    assert q == {"idle_land": "FAIL", "overdue_completion": "PASS", "far": "NO_DATA", "coverage": "NO_DATA",
                 "height": "NO_DATA", "setback": "NO_DATA"}
    (only,) = sv.run_checks(sup_ws, parcel="P2", as_of=date(2026, 11, 1))
    assert only.parcel_id == "P2"


def test_height_zone_binds_when_lower_than_the_contract():
    r = sv.check_height([("A", 45.0, None), ("B", 30.0, None)], {"height_max": 50.0},
                        zones=[None, (28.0, "K1")])
    assert r.status == "FAIL" and r.inputs["model"] == "B" and r.limit == 28.0 and "控高区 K1" in r.detail
    ok = sv.check_height([("A", 45.0, None)], {"height_max": 50.0}, zones=[(60.0, "K1")])
    assert ok.status == "PASS" and ok.limit == 50.0  # the contract is the lower cap
    only_zone = sv.check_height([("A", 45.0, None)], {}, zones=[(40.0, "K1")])
    assert only_zone.status == "FAIL" and only_zone.limit == 40.0


def test_run_checks_uses_the_height_limit_zones(sup_ws):
    """A 控高 zone of 40 m above ground over M1 (45 m) fails P1 though its contract allows 50 m;
    without a DEM an absolute zone cannot be judged and is left to the contract."""
    zones = gpd.GeoDataFrame({"zone_id": ["K1", "K2"], "height_limit_m": [40.0, 30.0],
                              "reference": ["相对地面", "绝对高程"]},
                             geometry=[shapely.box(510_000, 2_510_000, 510_055, 2_510_045),
                                       shapely.box(510_055, 2_510_045, 510_100, 2_510_100)], crs=sup_ws.crs)
    sup_ws.write_layer("height_limits", zones)
    (p1, _) = sv.run_checks(sup_ws, as_of=date(2026, 11, 1))
    h = {x.rule: x for x in p1.results}["height"]
    assert h.status == "FAIL" and h.inputs["model"] == "M1" and h.limit == 40.0 and h.inputs["zone"] == "K1"


def test_run_checks_bad_input(sup_ws, ws):
    with pytest.raises(LztInputError, match="no parcel 'NOPE'"):
        sv.run_checks(sup_ws, parcel="NOPE")
    with pytest.raises(LztInputError, match="not a supervision layer"):
        sv.run_checks(sup_ws, layer="bim_models")


def test_tolerances_from_settings(sup_ws):
    sup_ws.set_setting("supervision_tolerances", {"height_m": 1.0, "far_gfa_tiers": [[None, 0.2]]})
    tol = sv.Tolerances.from_settings(sup_ws)
    assert tol.height_m == 1.0 and tol.gfa_tolerance(20_000) == pytest.approx(4000)
    sup_ws.set_setting("supervision_tolerances", {"hieght_m": 1.0})
    with pytest.raises(LztInputError, match="unknown keys hieght_m"):
        sv.Tolerances.from_settings(sup_ws)


def test_complaints_near_a_parcel_show_no_callers_name_in_their_address(ws):
    calls = gpd.GeoDataFrame({"order_id": ["A", "B"], "address": ["王秀英家门口", "龙城花园"],
                              "citizen_name": ["王秀英", "李四"], "citizen_phone": ["13812341234", "13900001111"]},
                             geometry=shapely.points([(515_010, 2_510_010), (515_020, 2_510_020)]), crs=ws.crs)
    ws.write_layer("calls", calls, kind="complaints")
    found = sv.nearby_complaints(ws, shapely.box(515_000, 2_510_000, 515_005, 2_510_005), 100, layer="calls")
    assert found["address"].tolist() == ["王*英家门口", "龙城花园"]
    assert "citizen_name" not in found.columns and found["distance_m"].is_monotonic_increasing
