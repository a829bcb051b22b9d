"""Every way from complaints to a derived layer or a file, from the command line: personal data
(also a caller's own name inside 诉求内容) stays masked, and the lineage stays recorded."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from lzt.cli.main import main
from lzt.workspace import open_workspace
from lzt.workspace.personal import layer_is_personal, lineage

RAW = ["王秀英", "欧阳小明", "司马光", "13812341234", "138 1234 1234", "13900001111", "440307199001011234"]


@pytest.fixture
def ws_path(tmp_path):
    """Complaints whose texts name their callers, in a workspace with two communities."""
    from lzt.workspace import create_workspace

    path = tmp_path / "ws.gpkg"
    ws = create_workspace(path)
    ws.write_layer("communities", gpd.GeoDataFrame(
        {"name": ["龙城", "坂田"]}, geometry=[shapely.box(515_000, 2_510_000, 516_000, 2_511_000),
                                          shapely.box(520_000, 2_510_000, 521_000, 2_511_000)], crs=ws.crs))
    when = pd.to_datetime(["2025-03-01 09:00", "2025-03-02 10:00", "2025-03-03 11:00", "2025-03-04 12:00"])
    ws.write_layer("complaints", gpd.GeoDataFrame({
        "order_id": ["GD1", "GD2", "GD3", "GD4"], "received_at": when,
        "cat_l1": ["噪声扰民"] * 4, "cat_l2": ["施工噪声"] * 4, "community": ["龙城"] * 4,
        "address": ["王秀英家楼下", "龙城花园3栋", "龙城花园", "龙城花园"],
        "content": ["王秀英反映小区噪声扰民，王秀英请回电138 1234 1234", "欧阳小明反映夜间施工",
                    "司马光称身份证440307199001011234丢失", "噪声扰民"],
        "citizen_name": ["王秀英", "欧阳小明", "司马光", "张三"],
        "citizen_phone": ["13812341234", "13900001111", "13700002222", "13600003333"],
        "citizen_id": ["440307198001011111", "440307198001012222", "440307199001011234", None],
    }, geometry=shapely.points([(515_100, 2_510_100), (515_110, 2_510_100), (515_120, 2_510_100),
                                (520_500, 2_510_500)]), crs=ws.crs), kind="complaints")
    ws.close()
    return path


def _clean(text: str) -> None:
    leaked = [r for r in RAW if r in text]
    assert not leaked, leaked


def test_query_json_table_fields_and_out_are_masked(ws_path, tmp_path, capsys):
    assert main(["query", str(ws_path), "complaints", "--json"]) == 0
    out = capsys.readouterr().out
    _clean(out)
    assert "王*英反映小区噪声扰民，王*英请回电138****1234" in out and "欧**明反映夜间施工" in out
    assert main(["query", str(ws_path), "complaints", "--fields", "content", "--json"]) == 0
    out = capsys.readouterr().out  # the name is found although only the text was asked for
    _clean(out)
    assert "司*光称身份证440307********1234丢失" in out and "citizen_name" not in out
    assert main(["query", str(ws_path), "complaints", "--within", "communities", "--other-where", "name = '龙城'"]) == 0
    _clean(capsys.readouterr().out)
    q = tmp_path / "q.gpkg"
    assert main(["query", str(ws_path), "complaints", "--within", "communities", "--out", str(q)]) == 0
    got = pyogrio.read_dataframe(q)
    _clean(got.astype(str).to_string())
    assert got["address"].tolist()[0] == "王*英家楼下"


def test_export_masks_text_and_unmasking_is_audited(ws_path, tmp_path, capsys):
    for ext in ("csv", "xlsx", "geojson", "shp"):
        out = tmp_path / f"c.{ext}"
        assert main(["export", str(ws_path), "complaints", str(out), "--where", "cat_l1 = '噪声扰民'"]) == 0
        frame = pd.read_csv(out, encoding="utf-8-sig") if ext == "csv" else (
            pd.read_excel(out) if ext == "xlsx" else pyogrio.read_dataframe(out))
        _clean(frame.astype(str).to_string())
    assert main(["export", str(ws_path), "complaints", str(tmp_path / "raw.csv"), "--unmasked"]) == 0
    assert "王秀英反映" in (tmp_path / "raw.csv").read_text(encoding="utf-8-sig")
    ws = open_workspace(ws_path)
    try:
        assert [e["action"] for e in ws.audit_entries()] == ["export_unmasked"]
    finally:
        ws.close()


def test_a_layer_derived_in_the_workspace_stays_masked_on_every_way_out(ws_path, tmp_path, capsys):
    ws = open_workspace(ws_path)
    try:  # as the GUI's query panel writes its result, and 保留为图层 keeps it
        rows = ws.read_features("complaints", where=None)
        ws.write_layer("查询结果", gpd.GeoDataFrame(rows.reset_index(names="src_fid"), crs=ws.crs), kind="analysis",
                       details=lineage(ws, ["complaints"]))
        ws.write_layer("kept", ws.read_features("查询结果"), details=lineage(ws, ["查询结果"]))
        ws.drop_layer("查询结果")
    finally:
        ws.close()
    assert main(["layers", str(ws_path), "--json"]) == 0
    kept = {li["name"]: li for li in json.loads(capsys.readouterr().out)}["kept"]
    assert kept["kind"] == "vector" and kept["details"]["personal_from"] == ["complaints"]
    assert main(["query", str(ws_path), "kept", "--json"]) == 0
    _clean(capsys.readouterr().out)
    out = tmp_path / "kept.csv"
    assert main(["export", str(ws_path), "kept", str(out)]) == 0
    _clean(out.read_text(encoding="utf-8-sig"))
    # a copy of a copy: the lineage still names the original
    assert main(["query", str(ws_path), "kept", "--fields", "content", "--out", str(tmp_path / "k2.csv")]) == 0
    _clean((tmp_path / "k2.csv").read_text(encoding="utf-8-sig"))
    assert main(["export", str(ws_path), "kept", str(tmp_path / "raw.csv"), "--unmasked"]) == 0
    ws = open_workspace(ws_path)
    try:
        (entry,) = ws.audit_entries("export_unmasked")
        assert entry["detail"]["layer"] == "kept"
    finally:
        ws.close()


def test_analysis_outputs_of_records_are_personal_and_aggregates_are_not(ws_path, capsys):
    assert main(["analyse", str(ws_path), "complaints", "repeats", "--distance", "50", "--out", "重复"]) == 0
    assert main(["analyse", str(ws_path), "complaints", "join", "--polygons", "communities", "--out", "社区计数"]) == 0
    assert main(["stats", str(ws_path), "complaints", "--polygons", "communities", "--out", "社区统计"]) == 0
    assert main(["hotspots", str(ws_path), "complaints", "--cell", "200", "--out", "热点"]) == 0
    capsys.readouterr()
    ws = open_workspace(ws_path)
    try:
        repeats = ws.layer("重复")
        assert repeats.details["personal_from"] == ["complaints"] and layer_is_personal(repeats)
        for name in ("社区计数", "社区统计", "热点"):
            assert not layer_is_personal(ws.layer(name)), name
        assert ws.layer("社区计数").details["derived_from"] == ["communities"]
    finally:
        ws.close()


def test_an_imported_unmasked_export_is_personal_by_its_columns(ws_path, tmp_path, capsys):
    raw = tmp_path / "raw.gpkg"
    assert main(["export", str(ws_path), "complaints", str(raw), "--unmasked"]) == 0
    other = tmp_path / "other.gpkg"
    assert main(["init", str(other)]) == 0
    assert main(["import", str(other), str(raw), "--layer", "从别处来"]) == 0
    capsys.readouterr()
    assert main(["query", str(other), "从别处来", "--json"]) == 0
    out = capsys.readouterr().out
    _clean(out)
    assert "王*英反映小区噪声扰民" in out


def test_polygons_with_personal_data_are_named_masked_in_counts(ws_path, capsys):
    ws = open_workspace(ws_path)
    try:  # an analyst buffers the callers' homes (kept with their records' columns)
        rows = ws.read_features("complaints")
        ws.write_layer("homes", rows.set_geometry(rows.buffer(30)), details=lineage(ws, ["complaints"]))
    finally:
        ws.close()
    assert main(["stats", str(ws_path), "complaints", "--polygons", "homes", "--key", "citizen_name", "--json"]) == 0
    out = capsys.readouterr().out
    _clean(out)
    assert "王*英" in out
    assert main(["analyse", str(ws_path), "complaints", "join", "--polygons", "homes", "--key", "content",
                 "--out", "homes_n", "--json"]) == 0
    out = capsys.readouterr().out
    _clean(out)
    assert "欧**明反映夜间施工" in out
    ws = open_workspace(ws_path)
    try:
        assert layer_is_personal(ws.layer("homes_n"))  # its rows are the homes, so it is personal too
    finally:
        ws.close()


def test_sheet_and_atlas_titles_from_a_personal_layer_are_masked(ws_path, tmp_path, capsys):
    from tests.pdftools import Pdf

    ws = open_workspace(ws_path)
    try:
        rows = ws.read_features("complaints")
        homes = rows.set_geometry(rows.buffer(30)).assign(name=rows["content"])
        ws.write_layer("homes", homes, details=lineage(ws, ["complaints"]))
    finally:
        ws.close()
    sheet = tmp_path / "s.pdf"
    assert main(["sheet", str(ws_path), str(sheet), "--feature", "homes:1", "--layers", "homes", "--paper", "A4"]) == 0
    atlas = tmp_path / "a.pdf"
    assert main(["atlas", str(ws_path), "--coverage", "homes", str(atlas), "--paper", "A4"]) == 0
    capsys.readouterr()
    for pdf in (sheet, atlas):
        text = Pdf(pdf).text().replace("\n", "")
        _clean(text)
    assert "王*英反映" in Pdf(sheet).text().replace("\n", "")
