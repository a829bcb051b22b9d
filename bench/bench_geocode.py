"""Geocoding quality and speed: the labelled address set (tests/search/geocode_cases.py) and the
demo's complaint orders (address + street/community columns, coordinates known).

``python -m bench.bench_geocode [WS.gpkg]`` prints precision, recall, the match-level mix and the
times. Reference, in the same run: a naive geocoder (the compound name looked up in the POI
table, first hit taken: what a plain join does).
"""

from __future__ import annotations

import sys
from collections import Counter

import numpy as np

from bench.run import ensure_demo
from bench.timing import print_rows, timed


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


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ensure_demo("small")))
