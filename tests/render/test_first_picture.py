"""The map's first picture (the layers at hand) is drawn without pandas, geopandas or pyproj
(issue 18.5): the render thread no longer waits for the warm-up's imports. The plain-array read
gives what the frame read gives; the pandas-free classes and label texts are pandas' own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from lzt.render import classify as cl
from lzt.render.cache import FeatureSource
from lzt.workspace import create_workspace

X0, Y0 = 520_000.0, 2_510_000.0


@pytest.fixture
def mixed_ws(tmp_path):
    ws = create_workspace(tmp_path / "ws.gpkg")
    geoms = [shapely.box(X0 + 100 * i, Y0, X0 + 100 * i + 60, Y0 + 60) for i in range(30)]
    geoms[4] = shapely.MultiPolygon([geoms[4], shapely.box(X0, Y0 + 500, X0 + 10, Y0 + 510)])
    frame = gpd.GeoDataFrame({
        "name": [None if i % 7 == 3 else f"地块{i}" for i in range(30)],
        "height": [np.nan if i % 5 == 0 else 3.5 * i for i in range(30)],
        "floors": pd.array([None if i % 4 == 1 else i for i in range(30)], dtype="Int64"),
        "count": list(range(30)),
        "when": pd.to_datetime(["2024-01-02"] * 30),
    }, geometry=geoms, crs="EPSG:4547")
    ws.write_layer("parcels", frame)
    yield ws
    ws.close()


@pytest.mark.parametrize("bbox", [None, (X0 + 150, Y0 - 10, X0 + 1_030, Y0 + 30)])
def test_plain_arrays_give_what_the_frame_gives(mixed_ws, bbox):
    cols = ["name", "height", "floors", "count"]
    fids, geoms, attrs = mixed_ws.read_arrays("parcels", bbox=bbox, columns=cols)
    gdf = mixed_ws.read_features("parcels", bbox=bbox, columns=cols)
    assert 0 < len(fids) == len(gdf) and (bbox is None) == (len(fids) == 30)
    assert np.array_equal(fids, gdf.index.to_numpy())
    assert shapely.equals(geoms, gdf.geometry.values).all()
    assert attrs["name"].tolist() == gdf["name"].tolist()
    assert np.array_equal(attrs["height"], gdf["height"].to_numpy(), equal_nan=True)
    assert attrs["count"].dtype == np.int64 and np.array_equal(attrs["count"], gdf["count"].to_numpy())
    assert mixed_ws.fields("parcels")["floors"] == "INTEGER" and attrs["floors"].dtype == object
    assert attrs["floors"].tolist() == [None if v is pd.NA else int(v) for v in gdf["floors"].tolist()]
    assert mixed_ws.read_arrays("parcels", columns=["when"]) is None  # dates: the frame types them


def test_render_source_reads_plain_arrays(mixed_ws, monkeypatch):
    src = FeatureSource(mixed_ws)
    calls = []
    monkeypatch.setattr(mixed_ws, "read_features", lambda *a, **k: calls.append(k))
    data = src.vectors("parcels", "s", (X0, Y0, X0 + 3_000, Y0 + 600), ("name", "height"))
    assert calls == [] and data.packed.count == 30 and data.complete
    assert data.attrs["name"][0] == "地块0" and np.isnan(data.attrs["height"][0])


VALUES = [
    np.array(["R2", "R21", None, "", "M1", "B", "R2", np.nan], dtype=object),
    np.array([1, 1.0, True, "1", None, float("nan"), "R2x", "M", 2.5, "2.5"], dtype=object),
    np.arange(12) % 4,
    np.linspace(0, 10, 9),
    np.array(["1", "x", None, "3.5", 7, float("nan")], dtype=object),
    np.array([], dtype=object),
    # numbers as text the way spreadsheets in Chinese hold them: full-width digits, an ideographic
    # space, a digit group mark; pandas reads none of them as a number (Python's float() does)
    np.array(["１２", "12\u3000", "\u300012", "1_000", "٣", " 12 ", "1e3", "inf", "-Infinity", "+5", ".5",
              b"12", b"1_000"],
             dtype=object),
]


@pytest.mark.parametrize("values", VALUES, ids=range(len(VALUES)))
def test_keys_and_numbers_without_pandas_are_pandas_own(values, monkeypatch):
    with_pandas = cl.value_keys(values), cl.to_float(values)
    monkeypatch.setattr(cl, "_pandas_ready", lambda: False)
    keys, codes = cl.value_keys(values)
    # the same key for each value (the distinct keys may come in another order)
    want_keys, want_codes = with_pandas[0]
    assert [keys[c] for c in codes] == [want_keys[c] for c in want_codes]
    assert np.array_equal(cl.to_float(values), with_pandas[1], equal_nan=True)


CHILD = r"""
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from dataclasses import replace
from lzt.gui.app import make_app
app = make_app("zh_CN")
from lzt.render import qt_types
from lzt.render.cache import source_for
from lzt.render.job import quick_layers, render_to_image
from lzt.render.request import RenderRequest, fit_extent, snapshot_layers
from lzt.session import Session
from lzt.workspace import open_workspace
ws = open_workspace(sys.argv[1])
drawn = Session(ws).drawn_layers()
layers = snapshot_layers(ws, [n for n, _, _ in drawn], None, {}, {n: o for n, o, _ in drawn})
req = RenderRequest(tuple(fit_extent(Session(ws).full_extent(), 800, 500)), 800, 500, 96, layers, "#ffffff")
qt_types.ready()
src = source_for(ws)
quick = quick_layers(req, src)
img, res = render_to_image(replace(req, layers=quick), src)
heavy = [m for m in ("pandas", "geopandas", "pyproj") if m in sys.modules]
drawn = {n: (r.mode, r.drawn) for n, r in res.layers.items()}
print("RESULT " + json.dumps({"heavy": heavy, "drawn": drawn, "labels": res.labels,
                              "styles": {s.name: type(s.style.renderer).__name__ for s in quick}}))
"""


def test_first_picture_needs_no_pandas(demo_copy):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    out = subprocess.run([sys.executable, "-c", CHILD, str(demo_copy)], capture_output=True, text=True,
                         timeout=300, env=env)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert line is not None, out.stderr[-2000:]
    res = json.loads(line[7:])
    assert res["heavy"] == []
    # categorised and ramp styles, labels: drawn all the same
    assert "CategorizedRenderer" in res["styles"].values() and res["labels"] > 0
    assert sum(d for _, d in res["drawn"].values()) > 0


def test_labels_and_classes_from_a_frame_are_the_plain_reads(mixed_ws, monkeypatch):
    """The render source's columns from a frame (after the warm-up; PostGIS; big layers) and from
    the plain arrays (the first picture) give the same labels and classes. A nullable INTEGER
    column's to_numpy is float64 in pandas 3: labels "3.0" instead of "3", and a categorised style
    on it matched no category ("3.0" is not "3"). Missing values and NaT are no label, not "<NA>"/"NaT"."""
    from lzt.render.painter import _label_texts
    from lzt.render.request import LayerSnapshot
    from lzt.render.style import CategorizedRenderer, Category, Symbol

    snap = LayerSnapshot("parcels", "vector", "Polygon", style=None)
    cols = ("name", "height", "floors", "count")
    box = (X0, Y0, X0 + 3_000, Y0 + 600)
    plain = FeatureSource(mixed_ws).vectors("parcels", "s", box, cols).attrs
    monkeypatch.setattr(mixed_ws, "read_arrays", lambda *a, **k: None)
    framed = FeatureSource(mixed_ws).vectors("parcels", "s", box, cols).attrs
    for c in cols:
        assert _label_texts(snap, c, framed) == _label_texts(snap, c, plain), c
    assert _label_texts(snap, "floors", plain)[:3] == ["0", "", "2"]
    ren = CategorizedRenderer("floors", (Category(2, "2", Symbol()), Category(8, "8", Symbol())))
    np.testing.assert_array_equal(cl.classify(ren, framed, 30)[0], cl.classify(ren, plain, 30)[0])
    assert (cl.classify(ren, framed, 30)[0] >= 0).sum() == 2
    when = mixed_ws.read_features("parcels", columns=["when"])["when"].to_numpy().copy()
    when[2] = np.datetime64("NaT")
    assert _label_texts(snap, "when", {"when": when})[2] == ""
