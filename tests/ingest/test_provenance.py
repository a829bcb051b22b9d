"""Field signatures of DataV, Amap, Baidu and datum-named columns; and what is not one."""

from __future__ import annotations

import pandas as pd
import pytest

from lzt.core.chinacoords import datum_in_name
from lzt.ingest.crs_detect import judge
from lzt.ingest.crs_geometry import GeometryEvidence
from lzt.ingest.provenance import clues


def sig(found):
    return {(c.datum, c.strength, c.signature) for c in found}


def test_datav_fields():
    df = pd.DataFrame({"adcode": [440307], "name": ["龙岗区"], "acroutes": ["[100000, 440000, 440300]"],
                       "parent": ['{"adcode": 440300}']})
    assert sig(clues(df)) == {("gcj02", "strong", "datav")}
    assert sig(clues(df[["adcode", "name"]])) == {("gcj02", "weak", "datav")}  # adcode alone: a hint


def test_amap_poi_ids_and_typecodes():
    df = pd.DataFrame({"id": ["B0FFG1ABCD", "B0H2KLM901", "B0FFJ3Q0XZ"],
                       "typecode": ["050000", "120302|120303", "141201"], "lng": [1, 2, 3], "lat": [1, 2, 3]})
    (c,) = clues(df, x_field="lng", y_field="lat")
    assert (c.datum, c.strength, c.signature, c.fields) == ("gcj02", "strong", "amap_poi", ("typecode", "id"))
    not_amap = pd.DataFrame({"id": ["1", "2", "3"], "typecode": ["A", "B", "C"]})
    assert clues(not_amap) == []


def test_baidu_uid():
    df = pd.DataFrame({"uid": ["435d7aea036e54355abbbcc8", "65e1ee886c885190f60e77ff"], "name": ["a", "b"]})
    assert sig(clues(df)) == {("bd09", "strong", "baidu_uid")}
    assert clues(pd.DataFrame({"uid": ["u1", "u2"]})) == []  # any other uid is no signature


@pytest.mark.parametrize("x, y, expect", [
    ("gcj_lng", "gcj_lat", ("gcj02", "strong")),
    ("bd_lng", "bd_lat", ("bd09", "strong")),
    ("百度经度", "百度纬度", ("bd09", "strong")),
    ("经度(GCJ02)", "纬度(GCJ02)", ("gcj02", "strong")),
    ("lng_wgs84", "lat_wgs84", ("wgs84", "strong")),
    ("GPS经度", "GPS纬度", ("wgs84", "weak")),  # "GPS" is often GCJ-02 in practice: a hint only
    ("lng", "lat", None),
    ("gcj_lng", "bd_lat", None),  # contradicting names say nothing
])
def test_coordinate_column_names(x, y, expect):
    found = clues(pd.DataFrame({x: [1.0], y: [2.0]}), x_field=x, y_field=y)
    assert ([(c.datum, c.strength) for c in found] or [None])[0] == expect


def test_datum_column_and_file_name():
    df = pd.DataFrame({"坐标系": ["GCJ-02"] * 9 + ["BD09"]})
    assert sig(clues(df)) == {("gcj02", "strong", "datum_column")}
    mixed = pd.DataFrame({"坐标系": ["GCJ-02"] * 5 + ["BD09"] * 5})
    assert clues(mixed) == []
    assert sig(clues(pd.DataFrame({"a": [1]}), path="poi_baidu_2024.csv")) == {("bd09", "weak", "file_name")}
    assert sig(clues(pd.DataFrame({"a": [1]}), path="440300_full.json")) == {("gcj02", "weak", "file_name")}
    assert clues(pd.DataFrame({"a": [1]}), path="abdomen.csv") == []  # not a word of its own


def test_modood_area_codes_are_no_signature(real_data):
    """The real modood areas.csv (code, name, cityCode, provinceCode) is a code list, not a
    DataV export: no clue."""
    df = pd.read_csv(real_data / "vector/areas.csv", dtype=str)
    assert "440307" in set(df["code"]) and clues(df, path=real_data / "vector/areas.csv") == []


def test_datum_in_name():
    assert datum_in_name("gcj_lng") == ("gcj02", "lng")
    assert datum_in_name("经度(GCJ02)") == ("gcj02", "经度")
    assert datum_in_name("BD-09") == ("bd09", "")
    assert datum_in_name("lat") == (None, "lat")


def _geo(status, best=None):
    return GeometryEvidence(status=status, best=best, residual_m=1.0 if best else None,
                            offsets_m={"wgs84-gcj02": 595.0, "wgs84-bd09": 1230.0, "gcj02-bd09": 940.0})


def test_judge_weighs_geometry_over_provenance():
    datav = clues(pd.DataFrame({"adcode": [1], "acroutes": ["[]"]}))
    v = judge(datav, _geo("conclusive", "wgs84"))
    assert (v.datum, v.confidence, v.flag) == ("wgs84", "medium", None) and "与之相左" in v.summary
    v = judge(datav, _geo("conclusive", "gcj02"))
    assert (v.datum, v.confidence, v.flag, v.basis) == ("gcj02", "high", "--coords gcj02",
                                                        ["geometry", "provenance"])
    v = judge(datav, _geo("inconclusive"))
    assert (v.datum, v.confidence) == ("gcj02", "medium")
    hint = clues(pd.DataFrame({"a": [1]}), path="gaode.csv")
    assert judge(hint, _geo("no_reference")).confidence == "low"
    assert judge([], _geo("no_reference")).datum is None
    v = judge(datav, _geo("outside_china"))
    assert (v.datum, v.flag) == ("wgs84", None) and "境外" in v.summary
