"""The warning desk: speed at district scale, and recall / false alarms on generated data.

Speed (``run``, a group of bench/run.py): the whole warning list (``lzt warn --cell 200``,
weekly) on the district demo's 1M complaints over 24 months, first run (reading the layer
and filling the column cache) and again (cache warm), and a weekly briefing PDF.

Quality (``quality``; ``python bench/bench_warn.py --quality``): generated complaint data on
a 12 × 12 km square, 6 categories, 60 steady sites per category with Poisson rates of
0.2–3 orders a week (records within ~40 m of their site, random callers), 80 weeks. Four
outbreak shapes are planted, 12 events per shape (2 per category, far apart), onset in week
W (all events of a workspace share it):
- new cluster: 6 orders a week from the onset, where that category had no site;
- growing: at an existing site, +3, +6, +9 … orders a week over its rate;
- one-week spike: 12 extra orders in the onset week only, at an existing site;
- slow drift: at an existing site, +1, +2, +3 … orders a week (a slope, not a step).
An event is found when a warning of its category (surge, new/consecutive/intensifying hot
spot, 多人同诉) lies within 300 m of it in the list of the onset week or the week after
("within 2 periods of onset"; also reported: within 4 weeks). False alarms: the same generator with nothing planted, the
list of 10 consecutive weeks, warnings per category per 10 periods (every kind, and the
kinds that claim a change).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from timing import timed  # noqa: E402

CATS = ["噪声扰民", "城市管理", "交通出行", "住房建设", "水务", "环境保护"]
END = date(2025, 6, 29)  # a Sunday: weeks are Monday-Sunday
WEEKS = 80
SHAPES = ("new cluster", "growing", "one-week spike", "slow drift")
CHANGE_KINDS = ("异动", "新增热点", "连续热点", "加强热点", "多人同诉")
ONSET_BACK = 3  # the onset week is the 4th-last week of the data


def _weeks_start() -> pd.Timestamp:
    return pd.Timestamp(END) + pd.Timedelta(days=1) - pd.Timedelta(weeks=WEEKS)


def generate(seed: int, shape: str | None):
    """(frame of records, planted events [(category, x, y)])."""
    rng = np.random.default_rng(seed)
    start = _weeks_start()
    rows_t, rows_c, rows_x, rows_y = [], [], [], []

    def add(cat, x, y, week, k, spread=40.0):
        if k <= 0:
            return
        t = start + pd.Timedelta(weeks=int(week)) + pd.to_timedelta(rng.uniform(0, 7 * 86400, k), "s")
        rows_t.append(t.values)
        rows_c.append(np.full(k, cat, dtype=object))
        rows_x.append(x + rng.normal(0, spread, k))
        rows_y.append(y + rng.normal(0, spread, k))

    sites = {}
    for c in CATS:
        xy = np.column_stack([rng.uniform(0, 12_000, 60), rng.uniform(0, 12_000, 60)]) + (500_000, 2_500_000)
        rate = rng.uniform(0.2, 3.0, 60)
        sites[c] = (xy, rate)
        for (x, y), r in zip(xy, rate):
            for w, k in enumerate(rng.poisson(r, WEEKS)):
                add(c, x, y, w, int(k))
    events = []
    onset = WEEKS - 1 - ONSET_BACK
    if shape is not None:
        for ci, c in enumerate(CATS):
            xy, rate = sites[c]
            for j in range(2):
                if shape == "new cluster":
                    while True:  # a place 600 m or more from every site of the category
                        p = np.array([rng.uniform(500, 11_500), rng.uniform(500, 11_500)]) + (500_000, 2_500_000)
                        if np.hypot(*(xy - p).T).min() > 600 and all(np.hypot(p[0] - e[1], p[1] - e[2]) > 2000
                                                                     for e in events):
                            break
                else:
                    p = xy[(7 * ci + 31 * j) % 60]
                events.append((c, float(p[0]), float(p[1])))
                for w in range(onset, WEEKS):
                    i = w - onset
                    extra = {"new cluster": 6, "growing": 3 * (i + 1), "one-week spike": 12 if i == 0 else 0,
                             "slow drift": i + 1}[shape]
                    add(c, p[0], p[1], w, int(rng.poisson(extra)) if shape == "slow drift" else extra, 50.0)
    t = np.concatenate(rows_t)
    n = len(t)
    frame = pd.DataFrame({"received_at": pd.DatetimeIndex(t).strftime("%Y-%m-%dT%H:%M:%S"),
                          "cat_l1": np.concatenate(rows_c), "x": np.concatenate(rows_x), "y": np.concatenate(rows_y)})
    frame["citizen_phone"] = np.char.add("13", np.char.zfill(rng.integers(0, 10**9, n).astype(str), 9))
    frame["order_id"] = [f"Q{i:07d}" for i in range(n)]
    return frame, events


def _workspace(path: Path, frame: pd.DataFrame):
    import geopandas as gpd
    import shapely

    from lzt.workspace import create_workspace

    ws = create_workspace(path)
    gdf = gpd.GeoDataFrame(frame.drop(columns=["x", "y"]), geometry=shapely.points(frame["x"], frame["y"]),
                           crs="EPSG:4547")
    ws.write_layer("complaints", gdf, kind="complaints")
    return ws


def _found(alerts, event) -> bool:
    import shapely

    c, x, y = event
    pt = shapely.Point(x, y)
    return any(a.category == c and a.kind in CHANGE_KINDS and a.geometry is not None
               and shapely.distance(a.geometry, pt) <= 300 for a in alerts)


def quality(seed: int = 11) -> list[dict]:
    from lzt.analysis.early_warning import warn

    onset_end = END - timedelta(weeks=ONSET_BACK)
    out = []
    with tempfile.TemporaryDirectory() as d:
        for k, shape in enumerate(SHAPES):
            frame, events = generate(seed + k, shape)
            ws = _workspace(Path(d) / f"{k}.gpkg", frame)
            try:
                runs = [warn(ws, "complaints", cell=200, as_of=onset_end + timedelta(weeks=i)).alerts
                        for i in range(ONSET_BACK + 1)]
            finally:
                ws.close()
            first = [_found(runs[0], e) for e in events]
            second = [_found(runs[0], e) or _found(runs[1], e) for e in events]
            later = [any(_found(r, e) for r in runs) for e in events]
            out.append({"shape": shape, "events": len(events), "onset": sum(first), "within2": sum(second),
                        "recall": sum(second) / len(events), "within4": sum(later)})
        frame, _ = generate(seed + 99, None)
        ws = _workspace(Path(d) / "null.gpkg", frame)
        try:
            alerts = [warn(ws, "complaints", cell=200, as_of=END - timedelta(weeks=i)).alerts for i in range(10)]
        finally:
            ws.close()
        per_cat = len(CATS)
        every = sum(len(a) for a in alerts) / per_cat
        change = sum(sum(x.kind in CHANGE_KINDS for x in a) for a in alerts) / per_cat
        kinds = pd.Series([x.kind for a in alerts for x in a], dtype=object).value_counts().to_dict()
        out.append({"shape": "no event (10 weeks)", "false_all": every, "false_change": change, "kinds": kinds})
    return out


def run(demo: Path, rows: list) -> None:
    """Speed at district scale (a copy of the demo: the first run writes the column cache)."""
    import shutil

    from lzt.analysis.columns import KIND
    from lzt.analysis.early_warning import warn
    from lzt.export.briefing import write_briefing
    from lzt.workspace import open_workspace

    with tempfile.TemporaryDirectory(dir=HERE / "_data" if (HERE / "_data").is_dir() else None) as d:
        copy = Path(d) / "district.gpkg"
        shutil.copyfile(demo, copy)
        ws = open_workspace(copy)
        try:
            ws.point_coords("complaints")
            t_cold, res = timed(lambda: warn(ws, "complaints", cell=200.0))
            assert ws.get_blob(KIND, "complaints\x00received_at\x00t") is not None
            c0 = time.process_time()
            t_warm, res = timed(lambda: warn(ws, "complaints", cell=200.0), repeat=3)
            cpu = (time.process_time() - c0) / 3
            n = len(res.alerts)
            rows.append((f"lzt warn --cell 200 (weekly) on 1M complaints, 24 months, {len(res.categories) - 1} "
                         f"categories, {len(res.locations):,} cells: {n} warnings; CPU {cpu:.2f} s; first run "
                         f"{t_cold:.2f} s (reads the layer, fills the column cache)", t_warm, None, "", "< 2 s"))
            t_pdf, _ = timed(lambda: write_briefing(ws, Path(d) / "b.pdf", period="week"))
            t_docx, _ = timed(lambda: write_briefing(ws, Path(d) / "b.docx", period="week"))
            rows.append(("lzt briefing, weekly PDF (5 pages, two maps), district demo", t_pdf, None, "", "< 10 s"))
            rows.append(("lzt briefing, weekly DOCX, district demo", t_docx, None, "", ""))
        finally:
            ws.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quality", action="store_true", help="recall / false alarms on generated data")
    ap.add_argument("--demo", type=Path, help="district demo workspace for the speed rows")
    args = ap.parse_args(argv)
    if args.quality:
        t0 = time.perf_counter()
        res = quality()
        print("| outbreak shape | events | found in the onset week | found within 2 weeks | recall (2 weeks) "
              "| found within 4 weeks |")
        print("|---|---:|---:|---:|---:|---:|")
        for r in res[:-1]:
            print(f"| {r['shape']} | {r['events']} | {r['onset']} | {r['within2']} | {r['recall']:.2f} "
                  f"| {r['within4']} |")
        z = res[-1]
        print(f"\nno planted event, 10 weekly lists: {z['false_all']:.2f} warnings per category per 10 periods "
              f"(all kinds), {z['false_change']:.2f} of the kinds that claim a change; kinds {z['kinds']}")
        print(f"({time.perf_counter() - t0:.0f} s)")
    if args.demo:
        rows: list = []
        run(args.demo, rows)
        for name, t, _, _, target in rows:
            print(f"{name}: {t:.2f} s (target {target})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
