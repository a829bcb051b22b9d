"""Which CRS is this? The verdict on each class of lon/lat input against its known truth, and
the residuals against an independent computation (brute-force distances, no index)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from lzt.core import chinacoords
from lzt.ingest import ImportOptions, import_paths
from lzt.ingest.crs_detect import advice, detect_file
from lzt.ingest.crs_geometry import sample_vertices
from lzt.workspace import create_workspace, open_workspace
from tests import crs_fixtures as fx

TO_WS = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True)


@pytest.fixture(scope="module")
def files(demo_path, tmp_path_factory, request):
    """Each class of fixture file, made from the demo's own layers."""
    real = request.config.rootpath.parent / "shared" / "data" / "real"
    d = tmp_path_factory.mktemp("crs")
    ws = open_workspace(demo_path)
    try:
        out = {"datav": fx.datav_geojson(ws, d / "440307.json", real=real if real.is_dir() else None),
               "district_plain": fx.datav_geojson(ws, d / "district.geojson", datav_fields=False),
               "amap": fx.amap_poi_csv(ws, d / "amap_poi.csv"),
               "baidu": fx.baidu_csv(ws, d / "baidu_poi.csv"),
               "baidu_named": fx.baidu_csv(ws, d / "points.csv", columns=("bd_lng", "bd_lat"), uid=False),
               "wgs84": fx.wgs84_roads_geojson(ws, d / "roads.geojson"),
               "guangzhou": fx.far_amap_csv(d / "gz.csv")}
    finally:
        ws.close()
    return out


@pytest.fixture(scope="module")
def demo(demo_path):
    ws = open_workspace(demo_path)
    yield ws
    ws.close()


def verdict_of(ws, path):
    found = detect_file(ws, path)
    assert len(found) == 1 and found[0].lonlat
    return found[0].verdict


@pytest.mark.parametrize("name, datum, flag, basis", [
    ("datav", "gcj02", "--coords gcj02", {"geometry", "provenance"}),
    ("district_plain", "gcj02", "--coords gcj02", {"geometry"}),  # the geometry alone decides
    ("amap", "gcj02", "--coords gcj02", {"geometry", "provenance"}),
    ("baidu", "bd09", "--coords bd09", {"geometry", "provenance"}),
    ("baidu_named", "bd09", "--coords bd09", {"geometry", "provenance"}),
    ("wgs84", "wgs84", None, {"geometry"}),
])
def test_verdict_per_class_matches_the_truth(demo, files, name, datum, flag, basis):
    v = verdict_of(demo, files[name])
    assert (v.datum, v.flag, v.confidence, set(v.basis)) == (datum, flag, "high", basis)
    geo = v.geometry
    assert geo.status == "conclusive" and geo.best == datum
    assert geo.residual_m < 8.0  # the fixtures carry up to 6 m of displacement per axis
    # every layer that decides agrees, and the wrong readings are far worse there
    for fit in (f for f in geo.layers if f.decides):
        assert fit.best == datum
        wrong = [m for h, m in fit.median_m.items() if h != datum]
        assert all(m is None or m > 2 * fit.median_m[datum] + 5 for m in wrong)
    # DOMAIN.md §3.2: the GCJ shift is 585-606 m over Longgang, BD-09 ~1.2 km from WGS84
    assert 585 <= geo.offsets_m["wgs84-gcj02"] <= 606
    assert 1150 <= geo.offsets_m["wgs84-bd09"] <= 1300
    if flag:
        assert f"{geo.offsets_m['wgs84-' + datum]:.0f} m" in v.summary and flag in advice(v, "导入")


def _brute_median(sample_xy, refs, r):
    """Median distance from each point to the union of ``refs`` (no spatial index), inf beyond r."""
    union = shapely.union_all(refs)
    d = shapely.distance(shapely.points(sample_xy), union)
    return float(np.median(np.where(d <= r, d, np.inf)))


def test_residuals_match_an_independent_computation(demo, files):
    """Recompute the DataV file's residuals on the streets layer from scratch: the sample,
    each reading (chinacoords + pyproj), the same extent rule, brute-force distances."""
    path = files["datav"]
    v = verdict_of(demo, path)
    fit = next(f for f in v.geometry.layers if f.layer == "streets")
    import geopandas as gpd

    geoms = np.asarray(gpd.read_file(path).geometry.values, dtype=object)
    info = demo.layer("streets")
    b = info.extent
    # the sampling window: the reference layers' joint extent (the demo's layers share one) + 0.02°
    window = Transformer.from_crs(4547, 4326, always_xy=True).transform_bounds(*b, densify_pts=21)
    window = (window[0] - 0.02, window[1] - 0.02, window[2] + 0.02, window[3] + 0.02)
    ll, _ = sample_vertices(geoms, within=window)
    assert len(ll) == v.geometry.sample
    xy = {}
    for h in ("wgs84", "gcj02", "bd09"):
        lon, lat = chinacoords.to_wgs84(ll[:, 0], ll[:, 1], h)
        xy[h] = np.column_stack(TO_WS.transform(lon, lat))
    r = fit.radius_m
    keep = np.logical_and.reduce([(p[:, 0] >= b[0] - r) & (p[:, 0] <= b[2] + r) & (p[:, 1] >= b[1] - r)
                                  & (p[:, 1] <= b[3] + r) for p in xy.values()])
    assert keep.sum() == fit.points
    streets = demo.read_features("streets", columns=[])
    lines = shapely.boundary(np.asarray(streets.geometry.values, dtype=object))
    for h, p in xy.items():
        expect = _brute_median(p[keep], lines, r)
        got = fit.median_m[h]
        if np.isfinite(expect):
            assert got == pytest.approx(expect, abs=0.01)
        else:
            assert got is None
    # and the true reading's residual is the fixture's own noise, not zero and not hundreds
    assert 0.5 < fit.median_m["gcj02"] < 6.0


def test_empty_workspace_leaves_provenance_to_decide(ws, files):
    v = verdict_of(ws, files["datav"])
    assert (v.datum, v.confidence, v.basis, v.flag) == ("gcj02", "medium", ["provenance"], "--coords gcj02")
    assert v.geometry.status == "no_reference" and "工作空间里没有可比对的图层" in v.summary
    v = verdict_of(ws, files["wgs84"])  # no evidence at all: nothing claimed
    assert (v.datum, v.confidence, v.flag) == (None, "none", None) and "无法判断" in v.summary


def test_data_outside_the_workspace_extent(demo, files):
    v = verdict_of(demo, files["guangzhou"])
    assert v.geometry.status == "no_reference" and v.geometry.layers == []
    assert (v.datum, v.confidence, v.basis) == ("gcj02", "medium", ["provenance"])
    assert 600 < v.geometry.offsets_m["wgs84-gcj02"] < 650  # the shift in Guangzhou


def test_import_without_flag_warns_and_never_corrects(demo_copy, files):
    ws = open_workspace(demo_copy)
    try:
        rep = import_paths(ws, [files["datav"]])[0]
        v = rep.crs_verdict
        assert v["datum"] == "gcj02" and v["flag"] == "--coords gcj02" and v["imported_as"] == "wgs84"
        assert rep.coords == "wgs84"
        warn = [w for w in rep.warnings if "--coords gcj02" in w]
        assert len(warn) == 1 and "--replace" in warn[0] and not any("no CRS" in w for w in rep.warnings)
        stored = ws.read_features(rep.layer, columns=["name"])
        district = ws.read_features("district", columns=[]).geometry.iloc[0]
        # stored where WGS84 puts it: ~590 m off the district's own outline (nothing moved)
        off = shapely.hausdorff_distance(stored.geometry.iloc[0], district)
        assert 550 < off < 650
        rep2 = import_paths(ws, [files["datav"]], ImportOptions(coords="gcj02", replace=True))[0]
        v2 = rep2.crs_verdict
        assert v2["datum"] == "gcj02" and v2["flag"] is None and rep2.coords == "gcj02"
        assert not any("--coords" in w for w in rep2.warnings)
        assert "坐标核对 GCJ-02" in rep2.text_zh() and "已由 GCJ-02 纠偏至 WGS84" in rep2.text_zh()
        assert 585 <= rep2.extra["coords_shift"]["median_m"] <= 606
        fixed = ws.read_features(rep2.layer, columns=[]).geometry.iloc[0]
        assert shapely.hausdorff_distance(fixed, district) < 10  # the fixture's own noise
    finally:
        ws.close()


def test_a_wrong_coords_flag_is_contradicted(demo_copy, files):
    ws = open_workspace(demo_copy)
    try:
        rep = import_paths(ws, [files["wgs84"]], ImportOptions(coords="gcj02", layer="roads_in"))[0]
        v = rep.crs_verdict
        assert (v["datum"], v["flag"], v["imported_as"]) == ("wgs84", "--coords wgs84", "gcj02")
        assert any("--coords wgs84" in w for w in rep.warnings)
    finally:
        ws.close()


def test_layers_flagged_as_another_datum_are_not_references(demo_copy, files, tmp_path):
    """A layer imported as WGS84 but believed GCJ-02 must not vouch for the next file."""
    ws = open_workspace(demo_copy)
    try:
        import_paths(ws, [files["district_plain"]], ImportOptions(layer="wrongly_placed"))
        copy = tmp_path / "again.geojson"
        shutil.copy(files["district_plain"], copy)
        copy.write_text(copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # another hash
        v = verdict_of(ws, copy)
        assert "wrongly_placed" not in [f.layer for f in v.geometry.layers]
        assert v.datum == "gcj02"
    finally:
        ws.close()


def test_outside_china_gcj02_is_identity_and_says_nothing_moved(tmp_path, real_data):
    ws = create_workspace(tmp_path / "merc.gpkg", "EPSG:3857")
    try:
        shp = real_data / "vector/coutwildrnp.shp"
        v = verdict_of(ws, shp)
        assert v.geometry.status == "outside_china" and v.datum == "wgs84" and v.flag is None
        assert v.geometry.offsets_m["wgs84-gcj02"] == 0.0
        rep = import_paths(ws, [shp], ImportOptions(coords="gcj02"))[0]
        assert rep.extra["coords_shift"]["moved"] == 0 and rep.extra["coords_shift"]["features"] == 67
        assert "已纠偏" not in rep.text_zh() and "坐标未移动" in rep.text_zh()
        assert any("nothing moved" in w for w in rep.warnings)
        assert rep.crs_verdict["datum"] == "wgs84" and rep.crs_verdict["flag"] is None  # the same there
        stored = ws.read_features("coutwildrnp", columns=[])
        import geopandas as gpd

        ref = gpd.read_file(shp).to_crs(3857)
        assert np.allclose(stored.total_bounds, ref.total_bounds, atol=1e-6)
    finally:
        ws.close()


def test_partly_outside_china_counts_what_did_not_move(tmp_path):
    import pandas as pd

    ws = create_workspace(tmp_path / "merc.gpkg", "EPSG:3857")
    try:
        p = tmp_path / "pts.csv"
        pd.DataFrame({"lng": [114.25, 114.06, 139.7], "lat": [22.72, 22.64, 35.68]}).to_csv(p, index=False)
        rep = import_paths(ws, [p], ImportOptions(coords="gcj02"))[0]
        assert rep.extra["coords_shift"]["moved"] == 2 and rep.extra["coords_shift"]["features"] == 3
        assert any("1 of 3 features lie outside China" in w for w in rep.warnings)
    finally:
        ws.close()


@pytest.mark.parametrize("n", [50, 400])
def test_unrelated_points_get_no_verdict(demo, n):
    """Points that share nothing with the workspace (uniform over the district) must not make
    any reading win by chance: layers that cover about half the ground (points inside or
    outside parcels) flip a median easily; the sign test keeps them out."""
    from lzt.ingest.crs_detect import detect
    from tests.conftest import longgang_points

    for seed in range(1, 9):
        g = longgang_points(n, seed).to_crs("EPSG:4326")
        v = detect(demo, np.asarray(g.geometry.values, dtype=object), g.drop(columns="geometry"))
        assert v.datum is None and v.geometry.status == "inconclusive", (seed, v.summary)


def test_sign_test_p():
    from lzt.ingest.crs_geometry import sign_test_p

    assert sign_test_p(12, 0) == pytest.approx(1 / 4096)
    assert sign_test_p(5, 5) == pytest.approx(sum(__import__("math").comb(10, j) for j in range(5, 11)) / 1024)
    assert sign_test_p(0, 0) == 1.0


def test_shared_postgis_workspace_judges_alike(pg_url, demo, files):
    """The evidence comes through the storage interface: a PostGIS workspace holding the same
    reference layers gives the same verdict and residuals."""
    pg = create_workspace(pg_url)
    try:
        for name in ("district", "streets", "poi"):
            pg.write_layer(name, demo.read_features(name, columns=[]))
        for key in ("datav", "amap"):
            want, got = verdict_of(demo, files[key]), verdict_of(pg, files[key])
            assert (got.datum, got.confidence, got.flag) == (want.datum, "high", want.flag)
            by_layer = {f.layer: f.median_m for f in want.geometry.layers}
            for fit in got.geometry.layers:
                assert fit.median_m == pytest.approx(by_layer[fit.layer], abs=0.01)
    finally:
        pg.close()
