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
