"""Suggestions while typing: gazetteer names that start with what was typed, or whose pinyin
initials do (lcjd -> 龙城街道), coarse levels first.

Built once from a gazetteer (in a worker: the pinyin initials of the compounds and roads take
a second or so), then each keystroke is two binary searches in sorted arrays, well under a
millisecond, so the GUI may ask on its own thread. 门牌 points are left out (too many; the
search itself finds them); each name is suggested once.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from lzt.search import text
from lzt.search.gazetteer import LEVEL_RANK, Gazetteer

#: levels suggested (finer points are found by the search itself)
SUGGEST_LEVELS = ("区", "街道", "社区", "小区", "道路")


class Suggester:
    """Names by prefix and by pinyin-initials prefix (see the module doc)."""

    def __init__(self, gz: Gazetteer) -> None:
        level = gz.col("level")
        keep = np.isin(level, SUGGEST_LEVELS)
        names = gz.col("name")[keep].tolist()
        levels = level[keep].tolist()
        best: dict[str, int] = {}
        for n, lv in zip(names, levels):
            r = LEVEL_RANK.get(lv, 9)
            if r < best.get(n, 99):
                best[n] = r
        # rank: coarse levels first, then shorter names
        self._rank = best
        entries = [(text.normalise(n), n) for n in best]
        entries += [(ini, n) for n in best if (ini := text.initials(n))]
        entries = sorted(e for e in entries if e[0])
        self._keys = [k for k, _ in entries]
        self._names = [n for _, n in entries]

    def suggest(self, typed: str, limit: int = 10) -> list[str]:
        """Up to ``limit`` names starting with ``typed`` (or whose initials do), best first."""
        q = text.normalise(typed or "")
        if not q:
            return []
        i = bisect_left(self._keys, q)
        hits: list[str] = []
        seen: set[str] = set()
        while i < len(self._keys) and self._keys[i].startswith(q) and len(hits) < 400:
            n = self._names[i]
            if n not in seen:
                seen.add(n)
                hits.append(n)
            i += 1
        hits.sort(key=lambda n: (self._rank[n], len(n), n))
        return hits[:limit]
