"""The gazetteer against a straightforward computation, its store in the workspace, and rebuilds."""

from __future__ import annotations

import shutil

import geopandas as gpd
import numpy as np
import pytest
import shapely

from lzt.search import gazetteer as gzm
from lzt.search import text
from lzt.workspace import create_workspace
from lzt.workspace.open import open_workspace

NAMING = {"name": "名称", "project": "项目名称", "holder": "受让人", "parcel_id": "宗地编号", "building_id": "建筑编号",
          "doorplate": "门牌"}
LEVEL_OF = {"district": "区", "streets": "街道", "communities": "社区", "roads": "道路"}


def _expected(ws) -> dict:
    """(layer, fid, role) -> (name, level, x, y), from whole layers read one by one."""
    out = {}
    for info in ws.layers():
        if info.kind in ("raster", "complaints") or not info.geometry_type:
            continue
        gdf = ws.read_layer(info.name)
        cols = [c for c in gdf.columns if c in NAMING]
        if "building_id" in cols:
            cols = [c for c in cols if c != "parcel_id"]
        for fid, row in gdf.iterrows():
            g = row.geometry
            if g is None or g.is_empty:
                x = y = np.nan
            elif g.geom_type == "Point":
                x, y = g.x, g.y
            elif g.geom_type in ("LineString", "MultiLineString"):
                line = shapely.line_merge(g) if g.geom_type == "MultiLineString" else g
                line = line.geoms[0] if line.geom_type == "MultiLineString" else line
                p = line.interpolate(0.5, normalized=True)
                x, y = p.x, p.y
            else:
                p = g.point_on_surface()
                x, y = p.x, p.y
            for c in cols:
                v = row[c]
                if not isinstance(v, str) or not v.strip():
                    continue
                level = LEVEL_OF.get(info.name, "门牌")
                if level == "门牌" and c == "name" and row.get("category") == "住宅小区":
                    level = "小区"
                out[(info.name, int(fid), NAMING[c])] = (v.strip(), level, x, y)
    return out


def _got(gz) -> dict:
    cols = [gz.col(c) for c in ("layer", "fid", "role", "name", "level", "x", "y")]
    return {(a, int(b), c): (d, e, x, y) for a, b, c, d, e, x, y in zip(*cols)}


@pytest.fixture(scope="module")
def demo_ws(demo_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("gaz") / "demo.gpkg"
    shutil.copyfile(demo_path, path)
    ws = open_workspace(path)
    yield ws
    gzm.forget(ws)
    ws.close()


def test_places_match_a_straightforward_reading_of_the_layers(demo_ws):
    want = _expected(demo_ws)
    got = _got(gzm.gazetteer(demo_ws))
    assert set(got) == set(want) and len(want) > 100_000
    for key, (name, level, x, y) in want.items():
        g = got[key]
        assert g[:2] == (name, level), key
        assert (np.isnan(x) and np.isnan(g[2])) or (abs(g[2] - x) < 1e-6 and abs(g[3] - y) < 1e-6), key


def test_every_place_is_found_by_its_name_and_areas_by_short_forms_and_initials(demo_ws):
    gz = gzm.gazetteer(demo_ws)
    layer, fid, name, level = gz.col("layer"), gz.col("fid"), gz.col("name"), gz.col("level")
    rng = np.random.default_rng(7)
    for r in rng.choice(len(gz), 3000, replace=False).tolist() + np.flatnonzero(level == "街道").tolist():
        n = text.normalise(name[r])
        if not n:
            continue
        found = {(layer[i], int(fid[i])) for i in gz.lookup(n).tolist()}
        assert (layer[r], int(fid[r])) in found, name[r]
        if level[r] in ("街道", "社区") and not n.endswith(level[r]):
            assert r in gz.lookup(n + level[r]).tolist()
            assert r in gz.lookup(text.initials(n)).tolist()
    assert gz.places.shape[0] == len(gz) and set(gz.forms.columns) == {"form", "place", "how"}


def _toy(uri) -> object:
    ws = create_workspace(uri)
    crs = "EPSG:4547"
    streets = gpd.GeoDataFrame({"name": ["龙城街道", "坪地街道"]},
                               geometry=[shapely.box(520_000, 2_510_000, 522_000, 2_512_000),
                                         shapely.box(530_000, 2_510_000, 532_000, 2_512_000)], crs=crs)
    poi = gpd.GeoDataFrame({"name": ["爱联花园", "便利店１", None, "  ", "（天安）数码城"],
                            "category": ["住宅小区", "便利店", "便利店", "便利店", None]},
                           geometry=shapely.points(np.arange(5) * 100 + 521_000.0, np.full(5, 2_511_000.0)),
                           crs=crs)
    ws.write_layer("streets", streets)
    ws.write_layer("poi", poi)
    return ws


@pytest.fixture(params=["gpkg", "postgis"])
def toy(request, tmp_path):
    uri = tmp_path / "toy.gpkg" if request.param == "gpkg" else request.getfixturevalue("pg_url")
    ws = _toy(uri)
    yield ws
    gzm.forget(ws)
    ws.close()


def test_a_new_process_loads_the_stored_gazetteer_and_a_changed_layer_alone_is_read_again(toy, monkeypatch):
    first = _got(gzm.gazetteer(toy))
    assert {v[0] for v in first.values()} == {"龙城街道", "坪地街道", "爱联花园", "便利店１", "（天安）数码城"}
    assert first[("poi", 1, "名称")][1] == "小区"
    read = []
    real = gzm.read_part
    monkeypatch.setattr(gzm, "read_part", lambda ws, info: read.append(info.name) or real(ws, info))
    gzm.forget(toy)  # as a new process: only the workspace's store is left
    again = gzm.gazetteer(toy)
    assert read == [] and _got(again) == first
    assert again.lookup("便利店1").size == 1 and again.lookup("天安数码城").size == 1
    assert again.lookup("龙城").size == 1 and again.lookup("lcjd").size == 1

    poi = toy.read_layer("poi")
    poi.loc[2, "name"] = "新开的店"
    toy.write_layer("poi", poi, replace=True)
    changed = gzm.gazetteer(toy)
    assert read == ["poi"]
    assert changed.lookup("新开的店").size == 1 and changed.lookup("龙城街道").size == 1

    toy.set_setting(gzm.ALIAS_SETTING, {"老爱联": "爱联花园"})
    aliased = gzm.gazetteer(toy)
    assert read == ["poi"]  # aliases merge the index again, no layer is read
    assert aliased.col("name")[aliased.lookup("老爱联")].tolist() == ["爱联花园"]


def test_text_codes_are_the_text_columns_factorised(toy):
    """``text_codes`` (the GeoPackage's pyarrow path, and its row-by-row fallback when a value holds
    the separator) gives the values of ``text_columns``: same fids, -1 where missing, distinct labels."""
    pts = shapely.points(np.arange(6) * 10 + 521_000.0, np.full(6, 2_511_000.0))
    plain = ["甲", None, "乙", "甲", "", " 丙 "]
    toy.write_layer("coded", gpd.GeoDataFrame({"name": plain, "street": [None, "龙城", None, "龙城", "坪地", None]},
                                              geometry=pts, crs="EPSG:4547"))
    toy.write_layer("coded_sep", gpd.GeoDataFrame({"name": plain[:5] + ["含\x1f分隔"]}, geometry=pts, crs="EPSG:4547"))
    for layer, cols in (("coded", ["name"]), ("coded", ["street", "name"]), ("coded_sep", ["name"])):
        fids, values = toy.text_columns(layer, cols)
        got_fids, coded = toy.text_codes(layer, cols)
        assert got_fids.tolist() == fids.tolist() and list(coded) == cols
        for c in cols:
            codes, labels = coded[c]
            assert len(set(labels)) == len(labels)
            assert [None if k < 0 else labels[k] for k in codes.tolist()] == values[c], (layer, c)
    assert toy.text_columns("coded_sep", ["name"])[1]["name"][-1] == "含\x1f分隔"


def test_take_gives_columns_at_rows_without_making_them(toy):
    gzm.gazetteer(toy)
    gzm.forget(toy)  # as a new process: loaded from the store
    gz = gzm.gazetteer(toy)
    rows = np.array([len(gz) - 1, 0, 2, 2, 1])
    taken = {c: gz.take(c, rows).tolist() for c in gzm.PLACE_COLUMNS}
    assert not gz._columns._made  # no whole column was made for it
    for c in gzm.PLACE_COLUMNS:
        assert taken[c] == gz.col(c)[rows].tolist(), c
    assert [gz.take(c, np.empty(0, dtype=np.int64)).tolist() for c in ("name", "norm", "x")] == [[], [], []]


def test_a_damaged_stored_part_is_read_again_from_its_layer(demo_path, tmp_path, monkeypatch, caplog):
    """A byte flipped inside a compressed array of a stored part (a new process loading the store):
    the part is read again from its layer and stored again, with one warning line; the gazetteer
    gives what a fresh build gives."""
    import json
    import logging
    import struct

    from lzt.workspace.packed import _MAGIC, load_packed

    path = tmp_path / "demo.gpkg"
    shutil.copyfile(demo_path, path)
    ws = open_workspace(path)
    try:
        fresh = gzm.gazetteer(ws)  # built from the layers
        want = _got(fresh)
        names = sorted(set(fresh.col("name").tolist()))[::500]
        found = {n: fresh.lookup(n).tolist() for n in names}
        gzm.forget(ws)
        blob = bytearray(ws.get_blob(gzm.KIND, "part:poi"))
        (size,) = struct.unpack_from("<Q", blob, len(_MAGIC))
        head = json.loads(bytes(blob[len(_MAGIC) + 8:len(_MAGIC) + 8 + size]))
        _, _, _, off, how = next(e for e in head["arrays"] if e[0] == "name")
        assert "zstd" in how  # a compressed array: its frame has a checksum
        blob[len(_MAGIC) + 8 + size + off + int(how["len"]) // 2] ^= 0x01
        ws.put_blobs(gzm.KIND, {"part:poi": bytes(blob)})
        read = []
        real = gzm.read_part
        monkeypatch.setattr(gzm, "read_part", lambda w, info: read.append(info.name) or real(w, info))
        with caplog.at_level(logging.WARNING, logger="lzt.search.gazetteer"):
            again = gzm.gazetteer(ws)  # as a new process: loaded from the store
            assert _got(again) == want
            assert {n: again.lookup(n).tolist() for n in names} == found
        assert read == ["poi"]
        lines = [r.getMessage() for r in caplog.records if r.name == "lzt.search.gazetteer"]
        assert len(lines) == 1 and "poi" in lines[0] and "damaged" in lines[0]
        stamp = dict(gzm._sources(ws)[0])["poi"]
        stored = load_packed(ws, gzm.KIND, "part:poi", stamp, lazy=True)
        part = real(ws, ws.layer("poi"))
        assert all(np.array_equal(stored[k], part[k]) for k in stored)  # stored again, readable
    finally:
        gzm.forget(ws)
        ws.close()
