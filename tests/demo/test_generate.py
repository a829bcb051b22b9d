"""The demo generator: deterministic, realistic, topologically sound."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from rasterio.io import MemoryFile

from lzt.demo.generate import generate, recipe

EXTENT = (504638, 2498540, 536113, 2524231)
STREETS = {"平湖": "440307003", "坪地": "440307006", "南湾": "440307012", "坂田": "440307013",
           "布吉": "440307014", "龙城": "440307015", "龙岗": "440307016", "横岗": "440307017",
           "吉华": "440307018", "宝龙": "440307019", "园山": "440307020"}


@pytest.fixture(scope="module")
def demo():
    return generate("small")


def test_deterministic(demo):
    again = generate("small")
    for (name, a), (_, b) in zip(demo.layers(), again.layers()):
        assert (shapely.to_wkb(a.geometry.values) == shapely.to_wkb(b.geometry.values)).all(), name
        assert a.drop(columns="geometry").equals(b.drop(columns="geometry")), name
    assert demo.dem_tif == again.dem_tif


def test_district_size_and_extent(demo):
    d = demo.district.geometry.iloc[0]
    assert d.is_valid and abs(d.area / 1e6 - 388.22) / 388.22 < 0.03
    minx, miny, maxx, maxy = d.bounds
    assert minx >= EXTENT[0] and miny >= EXTENT[1] and maxx <= EXTENT[2] and maxy <= EXTENT[3]
    assert len(d.exterior.coords) > 30  # not a rectangle


def test_streets_tile_the_district(demo):
    assert dict(zip(demo.streets["name"], demo.streets["code"])) == STREETS
    d = demo.district.geometry.iloc[0]
    g = demo.streets.geometry.values
    assert abs(shapely.union_all(g).area - d.area) / d.area < 1e-4
    assert abs(shapely.area(g).sum() - d.area) / d.area < 1e-4  # no overlaps
    for s in recipe()["streets"]:  # every real centroid lies in its own street
        row = demo.streets[demo.streets["name"] == s["name"]].geometry.iloc[0]
        assert row.contains(shapely.Point(s["centroid"]))


def test_communities_nested(demo):
    c = demo.communities
    assert len(c) == 111
    counts = c.groupby("street").size()
    assert counts.between(8, 15).all() and set(counts.index) == set(STREETS)
    streets = dict(zip(demo.streets["name"], demo.streets.geometry.values))
    for row in c.itertuples():
        assert streets[row.street].buffer(0.01).contains(row.geometry)
        assert row.code.startswith(STREETS[row.street]) and len(row.code) == 12
    assert abs(c["population"].sum() - 3_979_037) < 200


def test_parcels_realistic(demo):
    p = demo.parcels
    assert len(p) >= 20_000 and p["parcel_id"].is_unique
    g = np.asarray(p.geometry.values, dtype=object)
    assert shapely.is_valid(g).all()
    np.testing.assert_allclose(p["area_m2"], shapely.area(g), atol=0.06)
    assert 300 <= p["area_m2"].min() and p["area_m2"].median() < 20_000 and p["area_m2"].max() < 200_000
    assert set(p["landuse_code"].str[0]) <= set("RABMWSUG") and (p["landuse_scheme"] == "GB50137-2011").all()
    # no overlaps: a sample against an STRtree of all parcels
    tree = shapely.STRtree(g)
    sample = np.random.default_rng(0).choice(len(g), 500, replace=False)
    pairs = tree.query(g[sample], predicate="overlaps")
    overlap = shapely.area(shapely.intersection(g[sample][pairs[0]], g[pairs[1]]))
    assert overlap.max(initial=0) < 0.01  # shared edges may differ by float noise, no real overlap
    # parcels do not cross expressways or main roads
    main = demo.roads[demo.roads["road_class"].isin(["高速公路", "主干路"])].geometry.values
    assert len(tree.query(np.asarray(main, dtype=object), predicate="crosses")[0]) == 0


def test_poi_clustered_and_attributed(demo):
    poi = demo.poi
    assert len(poi) == 100_000 and poi["street"].notna().mean() > 0.99
    d = demo.district.geometry.iloc[0]
    assert shapely.contains_xy(d.buffer(50), poi.geometry.x, poi.geometry.y).all()
    # clustered, not uniform: the busiest 10 % of 500 m cells hold far more than 10 % of points
    cells = (poi.geometry.x // 500).astype(int) * 1000 + (poi.geometry.y // 500).astype(int)
    counts = np.sort(cells.value_counts().to_numpy())[::-1]
    assert counts[: len(counts) // 10].sum() / counts.sum() > 0.2


def test_dem(demo):
    with MemoryFile(demo.dem_tif) as mem, mem.open() as ds:
        assert ds.crs.to_epsg() == 4547 and ds.res == (30.0, 30.0)
        z = ds.read(1)
        assert 0 < z.min() < 80 and 400 < z.max() < 1000
        b = ds.bounds
        assert b.left <= EXTENT[0] and b.top >= EXTENT[3]


@pytest.mark.slow
def test_district_scale():
    d = generate("district")
    assert len(d.parcels) >= 100_000 and len(d.poi) == 1_000_000
