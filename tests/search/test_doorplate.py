"""门牌 geocoding on the demo: a plate found exactly, a number between two plates placed where the
numbering rule puts it (recomputed here from the road, lzt.demo.doorplates.plate_point), a
building plate, and no guess when two stretches of a road could both hold the number."""

from __future__ import annotations

import numpy as np
import pyogrio
import pytest

from lzt.demo.doorplates import plate_point


@pytest.fixture(scope="module")
def geo(demo_path):
    from lzt.search.gazetteer import gazetteer
    from lzt.search.geocode import Geocoder
    from lzt.workspace.open import open_workspace

    ws = open_workspace(demo_path)
    yield Geocoder(ws, gazetteer(ws)), pyogrio.read_dataframe(demo_path, layer="doorplates"), \
        pyogrio.read_dataframe(demo_path, layer="roads")
    ws.close()


def _gaps(plates, roads, k: int):
    """(road row, community, street, number between plates, truth x, y) for ``k`` gaps."""
    road = plates[plates["category"] == "门牌"]
    out = []
    for r in roads[roads["road_class"].isin(["次干路", "支路"])].itertuples():
        on = road[(road["road"] == r.name) & (road.geometry.distance(r.geometry) < r.width_m / 2 + 9)]
        odd = np.sort(on["number"].to_numpy()[on["number"].to_numpy() % 2 == 1])
        if len(odd) < 2 or odd[1] - odd[0] < 6 or on["community"].isna().any() or on["community"].nunique() != 1:
            continue
        n = int(odd[0] + 2 * ((odd[1] - odd[0]) // 4))
        x, y = plate_point(r.geometry, r.width_m, n)[0]
        out.append((r.name, on["community"].iloc[0], on["street"].iloc[0], n, x, y))
        if len(out) >= k:
            break
    return out


def test_exact_plate(geo):
    g, plates, _ = geo
    p = plates[plates["category"] == "门牌"].dropna(subset=["community"]).iloc[7]
    got = g.geocode(f"{p['street']}街道{p['community']}社区{p['doorplate']}")
    assert got.level == "门牌" and got.confidence >= 0.9
    assert np.hypot(got.x - p.geometry.x, got.y - p.geometry.y) < 1.0


def test_numbers_between_plates_interpolated(geo):
    g, plates, roads = geo
    gaps = _gaps(plates, roads, 40)
    assert len(gaps) >= 20
    d = []
    for name, comm, street, n, x, y in gaps:
        got = g.geocode(f"{name}{n}号", street=street, community=comm)
        assert got.level == "门牌", (name, n, got.reason)
        assert "插值" in got.reason and got.confidence < 0.95 * 0.85
        d.append(np.hypot(got.x - x, got.y - y))
    assert np.median(d) < 5.0 and max(d) < 30.0


def test_building_plate(geo):
    g, plates, _ = geo
    blocks = plates[plates["category"] == "楼栋"].dropna(subset=["community"])
    unique = blocks.groupby(["community", "doorplate"]).filter(lambda f: len(f) == 1)
    p = unique.iloc[3]
    got = g.geocode(f"{p['community']}社区{p['compound']}{p['number']}栋")
    assert got.level == "门牌" and np.hypot(got.x - p.geometry.x, got.y - p.geometry.y) < 1.0
    missing = g.geocode(f"{p['community']}社区{p['compound']}99栋")
    assert missing.level in ("小区", None) and "未找到楼栋" in missing.reason


def test_no_guess_between_two_stretches(geo):
    g, plates, roads = geo
    # a road name drawn in several communities: without an area its numbers are not placed at 门牌
    name = roads[roads["road_class"] == "支路"]["name"].value_counts().index[0]
    road = plates[(plates["road"] == name) & (plates["number"] % 2 == 1)]
    n = int(np.median(road["number"])) | 1
    got = g.geocode(f"{name}{n}号")
    assert got.level != "门牌" or "插值" not in got.reason
    assert got.level is None or got.level == "道路"
    assert got.reason


def test_numbers_past_the_last_plate_are_not_extrapolated(geo):
    g, plates, _ = geo
    road = plates[plates["category"] == "门牌"].dropna(subset=["community"])
    checked = 0
    for (name, comm), on in road.groupby(["road", "community"]):
        odd = on["number"].to_numpy()[on["number"].to_numpy() % 2 == 1]
        if len(odd) < 2:
            continue
        last, first = int(odd.max()), int(odd.min())
        got = g.geocode(f"{name}{last + 20}号", street=on["street"].iloc[0], community=comm)
        assert got.level == "道路", (name, comm, got.level, got.reason)
        assert f"超出该路已知门牌（单号最大为 {last} 号），门牌不外推，定位到道路" in got.reason, got.reason
        if first > 2:
            low = g.geocode(f"{name}{first - 2}号", street=on["street"].iloc[0], community=comm)
            assert low.level == "道路" and f"单号最小为 {first} 号" in low.reason and "不外推" in low.reason
        checked += 1
        if checked >= 8:
            break
    assert checked >= 3
