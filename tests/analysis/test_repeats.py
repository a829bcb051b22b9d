"""Repeat complaints against a brute-force pairwise computation, at the exact limits."""

from __future__ import annotations

import numpy as np
import pytest

from lzt.analysis.neighbours import connected_components
from lzt.analysis.repeats import find_repeats

DAY = 86_400_000


def brute(x, y, t, c, distance, days):
    n = len(x)
    rep = np.zeros(n, bool)
    edges = []
    for i in range(n):
        for j in range(n):
            if i == j or c[i] != c[j] or c[i] < 0:
                continue
            earlier = (t[j], j) < (t[i], i)
            if earlier and t[i] - t[j] <= days * DAY and np.hypot(x[i] - x[j], y[i] - y[j]) <= distance + 1e-6:
                rep[i] = True
                edges.append((j, i))
    return rep, edges


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 400
    x = rng.uniform(0, 600, n)
    y = rng.uniform(0, 600, n)
    t = rng.integers(0, 120 * DAY, n)
    c = rng.integers(-1, 4, n)
    res = find_repeats(x, y, t, c, distance=50, days=30)
    rep, edges = brute(x, y, t, c, 50, 30)
    assert (res.repeat == rep).all()
    lab = connected_components(n, np.array([e[0] for e in edges], dtype=np.int64),
                               np.array([e[1] for e in edges], dtype=np.int64))
    size = np.bincount(lab, minlength=n)[lab]
    assert ((res.cluster > 0) == (size >= 2)).all()
    assert (res.cluster_size[res.cluster > 0] == size[res.cluster > 0]).all()


def test_limits_are_inclusive():
    x = np.array([0.0, 50.0, 0.0, 50.0001])
    y = np.zeros(4)
    t = np.array([0, 30 * DAY, 100 * DAY, 100 * DAY + 1])
    c = np.array([1, 1, 2, 2])
    res = find_repeats(x, y, t, c, distance=50, days=30)
    assert res.repeat.tolist() == [False, True, False, False]  # exactly 50 m and 30 days count
    late = find_repeats(np.zeros(2), np.zeros(2), np.array([0, 30 * DAY + 1]), np.array([1, 1]))
    assert not late.repeat.any()
    other = find_repeats(np.zeros(2), np.zeros(2), np.array([0, DAY]), np.array([1, 2]))
    assert not other.repeat.any()  # a different category is no repeat


def test_largest_clusters_name_their_most_frequent_community(tmp_path):
    import geopandas as gpd
    import pandas as pd
    import shapely

    from lzt.analysis.repeats import repeats_for_layer
    from lzt.workspace import create_workspace

    base = pd.Timestamp("2025-03-01 09:00")
    pts = [(520000, 2510000, 0, "甲"), (520010, 2510000, 1, "乙"), (520020, 2510000, 2, "乙"),  # a cluster of 3
           (525000, 2510000, 0, "丙"), (525005, 2510000, 3, "丙"),  # a cluster of 2
           (529000, 2510000, 0, "丁")]  # alone
    gdf = gpd.GeoDataFrame({"received_at": [base + pd.Timedelta(days=d) for _, _, d, _ in pts],
                            "cat_l2": ["噪音"] * len(pts), "community": [c for *_, c in pts]},
                           geometry=shapely.points([(x, y) for x, y, _, _ in pts]), crs="EPSG:4547")
    ws = create_workspace(tmp_path / "r.gpkg")
    ws.write_layer("c", gdf, kind="complaints")
    _, summary = repeats_for_layer(ws, "c", top=1)
    assert [(c["size"], c["community"]) for c in summary["largest_clusters"]] == [(3, "乙")]
    _, summary = repeats_for_layer(ws, "c")
    assert [(c["size"], c["community"]) for c in summary["largest_clusters"]] == [(3, "乙"), (2, "丙")]
    ws.close()
