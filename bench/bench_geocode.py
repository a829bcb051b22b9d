"""Geocoding quality and speed: the labelled address set (tests/search/geocode_cases.py) and the
demo's complaint orders (address + street/community columns, coordinates known).

``python -m bench.bench_geocode [WS.gpkg]`` prints precision, recall, the match-level mix and the
times. Reference, in the same run: a naive geocoder (the compound name looked up in the POI
table, first hit taken: what a plain join does).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import print_rows, timed  # noqa: E402

#: complaint orders with an address geocoded by the bench/run.py group (a sample: the whole
#: district demo takes minutes under load)
ORDERS = 6000


def naive(data, labelled):
    """The first POI whose name occurs in the address (longest names first), no hierarchy."""
    poi = data["homes"]
    names = sorted(set(poi["name"]), key=len, reverse=True)
    first = poi.drop_duplicates("name").set_index("name").geometry
    out = []
    for a in labelled["address"]:
        hit = next((n for n in names if n in a), None)
        out.append(None if hit is None else (first[hit].x, first[hit].y))
    return out


def main(path: str) -> None:
    from lzt.analysis.geocode_layer import geocode_layer
    from lzt.search.gazetteer import forget, gazetteer
    from lzt.search.geocode import Geocoder
    from lzt.workspace.open import open_workspace
    from tests.search.geocode_cases import cases, load, score

    data = load(path)
    labelled = cases(data, 700)
    ws = open_workspace(path)
    gz = gazetteer(ws)
    coder = Geocoder(ws, gz)
    t_first, results = timed(lambda: [coder.geocode(a) for a in labelled["address"]])
    t_again, _ = timed(lambda: [coder.geocode(a) for a in labelled["address"]])
    s = score(data, labelled, results)
    t_ref, ref = timed(lambda: naive(data, labelled))
    ref_ok = [r is not None and np.hypot(r[0] - x, r[1] - y) <= 100 for r, x, y in
              zip(ref, labelled["x"], labelled["y"])]
    placed_ref = sum(r is not None for r in ref)
    print(f"labelled set: {s['n']} addresses; lzt placed {s['placed']}, correct {s['correct']}, wrong {s['wrong']}: "
          f"precision {s['precision']:.3f}, recall {s['recall']:.3f}; refused {s['refused_right']} of "
          f"{s['expected_none']} that must not be placed; levels {s['levels']}")
    print(f"naive name join: placed {placed_ref}, within 100 m {sum(ref_ok)}: precision "
          f"{sum(ref_ok) / max(placed_ref, 1):.3f}")
    print(s["by_variant"].to_string())
    forget(ws)
    rows = [(f"geocode {s['n']} labelled addresses (first pass, incl. address vocabulary)", t_first, t_ref,
             "naive name join", ""),
            (f"geocode {s['n']} labelled addresses again (parses cached)", t_again, None, "", "")]
    t_orders, rep = timed(lambda: geocode_layer(ws, "complaints", "address"))
    d = rep.to_json()
    truth = ws.read_features("complaints", columns=[])
    fine = [r for r in d["records"] if r["level"] in ("小区", "门牌")]
    tx = truth.geometry.x.reindex([r["fid"] for r in fine]).to_numpy()
    ty = truth.geometry.y.reindex([r["fid"] for r in fine]).to_numpy()
    dist = np.hypot(np.array([r["x"] for r in fine]) - tx, np.array([r["y"] for r in fine]) - ty)
    with_addr = sum(r["address"] is not None for r in d["records"])
    print(f"demo orders: {d['count']} ({with_addr} with an address); levels {d['levels']}; at 小区/门牌 "
          f"{len(fine)}, within 100 m {np.mean(dist <= 100):.3f}, median {np.median(dist):.1f} m; reasons of the rest: "
          f"{Counter(r['reason'].split('，')[0][:6] for r in d['records'] if r['level'] not in ('小区', '门牌')).most_common(4)}")
    rows.append((f"lzt geocode complaints --field address ({d['count']} orders, gazetteer cold)", t_orders, None, "", ""))
    ws.close()
    print_rows(rows, width=80)


def _naive_orders(homes, roads, addresses):
    """Reference per record: the first compound or road whose name the address contains."""
    names = sorted(set(homes["name"]) | set(roads["name"]), key=len, reverse=True)
    first = dict(zip(homes["name"], homes.geometry))
    first.update({n: g.interpolate(0.5, normalized=True) for n, g in zip(roads["name"], roads.geometry)
                  if n not in first})
    out = []
    for a in addresses:
        hit = next((n for n in names if n in a), None)
        out.append(None if hit is None else (first[hit].x, first[hit].y))
    return out


def run(demo: Path, rows: list) -> None:
    """bench/run.py group ``geocode``: a sample of the demo's orders with an address (roads and
    numbers, compounds and 栋, compounds alone), placed with their street/community columns;
    geocode rate, share within 100 m of the order's known coordinates by level, per-record
    latency, and the search box's per-keystroke suggestion time. Reference: a naive name join."""
    import pyogrio

    from lzt.search.gazetteer import gazetteer
    from lzt.search.geocode import Geocoder
    from lzt.search.suggest import Suggester
    from lzt.workspace.open import open_workspace

    demo = Path(demo)
    orders = pyogrio.read_dataframe(demo, layer="complaints", columns=["address", "street", "community"],
                                    where="address IS NOT NULL")
    orders = orders.sample(min(ORDERS, len(orders)), random_state=7)
    homes = pyogrio.read_dataframe(demo, layer="poi", where="category = '住宅小区'")
    roads = pyogrio.read_dataframe(demo, layer="roads")
    ws = open_workspace(demo)
    try:
        t_gz, gz = timed(lambda: gazetteer(ws))
        coder = Geocoder(ws, gz)
        recs = list(zip(orders["address"], orders["street"], orders["community"]))
        t_geo, got = timed(lambda: [coder.geocode(a, street=s, community=c) for a, s, c in recs])
        t_sug, sug = timed(lambda: Suggester(gz))
        names = sorted(set(homes["name"]) | set(roads["name"]))
        typed = [n[:k] for n in names[:: max(1, len(names) // 300)] for k in (1, 2, 3)]
        worst = 0.0
        t0 = time.perf_counter()
        for q in typed:
            t1 = time.perf_counter()
            sug.suggest(q)
            worst = max(worst, time.perf_counter() - t1)
        t_keys = (time.perf_counter() - t0) / len(typed)
        t_scan = timed(lambda: [[n for n in names if n.startswith(q)][:10] for q in typed])[0] / len(typed)
    finally:
        ws.close()
    t_ref, ref = timed(lambda: _naive_orders(homes, roads, orders["address"]))
    x, y = orders.geometry.x.to_numpy(), orders.geometry.y.to_numpy()
    level = np.array([g.level or "未定位" for g in got], dtype=object)
    gx = np.array([np.nan if g.x is None else g.x for g in got])
    gy = np.array([np.nan if g.y is None else g.y for g in got])
    near = np.hypot(gx - x, gy - y) <= 100
    interp = np.array(["插值" in g.reason for g in got])
    rx = np.array([np.nan if r is None else r[0] for r in ref])
    ry = np.array([np.nan if r is None else r[1] for r in ref])
    ref_near = np.hypot(rx - x, ry - y) <= 100
    mix = Counter(level.tolist())
    fine = np.isin(level, ["门牌", "小区"])
    plate = level == "门牌"
    n = len(orders)
    print(f"geocode: {n} orders with an address; levels {dict(mix)}; placed {np.mean(level != '未定位'):.3f}; "
          f"within 100 m: 门牌 {near[plate].mean():.3f} ({plate.sum()}, of which interpolated {interp.sum()}: "
          f"{near[interp].mean():.3f}), 小区/门牌 {near[fine].mean():.3f}, all placed {near[level != '未定位'].mean():.3f}; "
          f"naive name join within 100 m {ref_near.mean():.3f} of all")
    rows.append((f"gazetteer of the demo ({len(gz.places):,} places incl. 门牌), cold", t_gz, None, "", "≤ 5 s"))
    rows.append((f"geocode {n} demo orders: placed {np.mean(level != '未定位'):.1%}, 门牌 {plate.mean():.1%} "
                 f"({near[plate].mean():.1%} ≤100 m), 小区 {np.mean(level == '小区'):.1%}", t_geo, t_ref,
                 f"naive name join ({ref_near.mean():.1%} of all ≤100 m)", "≥ 95 % ≤100 m at 小区/门牌"))
    rows.append(("geocode: time per record", t_geo / n, t_ref / n, "naive name join per record", ""))
    rows.append((f"search box suggester build ({len(sug._keys):,} keys)", t_sug, None, "", "off the GUI thread"))
    rows.append((f"suggestion per keystroke, mean of {len(typed)} (worst {worst * 1000:.2f} ms)", t_keys, t_scan,
                 "list scan with str.startswith", "≤ 100 ms"))


if __name__ == "__main__":
    from bench.run import ensure_demo

    main(sys.argv[1] if len(sys.argv) > 1 else str(ensure_demo("small")))
