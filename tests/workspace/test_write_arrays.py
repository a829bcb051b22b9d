"""write_arrays with plain_columns: the same stored rows as write_layer of the GeoDataFrame built
from the same records, without pandas (GeoPackage)."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from lzt.workspace.field_types import column_array, field_type, plain_columns

RECORDS = [
    {"name": "甲", "n": 3, "n_missing": 3, "x": 1.5, "x_int": 2, "flag": True, "flag_missing": True,
     "none": None, "nan": float("nan"), "np_float": np.float64(0.1), "np_int": np.int64(7), "text_missing": "a",
     "Geom": "g", "FID": 1},
    {"name": "乙", "n": -4, "n_missing": None, "x": None, "x_int": 2.5, "flag": False, "flag_missing": None,
     "none": None, "nan": 2.0, "np_float": np.float64(float("nan")), "np_int": np.int64(-1), "text_missing": None,
     "Geom": "h", "FID": 2},
    {"name": "", "n": 0, "n_missing": 5, "x": float("inf"), "x_int": None, "flag": True, "flag_missing": False,
     "none": None, "nan": None, "np_float": 2.0, "np_int": 0, "text_missing": "c", "Geom": None, "FID": 3},
]


@pytest.mark.parametrize("records", [RECORDS, RECORDS[:1], RECORDS[1:2]])
def test_plain_columns_type_and_convert_as_the_frame_does(records):
    names, ftypes, values = plain_columns(records)
    df = pd.DataFrame(records)
    assert names == list(df.columns)
    for name, got in zip(names, values):
        assert ftypes[name] == field_type(df[name]), name
        want = column_array(df[name], ftypes[name])
        assert [(type(v), v) for v in got] == [(type(v), v) for v in want], name


@pytest.mark.parametrize("records", [[{"a": 1}, {"b": 2}], [{"a": True}, {"a": 1}], [{"a": "x"}, {"a": 1.0}],
                                     [{"a": [1]}], [{"a": 1 << 70}], []])
def test_plain_columns_leave_what_they_do_not_type_to_the_frame(records):
    assert plain_columns(records) is None


@pytest.mark.gpkg_only
def test_write_arrays_stores_the_rows_write_layer_stores(ws):
    geoms = [shapely.MultiPolygon([shapely.box(500_000, 2_500_000, 500_010 + i, 2_500_020)]) for i in range(2)] + [None]
    frame = gpd.GeoDataFrame(pd.DataFrame(RECORDS), geometry=gpd.GeoSeries(geoms), crs=ws.crs)
    ws.write_layer("by_frame", frame, kind="bim", source="test")
    shapes = np.empty(len(geoms), dtype=object)
    shapes[:] = geoms
    ws.write_arrays("by_arrays", shapes, *plain_columns(RECORDS), kind="bim", source="test")
    conn = sqlite3.connect(ws.path)
    assert conn.execute("SELECT * FROM by_frame").fetchall() == conn.execute("SELECT * FROM by_arrays").fetchall()
    schema = [conn.execute(f"PRAGMA table_info({t})").fetchall() for t in ("by_frame", "by_arrays")]
    assert schema[0] == schema[1]
    for shadow in ("node", "parent", "rowid"):
        assert (conn.execute(f"SELECT * FROM rtree_by_frame_geom_{shadow}").fetchall()
                == conn.execute(f"SELECT * FROM rtree_by_arrays_geom_{shadow}").fetchall())
    rows = [conn.execute("SELECT kind, geometry_type, crs, count, minx, miny, maxx, maxy, source FROM "
                         "lzt_layers WHERE name = ?", (t,)).fetchone() for t in ("by_frame", "by_arrays")]
    assert rows[0] == rows[1]
    conn.close()
