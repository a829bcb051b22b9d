"""The demo's 门牌: numbering rule (odd left, even right, increasing along the road), building plates
inside their compounds, and the true place of a number recomputed here from the road alone."""

from __future__ import annotations

import numpy as np
import pyogrio
import shapely

from lzt.demo.doorplates import STEP, plate_point


def test_road_plates_follow_the_numbering_rule(demo_path):
    plates = pyogrio.read_dataframe(demo_path, layer="doorplates")
    roads = pyogrio.read_dataframe(demo_path, layer="roads")
    road = plates[plates["category"] == "门牌"]
    assert len(road) > 1000 and (road["doorplate"] == road["road"] + road["number"].astype(str) + "号").all()
    plated = roads[roads["road_class"].isin(["次干路", "支路"])]
    plated = plated[[len(g.coords) == 2 for g in plated.geometry]]  # straight: no bend to project across
    checked = 0
    for r in plated.head(60).itertuples():
        line = r.geometry
        near = road[(road["road"] == r.name) & (road.geometry.distance(line) < r.width_m / 2 + 9)]
        if len(near) < 2:
            continue
        d = shapely.line_locate_point(line, near.geometry.values)
        # the side, from the cross product with the road's direction (independent of the generator)
        a = shapely.line_interpolate_point(line, np.maximum(d - 1, 0))
        b = shapely.line_interpolate_point(line, np.minimum(d + 1, line.length))
        cross = ((shapely.get_x(b) - shapely.get_x(a)) * (near.geometry.y.to_numpy() - shapely.get_y(a))
                 - (shapely.get_y(b) - shapely.get_y(a)) * (near.geometry.x.to_numpy() - shapely.get_x(a)))
        odd = near["number"].to_numpy() % 2 == 1
        assert ((cross > 0) == odd).all()  # odd on the left, even on the right
        expect = ((near["number"].to_numpy() - 1) // 2 + 0.5) * STEP  # number n at (n-1)//2 steps
        assert np.allclose(d, expect, atol=0.5)
        assert np.allclose(near.geometry.distance(line), r.width_m / 2 + 8.0, atol=0.01)  # beside the road
        xy = plate_point(line, r.width_m, near["number"].to_numpy())
        assert np.allclose(xy, np.column_stack([near.geometry.x, near.geometry.y]), atol=0.01)
        checked += 1
    assert checked >= 20


def test_building_plates_in_their_compounds(demo_path):
    plates = pyogrio.read_dataframe(demo_path, layer="doorplates")
    blocks = plates[plates["category"] == "楼栋"]
    assert len(blocks) > 1000
    assert (blocks["doorplate"] == blocks["compound"] + blocks["number"].astype(str) + "栋").all()
    homes = pyogrio.read_dataframe(demo_path, layer="poi", where="category = '住宅小区'")
    # every building plate stands within reach of a compound of its name
    sample = blocks.sample(300, random_state=1)
    for p in sample.itertuples():
        same = homes[homes["name"] == p.compound]
        assert same.geometry.distance(p.geometry).min() <= 250.0
    # numbers run 1..k within a compound
    first = blocks.groupby(["compound", "street", "community"])["number"].min()
    assert (first == 1).mean() > 0.9


def test_complaints_carry_plate_addresses(demo_path):
    orders = pyogrio.read_dataframe(demo_path, layer="complaints", columns=["address"])
    a = orders["address"].dropna()
    assert a.str.endswith("号").mean() > 0.1 and a.str.endswith("栋").mean() > 0.05
