"""lzt crs-detect, the verdict in lzt import's report, and warnings kept off stdout."""

from __future__ import annotations

import json
import shutil
import warnings

import pytest

from lzt.cli.main import main
from lzt.workspace import open_workspace
from tests import crs_fixtures as fx


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def datav(demo_path, tmp_path_factory):
    ws = open_workspace(demo_path)
    try:
        return fx.datav_geojson(ws, tmp_path_factory.mktemp("cli") / "440307.json")
    finally:
        ws.close()


def test_crs_detect_json_and_text(demo_path, datav, capsys):
    code, out, err = run(capsys, "crs-detect", demo_path, datav, "--json")
    assert code == 0 and err == ""
    (rec,) = json.loads(out)
    assert rec["lonlat"] and rec["crs"] == "EPSG:4326" and rec["count"] == 12
    v = rec["verdict"]
    assert (v["datum"], v["confidence"], v["flag"]) == ("gcj02", "high", "--coords gcj02")
    assert {c["signature"] for c in v["provenance"]} >= {"datav"}
    geo = v["geometry"]
    assert geo["status"] == "conclusive" and geo["residual_m"] < 8
    assert {"layer", "points", "radius_m", "median_m", "best", "decides"} <= set(geo["layers"][0])
    code, out, _ = run(capsys, "crs-detect", demo_path, datav)
    assert code == 0 and "--coords gcj02" in out and "来源线索" in out and "几何比对" in out
    assert "← GCJ-02" in out


def test_crs_detect_projected_file_and_bad_input(demo_path, real_data, tmp_path, capsys):
    code, out, _ = run(capsys, "crs-detect", demo_path, real_data / "vector/test_gdal_error.gpkg", "--json")
    assert code == 0 and [r["lonlat"] for r in json.loads(out)] == [False, False]
    assert all(r["verdict"] is None for r in json.loads(out))
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n", encoding="utf-8")
    code, out, err = run(capsys, "crs-detect", demo_path, bad)
    assert code == 2 and out == "" and err.count("\n") == 1 and "x.csv" in err


def test_import_json_stays_json_and_warnings_go_to_stderr(demo_path, datav, tmp_path, capsys):
    ws = tmp_path / "demo.gpkg"
    shutil.copyfile(demo_path, ws)
    code, out, err = run(capsys, "import", ws, datav, "--json")
    assert code == 0
    (rep,) = json.loads(out)  # nothing but the JSON on stdout
    assert rep["crs_verdict"]["datum"] == "gcj02" and rep["crs_verdict"]["flag"] == "--coords gcj02"
    lines = err.strip().splitlines()
    assert lines and all(line.startswith(f"注意: {datav}: ") for line in lines)
    assert any("--coords gcj02 --replace" in line for line in lines)
    code, out, err = run(capsys, "import", ws, datav, "--replace")
    assert code == 0 and "注意" not in out and "--coords gcj02" in err


def test_geojson_named_csv_on_the_command_line(tmp_path, capsys):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "甲", "address": []},
         "geometry": {"type": "Point", "coordinates": [114.25, 22.72]}},
        {"type": "Feature", "properties": {"name": "乙", "address": "龙城大道"},
         "geometry": {"type": "Point", "coordinates": [114.26, 22.73]}}]}
    p = tmp_path / "pois.csv"
    p.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    ws = tmp_path / "ws.gpkg"
    run(capsys, "init", ws)
    code, out, err = run(capsys, "import", ws, p)
    assert code == 0 and "2 个要素" in out
    assert "is GeoJSON, named .csv" in err and "header row" not in err
    assert "UserWarning" not in err and ".py:" not in err  # no library warning with a source path


def test_an_unexpected_warning_is_one_line_on_stderr(tmp_path, capsys, monkeypatch):
    import lzt.cli.cmd_init as cmd

    real_run = cmd.run

    def noisy(args):
        warnings.warn("something odd\nover two lines", UserWarning)
        return real_run(args)

    monkeypatch.setattr(cmd, "run", noisy)
    code, out, err = run(capsys, "init", tmp_path / "ws.gpkg")
    assert code == 0 and err == "lzt init: 注意: something odd over two lines\n"
