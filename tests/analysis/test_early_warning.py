"""The warning list on a small workspace with planted events (tests/warn_data.py)."""

import json

import pytest

from lzt.analysis.early_warning import warn
from lzt.core.errors import LztInputError
from tests.warn_data import (AS_OF, NOISE_SITE, REPEAT_ID, REPEAT_NAME, REPEAT_PHONE, WATER_SITE, complaints_frame,
                             make_workspace)

CONTRACT = {"area", "category", "kind", "level", "evidence", "first_seen", "orders"}


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    w = make_workspace(tmp_path_factory.mktemp("warn") / "w.gpkg")
    yield w
    w.close()


def _near(alert, xy, d=250):
    import shapely

    return alert.geometry is not None and shapely.distance(alert.geometry, shapely.Point(xy)) <= d


def test_planted_events_are_found_on_cells(ws):
    res = warn(ws, "complaints", cell=200)
    assert res.as_of == AS_OF
    kinds = {(a.kind, a.category) for a in res.alerts}
    noise = [a for a in res.alerts if a.category == "噪声扰民" and _near(a, NOISE_SITE)]
    assert {"异动", "新增热点", "多人同诉"} <= {a.kind for a in noise}
    surge = next(a for a in noise if a.kind == "异动")
    assert surge.level == "红" and surge.evidence["observed"] >= 15 and surge.evidence["expected"] < 1
    assert surge.first_seen == "2025-06-24"
    water = [a for a in res.alerts if a.category == "水务" and _near(a, WATER_SITE)]
    group = next(a for a in water if a.kind == "多人同诉")
    assert group.evidence["callers"] == 7 and group.evidence["matter"] == "停水"
    caller = next(a for a in res.alerts if a.kind == "一人多诉")
    assert caller.evidence["orders"] == 4 and caller.first_seen == "2025-06-12"
    address = next(a for a in res.alerts if a.kind == "重复地址")
    assert address.evidence["orders"] == 3 and "1201" not in address.evidence["address"]
    gas = next(a for a in res.alerts if a.kind == "敏感词")
    assert gas.level == "红" and gas.evidence["words"] == {"燃气泄漏": 1}
    assert ("异动", "城市管理") not in kinds  # the steady categories stay quiet in their cells
    for a in res.alerts:
        assert set(a.to_json()) == CONTRACT
        assert a.level in ("红", "橙", "黄")
        assert len(a.orders) <= 5 and all(o.startswith("T") for o in a.orders)


def test_no_personal_data_in_any_alert(ws):
    for kw in ({"cell": 200}, {"polygons": "communities"}, {"cell": 300, "hexagons": True}):
        text = json.dumps([a.to_json() | {"place": a.place} for a in warn(ws, "complaints", **kw).alerts],
                          ensure_ascii=False)
        for secret in (REPEAT_PHONE, "5678", REPEAT_ID, REPEAT_NAME, "李四", "1201"):
            assert secret not in text


def test_deterministic_and_sorted(ws):
    a = [x.to_json() for x in warn(ws, "complaints", cell=200).alerts]
    b = [x.to_json() for x in warn(ws, "complaints", cell=200).alerts]
    assert a == b
    levels = [x["level"] for x in a]
    assert levels == sorted(levels, key="红橙黄".index)


def test_polygons_name_the_community(ws):
    res = warn(ws, "complaints", polygons="communities")
    noise = next(a for a in res.alerts if a.kind == "异动" and a.category == "噪声扰民" and a.area != "全区")
    assert noise.area == "南社区"
    assert {a.area for a in res.alerts} <= {"南社区", "北社区", "东南社区", "东北社区", "全区"}


def test_no_alarm_without_planted_events(tmp_path):
    w = make_workspace(tmp_path / "quiet.gpkg", planted=False)
    try:
        alerts = warn(w, "complaints", cell=200).alerts
        assert not [a for a in alerts if a.kind in ("异动", "多人同诉", "一人多诉", "敏感词", "新增热点")]
    finally:
        w.close()


def test_bad_input_is_one_clear_line(ws, tmp_path):
    from datetime import date

    from lzt.workspace import create_workspace

    with pytest.raises(LztInputError, match="no records in the week"):
        warn(ws, "complaints", cell=200, as_of=date(2030, 1, 6))
    with pytest.raises(LztInputError, match="cat_l2|category"):
        w2 = create_workspace(tmp_path / "nocat.gpkg")
        w2.write_layer("c", complaints_frame().drop(columns=["cat_l2"]), kind="complaints")
        warn(w2, "c", cell=200, by="category2")
    with pytest.raises(LztInputError, match="time field"):
        w3 = create_workspace(tmp_path / "notime.gpkg")
        w3.write_layer("c", complaints_frame().drop(columns=["received_at"]), kind="complaints")
        warn(w3, "c", cell=200)
    with pytest.raises(LztInputError, match="either --cell"):
        warn(ws, "complaints")
    with pytest.raises(LztInputError, match="street"):
        warn(ws, "complaints", cell=200, street="不存在街道")
    with pytest.raises(LztInputError, match="unknown warning rule"):
        warn(ws, "complaints", cell=200, rules={"nonsense": 1})


def test_rules_from_the_workspace_setting(tmp_path):
    w = make_workspace(tmp_path / "rules.gpkg")
    try:
        w.set_setting("warning_rules", {"repeat_caller": {"orders": 5}})
        assert not [a for a in warn(w, "complaints", cell=200).alerts if a.kind == "一人多诉"]
    finally:
        w.close()
