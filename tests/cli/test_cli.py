"""The CLI contract: commands, flags, JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from lzt.cli.main import main
from lzt.core import chinacoords
from tests.conftest import longgang_points


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def ws_path(tmp_path, capsys):
    p = tmp_path / "ws.gpkg"
    assert run(capsys, "init", p)[0] == 0
    return p


@pytest.fixture
def poi_csv(tmp_path):
    """2,000 WGS84 lon/lat points over Longgang as a 12345-style CSV."""
    gdf = longgang_points(2000, seed=5).to_crs("EPSG:4326")
    df = pd.DataFrame({"编号": np.arange(2000), "名称": gdf["名称"], "类别": gdf["category"],
                       "经度": gdf.geometry.x.round(7), "纬度": gdf.geometry.y.round(7)})
    p = tmp_path / "poi.csv"
    df.to_csv(p, index=False)
    return p


def test_init_layers_empty(ws_path, capsys):
    code, out, _ = run(capsys, "layers", ws_path, "--json")
    assert code == 0 and json.loads(out) == []


def test_import_csv_and_layers_json(ws_path, poi_csv, capsys):
    code, out, err = run(capsys, "import", ws_path, poi_csv, "--json")
    assert code == 0, err
    rep = json.loads(out)
    assert rep[0]["layer"] == "poi" and rep[0]["count"] == 2000
    assert rep[0]["crs_used"] == "EPSG:4547"
    code, out, _ = run(capsys, "layers", ws_path, "--json")
    layers = json.loads(out)
    assert {"name", "kind", "geometry_type", "crs", "count", "extent"} <= set(layers[0])
    assert (layers[0]["name"], layers[0]["count"], layers[0]["geometry_type"]) == ("poi", 2000, "Point")
    assert 504_000 < layers[0]["extent"][0] < layers[0]["extent"][2] < 537_000


def test_gcj02_csv_lands_where_wgs84_would(tmp_path, ws_path, capsys):
    lon = np.array([114.2468, 114.0600])
    lat = np.array([22.7205, 22.6400])
    glon, glat = chinacoords.wgs84_to_gcj02(lon, lat)
    p = tmp_path / "gcj.csv"
    pd.DataFrame({"lng": glon, "lat": glat, "name": ["a", "b"]}).to_csv(p, index=False)
    code, out, err = run(capsys, "import", ws_path, p, "--coords", "gcj02")
    assert code == 0 and "taken as WGS84" not in out + err  # --coords said what they are
    code, out, _ = run(capsys, "query", ws_path, "gcj", "--json")
    fc = json.loads(out)
    got = np.array([f["geometry"]["coordinates"] for f in fc["features"]])
    # DOMAIN.md §3.2 oracle (EPSG:4547 of the WGS84 points), within 0.5 m
    expect = np.array([[525354.413, 2513606.263], [506167.545, 2504671.880]])
    assert np.abs(got - expect).max() < 0.5


def test_query_json_is_a_feature_collection_with_count(ws_path, poi_csv, capsys):
    run(capsys, "import", ws_path, poi_csv)
    code, out, _ = run(capsys, "query", ws_path, "poi", "--bbox", "510000,2500000,520000,2510000", "--json")
    fc = json.loads(out)
    assert code == 0 and fc["type"] == "FeatureCollection"
    assert fc["count"] == len(fc["features"]) > 0
    f = fc["features"][0]
    assert set(f) == {"type", "id", "geometry", "properties"}
    assert "名称" in f["properties"]


def test_query_predicates_match_shapely(ws_path, poi_csv, tmp_path, capsys):
    run(capsys, "import", ws_path, poi_csv)
    pts = gpd.read_file(ws_path, layer="poi")
    geoms = np.asarray(pts.geometry.values, dtype=object)

    def ids(*args):
        code, out, err = run(capsys, "query", ws_path, "poi", *args, "--json")
        assert code == 0, err
        return sorted(f["properties"]["编号"] for f in json.loads(out)["features"])

    def oracle(mask):
        return sorted(pts.loc[mask, "编号"].tolist())

    assert ids("--dwithin", "521000,2511000,3000") == oracle(shapely.dwithin(geoms, shapely.Point(521000, 2511000), 3000))
    assert ids("--where", "类别 = '学校' AND 编号 < 500") == oracle((pts["类别"] == "学校") & (pts["编号"] < 500))
    near = ids("--nearest", "521000,2511000,7")
    d = shapely.distance(geoms, shapely.Point(521000, 2511000))
    assert near == sorted(pts["编号"].to_numpy()[np.argsort(d)[:7]].tolist())

    # against another layer: two zones as polygons
    zones = gpd.GeoDataFrame({"zone": ["甲", "乙"]}, geometry=[shapely.box(510000, 2500000, 515000, 2505000),
                                                            shapely.Point(525000, 2512000).buffer(2500)],
                             crs="EPSG:4547")
    zp = tmp_path / "zones.geojson"
    zones.to_file(zp)
    assert run(capsys, "import", ws_path, zp)[0] == 0
    zg = np.asarray(zones.geometry.values, dtype=object)
    inside = shapely.within(geoms[:, None], zg[None, :]).any(axis=1)
    assert ids("--within", "zones") == oracle(inside)
    assert ids("--intersects", "zones", "--other-where", "zone = '乙'") == oracle(
        shapely.intersects(geoms, zones.geometry.values[1]))


def test_export_formats_read_back(ws_path, poi_csv, tmp_path, capsys):
    run(capsys, "import", ws_path, poi_csv)
    for ext in ("gpkg", "shp", "geojson", "fgb"):
        out = tmp_path / f"out.{ext}"
        code, _, err = run(capsys, "export", ws_path, "poi", out, "--where", "类别 = '医院'")
        assert code == 0, err
        back = pyogrio.read_dataframe(out)
        assert 0 < len(back) < 2000 and set(back["类别"] if "类别" in back else back.iloc[:, 2]) == {"医院"}
    assert (tmp_path / "out.cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
    code, _, _ = run(capsys, "export", ws_path, "poi", tmp_path / "o.csv", "--crs", "EPSG:4326")
    csv = pd.read_csv(tmp_path / "o.csv", encoding="utf-8-sig")
    assert {"x", "y", "名称"} <= set(csv.columns) and csv["x"].between(114, 114.5).all()
    code, _, _ = run(capsys, "export", ws_path, "poi", tmp_path / "o.xlsx", "--bbox", "504000,2498000,520000,2524000")
    assert code == 0 and len(pd.read_excel(tmp_path / "o.xlsx")) > 0


@pytest.mark.parametrize("argv, needle", [
    (["query", "{ws}", "poi", "--where", "名称 = 'a' OR 1=1; DROP TABLE poi"], "--where"),
    (["query", "{ws}", "poi", "--where", "nosuchfield > 3"], "nosuchfield"),
    (["query", "{ws}", "poi", "--bbox", "1,2,3"], "--bbox"),
    (["query", "{ws}", "nolayer"], "nolayer"),
    (["import", "{ws}", "{missing}"], "no such file"),
    (["import", "{ws}", "{garbage}"], "garbage.geojson"),
    (["import", "{ws}", "{poi}", "--x-field", "nope"], "nope"),
    (["export", "{ws}", "poi", "{tmp}/x.docx"], "format"),
    (["init", "{tmp}/geo.gpkg", "--crs", "EPSG:4326"], "EPSG:4326"),
    (["layers", "{tmp}/missing.gpkg"], "missing.gpkg"),
    (["query", "{ws}", "poi", "--nearest", "1,2,0"], "--nearest"),
])
def test_bad_input_one_line_exit_2_workspace_unchanged(ws_path, poi_csv, tmp_path, capsys, argv, needle):
    run(capsys, "import", ws_path, poi_csv)
    (tmp_path / "garbage.geojson").write_bytes(b"\x00\x01not json at all")
    before = sha(ws_path)
    fill = {"ws": ws_path, "missing": tmp_path / "missing.csv", "garbage": tmp_path / "garbage.geojson",
            "poi": poi_csv, "tmp": tmp_path}
    code, out, err = run(capsys, *[a.format(**fill) for a in argv])
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], err
    assert "Traceback" not in err
    assert sha(ws_path) == before


def test_import_is_all_or_nothing(ws_path, poi_csv, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")  # no coordinate columns
    before = sha(ws_path)
    code, _, err = run(capsys, "import", ws_path, poi_csv, bad)
    assert code == 2 and "bad.csv" in err
    assert sha(ws_path) == before


def test_console_script_exit_codes(ws_path, tmp_path):
    r = subprocess.run([sys.executable, "-m", "lzt", "query", str(ws_path), "nolayer"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = subprocess.run([sys.executable, "-m", "lzt", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "import" in r.stdout
    r = subprocess.run([sys.executable, "-m", "lzt", "import"], capture_output=True, text=True)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
