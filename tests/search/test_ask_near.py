"""问数 near a place: 附近/周边/周围/旁边 read the same for a road, a door plate and an area (the
default radius said as an assumption), the distance taken from the place's own geometry; the
question set is scored against geopandas distances (``near_cases``)."""

from __future__ import annotations

from datetime import date

import pyogrio
import pytest
import shapely

from lzt.analysis.answer import ask
from lzt.search.ask import NEAR_METRES, parse
from lzt.workspace.open import open_workspace
from tests.search.ask_cases import tally
from tests.search.near_cases import NEAR_DEFAULT_M, code_cases, places, run, two_category_cases

AS_OF = date(2025, 12, 15)


@pytest.fixture(scope="module")
def demo_ws(demo_path):
    ws = open_workspace(demo_path)
    yield ws
    ws.close()


def test_near_question_set_is_exact(demo_path):
    t = run(demo_path)
    n = sum(len(v) for v in t.values())
    assert n >= 200
    assert not t["wrong"] and not t["refused"], (t["wrong"][:5], t["refused"][:5])


def test_the_default_radius_is_said_for_every_kind_of_place(demo_ws):
    assert NEAR_METRES == NEAR_DEFAULT_M
    kinds = {g.geom_type: name for name, g in places(demo_ws.uri)}  # a line, a point and an area
    assert set(kinds) == {"LineString", "Point", "Polygon"}
    for place in kinds.values():
        near = ask(demo_ws, f"{place}附近的学校有几所", as_of=AS_OF)
        stated = ask(demo_ws, f"{place}500米内的学校有几所", as_of=AS_OF)
        assert not near.refused and not stated.refused, (near.reason, stated.reason)
        assert near.understood.distance == stated.understood.distance == 500.0
        assert near.answer == stated.answer and near.query == stated.query
        assert "附近 = 500 米以内 [P]" in near.understood.words and "500 米以内" not in near.understood.words
        assert "附近 = 500 米以内 [P]" not in stated.understood.words and "500 米以内" in stated.understood.words
        assert "nearby = within 500 m [P]" in near.explain("en")[0]


def test_a_road_is_measured_from_its_line_not_its_anchor(demo_ws):
    a = ask(demo_ws, "水官高速周边1公里内的便利店有多少", as_of=AS_OF)
    assert not a.refused and a.understood.place["layer"] == "roads" and a.understood.distance == 1000.0
    road = pyogrio.read_dataframe(demo_ws.uri, layer="roads", where="name = '水官高速'").geometry.iloc[0]
    assert a.query["query"]["dwithin"] is None
    wkt = a.query["cql"].split("S_DWITHIN(geom, ", 1)[1].rsplit(", ", 1)[0]
    assert shapely.equals_exact(shapely.from_wkt(wkt), road, 0.0)  # the road itself, to the last digit
    poi = pyogrio.read_dataframe(demo_ws.uri, layer="poi", where="category = '便利店'")
    d = poi.geometry.distance(road)
    assert a.answer == int((d <= 1000).sum())
    anchor = shapely.Point(a.understood.place["x"], a.understood.place["y"])
    assert a.answer > int((poi.geometry.distance(anchor) <= 1000).sum())  # the old (wrong) reading differs


def test_near_words_elsewhere_are_still_not_read(demo_ws):
    # a complaint count has no radius: 附近 stays unread and the question is refused as before
    u = parse(demo_ws, "龙城街道附近投诉多少", as_of=AS_OF)
    assert u.unknown == ["附近"] and u.distance is None
    a = ask(demo_ws, "龙城街道附近的学校有几所", as_of=AS_OF)
    assert a.refused and "不是一个点" in a.reason


def test_of_two_categories_named_the_last_is_asked_for(demo_path):
    t = tally(demo_path, two_category_cases(demo_path))
    assert len(t["exact"]) >= 18 and not t["wrong"] and not t["refused"], (t["wrong"][:5], t["refused"][:5])


def test_a_code_and_a_distance_keep_their_own_digits(demo_path, demo_ws):
    t = tally(demo_path, code_cases(demo_path))
    assert len(t["exact"]) >= 60 and not t["wrong"] and not t["refused"], (t["wrong"][:5], t["refused"][:5])
    # a height after a place's name is read as before
    u = parse(demo_ws, "龙城街道100米以上的建筑有多少", as_of=AS_OF)
    assert u.height == 100.0 and u.height_inclusive and u.place["level"] == "街道" and not u.unknown
