"""The viewer model without Qt: draw order, layer state, time window, selection and view moves,
each checked against what the workspace holds, computed independently here."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from lzt.core.errors import LztInputError
from lzt.session.model import Session
from tests.conftest import longgang_points


def _polygons(n: int = 3) -> gpd.GeoDataFrame:
    boxes = [shapely.box(510_000 + 1000 * i, 2_505_000, 510_800 + 1000 * i, 2_505_800) for i in range(n)]
    return gpd.GeoDataFrame({"name": [f"区{i}" for i in range(n)]}, geometry=boxes, crs="EPSG:4547")


def _complaints(n: int = 200) -> gpd.GeoDataFrame:
    gdf = longgang_points(n, seed=7)
    days = pd.Timestamp("2026-01-01") + pd.to_timedelta(np.arange(n) % 60, "D")
    gdf["received_at"] = days.strftime("%Y-%m-%dT%H:%M:%S.000")
    return gdf


@pytest.fixture
def session(ws):
    ws.write_layer("pois", longgang_points(50))
    ws.write_layer("parcels", _polygons())
    ws.write_layer("complaints", _complaints(), kind="complaints")
    return Session(ws)


def test_layers_are_stacked_by_kind_then_geometry(session):
    assert [s.name for s in session.layers] == ["parcels", "pois", "complaints"]  # polygons, points, complaints on top
    assert session.current == "complaints"


def test_new_layers_come_in_on_top_and_kept_state_survives_reload(session, ws):
    session.set_opacity("parcels", 1.7)  # clamped
    session.set_visible("pois", False)
    ws.write_layer("roads", _polygons(1))
    session.reload()
    assert [s.name for s in session.layers][-1] == "roads"
    assert session.layer("parcels").opacity == 1.0 and session.layer("pois").visible is False
    assert [n for n, _, _ in session.drawn_layers()] == ["parcels", "complaints", "roads"]


def test_move_remove_and_show_back(session):
    events: list[str] = []
    session.layers_changed.connect(lambda: events.append("layers"))
    session.move("complaints", 0)
    assert [s.name for s in session.layers] == ["complaints", "parcels", "pois"]
    session.select("pois", [1, 2])
    session.remove("pois")
    assert session.off_map() == ["pois"] and "pois" not in [s.name for s in session.layers]
    assert len(session.selection("pois")) == 0
    session.show("pois")
    assert [s.name for s in session.layers][-1] == "pois" and session.off_map() == []
    assert events.count("layers") == 3
    with pytest.raises(LztInputError):
        session.show("nothing")


def test_the_time_window_filters_complaints_only(session, ws):
    session.set_time_range((date(2026, 1, 10), date(2026, 1, 19)))
    assert session.layer_filter("pois") is None
    where = session.layer_filter("complaints")
    shown = ws.read_features("complaints", where=where, columns=["received_at"])
    every = ws.read_features("complaints", columns=["received_at"])
    day = pd.to_datetime(every["received_at"]).dt.date
    expected = every.index[(day >= date(2026, 1, 10)) & (day <= date(2026, 1, 19))]
    assert sorted(shown.index) == sorted(expected) and len(expected) > 0
    with pytest.raises(ValueError):
        session.set_time_range((date(2026, 2, 1), date(2026, 1, 1)))


def test_selection_modes_and_events(session):
    seen: list[str] = []
    session.selection_changed.connect(lambda layer: seen.append(layer))
    session.select("pois", [5, 3, 3, 9])
    session.select("pois", [9, 11], mode="add")
    session.select("pois", [3], mode="remove")
    session.select("pois", [5, 9, 11])  # the same set: no event
    assert list(session.selection("pois")) == [5, 9, 11]
    assert seen == ["pois"] * 3
    session.clear_selection()
    assert len(session.selection("pois")) == 0 and seen[-1] == "pois"
    with pytest.raises(ValueError):
        session.select("pois", [1], mode="xor")


def test_pan_keeps_the_scale_and_zoom_to_selection_fits(session, ws):
    session.set_extent((500_000, 2_500_000, 502_000, 2_501_000))
    session.pan_to("parcels", [1])
    x0, y0, x1, y1 = session.extent
    assert (x1 - x0, y1 - y0) == pytest.approx((2000, 1000))
    b = ws.read_features("parcels", fids=[1]).total_bounds
    assert ((x0 + x1) / 2, (y0 + y1) / 2) == pytest.approx(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2))
    session.select("parcels", [1, 3])
    session.zoom_to_selection("parcels")
    both = ws.read_features("parcels", fids=[1, 3]).total_bounds
    x0, y0, x1, y1 = session.extent
    assert x0 < both[0] and y0 < both[1] and x1 > both[2] and y1 > both[3]


def test_a_layer_written_again_under_its_name_has_a_new_version(session, ws):
    before = session.layer_version("pois")
    ws.write_layer("pois", longgang_points(20, seed=3), replace=True)
    assert session.layer_version("pois") != before
    edited = session.layer_version("parcels")
    session.mark_edited("parcels")
    assert session.layer_version("parcels") != edited
