"""CityJSON buildings read as footprints with heights: an LOD2 gabled house with semantics,
a building made of parts, a text sequence, a compound CRS, and bad files refused in one line."""

from __future__ import annotations

import json

import pytest
import shapely

from layers.cityjson import read_cityjson
from layers.registry import read_vector, sniff
from lzt.core.errors import LztInputError

X0, Y0 = 84_000.0, 447_000.0  # Amersfoort / RD New, as in the 3D BAG


def _gabled_house(x0=0.0, y0=0.0, ground=2.0, eave=6.0, ridge=9.0):
    """An LOD2 solid 10 x 8 m with a ridge along x: vertices (relative) and boundaries."""
    v = [(x0, y0, ground), (x0 + 10, y0, ground), (x0 + 10, y0 + 8, ground), (x0, y0 + 8, ground),
         (x0, y0, eave), (x0 + 10, y0, eave), (x0 + 10, y0 + 8, eave), (x0, y0 + 8, eave),
         (x0, y0 + 4, ridge), (x0 + 10, y0 + 4, ridge)]
    shell = [[[0, 3, 2, 1]], [[0, 1, 5, 4]], [[1, 2, 6, 9, 5]], [[2, 3, 7, 6]], [[3, 0, 4, 8, 7]],
             [[4, 5, 9, 8]], [[6, 7, 8, 9]]]
    values = [0, 2, 2, 2, 2, 1, 1]
    return v, shell, values


def _doc(tmp_path, name="bag.city.json", crs="https://www.opengis.net/def/crs/EPSG/0/7415"):
    v1, s1, val1 = _gabled_house()
    v2, s2, _ = _gabled_house(30, 0, ground=1.0, eave=4.0, ridge=4.0)
    s2 = [[[i + len(v1) for i in ring] for ring in face] for face in s2]
    verts = [[round(x * 1000), round(y * 1000), round(z * 1000)] for x, y, z in v1 + v2]
    sem = {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"}, {"type": "WallSurface"}],
           "values": [val1]}
    doc = {"type": "CityJSON", "version": "2.0",
           "transform": {"scale": [0.001, 0.001, 0.001], "translate": [X0, Y0, 0.0]},
           "metadata": {"referenceSystem": crs},
           "CityObjects": {
               "house": {"type": "Building", "attributes": {"roofType": "gabled", "tags": {"a": 1}},
                         "geometry": [{"type": "Solid", "lod": "2.2", "boundaries": [s1], "semantics": sem},
                                      {"type": "MultiSurface", "lod": "0", "boundaries": [[[0, 3, 2, 1]]]}]},
               "shed": {"type": "Building", "children": ["shed-part"]},
               "shed-part": {"type": "BuildingPart", "parents": ["shed"],
                             "geometry": [{"type": "Solid", "lod": "1", "boundaries": [s2]}]},
               "road": {"type": "Road", "geometry": []}},
           "vertices": verts}
    p = tmp_path / name
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p, doc


def test_lod2_buildings_with_parts(tmp_path):
    p, _ = _doc(tmp_path)
    assert sniff(p) == ".cityjson"
    (layer,) = read_vector(p)
    assert layer.crs.to_epsg() == 28992  # the horizontal part of RD New + NAP height
    assert any("Road 1" in w for w in layer.warnings)
    gdf = layer.gdf.set_index("cityjson_id")
    assert set(gdf.index) == {"house", "shed"}
    house = gdf.loc["house"]
    assert house["lod"] == "2.2" and house["roofType"] == "gabled" and json.loads(house["tags"]) == {"a": 1}
    assert house["ground_z"] == 2.0 and house["roof_z"] == 9.0 and house["height_m"] == 7.0
    assert house.geometry.equals(shapely.box(X0, Y0, X0 + 10, Y0 + 8))
    shed = gdf.loc["shed"]
    assert shed["height_m"] == 3.0 and shed.geometry.equals(shapely.box(X0 + 30, Y0, X0 + 40, Y0 + 8))


def test_text_sequence(tmp_path):
    _, doc = _doc(tmp_path)
    head = {k: doc[k] for k in ("type", "version", "transform", "metadata")} | {"CityObjects": {}, "vertices": []}
    feat = {"type": "CityJSONFeature", "id": "house", "CityObjects": {"house": doc["CityObjects"]["house"]},
            "vertices": doc["vertices"]}
    p = tmp_path / "bag.city.jsonl"
    p.write_text(json.dumps(head) + "\n" + json.dumps(feat) + "\n", encoding="utf-8")
    (layer,) = read_cityjson(p)
    assert list(layer.gdf["cityjson_id"]) == ["house"] and layer.gdf["height_m"].iloc[0] == 7.0


def test_without_semantics_the_lowest_faces_are_the_footprint(tmp_path):
    p, doc = _doc(tmp_path)
    del doc["CityObjects"]["house"]["geometry"][0]["semantics"]
    p.write_text(json.dumps(doc), encoding="utf-8")
    (layer,) = read_cityjson(p)
    house = layer.gdf.set_index("cityjson_id").loc["house"]
    assert house.geometry.equals(shapely.box(X0, Y0, X0 + 10, Y0 + 8))


@pytest.mark.parametrize("mutate,words", [
    (lambda d: d["CityObjects"].pop("house") and d["CityObjects"].pop("shed")
     and d["CityObjects"].pop("shed-part"), "no buildings"),
    (lambda d: d["metadata"].update(referenceSystem="urn:local:site"), "not an EPSG CRS"),
    (lambda d: d["vertices"].pop() and d["vertices"].pop(), "vertices the file does not have"),
])
def test_bad_files_one_line(tmp_path, mutate, words):
    p, doc = _doc(tmp_path)
    mutate(doc)
    p.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(LztInputError) as e:
        read_vector(p)
    assert words in e.value.problem and str(p) in e.value.one_line()


def test_cli_import_makes_a_buildings_layer(tmp_path):
    from lzt.cli.main import main
    from lzt.workspace import open_workspace

    p, _ = _doc(tmp_path, crs="https://www.opengis.net/def/crs/EPSG/0/4547")
    doc = json.loads(p.read_text(encoding="utf-8"))
    doc["transform"]["translate"] = [515_000.0, 2_511_000.0, 0.0]
    p.write_text(json.dumps(doc), encoding="utf-8")
    ws_path = tmp_path / "w.gpkg"
    assert main(["init", str(ws_path)]) == 0
    assert main(["import", str(ws_path), str(p), "--layer", "city"]) == 0
    ws = open_workspace(ws_path)
    try:
        gdf = ws.read_features("city")
    finally:
        ws.close()
    assert sorted(gdf["height_m"]) == [3.0, 7.0]
