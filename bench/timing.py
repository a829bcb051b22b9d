"""The benchmarks' one timer (best of ``repeat`` runs) and the printout of a group run alone."""

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


def print_rows(rows: list, width: int = 96) -> None:
    """Print ``(work, seconds, reference seconds, reference is, target)`` rows (a group run alone)."""
    for name, t, ref, what, target in rows:
        ref_s = "—" if ref is None else f"{ref:.3f} s"
        print(f"{name:<{width}} {t:8.3f} s  {ref_s:>10}  {target}  {what}")
