"""Complaint statistics against independent pandas / geopandas computations."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from lzt.analysis.complaints import stats_by_field, stats_by_polygons
from lzt.cli.main import main
from lzt.core.errors import LztInputError


@pytest.fixture
def data(ws):
    rng = np.random.default_rng(11)
    n = 5000
    x, y = rng.uniform(510_000, 530_000, n), rng.uniform(2_500_000, 2_515_000, n)
    cats = np.array(["噪声扰民", "市容环境", "交通出行", "住房建设"])
    pts = gpd.GeoDataFrame({
        "order_id": [f"GD{i}" for i in range(n)],
        "received_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730 * 86400, n), "s"),
        "cat_l1": cats[rng.integers(0, 4, n)],
        "street": rng.choice(["布吉", "坂田", "龙城"], n),
        "status": rng.choice(["已办结", "办理中", None], n),
    }, geometry=shapely.points(x, y), crs="EPSG:4547")
    ws.write_layer("complaints", pts, kind="complaints")
    cells = [shapely.box(510_000 + 5000 * i, 2_500_000, 515_000 + 5000 * i, 2_510_000) for i in range(4)]
    cells.append(shapely.box(600_000, 2_600_000, 601_000, 2_601_000))  # far away: count 0
    polys = gpd.GeoDataFrame({"name": ["甲", "乙", "丙", "丁", "远"]}, geometry=cells, crs="EPSG:4547")
    ws.write_layer("zones", polys)
    return pts, polys


def test_by_category_month_status(ws, data):
    pts, _ = data
    rows = stats_by_field(ws, "complaints", "category")
    assert {r["key"]: r["count"] for r in rows} == pts["cat_l1"].value_counts().to_dict()
    assert [r["count"] for r in rows] == sorted([r["count"] for r in rows], reverse=True)
    months = stats_by_field(ws, "complaints", "month")
    assert {r["key"]: r["count"] for r in months} == pts["received_at"].dt.strftime("%Y-%m").value_counts().to_dict()
    status = {r["key"]: r["count"] for r in stats_by_field(ws, "complaints", "status")}
    assert status["（空）"] == pts["status"].isna().sum()
    assert len(stats_by_field(ws, "complaints", "street", top=2)) == 2


def test_date_window_inclusive(ws, data):
    pts, _ = data
    rows = stats_by_field(ws, "complaints", "street", date_from=pd.Timestamp("2024-03-01").date(),
                          date_to=pd.Timestamp("2024-03-31").date())
    sel = pts[(pts["received_at"] >= "2024-03-01") & (pts["received_at"] < "2024-04-01")]
    assert {r["key"]: r["count"] for r in rows} == sel["street"].value_counts().to_dict()


def test_by_polygons_matches_sjoin_with_zero_and_unassigned(ws, data):
    pts, polys = data
    counts = stats_by_polygons(ws, "complaints", "zones")
    j = gpd.sjoin(pts, polys, predicate="intersects")
    expect = j["name"].value_counts().to_dict()
    got = {r["key"]: r["count"] for r in counts.rows}
    assert got["远"] == 0 and all(got[k] == v for k, v in expect.items())
    assert set(got) == set(polys["name"])  # every polygon, and nothing else
    assert counts.unassigned == len(pts) - j.index.nunique() > 0


def test_cli_contract(ws, data, capsys):
    ws.close()
    assert main(["stats", str(ws.path), "complaints", "--polygons", "zones", "--key", "name", "--json"]) == 0
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert set(rows[0]) == {"key", "count"} and all(a["count"] >= b["count"] for a, b in zip(rows, rows[1:]))
    assert "未落入 zones 的任何面" in out.err  # the records outside every polygon: a note, not a row
    assert main(["stats", str(ws.path), "complaints", "--polygons", "zones", "--key", "name", "--top", "1",
                 "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    for bad in (["--polygons", "complaints"], ["--polygons", "zones", "--key", "nope"],
                ["--by", "street", "--key", "name"]):
        assert main(["stats", str(ws.path), "complaints", *bad]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert main(["stats", str(ws.path), "complaints", "--by", "nonsense"]) == 2
    assert main(["stats", str(ws.path), "complaints", "--by", "month", "--from", "2024-13-01"]) == 2
    capsys.readouterr()


def test_missing_field_is_clear(ws, data):
    with pytest.raises(LztInputError, match="community"):
        stats_by_field(ws, "complaints", "community")
