"""Supervision ledgers in (--kind supervision), checks out (lzt check), inspections recorded (lzt inspect)."""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from lzt.cli.main import main
from lzt.workspace import open_workspace

LEDGER = {
    "宗地编号": ["G01", "G02", "G03"],
    "用地性质": ["R2 二类居住用地", "M1 普通工业用地", "B1 商业用地"],
    "面积（平方米）": [10000, "8,000", 6000.5],
    "合同约定开工日期": ["2023-03-15", "2024年5月1日", "2025/01/10"],
    "合同约定竣工日期": ["2027-03-15", "2027-05-01", "2028-01-10"],
    "实际开工日期": [None, "2024-06-01", None],
    "容积率上限": [3.0, 2.5, 4.0],
    "建筑密度上限": ["25%", 0.4, 35],
    "绿地率下限": [35, 15, 25],
    "建筑限高": [100, 40, 80],
    "退线距离": [6, 5, 5],
    "投资额": [50000, 30000, 40000],
    "已投资额": [0, 3000, 0],
    "已开发面积": [0, 1000, 0],
    "停工日期": [None, "2024-10-01", None],
    "状态": ["未开工", "停工", "未开工"],
}
POLYS = {"G01": shapely.box(510_000, 2_510_000, 510_100, 2_510_100),
         "G02": shapely.box(510_200, 2_510_000, 510_300, 2_510_080),
         "G03": shapely.box(510_400, 2_510_000, 510_460, 2_510_100)}


@pytest.fixture
def ws_parcels(tmp_path):
    path = tmp_path / "ws.gpkg"
    assert main(["init", str(path)]) == 0
    ws = open_workspace(path)
    ws.write_layer("parcels", gpd.GeoDataFrame({"parcel_id": ["G01", "G02"]},
                                               geometry=[POLYS["G01"], POLYS["G02"]], crs=ws.crs))
    ws.close()
    return path


def test_xlsx_ledger_without_geometry_takes_parcel_polygons(ws_parcels, tmp_path, capsys):
    xlsx = tmp_path / "批后监管台账.xlsx"
    pd.DataFrame(LEDGER).to_excel(xlsx, index=False)
    assert main(["import", str(ws_parcels), str(xlsx), "--kind", "supervision", "--layer", "supervision",
                 "--json"]) == 0
    (rep,) = json.loads(capsys.readouterr().out)
    assert rep["extra"]["geometry_from"] == "parcels" and rep["extra"]["without_location"] == ["G03"]
    ws = open_workspace(ws_parcels)
    try:
        info = ws.layer("supervision")
        assert info.kind == "supervision" and info.count == 3
        f = ws.read_features("supervision").set_index("parcel_id")
        assert f.loc["G01"].geometry.equals(shapely.MultiPolygon([POLYS["G01"]]))
        assert f.loc["G03"].geometry is None
        assert list(f["coverage_max"]) == [25.0, 40.0, 35.0]  # '25%', 0.4 and 35 all mean percent
        assert f.loc["G02", "area_m2"] == 8000.0 and str(f.loc["G02", "agreed_start"])[:10] == "2024-05-01"
        assert set(f["version"]) == {1}
        assert ws.fields("supervision")["agreed_start"] == "DATE"
    finally:
        ws.close()
    assert main(["check", str(ws_parcels), "--as-of", "2025-10-01", "--json"]) == 0
    res = {p["parcel_id"]: {r["rule"]: r for r in p["results"]} for p in json.loads(capsys.readouterr().out)}
    assert res["G01"]["idle_land"]["status"] == "FAIL"  # agreed 2023-03-15, not started
    assert res["G02"]["idle_land"]["status"] == "FAIL"  # stopped 2024-10-01, 1/8 developed, 10 % invested
    assert res["G03"]["idle_land"]["status"] == "PASS"
    assert res["G03"]["far"]["status"] == "NO_DATA"
    for p in res.values():
        assert set(p) == {"idle_land", "overdue_completion", "far", "coverage", "height", "setback"}
        assert all({"rule", "status", "value", "limit", "detail"} <= set(r) for r in p.values())


@pytest.mark.parametrize("change, message", [
    ({"宗地编号": ["G01", "G01", "G03"]}, "宗地编号 'G01' appears more than once"),
    ({"合同约定开工日期": ["2023-03-15", "明年", None]}, "合同约定开工日期: '明年' (row 3) is not a date"),
    ({"容积率上限": [3.0, "高", 4.0]}, "容积率上限: '高' (row 3) is not a number"),
])
def test_bad_ledgers_fail_in_one_line_and_change_nothing(ws_parcels, tmp_path, capsys, change, message):
    csv = tmp_path / "ledger.csv"
    pd.DataFrame(LEDGER | change).to_csv(csv, index=False)
    before = ws_parcels.read_bytes()
    assert main(["import", str(ws_parcels), str(csv), "--kind", "supervision"]) == 2
    err = capsys.readouterr().err
    assert message in err and "ledger.csv" in err and err.count("\n") == 1
    ws = open_workspace(ws_parcels)
    assert [li.name for li in ws.layers()] == ["parcels"]
    ws.close()
    assert len(before) > 0


def test_point_ledger_is_refused(ws_parcels, tmp_path, capsys):
    csv = tmp_path / "points.csv"
    pd.DataFrame({"宗地编号": ["A"], "经度": [114.25], "纬度": [22.72]}).to_csv(csv, index=False)
    assert main(["import", str(ws_parcels), str(csv), "--kind", "supervision"]) == 2
    assert "must be polygons" in capsys.readouterr().err


def test_demo_supervision_mix_and_inspection(demo_copy, tmp_path, capsys, monkeypatch):
    assert main(["check", str(demo_copy), "--as-of", "2026-11-01", "--json"]) == 0
    checks = json.loads(capsys.readouterr().out)
    assert len(checks) == 200
    worst = pd.Series([c["status"] for c in checks]).value_counts()
    assert worst.get("PASS", 0) + worst.get("NO_DATA", 0) > 60 and worst["FAIL"] > 20 and worst["WARN"] > 0
    by_rule = {r: pd.Series([x["status"] for c in checks for x in c["results"] if x["rule"] == r]).value_counts()
               for r in ("idle_land", "far", "height")}
    assert by_rule["idle_land"]["FAIL"] > 5 and by_rule["idle_land"]["PASS"] > 50
    ws = open_workspace(demo_copy)
    plans = {p["parcel_id"]: p for p in ws.get_setting("demo_bim_plan")}
    ws.close()
    for c in checks:  # every model that breaks its plan's height limit fails the height check
        plan = plans.get(c["parcel_id"])
        if plan:
            h = next(r for r in c["results"] if r["rule"] == "height")
            assert (h["status"] == "FAIL") == (plan["breaks"] == "height")

    pid = checks[0]["parcel_id"]
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0photo")
    monkeypatch.setenv("LZT_USER", "陈工")
    assert main(["inspect", str(demo_copy), pid, "--date", "2026-11-20", "--inspector", "刘工", "--result", "在建",
                 "--notes", "主体结构施工中", "--photo", str(photo), "--status", "在建"]) == 0
    assert main(["inspect", str(demo_copy), pid, "--expect-version", "1", "--inspector", "x", "--result", "y"]) == 2
    assert "changed by someone else" in capsys.readouterr().err
    assert main(["inspect", str(demo_copy), pid, "--list", "--json"]) == 0
    (rec,) = json.loads(capsys.readouterr().out)
    assert rec["inspector"] == "刘工" and rec["recorded_by"] == "陈工" and rec["photos"][0]["name"] == "现场.jpg"
    assert main(["inspect", str(demo_copy), pid, "--inspector", "x", "--result", "y",
                 "--date", (date.today().replace(year=date.today().year + 1)).isoformat()]) == 2
    assert "in the future" in capsys.readouterr().err
    assert main(["inspect", str(demo_copy), "NOPE", "--inspector", "x", "--result", "y"]) == 2
    assert "no parcel 'NOPE'" in capsys.readouterr().err
    assert main(["inspect", str(demo_copy), pid, "--inspector", "x", "--result", "y",
                 "--photo", str(tmp_path / "missing.jpg")]) == 2
    assert "missing.jpg: no such photo file" in capsys.readouterr().err
