"""The benchmarks' one timer: best of ``repeat`` runs."""

from __future__ import annotations

import time


def timed(fn, repeat: int = 1):
    """(best seconds, last result) of calling ``fn`` ``repeat`` times."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out
