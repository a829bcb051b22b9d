"""Trend, polygon join and compounds against independent pandas/geopandas computations."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from lzt.analysis.compounds import assign_compounds, Compounds
from lzt.analysis.join import join_counts, save_result
from lzt.analysis.trend import monthly_trend
from lzt.core.errors import LztInputError


@pytest.fixture
def cws(ws):
    rng = np.random.default_rng(5)
    n = 3000
    x, y = rng.uniform(510_000, 512_000, n), rng.uniform(2_510_000, 2_512_000, n)
    t = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 200, n), "D")
    t = t.where(~pd.Series(t.month).isin([3]).to_numpy(), t + pd.Timedelta(days=31))  # March empty
    cats = np.array(["噪声扰民", "城市管理", "交通出行"])[rng.integers(0, 3, n)]
    gdf = gpd.GeoDataFrame({"received_at": t, "cat_l1": cats, "citizen_phone": ["13800001111"] * n},
                           geometry=shapely.points(x, y), crs=ws.crs)
    ws.write_layer("c", gdf, kind="complaints")
    boxes = [shapely.box(510_000 + i * 500, 2_510_000, 510_500 + i * 500, 2_512_000) for i in range(4)]
    ws.write_layer("zones", gpd.GeoDataFrame({"name": list("ABCD")}, geometry=boxes, crs=ws.crs))
    return ws, gdf


def test_trend_counts_every_month_with_change(cws):
    ws, gdf = cws
    rows = monthly_trend(ws, "c", date_from=date(2025, 1, 1), date_to=date(2025, 8, 31))
    expect = gdf["received_at"].dt.strftime("%Y-%m").value_counts()
    assert [r["month"] for r in rows] == [f"2025-{m:02d}" for m in range(1, 9)]
    for r in rows:
        assert r["count"] == int(expect.get(r["month"], 0))
    march = next(r for r in rows if r["month"] == "2025-03")
    april = next(r for r in rows if r["month"] == "2025-04")
    assert march["count"] == 0 and april["pct"] is None and april["change"] == april["count"]
    feb = next(r for r in rows if r["month"] == "2025-02")
    jan = rows[0]
    assert feb["pct"] == round(100 * (feb["count"] - jan["count"]) / jan["count"], 1)
    by = monthly_trend(ws, "c", by="category")
    assert sum(r["count"] for r in by) == len(gdf)


def test_join_counts_equal_sjoin(cws):
    ws, gdf = cws
    out = join_counts(ws, "c", "zones", level="cat_l1")
    zones = ws.read_features("zones").reset_index(drop=True)
    j = gpd.sjoin(gdf, zones, predicate="intersects")
    expect = j["name"].value_counts()
    assert dict(zip(out["name"], out["count"])) == {k: int(expect.get(k, 0)) for k in "ABCD"}
    assert out["n_噪声扰民"].sum() + out["n_城市管理"].sum() + out["n_交通出行"].sum() == out["count"].sum()
    save_result(ws, "zone_counts", out, analysis="join", params={})
    assert ws.layer("zone_counts").kind == "analysis"
    save_result(ws, "zone_counts", out, analysis="join", params={})  # an analysis result is replaced
    with pytest.raises(LztInputError, match="not an analysis result"):
        save_result(ws, "zones", out, analysis="join", params={})  # imported data never overwritten
    with pytest.raises(LztInputError, match="not a polygon layer"):
        join_counts(ws, "c", "c")


def test_compounds_by_name_then_nearest():
    comp = Compounds(fid=np.array([1, 2, 3]), x=np.array([0.0, 300.0, 5000.0]), y=np.zeros(3),
                     name=np.array(["幸福花园", "阳光苑", "幸福花园"], dtype=object),
                     community=np.array(["甲", "乙", "丙"], dtype=object))
    x = np.array([250.0, 40.0, 4990.0, 2000.0])
    y = np.zeros(4)
    addr = np.array(["幸福花园", None, "幸福花园", "无名路"], dtype=object)
    got = assign_compounds(x, y, comp, distance=100, address=addr)
    # the named record 250 m away still goes to the nearest 幸福花园; the unnamed one to the nearest POI
    assert got.tolist() == [0, 0, 2, -1]
