"""The 问数 near-a-place question set: POIs of a category near a road, a door plate or an area,
with and without a stated distance, answered independently (geopandas: the distance from each
POI to the place's own geometry, read by pyogrio; the 附近 default written out as 500 m), and
scored as in ``ask_cases``: exact / wrong / refused (a right refusal counts as exact).

``python -m tests.search.near_cases WS.gpkg`` prints the rates for a demo workspace.
"""

from __future__ import annotations

import sys

import geopandas as gpd
import pyogrio

from tests.search.ask_cases import print_rates, tally

#: what 附近/周边/周围/旁边 mean when no distance is given (the documented default, by hand)
NEAR_DEFAULT_M = 500.0
CATEGORIES = ("学校", "便利店", "幼儿园")
#: phrasing -> the distance it states (None: the default)
PHRASES = (("{p}附近的{c}有几所", None), ("{p}周边的{c}有多少", None), ("{p}周围有多少{c}", None),
           ("{p}旁边的{c}有几个", None), ("{p}500米内的{c}有多少", 500.0), ("{p}附近1公里内的{c}有几个", 1000.0),
           ("{p}周边300米的{c}有多少", 300.0))


def _unique(df: gpd.GeoDataFrame, n: int) -> gpd.GeoDataFrame:
    """The first ``n`` features (by name) whose name no other feature of the layer has."""
    counts = df["name"].value_counts()
    return df[df["name"].isin(counts[counts == 1].index)].sort_values("name").head(n)


def places(path) -> list[tuple[str, object]]:
    """[(name, geometry)]: roads (lines: highways, an expressway and main roads), door plates
    (points) and 控高 zones (areas), each named once in its layer."""
    roads = pyogrio.read_dataframe(path, layer="roads", columns=["name", "road_class"])
    plates = pyogrio.read_dataframe(path, layer="doorplates", columns=["doorplate"]).rename(
        columns={"doorplate": "name"})
    zones = pyogrio.read_dataframe(path, layer="height_limits", columns=["name"])
    picked = [_unique(roads[roads["road_class"].isin(["高速公路", "快速路"])], 3),
              _unique(roads[roads["road_class"] == "主干路"], 2),
              _unique(plates, 3), _unique(zones, 2)]
    return [(r.name, r.geometry) for df in picked for r in df.itertuples()]


def cases(path) -> list[tuple[str, object]]:
    """[(question, expected)]: a count, or None where a refusal is right."""
    poi = pyogrio.read_dataframe(path, layer="poi", columns=["category"])
    out = []
    for name, geom in places(path):
        for phrase, metres in PHRASES:
            d = NEAR_DEFAULT_M if metres is None else metres
            for c in CATEGORIES:
                pts = poi[poi["category"] == c]
                out.append((phrase.format(p=name, c=c), int((pts.geometry.distance(geom) <= d).sum())))
    streets = pyogrio.read_dataframe(path, layer="streets", columns=["name"], read_geometry=False)
    roads = pyogrio.read_dataframe(path, layer="roads", columns=["name"], read_geometry=False)
    twice = roads["name"].value_counts()
    for name in (str(streets["name"].iloc[0]), str(twice.index[0])):  # an area, a name of several roads
        out += [(f"{name}附近的学校有几所", None), (f"{name}周边500米的便利店有多少", None)]
    out += [("附近的学校有几所", None), ("周边500米的幼儿园有多少", None)]
    return out


def _count(poi: gpd.GeoDataFrame, category: str, geom, metres: float) -> int:
    pts = poi[poi["category"] == category]
    return int((pts.geometry.distance(geom) <= metres).sum())


def _numbered(poi: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """6 schools, hospitals and convenience stores whose names end in a number (振业学校28), each
    named once."""
    kinds = poi["category"].isin(["学校", "医院", "便利店"]) & poi["name"].str.contains(r"\d$")
    return _unique(poi[kinds], 48).iloc[::8]


def two_category_cases(path) -> list[tuple[str, object]]:
    """[(question, expected)]: a question naming two POI categories asks for the last one
    (振业学校28附近的医院: the 医院 near the school 振业学校28); a first category that names no
    place is refused (学校附近的医院)."""
    poi = pyogrio.read_dataframe(path, layer="poi", columns=["name", "category"])
    out = []
    for r in _numbered(poi).itertuples():
        for c in ("医院" if r.category != "医院" else "便利店", "幼儿园"):
            out += [(f"{r.name}附近的{c}有几个", _count(poi, c, r.geometry, NEAR_DEFAULT_M)),
                    (f"{r.name}周边300米的{c}有多少", _count(poi, c, r.geometry, 300.0))]
    return out + [("学校附近的医院有几个", None), ("便利店周边500米的幼儿园有多少", None)]


def code_cases(path) -> list[tuple[str, object]]:
    """[(question, expected)]: a place named by a code or a name ending in a number, then a
    distance: 宗地编号 and 建筑编号 (fixed lengths) with a space and without one (the digits run on:
    LG-003001-00199500米), numbered POIs (振业学校28 500米内的医院) with a space. Neither number may
    take the other's digits."""
    poi = pyogrio.read_dataframe(path, layer="poi", columns=["name", "category"])
    parcels = pyogrio.read_dataframe(path, layer="supervision", columns=["parcel_id"]).sort_values("parcel_id")
    buildings = pyogrio.read_dataframe(path, layer="buildings", columns=["building_id"]).sort_values("building_id")
    codes = [(r.parcel_id, r.geometry) for r in parcels.head(2).itertuples()] + \
            [(r.building_id, r.geometry) for r in buildings.iloc[[0, len(buildings) // 2]].itertuples()]
    out = []
    for code, geom in codes:
        for c in ("学校", "便利店"):
            out += [(f"{code} 500米内的{c}有多少", _count(poi, c, geom, 500.0)),
                    (f"{code}500米内的{c}有多少", _count(poi, c, geom, 500.0)),
                    (f"{code} 1公里内的{c}有几个", _count(poi, c, geom, 1000.0)),
                    (f"{code}1公里内的{c}有几个", _count(poi, c, geom, 1000.0)),
                    (f"{code}附近300米的{c}有多少", _count(poi, c, geom, 300.0))]
    for r in _numbered(poi).itertuples():
        for c in ("医院" if r.category != "医院" else "便利店", "幼儿园"):
            out += [(f"{r.name} 500米内的{c}有几个", _count(poi, c, r.geometry, 500.0)),
                    (f"{r.name}，1公里内的{c}有多少", _count(poi, c, r.geometry, 1000.0))]
    return out


def run(path) -> dict:
    return tally(path, cases(path))


if __name__ == "__main__":
    print_rates(run(sys.argv[1]))
