"""Place search and 问数 latency: gazetteer build, find and ask once built (targets: 5 s, 300 ms).

``python -m bench.bench_search WS.gpkg`` (the district workspace when it exists; the demo
otherwise). Reference: reading the POI layer's names alone, in the same run.
"""

from __future__ import annotations

import sys
from datetime import date

from bench.run import ensure_demo
from bench.timing import print_rows, timed


def rows(path: str) -> list:
    from lzt.analysis.answer import ask
    from lzt.search.find import find
    from lzt.search.gazetteer import forget, gazetteer
    from lzt.workspace.open import open_workspace

    ws = open_workspace(path)
    ref, _ = timed(lambda: ws.read_features("poi", columns=["name"], geometry=False))
    forget(ws)
    build, _ = timed(lambda: gazetteer(ws))
    gazetteer(ws).segmenter.cut("龙城")  # jieba's dictionary loads once per process
    out = [("gazetteer build (cold)", build, ref, "read poi names", "≤ 5 s")]
    for q in ("龙城街道", "平湖花园", "lcjd", "便利店31"):
        t, _ = timed(lambda: find(ws, q), repeat=5)
        out.append((f"find {q}", t, None, "", "≤ 0.3 s"))
    for q in ("龙城街道今年噪声扰民投诉多少？", "上个月哪个社区的占道经营最多？", "第三季度各街道投诉"):
        ask(ws, q, as_of=date(2025, 12, 15))
        t, _ = timed(lambda: ask(ws, q, as_of=date(2025, 12, 15)), repeat=3)
        out.append((f"ask {q}", t, None, "", "≤ 0.3 s"))
    ws.close()
    return out


if __name__ == "__main__":
    print_rows(rows(sys.argv[1] if len(sys.argv) > 1 else str(ensure_demo("small"))), width=48)
