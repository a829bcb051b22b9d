"""lzt export3d: the --json record, progress-free output, bad input in one line with exit 2 and
nothing written."""

from __future__ import annotations

import json

import pytest

from lzt.cli.main import main
from tests.export.tiles3d.conftest import buildings


@pytest.fixture
def ws_path(tmp_path):
    from lzt.workspace import create_workspace

    ws = create_workspace(tmp_path / "w.gpkg")
    ws.write_layer("buildings", buildings())
    ws.close()
    return tmp_path / "w.gpkg"


def test_json_record_and_skipped_line(ws_path, tmp_path, capsys):
    out = tmp_path / "tiles"
    assert main(["export3d", str(ws_path), str(out), "--json", "--tile-cap", "2"]) == 0
    cap = capsys.readouterr()
    rec = json.loads(cap.out)
    assert rec["format"] == "3dtiles" and rec["content"] == "b3dm" and rec["models"] == 5
    assert rec["skipped"] == 1 and "B5" in rec["skipped_examples"][0]
    assert "skipped buildings B5: no height" in cap.err
    tileset = json.loads((out / "tileset.json").read_text(encoding="utf-8"))
    assert rec["tiles"] == sum(1 for _ in _tiles(tileset["root"]))
    assert main(["export3d", str(ws_path), str(tmp_path / "m.city.json"), "--format", "cityjson",
                 "--where", "use = '住宅'"]) == 0
    doc = json.loads((tmp_path / "m.city.json").read_text(encoding="utf-8"))
    assert sorted(o["attributes"]["building_id"] for o in doc["CityObjects"].values()) == ["B1", "B3", "B6"]


def _tiles(t):
    yield t
    for c in t.get("children", []):
        yield from _tiles(c)


@pytest.mark.parametrize("args,words", [
    (["--layer", "nosuch"], "no layer 'nosuch'"),
    (["--where", "nosuch = 1"], "unknown field"),
    (["--height-field", "use", "--where", "use = 'x'"], "nothing to export"),
    (["--ground", "buildings"], "DEM raster layer"),
])
def test_bad_input_exit_2_nothing_written(ws_path, tmp_path, capsys, args, words):
    out = tmp_path / "tiles"
    assert main(["export3d", str(ws_path), str(out), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0], err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_refuses_to_overwrite_a_folder_that_is_not_a_tileset(ws_path, tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["export3d", str(ws_path), str(out)]) == 2
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert main(["export3d", str(ws_path), str(tmp_path / "t")]) == 0
    assert main(["export3d", str(ws_path), str(tmp_path / "t")]) == 0  # an earlier tileset is replaced
