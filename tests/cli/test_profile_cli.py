"""lzt profile and lzt height-limits from the command line: JSON contracts, plots, bad input."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from lzt.cli.main import main
from tests.dems import GRIDS, SLOPE, dem_workspace

X0, Y0 = GRIDS["EPSG:4547"][0], GRIDS["EPSG:4547"][1]


@pytest.fixture
def scene(tmp_path):
    ws = dem_workspace(tmp_path, "EPSG:4547", "plane", name="dem")
    cy = Y0 - 2000
    ws.write_layer("buildings", gpd.GeoDataFrame({"building_id": ["A", "B"], "height_m": [30.0, 60.0]},
                                                 geometry=[shapely.box(X0 + 1000, cy - 10, X0 + 1020, cy + 10),
                                                           shapely.box(X0 + 1200, cy - 10, X0 + 1220, cy + 10)],
                                                 crs="EPSG:4547"))
    ws.write_layer("height_limits", gpd.GeoDataFrame({"zone_id": ["K1"], "height_limit_m": [45.0],
                                                      "reference": ["相对地面"]},
                                                     geometry=[shapely.box(X0 + 900, cy - 50, X0 + 1300, cy + 50)],
                                                     crs="EPSG:4547"))
    path = ws.uri
    ws.close()
    return path, cy


def test_profile_json_and_plots(scene, tmp_path, capsys):
    path, cy = scene
    line = f"{X0 + 800},{cy} {X0 + 1400},{cy}"
    assert main(["profile", str(path), "--line", line, "--json", "--out", str(tmp_path / "p.png")]) == 0
    j = json.loads(capsys.readouterr().out)
    assert j["length_m"] == 600.0 and j["dem"] == "dem"
    assert [(b["id"], b["start_m"], b["end_m"]) for b in j["buildings"]] == [("A", 200.0, 220.0), ("B", 400.0, 420.0)]
    s = j["samples"][0]
    assert s["z"] == pytest.approx(20.0 + SLOPE * 800, abs=1e-3)
    assert j["zones"] == [{"zone": "K1", "reference": "ground", "limit_m": 45.0, "start_m": 100.0, "end_m": 500.0}]
    assert (tmp_path / "p.png").stat().st_size > 1000
    assert main(["profile", str(path), "--line", line, "--out", str(tmp_path / "p.pdf")]) == 0
    from tests.pdftools import Pdf

    text = Pdf(tmp_path / "p.pdf").text()
    assert "距离" in text and "高程" in text and "控高" in text


def test_profile_of_a_line_feature(scene, capsys):
    path, cy = scene
    from lzt.workspace import open_workspace

    ws = open_workspace(path)
    ws.write_layer("sections", gpd.GeoDataFrame({"name": ["断面1"]},
                                                geometry=[shapely.LineString([(X0 + 800, cy), (X0 + 1400, cy)])],
                                                crs="EPSG:4547"))
    ws.close()
    assert main(["profile", str(path), "--feature", "sections:断面1", "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert j["length_m"] == 600.0 and [b["id"] for b in j["buildings"]] == ["A", "B"]
    assert main(["profile", str(path), "--feature", "buildings:1"]) == 2
    assert "not one line" in capsys.readouterr().err


def test_height_limits_json(scene, capsys):
    path, _ = scene
    assert main(["height-limits", str(path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["status"], r["margin_m"]) for r in rows] == [("B", "FAIL", -15.0), ("A", "PASS", 15.0)]
    assert main(["height-limits", str(path), "--all"]) == 0
    out = capsys.readouterr().out
    assert "不通过 1" in out and "超出控高区 K1" in out


def test_bad_input_is_one_line_exit_2(scene, tmp_path, capsys):
    path, _ = scene
    assert main(["profile", str(path), "--line", "1,2"]) == 2
    assert main(["profile", str(path), "--line", "1,2 3,4", "--out", str(tmp_path / "p.txt")]) == 2
    assert main(["height-limits", str(path), "--zones", "buildings"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 3 and "Traceback" not in err
    assert not (tmp_path / "p.txt").exists()
