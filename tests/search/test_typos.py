"""Names typed with one slip: found below exact matches, placed only when one name fits, and a tie
refused with the reason. Names and their places come from the demo's layers (pyogrio), the
slips are made here."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyogrio
import pytest

from lzt.search.fuzzy import FuzzyNames, one_edit, pinyin_key, road_stem


@pytest.fixture(scope="module")
def demo(demo_path):
    from lzt.search.gazetteer import gazetteer
    from lzt.search.geocode import Geocoder
    from lzt.workspace.open import open_workspace

    ws = open_workspace(demo_path)
    roads = pyogrio.read_dataframe(demo_path, layer="roads")
    streets = pyogrio.read_dataframe(demo_path, layer="streets")
    roads = gpd.sjoin(roads, streets[["name", "geometry"]].rename(columns={"name": "street"}),
                      predicate="intersects").drop(columns="index_right")
    yield ws, Geocoder(ws, gazetteer(ws)), roads
    ws.close()


def test_fuzzy_names_rules():
    names = FuzzyNames(["丹竹一路", "丹竹二路", "龙城", "爱联", "华美家园"], roads=True)
    assert names.match("丹竹一道") == {"丹竹一路": "路名后缀"}
    assert names.match("丹竹路") == {"丹竹一路": "漏字", "丹竹二路": "漏字"}  # two: the caller must not pick
    assert names.match("龙成") == {"龙城": "同音"} and names.match("爱连") == {"爱联": "同音"}
    assert names.match("华美家园") == {} and names.match("华美佳园")["华美家园"] in ("错字", "同音")
    assert one_edit("华美家园", "华美家") and not one_edit("华美家园", "华家")
    assert pinyin_key("龙城") == pinyin_key("龙成") and road_stem("深惠大道") == "深惠"


def test_misspelt_road_placed_when_one_fits(demo):
    ws, g, roads = demo
    # a road name alone in its street: its 路 written 道 is still that road
    per = roads.groupby("street")["name"].agg(set)
    done = 0
    for r in roads[roads["road_class"] == "支路"].itertuples():
        if not r.name.endswith("路"):
            continue
        slip = r.name[:-1] + "道"
        if any(n != r.name and (one_edit(slip, n) or road_stem(n) == road_stem(slip)) for n in per[r.street]):
            continue
        got = g.geocode(f"{r.street}街道{slip}5号")
        assert got.level in ("门牌", "道路"), got.reason
        assert f"按“{r.name}”匹配" in got.reason and got.confidence < 0.95
        same = roads[(roads["name"] == r.name) & (roads["street"] == r.street)]
        assert same.distance(gpd.points_from_xy([got.x], [got.y])[0]).min() <= r.width_m / 2 + 10
        done += 1
        if done >= 5:
            break
    assert done >= 3


def test_tie_between_two_roads_refused(demo):
    ws, g, roads = demo
    everywhere = set(roads["name"])
    for street, names in roads.groupby("street")["name"].agg(set).items():
        names = sorted(names)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                diff = [k for k in range(len(a)) if len(a) == len(b) and a[k] != b[k]]
                if len(diff) != 1 or diff[0] >= len(a) - 1:
                    continue
                k = diff[0]
                slip = a[:k] + "缈" + a[k + 1:]  # one wrong character: as near to a as to b
                if slip in everywhere:
                    continue
                got = g.geocode(f"{street}街道{slip}5号")
                assert "无法确定是哪条路" in got.reason and a in got.reason and b in got.reason
                assert got.level not in ("门牌", "道路")
                return
    pytest.fail("no street with two road names one character apart")


def test_find_ranks_slips_below_exact(demo):
    from lzt.search.find import find

    ws, _, _ = demo
    streets = pyogrio.read_dataframe(ws.uri, layer="streets", read_geometry=False)
    comms = pyogrio.read_dataframe(ws.uri, layer="communities", read_geometry=False)
    s = streets["name"].iloc[0]
    exact = find(ws, s + "街道", limit=3)
    assert exact[0].name == s and exact[0].score >= 0.95
    # a homophone of one of its characters, if the demo's names allow one
    homophones = {"城": "成", "岗": "刚", "联": "连", "华": "花", "湖": "胡", "坪": "平"}
    for name in list(streets["name"]) + list(comms["name"]):
        i = next((k for k, ch in enumerate(name) if ch in homophones), None)
        if i is None:
            continue
        slip = name[:i] + homophones[name[i]] + name[i + 1:]
        if slip in set(streets["name"]) | set(comms["name"]):
            continue
        got = find(ws, slip, limit=5)
        assert name in [p.name for p in got] and all(p.score < 0.95 for p in got)
        break
    else:
        pytest.fail("no name with a homophone to try")
    assert np.isfinite(exact[0].x)


def test_find_corrects_the_road_before_a_house_number(demo):
    """大道 typed 大到 before a number: the plate on the one road a slip away, scored as a slip;
    the plate's place read independently from the layer."""
    from lzt.search.find import find

    ws, _, _ = demo
    plates = pyogrio.read_dataframe(ws.uri, layer="doorplates")
    plates = plates[plates["road"].fillna("").str.endswith("大道")]
    for _, row in plates.iterrows():
        slip = row["road"][:-1] + "到"
        if len(find(ws, row["road"], limit=1)) and not find(ws, slip, limit=1)[0].name.startswith(slip):
            break
    else:
        pytest.skip("no 大道 plate in the demo")
    got = find(ws, f"{slip}{row['number']}号", limit=3)
    assert got[0].name == row["doorplate"] and got[0].level == "门牌" and got[0].score < 0.95
    assert abs(got[0].x - row.geometry.x) < 0.01 and abs(got[0].y - row.geometry.y) < 0.01
