"""The attribute table's rows across layer switches, failed page reads and big selections.

One window factory for all: the ``main_window`` fixture of tests/gui/conftest.py."""

from __future__ import annotations

import sqlite3

import numpy as np


def _map_drawn(win, qtbot) -> None:
    """The first map is drawn (its caches written): the file stays as it is from here on."""
    c = win.canvas
    qtbot.waitUntil(lambda: c._image is not None and c._complete and not c._timer.isActive(), timeout=60_000)


def test_a_page_read_that_fails_says_so_and_a_scroll_reads_it_again(main_window, qtbot):
    win = main_window
    win.show_table("parcels")
    t = win.table
    m = t.model
    real = m.read_rows
    failing = [True]

    def flaky(fids):
        if failing[0]:
            raise sqlite3.OperationalError("database is locked")
        return real(fids)

    m.read_rows = flaky
    m._pages.clear()
    t.view.viewport().repaint()  # the rows in view are asked for: the read fails
    assert 0 in m.missing
    qtbot.waitUntil(lambda: "滚动表格可重试" in win.statusBar().currentMessage(), timeout=60_000)
    assert "database is locked" in win.statusBar().currentMessage()
    assert 0 not in m._pages  # blank for now (a paint meanwhile may have asked, and failed, again)
    failing[0] = False

    t.view.verticalScrollBar().setValue(t.view.verticalScrollBar().value() + 3)  # the user scrolls

    def scrolled_and_drawn():  # each paint asks again for rows not read (a read still failing
        t.view.viewport().repaint()  # when this began is forgotten, and the next paint asks)
        return 0 in m._pages

    qtbot.waitUntil(scrolled_and_drawn, timeout=60_000)
    expected = win.ws.read_features("parcels", fids=m.fids[:1], columns=m.columns[:1], geometry=False)
    assert m.data(m.index(0, 0)) == str(expected[m.columns[0]].iloc[0])


def test_switching_back_reads_nothing_until_the_file_changes(main_window, qtbot, demo_copy, monkeypatch):
    """The ids, first rows and filter example of a layer shown before are kept while the layer
    does not change (a write to another layer keeps them); another client's in-place edit is
    shown after the switch back."""
    import geopandas as gpd
    import shapely

    from lzt.gui.models import features
    from lzt.workspace import open_workspace

    win = main_window
    _map_drawn(win, qtbot)
    t = win.table
    win.show_table("supervision")
    qtbot.waitUntil(lambda: 0 in t.model._pages and not t._examples.busy and "如" in t.filter.placeholderText(),
                    timeout=60_000)
    ids, hint = t.model.fids, t.filter.placeholderText()
    col = t.model.columns.index("status")
    fid = int(ids[0])
    win.show_table("poi")
    reads = []
    real_ids = features.feature_ids
    monkeypatch.setattr(features, "feature_ids", lambda *a, **kw: reads.append(a[1]) or real_ids(*a, **kw))
    win.show_table("supervision")
    m = t.model
    assert m.fids is ids and reads == [] and 0 in m._pages  # kept: nothing read for the switch back
    assert t.filter.placeholderText() == hint
    old = m.data(m.index(0, col))
    new = "在建" if old != "在建" else "已竣工"

    other = open_workspace(demo_copy)
    try:
        other.write_layer("另一图层", gpd.GeoDataFrame({"label": ["甲"]}, geometry=[shapely.box(0, 0, 1, 1)],
                                                     crs=win.ws.crs))  # another layer written
        win.show_table("poi")
        reads.clear()
        win.show_table("supervision")
        assert t.model.fids is ids and reads == [] and 0 in t.model._pages  # still kept
        # another client edits a row of the layer in place and commits
        version = int(other.read_features("supervision", fids=[fid], columns=["version"],
                                          geometry=False)["version"].iloc[0])
        other.update_feature("supervision", fid, {"status": new}, expected_version=version)
    finally:
        other.close()
    win.show_table("poi")
    reads.clear()
    win.show_table("supervision")
    m = t.model
    assert reads == ["supervision"] and m.fids is not ids  # the file changed: read again
    t.view.scrollToTop()
    t.view.viewport().repaint()
    qtbot.waitUntil(lambda: 0 in m._pages, timeout=60_000)
    assert m.data(m.index(0, col)) == new


def test_a_selection_of_many_runs_is_shown_around_the_rows_in_view(main_window, qtbot, monkeypatch):
    """Past ``MAX_RANGES`` runs the table selects the runs around the rows in view; a scroll
    elsewhere selects those around the new rows; the session's selection stays whole."""
    from lzt.gui.panels import attribute_table

    monkeypatch.setattr(attribute_table, "MAX_RANGES", 4)
    win = main_window
    win.show_table("poi")
    t = win.table
    m = t.model
    chosen = np.sort(m.fids[np.arange(0, 4_000, 2)])  # 2,000 rows, each a run of its own
    win.session.select("poi", chosen)
    qtbot.waitUntil(lambda: len(t.view.selectionModel().selectedRows()) == 4)
    assert sorted(i.row() for i in t.view.selectionModel().selectedRows()) == [0, 2, 4, 6]

    def selected_in_view():
        top, bottom = t._rows_in_view()
        return [r for r in range(top, bottom + 1) if t.view.selectionModel().isRowSelected(r)]

    t.view.scrollTo(m.index(3_001, 0))
    qtbot.waitUntil(lambda: len(selected_in_view()) >= 2, timeout=10_000)
    top, bottom = t._rows_in_view()
    in_view = selected_in_view()
    assert all(r % 2 == 0 and r < 4_000 for r in in_view)  # the session's rows, no others
    assert len(t.view.selectionModel().selectedRows()) == 4
    assert (win.session.selection("poi") == chosen).all()  # the session's selection is whole
    t.view.selectRow(11)  # the user's own choice: the table holds all of it, no window moves
    assert win.session.selection("poi").tolist() == [int(m.fids[11])] and t._window is None


def test_ctrl_click_on_a_selection_of_many_runs_keeps_the_rest(main_window, qtbot, monkeypatch):
    """Ctrl+click adds or removes one row of a selection the table holds only around the rows
    in view: the session keeps every other selected row (it was cut to the window's runs)."""
    from PySide6.QtCore import Qt

    from lzt.gui.panels import attribute_table

    monkeypatch.setattr(attribute_table, "MAX_RANGES", 4)
    win = main_window
    win.show_table("poi")
    t = win.table
    m = t.model
    chosen = np.sort(m.fids[np.arange(0, 4_000, 2)])
    win.session.select("poi", chosen)
    qtbot.waitUntil(lambda: len(t.view.selectionModel().selectedRows()) == 4)
    t.view.scrollToTop()

    def ctrl_click(row):
        rect = t.view.visualRect(m.index(row, 1))
        qtbot.mouseClick(t.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                         rect.center())

    ctrl_click(1)  # an unselected row is added
    expected = np.union1d(chosen, [int(m.fids[1])])
    assert np.array_equal(np.sort(win.session.selection("poi")), expected)
    ctrl_click(2)  # a selected row is removed
    expected = np.setdiff1d(expected, [int(m.fids[2])])
    assert np.array_equal(np.sort(win.session.selection("poi")), expected)
    assert len(expected) == 2_000
