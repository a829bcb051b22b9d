"""The tile tree: a cap per tile, every model once, tallest models highest, errors from heights."""

from __future__ import annotations

import numpy as np
import pytest

from lzt.export.tiles3d.quadtree import build


@pytest.mark.parametrize("n,cap", [(1, 5), (5000, 100), (3000, 7)])
def test_every_model_once_and_caps(n, cap):
    rng = np.random.default_rng(n)
    x, y = rng.uniform(0, 30_000, n), rng.uniform(0, 20_000, n)
    h = rng.gamma(2.0, 12.0, n)
    root = build(x, y, h, cap)
    nodes = list(root.walk())
    items = np.concatenate([nd.items for nd in nodes])
    assert np.array_equal(np.sort(items), np.arange(n))
    for nd in nodes:
        assert len(nd.items) <= cap
        below = np.concatenate([d.items for c in nd.children for d in c.walk()] or [np.zeros(0, int)])
        expected = h[below].max() if len(below) else 0.0
        assert nd.geometric_error == expected
        if len(below):
            assert h[nd.items].min() >= h[below].max()
            assert len(nd.items) == cap  # only full tiles are refined
        for c in nd.children:
            assert c.level == nd.level + 1
    assert len({nd.name for nd in nodes}) == len(nodes)


def test_children_split_space_into_quadrants():
    x = np.array([0.0, 10, 0, 10, 5])
    y = np.array([0.0, 0, 10, 10, 5])
    h = np.array([1.0, 2, 3, 4, 100])
    root = build(x, y, h, 1)
    assert list(root.items) == [4]  # the tallest stays at the top
    quads = {tuple(c.address): set(c.items.tolist()) for c in root.children}
    assert quads == {(0, 0): {0}, (1, 0): {1}, (0, 1): {2}, (1, 1): {3}}


def test_coincident_centroids_stop_at_the_depth_limit():
    root = build(np.zeros(50), np.zeros(50), np.arange(50.0), 1)
    assert sum(len(n.items) for n in root.walk()) == 50
