"""Candidate neighbour pairs by grid hashing, vectorised: the kernel behind repeat complaints.

Every row carries integer cell coordinates in d dimensions (e.g. category code,
time bucket, x cell, y cell). ``grid_self_pairs`` yields every unordered pair of
rows whose cells are equal in the "exact" dimensions and differ by at most one
in the others, each pair once. Rows are sorted by a packed cell key once; each
neighbour offset is then one ``searchsorted`` over the occupied cells, and the
pairs of matched cells are expanded in numpy, in chunks of bounded size. The
caller filters candidates by the exact rule (distance, time).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product

import numpy as np

from lzt.core.errors import LztInputError

MAX_PAIRS_PER_CHUNK = 4_000_000


def _half_offsets(neighbour: list[bool]) -> list[tuple[int, ...]]:
    """Offsets with each unordered cell pair once: the zero offset and the lexicographically positive ones."""
    ranges = [(-1, 0, 1) if nb else (0,) for nb in neighbour]
    return [o for o in product(*ranges) if o > tuple(0 for _ in o) or not any(o)]


def grid_self_pairs(cells: np.ndarray, neighbour: list[bool], *, chunk: int = MAX_PAIRS_PER_CHUNK
                    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Chunks of row pairs (i, j), i != j, each unordered pair once, of rows in neighbouring cells.

    ``cells`` is (n, d) int64; ``neighbour[k]`` says whether dimension k admits the
    cells either side (True) or only the same cell (False).
    """
    cells = np.asarray(cells, dtype=np.int64)
    n, d = cells.shape
    if n < 2:
        return
    lo = cells.min(axis=0)
    size = cells.max(axis=0) - lo + 3  # one cell of padding either side: offsets never wrap
    if float(np.prod(size.astype(float))) >= 2.0 ** 62:
        raise LztInputError(None, "the neighbour grid is too fine for the data's extent; "
                                  "use a larger distance or a shorter period")
    stride = np.ones(d, dtype=np.int64)
    for k in range(d - 2, -1, -1):
        stride[k] = stride[k + 1] * size[k + 1]
    key = ((cells - lo + 1) * stride).sum(axis=1)
    order = np.argsort(key, kind="stable")
    ks = key[order]
    first = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
    ukeys = ks[first]
    counts = np.diff(np.r_[first, n])
    starts = first

    for off in _half_offsets(neighbour):
        if not any(off):
            ca = np.flatnonzero(counts >= 2)
            cb = ca
        else:
            tgt = ukeys + int(np.dot(off, stride))
            pos = np.searchsorted(ukeys, tgt)
            found = pos < len(ukeys)
            found[found] = ukeys[pos[found]] == tgt[found]
            ca = np.flatnonzero(found)
            cb = pos[found]
        if len(ca) == 0:
            continue
        na, nb = counts[ca], counts[cb]
        npairs = na * nb
        csum = np.cumsum(npairs)
        total = int(csum[-1])
        for lo_ in range(0, total, chunk):
            flat = np.arange(lo_, min(lo_ + chunk, total), dtype=np.int64)
            p = np.searchsorted(csum, flat, side="right")
            k = flat - (csum[p] - npairs[p])
            ka, kb = np.divmod(k, nb[p])
            if not any(off):
                keep = ka < kb  # the same cell: each unordered pair once, never a row with itself
                ka, kb, p = ka[keep], kb[keep], p[keep]
            yield order[starts[ca[p]] + ka], order[starts[cb[p]] + kb]


def connected_components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Component label of each of ``n`` nodes given edges (a, b): the smallest node index in it.

    Hook-and-shortcut label propagation in numpy (no per-node Python loop).
    """
    lab = np.arange(n, dtype=np.int64)
    if len(a) == 0:
        return lab
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    while True:
        la, lb = lab[a], lab[b]
        m = np.minimum(la, lb)
        new = lab.copy()
        np.minimum.at(new, la, m)  # hook the larger root onto the smaller label
        np.minimum.at(new, lb, m)
        while True:  # shortcut: point every node at its root
            nxt = new[new]
            if np.array_equal(nxt, new):
                break
            new = nxt
        if np.array_equal(new, lab):
            return lab
        lab = new
