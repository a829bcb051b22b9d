"""Freed heap pages go back to the system (glibc), RSS measured from /proc."""

import sys

import numpy as np
import pytest

from lzt.core.memory import release_free_memory


def _rss_kib() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_release_returns_freed_small_blocks():
    blocks = [np.ones(500) for _ in range(100_000)]  # 4 KB each: below mmap's threshold, on the heap
    keep = blocks[-1].copy()
    peak = _rss_kib()
    del blocks
    release_free_memory()
    assert _rss_kib() < peak - 100_000  # most of the ~400 MB given back
    assert keep.sum() == 500
