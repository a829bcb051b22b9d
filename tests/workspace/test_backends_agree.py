"""Queries, analyses and the CLI give the same answers on a GeoPackage and on a PostGIS workspace."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from lzt.analysis.complaints import stats_by_field, stats_by_polygons
from lzt.analysis.hotspots import square_grid
from lzt.cli.main import main
from lzt.query.run import QuerySpec, run_query
from lzt.workspace import create_workspace


def _complaints(n: int = 4000) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(11)
    x, y = rng.uniform(510_000, 530_000, n), rng.uniform(2_500_000, 2_515_000, n)
    return gpd.GeoDataFrame({
        "order_id": [f"GD{i}" for i in range(n)],
        "received_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730 * 86400, n), "s"),
        "cat_l1": np.array(["噪声扰民", "市容环境", "交通出行", "住房建设"])[rng.integers(0, 4, n)],
        "street": rng.choice(["布吉", "坂田", "龙城"], n),
        "status": rng.choice(["已办结", "办理中", None], n),
        "citizen_phone": [f"138{i:08d}" for i in range(n)],
    }, geometry=shapely.points(x, y), crs="EPSG:4547")


def _zones() -> gpd.GeoDataFrame:
    cells = [shapely.box(510_000 + 5000 * i, 2_500_000, 515_000 + 5000 * i, 2_510_000) for i in range(4)]
    cells.append(shapely.box(600_000, 2_600_000, 601_000, 2_601_000))
    return gpd.GeoDataFrame({"name": ["甲", "乙", "丙", "丁", "远"], "level": [1, 2, 2, 3, 1]},
                            geometry=cells, crs="EPSG:4547")


@pytest.fixture
def pair(tmp_path, pg_url):
    """The same layers in a GeoPackage and a PostGIS workspace."""
    out = []
    for uri in (tmp_path / "a.gpkg", pg_url):
        ws = create_workspace(uri)
        ws.write_layer("complaints", _complaints(), kind="complaints")
        ws.write_layer("zones", _zones())
        out.append(ws)
    yield out
    for ws in out:
        ws.close()


SPECS = [
    QuerySpec(layer="complaints", bbox=(512_000, 2_501_000, 516_000, 2_504_000)),
    QuerySpec(layer="complaints", within="zones", other_where="level = 2"),
    QuerySpec(layer="zones", intersects="complaints"),
    QuerySpec(layer="complaints", dwithin=(520_000, 2_507_000, 800)),
    QuerySpec(layer="complaints", nearest=(520_000, 2_507_000, 7)),
    QuerySpec(layer="complaints", where="cat_l1 = '噪声扰民' AND received_at >= '2025-06-01' AND status IS NULL"),
    QuerySpec(layer="complaints", where="street IN ('布吉', '坂田') AND order_id LIKE 'gd1%'",
              columns=("order_id", "street"), limit=40),
]


@pytest.mark.parametrize("i", range(len(SPECS)))
def test_queries_agree(pair, i):
    gws, pws = pair
    a, b = run_query(gws, SPECS[i]).features, run_query(pws, SPECS[i]).features
    assert len(a) > 0
    assert a.index.tolist() == b.index.tolist()
    assert shapely.equals(a.geometry.values, b.geometry.values).all()
    cols = [c for c in a.columns if c != "geometry"]
    pd.testing.assert_frame_equal(pd.DataFrame(a[cols]), pd.DataFrame(b[cols]), check_dtype=False)


def test_analyses_agree(pair):
    gws, pws = pair
    for by in ("category", "month", "status", "street"):
        assert stats_by_field(gws, "complaints", by) == stats_by_field(pws, "complaints", by)
    window = {"date_from": pd.Timestamp("2024-03-01").date(), "date_to": pd.Timestamp("2024-09-30").date()}
    assert stats_by_field(gws, "complaints", "street", **window) == stats_by_field(pws, "complaints", "street",
                                                                                **window)
    assert stats_by_polygons(gws, "complaints", "zones") == stats_by_polygons(pws, "complaints", "zones")
    (_, gx, gy), (_, px, py) = gws.point_coords("complaints"), pws.point_coords("complaints")
    ga, gb = square_grid(gx, gy, 500.0), square_grid(px, py, 500.0)
    for part in ("x", "y", "count", "gi_z"):
        np.testing.assert_array_equal(getattr(ga, part), getattr(gb, part))


def test_cli_takes_a_postgresql_url(tmp_path, pg_url, capsys):
    src = tmp_path / "zones.geojson"
    pyogrio.write_dataframe(_zones(), src)
    assert main(["init", pg_url]) == 0
    assert main(["import", pg_url, str(src), "--layer", "zones"]) == 0
    capsys.readouterr()
    assert main(["layers", pg_url, "--json"]) == 0
    (info,) = json.loads(capsys.readouterr().out)
    assert (info["name"], info["count"], info["crs"]) == ("zones", 5, "EPSG:4547")
    assert main(["query", pg_url, "zones", "--where", "level = 2", "--json"]) == 0
    assert "乙" in capsys.readouterr().out
    out = tmp_path / "level2.gpkg"
    assert main(["export", pg_url, "zones", str(out), "--where", "level >= 2"]) == 0
    assert sorted(pyogrio.read_dataframe(out)["name"]) == ["丁", "丙", "乙"]
    assert main(["layers", pg_url.replace("schema=", "schema=x")]) == 2


def test_the_demo_on_postgis_checks_and_inspects_like_the_geopackage(demo_path, pg_url, tmp_path, capsys):
    """The demo pushed to the server: land-supervision checks agree; inspections land with the DB user."""
    assert main(["push", str(demo_path), pg_url]) == 0
    capsys.readouterr()
    outputs = []
    for ws in (str(demo_path), pg_url):
        assert main(["check", ws, "--as-of", "2026-11-01", "--json"]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1] and len(outputs[0]) > 0
    first = outputs[1][0]["parcel_id"]
    photo = tmp_path / "site.jpg"
    photo.write_bytes(b"\xff\xd8demo")
    assert main(["inspect", pg_url, first, "--date", "2026-11-20", "--inspector", "张工", "--result", "在建",
                 "--photo", str(photo), "--status", "在建"]) == 0
    capsys.readouterr()
    assert main(["inspect", pg_url, first, "--list", "--json"]) == 0
    (rec,) = json.loads(capsys.readouterr().out)
    assert (rec["inspector"], rec["recorded_by"], rec["inspected_on"]) == ("张工", "postgres", "2026-11-20")
    assert main(["inspect", pg_url, first, "--inspector", "李工", "--result", "停工", "--expect-version", "1"]) == 2
    assert "changed by someone else" in capsys.readouterr().err  # it is at version 2 now
