"""The labelled address set for ``lzt geocode``: addresses of known demo compounds written the way
people write them (with or without 广东省深圳市, 龙岗区 / 龙岗 / nothing, 街道 left out, full-width
digits, 栋/座/号楼/#/三栋 variants, a mistyped character in the compound's or the community's
name, an old township name, a road and number),
plus addresses that must not be placed at a compound (a compound the workspace does not know,
a place outside the district, a road and number only). The truth is computed here, from the
layers read with pyogrio and joined with geopandas, not by lzt.

``python -m tests.search.geocode_cases WS.gpkg`` prints precision, recall and the level mix.
"""

from __future__ import annotations

import sys
from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CN = "零一二三四五六七八九"
TOWN = {"布吉": "布吉镇", "横岗": "横岗镇", "平湖": "平湖镇", "坪地": "坪地镇", "龙岗": "龙岗镇"}
#: characters a typist puts for another (sound or shape alike)
CONFUSE = "景晶京井锦金进园源元华花化城成程湾弯湖胡业叶天田安案和河合美梅新心星兴"
#: how fine each level is (a finer correct placement than expected counts as the expected one)
FINENESS = {"门牌": 4, "小区": 4, "道路": 3, "社区": 2, "街道": 1}
VARIANTS = ("full", "no_district", "longgang", "no_jiedao", "full_width", "unit_variants", "typo",
            "road_number", "community_only", "township", "name_only", "unknown_name", "outside", "road_only",
            "community_typo")


def load(path) -> dict:
    poi = pyogrio.read_dataframe(path, layer="poi")
    homes = poi[poi["category"] == "住宅小区"].reset_index(drop=True)
    comm = pyogrio.read_dataframe(path, layer="communities")
    streets = pyogrio.read_dataframe(path, layer="streets")
    roads = pyogrio.read_dataframe(path, layer="roads")
    layers = set(pyogrio.list_layers(path)[:, 0])
    plates = pyogrio.read_dataframe(path, layer="doorplates") if "doorplates" in layers else None
    return {"homes": homes, "comm": comm, "streets": streets, "roads": roads, "poi": poi, "plates": plates}


def _unit(rng, k: int) -> str:
    return [f"{k}栋", f"{k}座", f"{k}号楼", f"{k}#", f"{CN[k]}栋" if k < 10 else f"{k}栋",
            f"{'ABCDEF'[k % 6]}座", f"{k}幢"][int(rng.integers(0, 7))]


def cases(data: dict, n: int = 700, seed: int = 16) -> pd.DataFrame:
    """``n`` labelled addresses: address, variant, expected level, truth (x, y, community,
    street, road)."""
    rng = np.random.default_rng(seed)
    homes, roads = data["homes"], data["roads"]
    names = homes["name"].to_numpy(dtype=object)
    per_comm = Counter(zip(homes["community"], names))
    per_district = Counter(names)
    near = gpd.sjoin_nearest(homes[["geometry"]], roads[["name", "geometry"]], max_distance=150,
                             distance_col="d")
    road_of = near[~near.index.duplicated()]["name"]
    all_names = set(data["poi"]["name"])
    rows = []
    pick = rng.choice(len(homes), n, replace=len(homes) < n)
    for i, h in enumerate(pick.tolist()):
        v = VARIANTS[i % len(VARIANTS)]
        s, c, nm = homes.at[h, "street"], homes.at[h, "community"], names[h]
        x, y = homes.geometry.iat[h].x, homes.geometry.iat[h].y
        k = int(rng.integers(1, 30))
        room = f"{int(rng.integers(1, 33))}{int(rng.integers(1, 9)):02d}"
        unique_here = per_comm[(c, nm)] == 1
        expect = "小区" if unique_here else "社区"
        road = road_of.get(h)
        addr = None
        if v == "full":
            addr = f"广东省深圳市龙岗区{s}街道{c}社区{nm}{k}栋{room}"
        elif v == "no_district":
            addr = f"{s}街道{c}社区{nm}{_unit(rng, k)}"
        elif v == "longgang":
            addr = f"龙岗{s}{c}社区{nm}{_unit(rng, k)}{room}房"
        elif v == "no_jiedao":
            addr = f"龙岗区{s}{c}社区 {nm} {_unit(rng, k)}"
        elif v == "full_width":
            addr = f"深圳市龙岗区{s}街道{c}社区{nm}{k}栋{room}".translate(FULL_WIDTH)
        elif v == "unit_variants":
            addr = f"{s}{c}{nm}{_unit(rng, k)}{int(rng.integers(1, 4))}单元{room}"
        elif v == "typo":
            body = nm[:-2]
            if len(body) < 2:
                continue
            j = int(rng.integers(0, len(body)))
            choices = [ch for ch in CONFUSE if ch != body[j]]
            typo = body[:j] + choices[int(rng.integers(0, len(choices)))] + body[j + 1:] + nm[-2:]
            if typo in all_names:
                continue
            addr = f"{s}街道{c}社区{typo}{k}栋"
        elif v == "road_number":
            if road is None:
                continue
            addr = f"{s}街道{c}社区{road}{int(rng.integers(1, 200))}号{nm}"
        elif v == "community_only":
            addr = f"{c}社区{nm}{k}栋"
        elif v == "township":
            if s not in TOWN:
                continue
            addr = f"{TOWN[s]}{c}村{nm}{k}栋"
        elif v == "name_only":
            addr = f"{nm}{k}栋"
            expect = "小区" if per_district[nm] == 1 else None
        elif v == "unknown_name":
            addr = f"{s}街道{c}社区云杉{['雅苑', '公馆', '大厦'][k % 3]}{k}栋"
            expect = "社区"
        elif v == "outside":
            addr = f"坪山区坑梓街道{nm}{k}栋"
            expect = None
        elif v == "community_typo":
            j = int(rng.integers(0, len(c)))
            choices = [ch for ch in CONFUSE if ch != c[j]]
            typo = c[:j] + choices[int(rng.integers(0, len(choices)))] + c[j + 1:]
            if typo in set(data["comm"]["name"]):
                continue
            addr = f"{s}街道{typo}社区{nm}{k}栋"
        elif v == "road_only":
            if road is None:
                continue
            addr = f"{s}街道{c}社区{road}{int(rng.integers(1, 200))}号"
            expect = "道路"
        rows.append({"address": addr, "variant": v, "expect": expect, "x": x, "y": y, "street": s,
                     "community": c, "road": road, "name": nm, "k": k})
    return pd.DataFrame(rows)


def score(data: dict, labelled: pd.DataFrame, results: list) -> dict:
    """Each result judged against the truth: ``correct`` (placed, right at its level: a compound
    within 100 m, a road point on that road inside the community, a community or street point
    inside it), ``wrong`` (placed, not right), ``unplaced``; ``finest`` when correct at the
    expected level or finer. Precision = correct / placed; recall = finest / cases expected
    placed."""
    comm, streets, roads = data["comm"], data["streets"], data["roads"]
    verdict, finest = [], []
    for (_, t), r in zip(labelled.iterrows(), results):
        if r.level is None:
            verdict.append("unplaced")
            finest.append(t["expect"] is None)
            continue
        p = shapely.Point(r.x, r.y)
        if r.level == "门牌":
            ok = _plate_ok(data, t, p)
        elif r.level == "小区":
            ok = np.hypot(r.x - t["x"], r.y - t["y"]) <= 100.0
        elif r.level == "道路":
            lines = roads.geometry[roads["name"] == t["road"]]
            area = comm.geometry[comm["name"] == t["community"]].iloc[0].buffer(60)
            ok = bool(len(lines)) and lines.distance(p).min() <= 1.0 and area.contains(p)
        elif r.level == "社区":
            ok = bool(comm.geometry[comm["name"] == t["community"]].iloc[0].contains(p))
        else:
            ok = bool(streets.geometry[streets["name"] == t["street"]].iloc[0].contains(p))
        verdict.append("correct" if ok else "wrong")
        finest.append(ok and not pd.isna(t["expect"]) and FINENESS[r.level] >= FINENESS[t["expect"]])
    v = pd.Series(verdict)
    placed = int((v != "unplaced").sum())
    expected = labelled["expect"].notna()
    return {"n": len(labelled), "placed": placed, "correct": int((v == "correct").sum()),
            "wrong": int((v == "wrong").sum()),
            "precision": float((v == "correct").sum() / placed) if placed else 1.0,
            "recall": float(np.asarray(finest)[expected.to_numpy()].mean()) if expected.any() else 1.0,
            "refused_right": int(((v == "unplaced") & ~expected).sum()), "expected_none": int((~expected).sum()),
            "levels": dict(Counter(r.level or "未定位" for r in results)),
            "by_variant": labelled.assign(v=verdict, f=finest).groupby("variant")
                                   .agg(n=("v", "size"), correct=("v", lambda s: int((s == "correct").sum())),
                                        wrong=("v", lambda s: int((s == "wrong").sum())), finest=("f", "sum")),
            "verdicts": verdict}


def _plate_ok(data: dict, t, p: shapely.Point) -> bool:
    """A 门牌 result is right when it stands on the compound's building plate ``<name><k>栋`` (in
    the record's community, or the only one of that name in the district), or, for a road and a
    number, beside that road (within its half width and plate setback) inside the community."""
    plates = data["plates"]
    if plates is None:
        return False
    comm, roads = data["comm"], data["roads"]
    same = plates[plates["doorplate"] == f"{t['name']}{t['k']}栋"]
    if len(same) and same.geometry.distance(p).min() <= 1.0:
        at = same[same.geometry.distance(p) <= 1.0].iloc[0]
        return at["community"] == t["community"] or len(same) == 1
    if t["variant"] in ("road_only", "road_number") and isinstance(t["road"], str):
        lines = roads[roads["name"] == t["road"]]
        area = comm.geometry[comm["name"] == t["community"]].iloc[0].buffer(60)
        beside = (lines.geometry.distance(p) <= lines["width_m"] / 2 + 10.0).any()
        return bool(beside and area.contains(p))
    return False


def run(path, n: int = 700) -> dict:
    from lzt.search.gazetteer import gazetteer
    from lzt.search.geocode import Geocoder
    from lzt.workspace.open import open_workspace

    data = load(path)
    labelled = cases(data, n)
    ws = open_workspace(path)
    try:
        coder = Geocoder(ws, gazetteer(ws))
        results = [coder.geocode(a) for a in labelled["address"]]
    finally:
        ws.close()
    out = score(data, labelled, results)
    out["labelled"], out["results"] = labelled, results
    return out


if __name__ == "__main__":
    from bench.run import ensure_demo

    got = run(sys.argv[1] if len(sys.argv) > 1 else str(ensure_demo("small")))
    print({k: got[k] for k in ("n", "placed", "correct", "wrong", "precision", "recall", "refused_right",
                               "expected_none", "levels")})
    print(got["by_variant"])
    lab = got["labelled"]
    for i, v in enumerate(got["verdicts"]):
        if v == "wrong":
            r = got["results"][i]
            print("WRONG", lab.iloc[i]["variant"], lab.iloc[i]["address"], r.level, r.matched, r.reason)
