"""lzt sunlight: the JSON contract, the proposal's impact, --out, and one-line errors (exit 2)."""

from __future__ import annotations

import json
import math

import pytest

from lzt.cli.main import main
from lzt.workspace import create_workspace, open_workspace
from tests.analysis.sunlight.conftest import Y0, build_scene


@pytest.fixture
def scene_path(tmp_path):
    path = tmp_path / "sun.gpkg"
    ws = create_workspace(path)
    try:
        build_scene(ws, tmp_path)
    finally:
        ws.close()
    return str(path)


def test_json_contract_with_a_proposal_and_out_layer(scene_path, capsys):
    assert main(["sunlight", scene_path, "--buildings", "buildings", "--date", "2026-01-20", "--step", "10",
                 "--spacing", "4", "--proposed", "tower", "--json", "--out", "sun_tower"]) == 0
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert "没有高度" in out.err  # R3: said, the rest analysed
    r1 = next(r for r in rows if r["building"] == "R1")
    for key in ("building", "min_hours", "max_continuous_hours", "status", "worst_point", "min_hours_before",
                "min_hours_after"):
        assert key in r1
    assert r1["status"] in ("PASS", "FAIL") and len(r1["worst_point"]) == 3
    assert r1["min_hours"] == r1["min_hours_after"] and r1["min_hours_after"] <= r1["min_hours_before"]
    ws = open_workspace(scene_path)
    try:
        assert ws.layer("sun_tower").kind == "analysis"
        pts = ws.read_features("sun_tower")
        assert {"hours", "hours_before", "lost_minutes", "status"} <= set(pts.columns)
        assert (pts["lost_minutes"] > 0).any() and (pts["hours"] <= pts["hours_before"] + 1e-9).all()
    finally:
        ws.close()


def test_text_output_of_a_proposal(scene_path, capsys):
    assert main(["sunlight", scene_path, "--buildings", "buildings", "--date", "2026-01-20", "--step", "10",
                 "--spacing", "4", "--proposed", "1"]) == 0  # by fid
    out = capsys.readouterr().out
    assert "拟建 tower" in out and "拟建方案遮挡到" in out
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("R1"))
    assert "→" in line and "分钟" in line


def test_text_output_and_standard_day(scene_path, capsys):
    assert main(["sunlight", scene_path, "--buildings", "buildings", "--standard-day", "冬至", "--step", "30",
                 "--spacing", "5"]) == 0
    out = capsys.readouterr().out
    assert "冬至日 09:00–15:00" in out and "4 栋建筑" in out


@pytest.mark.parametrize("extra, says", [
    (["--buildings", "houses"], "houses: no such layer"),
    (["--buildings", "buildings", "--proposed", "nope"], "no BIM model 'nope'"),
    (["--buildings", "buildings", "--date", "2026-02-30"], "expected YYYY-MM-DD"),
    (["--buildings", "buildings", "--date", "1850-01-20"], "out of range"),
    (["--buildings", "buildings", "--step", "0"], "--step"),
    (["--points", "buildings", "--where", "use = '住宅'"], "--where: only goes with --buildings"),
    (["--points", "buildings"], "needs a point layer"),
    (["--buildings", "buildings", "--out", "buildings"], "is not an analysis result"),
])
def test_bad_input_is_one_line_and_exit_2(scene_path, capsys, extra, says):
    assert main(["sunlight", scene_path, *extra]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_shadows_at_one_instant(scene_path, capsys):
    assert main(["sunlight", scene_path, "--buildings", "buildings", "--date", "2026-01-20", "--at", "10:00",
                 "--out", "shadow10", "--json"]) == 0
    out = capsys.readouterr()
    facts = json.loads(out.out)
    assert 90 < facts["azimuth_deg"] < 180 and 0 < facts["altitude_deg"] < 60
    assert facts["buildings"] == 5  # 4 white models with heights + the BIM tower
    assert "没有高度" in out.err
    ws = open_workspace(scene_path)
    try:
        sh = ws.read_features("shadow10")
        assert ws.layer("shadow10").kind == "analysis"
        tower = sh[sh["kind"] == "BIM"].iloc[0]
        # the shadow reaches as far as height / tan(altitude), away from the Sun (north-west at 10:00)
        assert tower["shadow_m"] == pytest.approx(tower["height_m"] / math.tan(math.radians(facts["altitude_deg"])),
                                                  rel=1e-3)
        assert sh[sh["kind"] == "BIM"].geometry.iloc[0].bounds[3] > Y0 + 30  # it falls to the north
    finally:
        ws.close()


@pytest.mark.parametrize("extra, says", [
    (["--at", "25:00", "--out", "s"], "expected HH:MM"),
    (["--at", "10:00"], "needs --buildings LAYER and --out LAYER"),
    (["--at", "03:00", "--out", "s"], "below the horizon"),
])
def test_shadow_bad_input(scene_path, capsys, extra, says):
    assert main(["sunlight", scene_path, "--buildings", "buildings", "--date", "2026-01-20", *extra]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1


def test_ground_hours_raster(scene_path, capsys):
    box = "514950,2510950,515050,2511100"
    args = ["sunlight", scene_path, "--buildings", "buildings", "--date", "2026-01-20", "--step", "15",
            "--raster", "10", "--bbox", box, "--out", "ground_sun", "--json"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["cells"] == 150 and 0 < summary["open_cells"] < 150 and summary["cells_below_rule"] > 0
    assert main(args) == 0  # an earlier result is replaced
    capsys.readouterr()
    ws = open_workspace(scene_path)
    try:
        info = ws.layer("ground_sun")
        assert info.kind == "raster" and info.details["analysis"] == "sunlight_hours"
    finally:
        ws.close()
    assert main(["sunlight", scene_path, "--buildings", "buildings", "--raster", "10", "--out", "g"]) == 2
    assert "needs --buildings LAYER, --bbox and --out LAYER" in capsys.readouterr().err


def test_points_json_with_a_proposal(scene_path, capsys):
    import geopandas as gpd
    import shapely

    ws = open_workspace(scene_path)
    try:  # a window 3 m up, 30 m north of the tower (behind R1's south wall line) and one inside R1
        pts = [shapely.Point(515_000, Y0 + 25, 3.0), shapely.Point(515_000, Y0 + 36, 3.0)]
        ws.write_layer("windows", gpd.GeoDataFrame({"name": ["w1", "w2"]}, geometry=pts, crs="EPSG:4547"))
    finally:
        ws.close()
    assert main(["sunlight", scene_path, "--points", "windows", "--date", "2026-01-20", "--step", "10",
                 "--proposed", "tower", "--json"]) == 0
    out = capsys.readouterr()
    (row,) = json.loads(out.out)
    assert "建筑内部" in out.err
    assert row["point"] == 1 and row["xyz"][2] == 3.0
    assert row["hours_after"] < row["hours_before"] and row["status"] in ("PASS", "FAIL")
