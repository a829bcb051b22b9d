"""lzt geocode on the demo: the labelled address set scored against an independent truth, the
parser's parts, the demo orders placed within 100 m, masking and bad input."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from lzt.cli.main import main
from tests.search.geocode_cases import run


@pytest.fixture(scope="module")
def demo_gz(demo_path):
    from lzt.search.gazetteer import gazetteer
    from lzt.workspace.open import open_workspace

    ws = open_workspace(demo_path)
    yield ws, gazetteer(ws)
    ws.close()


def test_labelled_addresses_precise_and_found(demo_path):
    got = run(demo_path, n=420)
    assert got["n"] >= 350
    assert got["wrong"] == 0, [(a, r.level, r.matched) for a, r, v in
                               zip(got["labelled"]["address"], got["results"], got["verdicts"]) if v == "wrong"][:5]
    assert got["precision"] >= 0.98 and got["recall"] >= 0.9
    # what must not be placed is not: outside the district, or a name the workspace lacks at 小区 level
    lab = got["labelled"]
    levels = np.array([r.level for r in got["results"]], dtype=object)
    assert all(lv is None for lv in levels[(lab["variant"] == "outside").to_numpy()])
    assert not any(lv in ("小区", "门牌") for lv in levels[(lab["variant"] == "unknown_name").to_numpy()])
    typos = ((lab["variant"] == "typo") & (lab["expect"] == "小区")).to_numpy()
    assert (levels[typos] == "小区").mean() >= 0.8  # misspelt names inside a known community are found


def test_parts_of_an_address(demo_gz):
    from lzt.search.address import parse_address

    ws, gz = demo_gz
    p = parse_address(gz, "广东省深圳市龙岗区龙城街道爱联社区怡景路２３号紫薇花园B座２单元１２０１")
    got = {part.slot: part.text for part in p.parts}
    assert got == {"省": "广东省", "市": "深圳市", "区": "龙岗区", "街道": "龙城街道", "社区": "爱联社区", "道路": "怡景路",
                   "号": "23号", "小区": "紫薇花园", "栋": "b座", "单元": "2单元", "室": "1201"}
    assert not p.unknown
    # 龙岗 is the district before a street, the street before a community of its own
    assert [pt.slot for pt in parse_address(gz, "龙岗龙城爱联社区").parts] == ["区", "街道", "社区"]
    assert [pt.slot for pt in parse_address(gz, "龙岗街道南联社区").parts] == ["街道", "社区"]
    assert parse_address(gz, "紫薇花园三栋").get("栋").number == "3"
    town = parse_address(gz, "横岗镇六约村")
    assert town.get("街道").streets == ("横岗", "园山") and town.get("社区") is not None


def test_refusals_say_why(demo_gz):
    from lzt.search.geocode import Geocoder

    ws, gz = demo_gz
    g = Geocoder(ws, gz)
    outside = g.geocode("坪山区坑梓街道金沙社区")
    assert outside.level is None and "不在本区" in outside.reason
    assert g.geocode("").level is None and g.geocode(None).reason == "地址为空"
    homes = pyogrio.read_dataframe(ws.uri, layer="poi", where="category = '住宅小区'")
    common = homes["name"].value_counts().index[0]
    many = g.geocode(common)  # a name repeated across the district, no area: never a guess
    assert many.level is None and "无法确定" in many.reason
    nonsense = g.geocode("龙" * 5000)
    assert nonsense.level in (None, "街道")


def test_demo_orders_within_100_m(demo_copy, capsys):
    assert main(["geocode", str(demo_copy), "complaints", "--field", "address", "--out", "geo", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"layer", "field", "out", "count", "placed", "levels", "unplaced", "records"} <= set(out)
    assert out["context"] == {"street": "street", "community": "community"}
    truth = pyogrio.read_dataframe(demo_copy, layer="complaints", columns=["address"], fid_as_index=True)
    rec = {r["fid"]: r for r in out["records"]}
    fine = [f for f, r in rec.items() if r["level"] in ("小区", "门牌")]
    assert len(fine) > 0.5 * truth["address"].notna().sum()
    xy = np.array([[rec[f]["x"], rec[f]["y"]] for f in fine])
    d = np.hypot(xy[:, 0] - truth.geometry.x.loc[fine].to_numpy(), xy[:, 1] - truth.geometry.y.loc[fine].to_numpy())
    assert (d <= 100).mean() >= 0.95
    plate = np.array([rec[f]["level"] == "门牌" for f in fine])
    assert plate.sum() > 0.1 * len(fine) and (d[plate] <= 100).mean() >= 0.95  # 门牌 alone, too
    assert out["levels"]["门牌"] == plate.sum()
    assert all(r["reason"] for r in out["unplaced"])
    assert all(r["address"] is None or isinstance(r["address"], str) for r in out["records"])  # no NaN in JSON
    assert sum(out["levels"].values()) == out["count"] == len(truth)
    stored = pyogrio.read_dataframe(demo_copy, layer="geo")
    placed = stored[stored.geometry.notna()]
    assert set(placed["location_source"]) <= {"geocoded:小区", "geocoded:门牌", "geocoded:道路", "geocoded:社区",
                                              "geocoded:街道"}
    assert len(placed) == out["placed"]
    from lzt.workspace.open import open_workspace
    from lzt.workspace.personal import layer_is_personal

    ws = open_workspace(demo_copy)
    assert layer_is_personal(ws.layer("geo"))  # the copy of complaint records stays personal
    ws.close()


def test_addresses_leave_masked(ws, capsys):
    gdf = gpd.GeoDataFrame({"address": ["龙城街道爱联社区紫薇花园3栋，电话13812345678", "张三家"],
                            "citizen_name": ["李四", "张三"], "citizen_phone": ["13812345678", "13900001111"]},
                           geometry=[shapely.Point(520000, 2510000), None], crs="EPSG:4547")
    ws.write_layer("orders", gdf)
    uri = ws.uri
    ws.close()
    assert main(["geocode", uri, "orders", "--field", "address", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    text = json.dumps(out, ensure_ascii=False)
    assert "13812345678" not in text and "张三家" not in text
    assert out["placed"] == 0 and len(out["unplaced"]) == 2  # no streets or places in this workspace


def test_bad_input_one_line_exit_2(demo_copy, capsys):
    before = pyogrio.list_layers(demo_copy).tolist()
    assert main(["geocode", str(demo_copy), "complaints", "--field", "nope"]) == 2
    assert main(["geocode", str(demo_copy), "nolayer", "--field", "address"]) == 2
    assert main(["geocode", str(demo_copy), "complaints", "--field", "address", "--out", "poi"]) == 2
    assert main(["geocode", str(demo_copy), "dem", "--field", "address"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len([ln for ln in err.splitlines() if ln.strip()]) == 4
    assert pyogrio.list_layers(demo_copy).tolist() == before


def test_complaint_import_places_orders_by_address(demo_copy, tmp_path, capsys):
    homes = pyogrio.read_dataframe(demo_copy, layer="poi", where="category = '住宅小区'")
    counts = homes.groupby(["community", "name"]).size()
    h = homes.set_index(["community", "name"]).loc[counts[counts == 1].index[:1]].reset_index().iloc[0]
    csv = tmp_path / "orders.csv"
    csv.write_text("工单编号,诉求时间,一级分类,街道,社区,地址,经度,纬度\n"
                   f"T1,2025-03-01 10:00:00,城市管理,{h['street']},{h['community']},{h['name']}3栋,,\n"
                   f"T2,2025-03-02 10:00:00,城市管理,{h['street']},{h['community']},,,\n"
                   "T3,2025-03-03 10:00:00,城市管理,,,坪山区坑梓街道金沙社区,,\n", encoding="utf-8")
    assert main(["import", str(demo_copy), str(csv), "--kind", "complaints", "--layer", "orders", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)[0]
    plates = pyogrio.read_dataframe(demo_copy, layer="doorplates", where=f"doorplate = '{h['name']}3栋'")
    plate = plates[plates.geometry.distance(h.geometry) <= 300]
    level = "门牌" if len(plate) else "小区"  # its building 3栋 when the demo has that plate
    assert rep["extra"]["geocoded"] == {level: 1} and rep["extra"]["placed_at_community_centroid"] == 1
    got = pyogrio.read_dataframe(demo_copy, layer="orders").set_index("order_id")
    assert got.loc["T1", "location_source"] == f"geocoded:{level}"
    at = plate.geometry.distance(h.geometry).sort_values().index[0] if len(plate) else None
    where = plate.geometry.loc[at] if at is not None else h.geometry
    assert got.loc["T1"].geometry.distance(where) < 1.0  # the building or the compound, not its community
    assert got.loc["T2", "location_source"] == "community_centroid"
    assert got.loc["T3"].geometry is None and "T3" in rep["extra"]["without_location"]
