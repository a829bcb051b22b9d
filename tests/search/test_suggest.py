"""Suggestions while typing, compared with names read straight from the demo's layers."""

from __future__ import annotations

import pyogrio
import pytest

from lzt.search.text import initials


@pytest.fixture(scope="module")
def suggester(demo_path):
    from lzt.search.gazetteer import gazetteer
    from lzt.search.suggest import Suggester
    from lzt.workspace.open import open_workspace

    ws = open_workspace(demo_path)
    yield Suggester(gazetteer(ws))
    ws.close()


def test_prefix_suggestions_are_names_of_the_workspace(suggester, demo_path):
    homes = pyogrio.read_dataframe(demo_path, layer="poi", where="category = '住宅小区'", read_geometry=False)
    streets = pyogrio.read_dataframe(demo_path, layer="streets", read_geometry=False)
    comms = pyogrio.read_dataframe(demo_path, layer="communities", read_geometry=False)
    roads = pyogrio.read_dataframe(demo_path, layer="roads", read_geometry=False)
    names = set(homes["name"]) | set(streets["name"]) | set(comms["name"]) | set(roads["name"])
    stem = homes["name"].iloc[0][:2]
    got = suggester.suggest(stem, limit=500)
    expect = {n for n in names if n.startswith(stem)} | {n for n in names if (initials(n) or "").startswith(stem)}
    assert got and set(got) == expect
    # coarse levels first: a street or community named with the prefix comes before compounds
    coarse = [n for n in got if n in set(streets["name"]) | set(comms["name"])]
    if coarse:
        assert got.index(coarse[0]) < len(coarse)


def test_pinyin_initials_and_nothing_for_questions(suggester, demo_path):
    streets = pyogrio.read_dataframe(demo_path, layer="streets", read_geometry=False)
    s = streets["name"].iloc[0]
    assert s in suggester.suggest(initials(s))
    assert suggester.suggest("") == [] and suggester.suggest("！？") == []
    assert suggester.suggest("没有这个名字的地方") == []


def test_builder_process_says_a_bad_workspace_in_one_line(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "s.json"
    got = subprocess.run([sys.executable, "-m", "lzt.search.suggest", str(tmp_path / "none.gpkg"), str(out)],
                         capture_output=True, text=True)
    assert got.returncode == 2 and "Traceback" not in got.stderr
    assert len(got.stderr.strip().splitlines()) == 1 and "none.gpkg" in got.stderr
    assert not out.exists()


def test_door_plates_after_a_road_and_digits(suggester, demo_path):
    plates = pyogrio.read_dataframe(demo_path, layer="doorplates", where="category = '门牌'", read_geometry=False)
    road = plates["road"].value_counts().index[0]  # the road with most plates
    nums = sorted(set(int(n) for n in plates.loc[plates["road"] == road, "number"]))
    digit = str(nums[0])[0]
    want = [f"{road}{n}号" for n in nums if str(n).startswith(digit)]
    got = suggester.suggest(f"{road}{digit}", limit=len(want) + 5)
    assert got[:len(want)] == want  # in number order, before other names
    assert suggester.suggest(f"{road}{nums[-1]}号")[0] == f"{road}{nums[-1]}号"
    assert all(not n.endswith("号") or n.startswith(road) for n in got)
    # a bare road name suggests the road, not its hundreds of plates
    assert not any(n.startswith(road) and n.endswith("号") for n in suggester.suggest(road))
    assert not any(n.startswith(road) and n.endswith("号") for n in suggester.suggest(f"{road}99999"))


def test_builder_writes_its_gazetteer_key_and_it_moves_with_the_layers(demo_copy, tmp_path):
    import json
    import subprocess
    import sys

    from lzt.search.gazetteer import gazetteer_key
    from lzt.workspace.open import open_workspace

    out = tmp_path / "s.json"
    subprocess.run([sys.executable, "-m", "lzt.search.suggest", str(demo_copy), str(out)], check=True)
    got = json.loads(out.read_text(encoding="utf-8"))
    ws = open_workspace(demo_copy)
    try:
        assert got["key"] == gazetteer_key(ws) and got["entries"] and got["plates"]
        roads = ws.read_layer("roads")
        roads.loc[roads.index[0], "name"] = "建议测试新路"
        ws.write_layer("roads", roads, replace=True)
        assert gazetteer_key(ws) != got["key"]
    finally:
        ws.close()
