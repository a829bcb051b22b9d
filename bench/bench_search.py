"""Place search and 问数 latency: gazetteer build, load in a new process, rebuild after one layer
changed, find and ask once built (targets: build 5 s, find/ask 300 ms).

``python -m bench.bench_search [WS.gpkg]`` (the small demo by default); ``bench/run.py --only search``
runs it on the district demo. It works on a copy (the gazetteer stores its parts in the workspace).
Reference: reading the POI layer's names alone through ``read_features``, in the same run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench.run import ensure_demo
from bench.timing import print_rows, timed

HERE = Path(__file__).resolve().parent

#: timed in a fresh interpreter: opening the workspace, loading the stored gazetteer, a first find
_NEW_PROCESS = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
from lzt.workspace.open import open_workspace
from lzt.search.gazetteer import gazetteer
from lzt.search.find import find
ws = open_workspace(sys.argv[1])
t0 = time.perf_counter(); gazetteer(ws); t1 = time.perf_counter(); find(ws, "龙城街道"); t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "first_find": t2 - t1}))
"""


#: questions timed once the gazetteer is built (counts, groups, ranks, share, changes, idle land)
QUESTIONS = ("龙城街道今年噪声扰民投诉多少？", "上个月哪个社区的占道经营最多？", "第三季度各街道投诉", "各街道投诉数量排名前5",
             "按类别统计今年的投诉", "每月投诉趋势", "龙城街道未办结的占比", "今年噪声扰民同比", "最少的街道是哪个",
             "闲置的宗地有多少", "高度超过100米的建筑有多少")


def _store_mb(path) -> float:
    """MB the gazetteer keeps in the workspace (its parts and index)."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT coalesce(sum(length(data)), 0) FROM lzt_blobs WHERE kind = 'lzt_gazetteer'"
                           ).fetchone()[0] / 1e6
    finally:
        con.close()


def rows(path: str) -> list:
    from lzt.analysis.answer import ask
    from lzt.search.find import find
    from lzt.search.gazetteer import drop_store, forget, gazetteer
    from lzt.workspace.open import open_workspace

    with tempfile.TemporaryDirectory(dir=HERE / "_data" if (HERE / "_data").is_dir() else None) as d:
        copy = Path(d) / Path(path).name
        shutil.copyfile(path, copy)
        ws = open_workspace(copy)
        ref, _ = timed(lambda: ws.read_features("poi", columns=["name"], geometry=False))
        drop_store(ws)
        build, gz = timed(lambda: gazetteer(ws))
        out = [(f"gazetteer build, cold ({len(gz):,} places; stores its parts)", build, ref, "read poi names", "≤ 5 s")]
        proc = subprocess.run([sys.executable, "-c", _NEW_PROCESS, str(copy), str(HERE.parent)],
                              capture_output=True, text=True, check=True)
        second = json.loads(proc.stdout.strip().splitlines()[-1])
        out.append(("gazetteer load in a new process (stored parts and index)", second["load"], ref,
                    "read poi names", "≤ 1 s"))
        out.append(("  then its first find (reads the rows it ranks)", second["first_find"], None, "", "≤ 0.3 s"))
        roads = ws.read_layer("roads")
        roads.loc[roads.index[0], "name"] = "基准测试新路"
        ws.write_layer("roads", roads, replace=True)
        t, gz = timed(lambda: gazetteer(ws))
        assert gz.lookup("基准测试新路").size == 1
        out.append(("gazetteer after one layer changed (roads re-read, index merged)", t, None, "", "≤ 5 s"))
        gazetteer(ws).segmenter.cut("龙城")  # jieba's dictionary loads once per process
        for q in ("龙城街道", "平湖花园", "lcjd", "便利店31"):
            t, _ = timed(lambda: find(ws, q), repeat=5)
            out.append((f"find {q}", t, None, "", "≤ 0.3 s"))
        out.append((f"gazetteer store in the workspace: {_store_mb(copy):.1f} MB", 0.0, None, "", ""))
        for q in QUESTIONS:
            ask(ws, q, as_of=date(2025, 12, 15))  # the first builds what is kept per layer stamp
            t, _ = timed(lambda: ask(ws, q, as_of=date(2025, 12, 15)), repeat=3)
            out.append((f"ask {q}", t, None, "", "≤ 0.3 s"))
        forget(ws)
        ws.close()
    return out


def run(demo: Path, rows_out: list) -> None:
    """The ``search`` group of bench/run.py (on the district demo)."""
    rows_out.extend(rows(str(demo)))


if __name__ == "__main__":
    print_rows(rows(sys.argv[1] if len(sys.argv) > 1 else str(ensure_demo("small"))), width=64)
