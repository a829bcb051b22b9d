"""Versioned edits, inspections and the audit trail: nothing lost, nothing overwritten silently."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from lzt.core.errors import ConflictError, LztInputError
from lzt.workspace import open_workspace


@pytest.fixture
def sup(ws):
    gdf = gpd.GeoDataFrame(
        {"parcel_id": ["A01", "A02"], "status": ["在建", "未开工"], "version": [1, 1],
         "far_max": [3.0, 2.5]},
        geometry=[shapely.box(510_000, 2_510_000, 510_100, 2_510_100),
                  shapely.box(511_000, 2_510_000, 511_080, 2_510_090)], crs=ws.crs)
    ws.write_layer("supervision", gdf, kind="supervision")
    return ws


def test_update_bumps_version_and_audits_old_and_new(sup, backend, monkeypatch):
    monkeypatch.setenv("LZT_USER", "李工")
    assert sup.update_feature("supervision", 1, {"status": "已竣工"}, expected_version=1) == 2
    row = sup.read_features("supervision", fids=[1], geometry=False).iloc[0]
    assert (row["status"], row["version"]) == ("已竣工", 2)
    (entry,) = sup.audit_entries("edit")
    assert entry["user"] == sup.actor == ("李工" if backend == "gpkg" else "postgres")
    assert entry["detail"] == {"layer": "supervision", "fid": 1, "key": "A01", "old": {"status": "在建"},
                               "new": {"status": "已竣工"}, "version": 2}


def test_stale_version_is_a_conflict_and_changes_nothing(sup):
    sup.update_feature("supervision", 1, {"status": "已竣工"}, expected_version=1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        sup.update_feature("supervision", 1, {"status": "停工"}, expected_version=1)
    row = sup.read_features("supervision", fids=[1], geometry=False).iloc[0]
    assert (row["status"], row["version"]) == ("已竣工", 2)
    assert len(sup.audit_entries("edit")) == 1


def test_two_connections_second_writer_gets_conflict(sup):
    other = open_workspace(sup.uri)
    try:
        v = int(other.read_features("supervision", fids=[2], geometry=False)["version"].iloc[0])
        sup.update_feature("supervision", 2, {"status": "在建"}, expected_version=v)
        with pytest.raises(ConflictError):
            other.add_inspection("supervision", 2, {"inspected_on": "2026-11-20", "inspector": "张工",
                                                    "result": "未动工"}, expected_version=v)
        assert other.inspections("supervision") == []
    finally:
        other.close()


def test_inspection_with_photo_and_status_is_one_transaction(sup, monkeypatch):
    monkeypatch.setenv("LZT_USER", "王工")
    iid = sup.add_inspection("supervision", 2, {"inspected_on": "2026-11-20", "inspector": "张工",
                                                "result": "未动工", "notes": "现场围挡，无施工"},
                             expected_version=1, photos={"site.jpg": b"\xff\xd8jpeg"},
                             changes={"status": "疑似闲置"})
    (rec,) = sup.inspections("supervision", "A02")
    assert rec["id"] == iid and rec["recorded_by"] == sup.actor and rec["notes"] == "现场围挡，无施工"
    assert rec["photos"][0]["name"] == "site.jpg"
    assert sup.get_blob("photo", rec["photos"][0]["sha256"]) == b"\xff\xd8jpeg"
    row = sup.read_features("supervision", fids=[2], geometry=False).iloc[0]
    assert (row["status"], row["version"]) == ("疑似闲置", 2)
    actions = [e["action"] for e in sup.audit_entries()]
    assert actions == ["inspection", "inspection_record"]


def test_bad_edits_leave_the_workspace_as_it_was(sup):
    before = sup.read_features("supervision", geometry=False)
    with pytest.raises(LztInputError, match="no_such"):
        sup.update_feature("supervision", 1, {"no_such": 1}, expected_version=1)
    with pytest.raises(LztInputError, match="no feature 99"):
        sup.update_feature("supervision", 99, {"status": "x"}, expected_version=1)
    with pytest.raises(LztInputError, match="lacks inspector"):
        sup.add_inspection("supervision", 1, {"inspected_on": "2026-11-20", "result": "x"},
                           expected_version=1)
    with pytest.raises(LztInputError, match="unknown field"):
        sup.add_inspection("supervision", 1, {"inspected_on": "2026-11-20", "inspector": "a", "result": "b",
                                              "phone": "13800001111"}, expected_version=1)
    assert sup.read_features("supervision", geometry=False).equals(before)
    assert sup.audit_entries() == [] and sup.inspections("supervision") == []


def test_layer_without_version_cannot_be_edited(ws):
    gdf = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(510_000, 2_510_000)], crs=ws.crs)
    ws.write_layer("plain", gdf)
    with pytest.raises(LztInputError, match="no version field"):
        ws.update_feature("plain", 1, {"a": 2}, expected_version=0)
