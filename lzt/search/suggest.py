"""Suggestions while typing: gazetteer names that start with what was typed, or whose pinyin
initials do (lcjd -> 龙城街道), coarse levels first; and door plates once a road and the start
of a number are typed (龙翔大道3 -> 龙翔大道3号, 龙翔大道31号, ...).

Built once from a gazetteer (the GUI runs ``python -m lzt.search.suggest`` in a process of its
own: no reading threads beside the map's), then each keystroke is a binary search in a sorted
list, well under a millisecond, so the GUI may ask on its own thread. 门牌 points are not names
to suggest by prefix (tens of thousands); they are kept as each road's plate numbers instead.
The build says the ``gazetteer_key`` it was made for: the GUI builds again once the layers'
stamps (or the aliases) have moved on. Each name is suggested once.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import numpy as np

from lzt.search import text
from lzt.search.gazetteer import LEVEL_RANK, Gazetteer

#: levels suggested (finer points are found by the search itself)
SUGGEST_LEVELS = ("区", "街道", "社区", "小区", "道路")


def entries(gz: Gazetteer) -> list[tuple[str, str, int]]:
    """(key, name, rank) of the names of ``gz`` worth suggesting: each name by its normalised
    form and by its pinyin initials; rank = its coarsest level (coarse first)."""
    level = gz.col("level")
    keep = np.isin(level, SUGGEST_LEVELS)
    best: dict[str, int] = {}
    for n, lv in zip(gz.col("name")[keep].tolist(), level[keep].tolist()):
        r = LEVEL_RANK.get(lv, 9)
        if r < best.get(n, 99):
            best[n] = r
    out = [(text.normalise(n), n, r) for n, r in best.items()]
    out += [(ini, n, r) for n, r in best.items() if (ini := text.initials(n))]
    return [e for e in out if e[0]]


def plates(gz: Gazetteer) -> dict[str, list]:
    """Normalised road name -> [the road's name as written, its plate numbers ascending]."""
    from lzt.search.doorplate import road_plates

    names = gz.col("name")
    out = {}
    for road, (rows, nums) in road_plates(gz).items():
        m = _PLATE.match(str(names[rows[0]]))
        out[road] = [m.group(1) if m else road, sorted(set(nums.tolist()))]
    return out


_PLATE = re.compile(r"^(.+?)(\d+)号$")
_TYPED_PLATE = re.compile(r"^(.+?)(\d+)号?$")


class Suggester:
    """Names by prefix and by pinyin-initials prefix, plates by road and number prefix (see the
    module doc)."""

    def __init__(self, gz: Gazetteer | None = None, *, built: list | None = None,
                 road_plates: dict[str, list] | None = None) -> None:
        got = entries(gz) if built is None else [tuple(e) for e in built]
        got.sort()
        self._keys = [k for k, _, _ in got]
        self._names = [n for _, n, _ in got]
        self._rank = {n: r for _, n, r in got}
        self._plates = plates(gz) if road_plates is None and gz is not None else (road_plates or {})

    def _plates_for(self, q: str, limit: int) -> list[str]:
        """Plates of the road typed whose number starts with the digits typed, in number order."""
        m = _TYPED_PLATE.match(q)
        got = self._plates.get(m.group(1)) if m else None
        if not got:
            return []
        road, nums = got
        digits = m.group(2)
        return [f"{road}{n}号" for n in nums if str(n).startswith(digits)][:limit]

    def suggest(self, typed: str, limit: int = 10) -> list[str]:
        """Up to ``limit`` names starting with ``typed`` (or whose initials do), best first; after
        a road's name and digits, that road's plates first."""
        q = text.normalise(typed or "")
        if not q:
            return []
        plate_hits = self._plates_for(q, limit)
        if plate_hits:
            rest = [n for n in self._names_for(q, limit) if n not in plate_hits]
            return (plate_hits + rest)[:limit]
        return self._names_for(q, limit)

    def _names_for(self, q: str, limit: int) -> list[str]:
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


def main(argv: list[str]) -> int:
    """``python -m lzt.search.suggest WS OUT.json``: the suggestions of workspace ``WS`` written as
    JSON, {"key": its gazetteer_key, "entries": [...], "plates": {road: [name, numbers]}} (the GUI
    builds them in a process of its own, off its threads)."""
    import json
    import sys

    from lzt.core.errors import LztInputError
    from lzt.search.gazetteer import gazetteer, gazetteer_key
    from lzt.workspace import open_workspace

    if len(argv) != 2:
        print("usage: python -m lzt.search.suggest WS OUT.json", file=sys.stderr)
        return 2
    try:
        ws = open_workspace(argv[0])
        try:
            gz = gazetteer(ws)
            got = {"key": gazetteer_key(ws), "entries": entries(gz), "plates": plates(gz)}
        finally:
            ws.close()
    except LztInputError as e:  # the GUI polls for OUT and shows no suggestions; one line here
        print(f"lzt suggest: {e}", file=sys.stderr)
        return 2
    tmp = argv[1] + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(got, f, ensure_ascii=False)
    import os

    os.replace(tmp, argv[1])
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
