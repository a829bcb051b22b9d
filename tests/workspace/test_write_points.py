"""write_layer(points=): an n x 2 coordinate array stands for a point layer's geometry column,
with the same stored rows as the shapely points it stands for (both backends)."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely


def _frame(n: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    xy = np.column_stack([rng.uniform(500_000, 520_000, n), rng.uniform(2_500_000, 2_520_000, n)])
    xy[rng.random(n) < 0.05] = np.nan  # rows without a location
    attrs = pd.DataFrame({"name": rng.choice(["甲", "乙", "丙"], n), "v": rng.normal(size=n)})
    pts = np.full(n, None, dtype=object)
    ok = np.isfinite(xy).all(axis=1)
    pts[ok] = shapely.points(xy[ok])
    return xy, attrs, pts


@pytest.mark.parametrize("spatial_order", [False, True])
def test_points_array_stores_what_the_points_store(ws, spatial_order):
    xy, attrs, pts = _frame(3000)
    ws.write_layer("from_points", gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(pts), crs=ws.crs),
                   spatial_order=spatial_order)
    empty = gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(np.full(len(xy), None, dtype=object)), crs=ws.crs)
    ws.write_layer("from_xy", empty, spatial_order=spatial_order, points=xy)
    a, b = ws.read_features("from_points"), ws.read_features("from_xy")
    assert list(a.index) == list(b.index)
    assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))
    assert (a.geometry.isna() == b.geometry.isna()).all()
    assert shapely.equals_exact(a.geometry.values[a.geometry.notna()], b.geometry.values[b.geometry.notna()], 0).all()
    assert ws.layer("from_xy").geometry_type == ws.layer("from_points").geometry_type
    assert ws.layer("from_xy").extent == ws.layer("from_points").extent
    fa, xa, ya = ws.point_coords("from_points")
    fb, xb, yb = ws.point_coords("from_xy")
    assert (fa == fb).all() and (xa == xb).all() and (ya == yb).all()


@pytest.mark.gpkg_only
def test_points_array_gives_the_same_blobs_and_rtree(ws):
    xy, attrs, pts = _frame(2000, seed=9)
    ws.write_layer("p", gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(pts), crs=ws.crs), spatial_order=True)
    empty = gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(np.full(len(xy), None, dtype=object)), crs=ws.crs)
    ws.write_layer("q", empty, spatial_order=True, points=xy)
    conn = sqlite3.connect(ws.path)
    assert conn.execute("SELECT * FROM p").fetchall() == conn.execute("SELECT * FROM q").fetchall()
    for shadow in ("node", "parent", "rowid"):
        assert (conn.execute(f"SELECT * FROM rtree_p_geom_{shadow}").fetchall()
                == conn.execute(f"SELECT * FROM rtree_q_geom_{shadow}").fetchall())
    assert conn.execute("SELECT rtreecheck('rtree_q_geom')").fetchone()[0] == "ok"
    conn.close()


@pytest.mark.parametrize("shape", [(3, 2), (1, 2), (2, 3), (4,)])
def test_points_not_one_row_per_feature_is_refused_and_nothing_written(ws, shape):
    from lzt.core.errors import LztInputError

    xy, attrs, _ = _frame(2)
    gdf = gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries([None, None]), crs=ws.crs)
    with pytest.raises(LztInputError, match="one row per feature"):
        ws.write_layer("bad", gdf, points=np.full(shape, 500_000.0))
    assert not ws.has_layer("bad")
