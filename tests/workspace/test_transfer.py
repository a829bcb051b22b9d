"""lzt push / lzt pull: a workspace moves between GeoPackage and PostGIS without losing anything."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely

from lzt.cli.main import main
from lzt.workspace import create_workspace, open_workspace
from tests.conftest import longgang_points


def _rich_workspace(ws) -> None:
    """Every kind of content a workspace holds, with the awkward cases."""
    pts = longgang_points(300, seed=5)
    pts["day"] = [date(2024, 1, 1 + i % 28) if i % 5 else None for i in range(300)]
    pts["raw"] = [bytes([i % 256, 0]) if i % 3 else None for i in range(300)]
    pts["empty_blob"] = pd.Series([None] * 300, dtype=object)
    pts["flag"] = pd.array([bool(i % 2) if i % 7 else None for i in range(300)], dtype="boolean")
    ws.write_layer("兴趣点", pts, source="/data/poi.gpkg", source_hash="ab" * 32,
                   details={"report": {"rows": 300, "skipped": 0}})
    polys = gpd.GeoDataFrame({"name": ["a", "b", "c"], "h": [10.5, None, 3.0]},
                             geometry=[shapely.Polygon([(0, 0, 1), (10, 0, 2), (10, 10, 3), (0, 0, 1)]),
                                       None, shapely.Polygon()], crs=ws.crs)
    ws.write_layer("zones", polys, kind="analysis", fids=[3, 17, 40])
    sup = gpd.GeoDataFrame({"parcel_id": ["A01", "A02"], "status": ["在建", "未开工"], "version": [1, 1]},
                           geometry=[shapely.box(510_000, 2_510_000, 510_100, 2_510_100),
                                     shapely.box(511_000, 2_510_000, 511_080, 2_510_090)], crs=ws.crs)
    ws.write_layer("supervision", sup, kind="supervision")
    ws.update_feature("supervision", 1, {"status": "已竣工"}, expected_version=1)
    ws.add_inspection("supervision", 2, {"inspected_on": "2026-11-20", "inspector": "张工", "result": "未动工",
                                         "notes": "围挡"}, expected_version=1, photos={"a.jpg": b"\xff\xd8x"},
                      changes={"status": "疑似闲置"})
    ws.write_raster("dem", b"II*\x00" + bytes(range(256)) * 4,
                    info={"width": 20, "height": 10, "crs": ws.crs, "bands": 1,
                          "bounds_workspace": [510_000.0, 2_510_000.0, 510_200.0, 2_510_100.0]},
                    source="/data/dem.tif", source_hash="cd" * 32)
    ws.put_blobs("bim_mesh", {"楼A": b"glTF" + bytes(1000), "楼B": b"glTF\x01"})
    ws.set_setting("style.兴趣点", {"color": "#ff0000", "rules": [{"where": "floors > 3", "size": 4}]})
    ws.audit("export_unmasked", {"layer": "兴趣点", "rows": 3, "ratio": 0.1})


def _snapshot(ws) -> dict:
    """Everything observable through the interface, in comparable form."""
    out = {"crs": ws.crs, "layers": [], "settings": {k: v for k, v in ws.all_settings().items() if k != "srs_id"},
           "blobs": sorted(ws.blob_items()), "audit": ws.audit_entries(),
           "inspections": ws.inspections("supervision")}
    for info in ws.layers():
        j = info.to_json()
        out["layers"].append(j)
        if info.kind == "raster":
            j["bytes"] = ws.raster_bytes(info.name)
            continue
        gdf = ws.read_features(info.name)
        j["fids"] = gdf.index.tolist()
        j["wkb"] = [None if g is None else shapely.to_wkb(g, output_dimension=3) for g in gdf.geometry.values]
        j["values"] = {c: [None if (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)))
                           else v for v in gdf[c].tolist()] for c in gdf.columns if c != "geometry"}
    return out


def test_push_then_pull_round_trips_everything(tmp_path, pg_url, monkeypatch):
    monkeypatch.setenv("LZT_USER", "李工")
    src_path = tmp_path / "src.gpkg"
    src = create_workspace(src_path)
    _rich_workspace(src)
    before = _snapshot(src)
    src.close()

    assert main(["push", str(src_path), pg_url]) == 0
    pg = open_workspace(pg_url)
    try:
        on_server = _snapshot(pg)
    finally:
        pg.close()
    assert on_server == before
    assert before["audit"][0]["user"] == "李工" and len(before["inspections"]) == 1

    back = tmp_path / "back.gpkg"
    assert main(["pull", pg_url, str(back)]) == 0
    w = open_workspace(back)
    try:
        assert _snapshot(w) == before
    finally:
        w.close()


def test_pull_then_push_keeps_server_side_records(tmp_path, pg_url, postgis_cluster):
    ws = create_workspace(pg_url)
    try:
        _rich_workspace(ws)
        before = _snapshot(ws)
    finally:
        ws.close()
    assert before["audit"][-1]["user"] == "postgres"
    local = tmp_path / "local.gpkg"
    assert main(["pull", pg_url, str(local)]) == 0
    other = postgis_cluster.url(schema="copy_" + pg_url.rsplit("_", 1)[-1])
    assert main(["push", str(local), other]) == 0
    w = open_workspace(other)
    try:
        assert _snapshot(w) == before
    finally:
        w.close()
        with psycopg.connect(postgis_cluster.url(), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {other.rsplit('=', 1)[-1]} CASCADE")


def test_refusals_leave_nothing_behind(tmp_path, pg_url, capsys):
    src_path = tmp_path / "src.gpkg"
    src = create_workspace(src_path)
    src.write_layer("poi", longgang_points(10))
    src.write_layer("很长的图层名字超过了六十三个字节的限制啊真的很长", longgang_points(3))  # fine in a GeoPackage
    src.close()
    assert main(["push", str(src_path), pg_url]) == 2
    assert "63 bytes" in capsys.readouterr().err
    assert main(["layers", pg_url]) == 2  # the failed push left no workspace
    assert "no lzt workspace" in capsys.readouterr().err

    assert main(["push", str(src_path), "not-a-url"]) == 2
    existing = tmp_path / "exists.gpkg"
    existing.write_bytes(b"")
    assert main(["pull", pg_url, str(existing)]) == 2
    assert main(["pull", pg_url, str(tmp_path / "new.gpkg")]) == 2  # no workspace there
    assert not (tmp_path / "new.gpkg").exists() and not (tmp_path / "new.gpkg.pulling").exists()
    err = capsys.readouterr().err
    assert "already exists" in err and "no lzt workspace" in err
