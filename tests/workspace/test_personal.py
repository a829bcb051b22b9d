"""The one rule of personal layers: by kind, by recorded lineage, by personal columns."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from lzt.core.errors import LztInputError
from lzt.workspace.personal import column_roles, free_text_columns, is_personal, layer_is_personal, lineage


def _points(columns: dict, n: int = 2) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({k: [v] * n for k, v in columns.items()},
                            geometry=shapely.points([(515_000 + i, 2_510_000) for i in range(n)]), crs="EPSG:4547")


def test_personal_columns_by_schema_name_and_by_the_headers_the_importer_knows():
    assert column_roles(["citizen_name", "citizen_phone", "citizen_id", "content"]) == {
        "citizen_name": "name", "citizen_phone": "phone", "citizen_id": "id"}
    assert column_roles(["姓名", " 联系电话 ", "身份证号码", "Citizen_Phone", "名称", "street"]) == {
        "姓名": "name", " 联系电话 ": "phone", "身份证号码": "id", "Citizen_Phone": "phone"}
    assert column_roles(["name", "category", "电话号码簿"]) == {}


def test_free_text_is_every_column_but_the_personal_and_the_coded_ones():
    cols = ["order_id", "工单编号", "street", "community", "cat_l1", "status", "content", "address", "reply",
            "title", "备注", "category", "citizen_name", "src_fid", "location_source"]
    assert free_text_columns(cols) == ["content", "address", "reply", "title", "备注", "category"]


def test_the_rule():
    assert is_personal("complaints", [], {})
    assert is_personal("analysis", ["count"], {"personal_from": ["complaints"]})
    assert is_personal("vector", ["name", "手机"], None)
    assert not is_personal("analysis", ["count", "n_噪声"], {"derived_from": ["communities"]})
    assert not is_personal("vector", ["name"], {"personal_from": []})


def test_lineage_is_recorded_resolved_to_the_originals_and_survives_the_intermediate(ws):
    ws.write_layer("calls", _points({"content": "x", "citizen_name": "王秀英"}), kind="complaints")
    ws.write_layer("poi", _points({"name": "学校"}))
    d = lineage(ws, ["calls"], {"analysis": "repeats"})
    assert d == {"analysis": "repeats", "derived_from": ["calls"], "personal_from": ["calls"]}
    ws.write_layer("step", _points({"content": "x"}), kind="analysis", details=d)
    ws.write_layer("kept", _points({"content": "x"}), details=lineage(ws, ["step", "poi"]))
    ws.drop_layer("step")
    kept = ws.layer("kept")
    assert kept.details["personal_from"] == ["calls"] and kept.details["derived_from"] == ["step", "poi"]
    assert layer_is_personal(kept)
    assert lineage(ws, ["poi"]) == {"derived_from": ["poi"]}
    assert not layer_is_personal(ws.layer("poi"))
    with pytest.raises(LztInputError):
        lineage(ws, ["no_such_layer"])  # never recorded as "not personal" by mistake


def test_a_plain_import_of_a_12345_sheet_is_personal_by_its_columns(ws):
    ws.write_layer("sheet", _points({"诉求人": "王秀英", "诉求内容": "王秀英反映噪声"}))
    assert ws.layer("sheet").kind == "vector" and layer_is_personal(ws.layer("sheet"))
