"""Hotspot grids against independent computations."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

from lzt.analysis.hotspots import hex_grid, square_grid
from lzt.cli.main import main


def _points(n=20_000, seed=2):
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.uniform(500_000, 510_000, n), rng.normal(505_000, 300, n // 4)])
    y = np.concatenate([rng.uniform(2_500_000, 2_508_000, n), rng.normal(2_504_000, 300, n // 4)])
    return x, y


def test_square_counts_match_sjoin():
    x, y = _points()
    g = square_grid(x, y, 500)
    assert g.count.sum() == len(x)
    pts = gpd.GeoDataFrame(geometry=shapely.points(x, y))
    cells = gpd.GeoDataFrame({"i": np.arange(len(g.polygons))}, geometry=g.polygons)
    j = gpd.sjoin(pts, cells, predicate="within")  # interiors: points on cell edges are rare
    counts = np.bincount(j["i"], minlength=len(g.polygons))
    assert np.abs(counts - g.count).sum() <= 2


def test_gi_star_against_a_direct_formula():
    x, y = _points(3000, seed=5)
    g = square_grid(x, y, 1000)
    # rebuild the full grid and compute Gi* cell by cell, by the textbook formula
    ix, iy = np.floor(x / 1000).astype(int), np.floor(y / 1000).astype(int)
    x0, y0 = ix.min(), iy.min()
    h = np.zeros((iy.max() - y0 + 1, ix.max() - x0 + 1))
    np.add.at(h, (iy - y0, ix - x0), 1)
    n, xbar = h.size, h.mean()
    s = np.sqrt((h ** 2).mean() - xbar ** 2)
    for cx, cy, z in zip(g.x, g.y, g.gi_z):
        r, c = int(cy // 1000) - y0, int(cx // 1000) - x0
        nb = [(r + a, c + b) for a in (-1, 0, 1) for b in (-1, 0, 1)
              if 0 <= r + a < h.shape[0] and 0 <= c + b < h.shape[1]]
        w = len(nb)
        num = sum(h[p] for p in nb) - xbar * w
        den = s * np.sqrt((n * w - w * w) / (n - 1))
        assert z == np.float64(num / den) or abs(z - num / den) < 1e-9
    assert g.gi_z.max() > 2.58  # the planted cluster is a strong hot spot


def test_hexagons_hold_their_points():
    x, y = _points(5000)
    g = hex_grid(x, y, 400)
    assert g.count.sum() == len(x)
    assert np.allclose(shapely.area(g.polygons), 400 ** 2 * np.sqrt(3) / 2)  # flat-to-flat 400 m
    tree = shapely.STRtree(g.polygons)
    idx = np.random.default_rng(0).choice(len(x), 500, replace=False)
    hits = tree.query(shapely.points(x[idx], y[idx]), predicate="intersects")
    assert len(np.unique(hits[0])) == 500


def test_cli_saves_layer_and_prints_json(ws, capsys):
    x, y = _points(2000)
    ws.write_layer("complaints", gpd.GeoDataFrame(geometry=shapely.points(x, y), crs=ws.crs), kind="complaints")
    path = ws.path
    ws.close()
    assert main(["hotspots", str(path), "complaints", "--cell", "500", "--out", "hot500", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sum(r["count"] for r in rows) == len(x) and {"x", "y", "count", "gi_z", "hotspot"} <= set(rows[0])
    assert main(["hotspots", str(path), "complaints", "--cell", "400", "--hex", "--out", "hex400"]) == 0
    assert main(["hotspots", str(path), "complaints", "--cell", "-5"]) == 2
    capsys.readouterr()
    from lzt.workspace import open_workspace

    w = open_workspace(path)
    assert w.layer("hot500").count == len(rows) and w.layer("hex400").geometry_type == "Polygon"
    w.close()
