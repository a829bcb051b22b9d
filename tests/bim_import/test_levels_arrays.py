"""The array helpers of the levels' plan give what the slower numpy calls they replaced gave."""

from __future__ import annotations

import numpy as np

from bim_import.levels import _per_element, _same_rows


def _partition(labels: np.ndarray) -> set[frozenset]:
    return {frozenset(np.flatnonzero(labels == k).tolist()) for k in np.unique(labels)}


def test_same_rows_numbers_rows_of_the_same_bytes_alike():
    rng = np.random.default_rng(7)
    rows = rng.random((300, 6))[rng.integers(0, 300, 4000)]
    rows[::11, 3] = 0.0
    rows[::13, 3] = -0.0  # equal as numbers, other bytes: another triangle, as before
    want = np.unique(rows.view(np.dtype((np.void, 48))).ravel(), return_inverse=True)[1].ravel()
    got = _same_rows(np.ascontiguousarray(rows))
    assert _partition(got) == _partition(want)
    assert got.max() == want.max()  # as many numbers: the burnt-triangle table keeps its size
    assert len(_same_rows(np.zeros((0, 6)))) == 0


def test_per_element_min_max_equal_ufunc_at():
    rng = np.random.default_rng(3)
    element = np.sort(rng.integers(0, 40, 2000))
    element[element == 17] = 18  # an element without faces keeps the empty value
    values = rng.normal(size=2000)
    for ufunc, empty in ((np.minimum, np.inf), (np.maximum, -np.inf)):
        for el in (element, rng.permutation(element)):  # sorted (by runs) and not (ufunc.at)
            want = np.full(45, empty)
            ufunc.at(want, el, values)
            assert np.array_equal(_per_element(ufunc, 45, el, values, empty), want)
