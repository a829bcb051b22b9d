"""Where a set of feature ids sits in an array of ids (a table's rows, a layer's cached points)."""

from __future__ import annotations

import numpy as np


def rows_holding(fids: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Positions in ``fids`` (a table's row order, a layer's cached points) of the ids in
    ``chosen``, ascending. Dense non-negative ids (the workspace's) are looked up in a flag
    array indexed by id: ``np.isin`` of a million rows against a 372k selection sorts both
    (0.15-0.3 s on the GUI thread)."""
    if not len(fids) or not len(chosen):
        return np.empty(0, dtype=np.int64)
    lo, hi = int(min(fids.min(), chosen.min())), int(max(fids.max(), chosen.max()))
    if lo < 0 or hi > 4 * (len(fids) + len(chosen)) + 1024:  # sparse or signed ids
        return np.flatnonzero(np.isin(fids, chosen))
    flags = np.zeros(hi + 1, dtype=bool)
    flags[chosen] = True
    return np.flatnonzero(flags[fids])
