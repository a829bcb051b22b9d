"""Complaint import (--kind complaints) and masking on every way out of the workspace."""

from __future__ import annotations

import json

import pandas as pd
import pyogrio
import pytest

from lzt.cli.main import main
from lzt.core import chinacoords


@pytest.fixture
def export_xlsx(tmp_path):
    """A 12345 export with Chinese headers, GCJ-02 coordinates, one record located only by 社区."""
    glon, glat = chinacoords.wgs84_to_gcj02([114.2468, 114.0600], [22.7205, 22.6400])
    df = pd.DataFrame({
        "工单编号": ["GD001", "GD002", "GD003", "GD004"],
        "诉求时间": ["2025-03-01 09:12:00", "2025-03-02 10:00:00", "2025-03-03 11:30:00", "2025-03-04 08:00:00"],
        "一级分类": ["城市管理", "噪声扰民", "交通出行", "住房建设"],
        "社区": ["龙城", "坂田", "南岭村社区", "不存在的社区"],
        "经度": [glon[0], glon[1], None, None], "纬度": [glat[0], glat[1], None, None],
        "诉求内容": ["电话13812341234，夜间施工", "扰民", "路灯坏", "漏水"],
        "诉求人": ["王小明", "张三", "李四", "赵六"],
        "联系电话": [13812341234, 13900001111, 13700002222, 13600003333],
        "证件号码": ["440307199001011234", "440307198001011111", "44030719700101222X", "440307196001013333"],
    })
    p = tmp_path / "12345导出.xlsx"
    df.to_excel(p, index=False)
    return p


@pytest.fixture
def ws_with_communities(tmp_path, capsys):
    ws = tmp_path / "ws.gpkg"
    assert main(["init", str(ws)]) == 0
    import geopandas as gpd
    import shapely

    comm = gpd.GeoDataFrame({"name": ["龙城", "坂田", "南岭村"]},
                            geometry=[shapely.box(523000, 2511000, 526000, 2514000),
                                      shapely.box(505000, 2503000, 508000, 2506000),
                                      shapely.box(513000, 2502000, 516000, 2505000)], crs="EPSG:4547")
    comm.to_file(tmp_path / "communities.gpkg")
    assert main(["import", str(ws), str(tmp_path / "communities.gpkg")]) == 0
    capsys.readouterr()
    return ws


def test_import_maps_schema_places_and_reports(ws_with_communities, export_xlsx, capsys):
    ws = ws_with_communities
    code = main(["import", str(ws), str(export_xlsx), "--kind", "complaints", "--coords", "gcj02",
                 "--layer", "complaints", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    rep = json.loads(out)[0]
    assert rep["count"] == 4 and rep["extra"]["placed_at_community_centroid"] == 1
    assert rep["extra"]["without_location"] == ["GD004"]
    assert main(["layers", str(ws), "--json"]) == 0
    layers = {layer["name"]: layer for layer in json.loads(capsys.readouterr().out)}
    assert layers["complaints"]["kind"] == "complaints"
    assert {"order_id", "received_at", "cat_l1", "community", "citizen_name", "citizen_phone",
            "citizen_id", "content", "location_source"} <= {f["name"] for f in layers["complaints"]["fields"]}


def test_masked_on_every_way_out(ws_with_communities, export_xlsx, tmp_path, capsys):
    ws = ws_with_communities
    main(["import", str(ws), str(export_xlsx), "--kind", "complaints", "--coords", "gcj02", "--layer", "complaints"])
    capsys.readouterr()
    raw = ["王小明", "13812341234", "440307199001011234", "13900001111", "李四"]
    assert main(["query", str(ws), "complaints", "--json"]) == 0
    text = capsys.readouterr().out
    assert "王*明" in text and "138****1234" in text
    assert not any(r in text for r in raw)
    for ext in ("csv", "geojson", "gpkg", "xlsx"):
        out = tmp_path / f"c.{ext}"
        assert main(["export", str(ws), "complaints", str(out)]) == 0
        frame = pd.read_csv(out, encoding="utf-8-sig") if ext == "csv" else (
            pd.read_excel(out) if ext == "xlsx" else pyogrio.read_dataframe(out))
        flat = frame.astype(str).to_string()
        assert not any(r in flat for r in raw), ext
    # unmasked export needs the flag and is logged
    assert main(["export", str(ws), "complaints", str(tmp_path / "raw.csv"), "--unmasked"]) == 0
    assert "王小明" in (tmp_path / "raw.csv").read_text(encoding="utf-8-sig")
    from lzt.workspace import open_workspace

    w = open_workspace(ws)
    entries = w.audit_entries()
    w.close()
    assert [e["action"] for e in entries] == ["export_unmasked"] and entries[0]["detail"]["rows"] == 4


def test_bad_mapping_is_one_line(ws_with_communities, export_xlsx, tmp_path, capsys):
    m = tmp_path / "map.json"
    m.write_text('{"工单编号": "no_such_field"}', encoding="utf-8")
    code = main(["import", str(ws_with_communities), str(export_xlsx), "--kind", "complaints", "--mapping", str(m)])
    err = capsys.readouterr().err
    assert code == 2 and "no_such_field" in err and len(err.strip().splitlines()) == 1
