"""Data export: every format reads back equal; GPKG 1.3; Shapefile .cpg; atomic output."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from lzt.core.errors import LztInputError
from lzt.export.data import export_features
from tests.conftest import longgang_points


@pytest.fixture
def pts():
    g = longgang_points(300, seed=4)
    g.index = pd.Index(np.arange(1, 301), name="fid")
    return g


@pytest.mark.parametrize("ext", ["gpkg", "shp", "geojson", "fgb"])
def test_spatial_formats_round_trip(tmp_path, pts, ext):
    out = export_features(pts, tmp_path / f"poi.{ext}")
    back = pyogrio.read_dataframe(out)
    assert len(back) == 300
    if "fid" in back:  # FlatGeobuf's spatial index reorders features
        back = back.sort_values("fid").reset_index(drop=True)
    assert np.allclose(back.geometry.x, pts.geometry.x) and np.allclose(back.geometry.y, pts.geometry.y)
    assert back.crs.to_epsg() == 4547
    names = back["名称"] if "名称" in back else back[[c for c in back.columns if c.startswith("名")][0]]
    assert names.tolist() == pts["名称"].tolist()
    assert not list(tmp_path.glob(".*lzt-tmp*"))


def test_gpkg_is_version_13(tmp_path, pts):
    out = export_features(pts, tmp_path / "poi.gpkg")
    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10300
    conn.close()


def test_shapefile_has_utf8_cpg_and_all_parts(tmp_path, pts):
    export_features(pts, tmp_path / "poi.shp")
    assert (tmp_path / "poi.cpg").read_text().strip().upper().replace("-", "") == "UTF8"
    assert {p.suffix for p in tmp_path.glob("poi.*")} >= {".shp", ".shx", ".dbf", ".prj", ".cpg"}


def test_shapefile_field_names_are_shortened_uniquely_and_quietly(tmp_path, recwarn):
    import pyogrio

    from lzt.export.data import shapefile_field_names

    g = gpd.GeoDataFrame({"citizen_name": ["a"], "citizen_name_2": ["b"], "诉求内容摘要": ["c"], "ok": [1]},
                         geometry=[shapely.Point(0, 0)], crs="EPSG:4547")
    names = shapefile_field_names(g.columns)
    assert names == {"citizen_name": "citizen_na", "citizen_name_2": "citizen__1", "诉求内容摘要": "诉求内"}
    export_features(g, tmp_path / "c.shp")
    back = pyogrio.read_dataframe(tmp_path / "c.shp")
    assert [c for c in back.columns if c not in ("index", "geometry")] == ["citizen_na", "citizen__1", "诉求内", "ok"]
    assert back["citizen__1"][0] == "b" and back["诉求内"][0] == "c"
    assert not [w for w in recwarn if "shortened" in str(w.message).lower() or "truncat" in str(w.message).lower()]
    # a name that fits keeps it, even after a longer name that shortens onto it
    assert shapefile_field_names(["建筑物名称", "建筑物", "building_id", "building_i"]) == \
        {"建筑物名称": "建筑_1", "building_id": "building_1"}


def test_shapefile_refuses_mixed_geometry(tmp_path):
    g = gpd.GeoDataFrame({"a": [1, 2]}, geometry=[shapely.Point(0, 0), shapely.box(0, 0, 1, 1)],
                         crs="EPSG:4547")
    with pytest.raises(LztInputError, match="one geometry type"):
        export_features(g, tmp_path / "mixed.shp")
    assert not list(tmp_path.iterdir())


def test_csv_points_xy_and_polygons_wkt(tmp_path, pts):
    export_features(pts, tmp_path / "p.csv")
    df = pd.read_csv(tmp_path / "p.csv", encoding="utf-8-sig")
    assert np.allclose(df["x"], pts.geometry.x) and df["名称"].tolist() == pts["名称"].tolist()
    polys = gpd.GeoDataFrame({"n": ["甲"]}, geometry=[shapely.box(1, 2, 3, 4)], crs="EPSG:4547")
    export_features(polys, tmp_path / "q.csv")
    q = pd.read_csv(tmp_path / "q.csv", encoding="utf-8-sig")
    assert shapely.from_wkt(q["wkt"][0]).equals(shapely.box(1, 2, 3, 4))


def test_xlsx_and_reprojection(tmp_path, pts):
    export_features(pts, tmp_path / "p.xlsx", crs="EPSG:4490")
    df = pd.read_excel(tmp_path / "p.xlsx")
    assert df["x"].between(114.0, 114.4).all() and df["y"].between(22.5, 22.9).all()


def test_bad_outputs(tmp_path, pts):
    with pytest.raises(LztInputError, match="unknown output format"):
        export_features(pts, tmp_path / "p.docx")
    with pytest.raises(LztInputError, match="does not exist"):
        export_features(pts, tmp_path / "nope" / "p.gpkg")
    with pytest.raises(LztInputError):
        export_features(pts, tmp_path / "p.gpkg", crs="EPSG:999999")


@pytest.mark.parametrize("ext", ["gpkg", "geojson", "csv"])
def test_a_failed_move_leaves_the_previous_file(tmp_path, pts, ext, monkeypatch):
    """The new file is moved over the old one in one step: when that step fails (or the export
    child is killed just before it) the previous export is still there, unchanged."""
    import os

    out = tmp_path / f"poi.{ext}"
    export_features(pts.iloc[:10], out)
    before = out.read_bytes()

    def fails(*a, **kw):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", fails)
    with pytest.raises(LztInputError, match="cannot write"):
        export_features(pts, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    monkeypatch.undo()
    export_features(pts, out)  # and over an existing file it is replaced
    assert len(pyogrio.read_dataframe(out)) == 300
