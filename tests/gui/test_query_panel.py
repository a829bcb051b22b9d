"""The query panel: a result layer, kept or replaced.

One window factory for all: the ``main_window`` fixture of tests/gui/conftest.py."""

from __future__ import annotations

import numpy as np
import shapely


def test_query_panel_result_layer_keep(main_window):
    win = main_window
    q = win.query
    q.layer.setCurrentText("poi")
    q.predicate.setCurrentText("位于其内")
    q.against.setCurrentText("communities")
    q.other_where.setText("name = '南岭村'")
    q.where.setText("category = '学校'")
    n = q.run()
    comm = win.ws.read_features("communities", columns=["name"])
    poly = comm[comm["name"] == "南岭村"].geometry.iloc[0]
    poi = win.ws.read_features("poi", bbox=poly.bounds, columns=["category"])
    expect = int((shapely.within(np.asarray(poi.geometry.values, dtype=object), poly) & (poi["category"] == "学校")).sum())
    assert n == expect and win.ws.layer("查询结果").count == n
    assert len(win.session.selection("查询结果")) == n
    assert q.keep_as("南岭村学校") == "南岭村学校"
    assert win.ws.has_layer("南岭村学校") and not win.ws.has_layer("查询结果")
