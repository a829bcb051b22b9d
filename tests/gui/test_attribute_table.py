"""The attribute table follows its layer's content, not its name: a query run again under the
same result name, an edit, a layer replaced by another connection. Its header arrow follows a
layer switch, its placeholder example works on the layer shown, and values read as values
(no NaT, no microseconds)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from lzt.gui.panels.query import RESULT


def _all_cells(model) -> list[list[str]]:
    """Every cell as the view would paint it (what scrolling through the table reads)."""
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def _run_query(win, layer: str, where: str) -> int:
    q = win.query
    q.layer.setCurrentText(layer)
    q.predicate.setCurrentIndex(0)  # attributes only
    q.where.setText(where)
    return q.run()


def test_query_run_again_under_the_same_name_reloads_rows_and_columns(main_window):
    win = main_window
    n1 = _run_query(win, "poi", "category = '学校'")
    win.show_table(RESULT)
    t = win.table
    assert t.model.layer == RESULT and "category" in t.model.columns and t.model.rowCount() == n1
    first = t.model

    n2 = _run_query(win, "complaints", "cat_l1 = '城市管理'")
    QApplication.processEvents()
    assert n2 != n1
    assert t.model is not first  # a new model over the new content
    assert t.layer_box.currentText() == RESULT
    assert "order_id" in t.model.columns and "category" not in t.model.columns
    assert t.model.rowCount() == n2 == win.ws.layer(RESULT).count
    cells = _all_cells(t.model)  # scrolling over every row: no error, values of the new rows
    ids = set(win.ws.read_features(RESULT, columns=["order_id"], geometry=False)["order_id"])
    col = t.model.columns.index("order_id")
    assert {row[col] for row in cells} == ids

    # a click selects the feature of the row clicked
    row = 7
    t.view.selectionModel().select(t.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                   | QItemSelectionModel.SelectionFlag.Rows)
    fid = int(win.session.selection(RESULT)[0])
    got = win.ws.read_features(RESULT, fids=[fid], columns=["order_id"], geometry=False)["order_id"].iloc[0]
    assert got == cells[row][col]


def test_an_edit_through_the_session_and_a_replacement_elsewhere_reload_the_table(main_window, demo_copy):
    win = main_window
    win.show_table("supervision")
    t = win.table
    t.filter.setText("status = '已竣工'")
    t.apply_filter()
    n = t.model.rowCount()
    fid = int(t.model.fids[0])
    col = t.model.columns.index("status")
    assert t.model.data(t.model.index(0, col)) == "已竣工"
    shown = t.model
    win.session.set_opacity("poi", 0.5)  # the map changes, the layer does not: the table stays as it is
    assert t.model is shown and t.model.where_text == "status = '已竣工'"
    win.ws.update_feature("supervision", fid, {"status": "在建"}, expected_version=int(
        win.ws.read_features("supervision", fids=[fid], columns=["version"], geometry=False)["version"].iloc[0]))
    win.session.mark_edited("supervision")
    assert t.model.where_text == "status = '已竣工'", t.message.text()
    assert t.model.rowCount() == n - 1 and fid not in t.model.fids

    # another connection replaces a layer under the table: the model notices on the next paint
    import geopandas as gpd
    import shapely

    from lzt.workspace import open_workspace

    win.show_table("streets")
    other = open_workspace(demo_copy)
    try:
        other.write_layer("streets", gpd.GeoDataFrame({"label": ["甲", "乙"]},
                                                      geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 1, 2, 2)],
                                                      crs=win.ws.crs), replace=True)
    finally:
        other.close()
    old = t.model
    old._pages.clear()
    old.data(old.index(0, 0))  # the view paints: the read fails once, quietly
    assert old.failed is not None and old.data(old.index(0, 0)) is None
    QApplication.processEvents()  # the queued reload
    assert t.model is not old and t.model.columns == ["label"] and t.model.rowCount() == 2


def test_sort_arrow_follows_a_layer_switch_and_the_placeholder_example_filters(main_window, qtbot):
    win = main_window
    t = win.table
    win.show_table("parcels")
    header = t.view.horizontalHeader()
    area = t.model.columns.index("area_m2")
    header.setSortIndicator(area, Qt.SortOrder.DescendingOrder)  # the user clicks the header
    assert t.model.sort_key == (area, Qt.SortOrder.DescendingOrder)
    values = [float(t.model.data(t.model.index(r, area))) for r in range(5)]
    assert values == sorted(values, reverse=True)
    win.show_table("roads")  # rows in id order: no arrow on the column of the same index
    assert t.model.sort_key is None and header.sortIndicatorSection() == -1
    win.show_table("parcels")
    assert t.model.sort_key is None and header.sortIndicatorSection() == -1

    for s in win.session.layers:
        if s.kind == "raster":
            continue
        win.show_table(s.name)
        example = t.model.example_filter()
        qtbot.waitUntil(lambda: example in t.filter.placeholderText())  # a big layer's: the next turn
        hint = t.filter.placeholderText()
        assert example and example in hint, (s.name, hint)
        t.filter.setText(example)
        t.apply_filter()
        assert t.message.text() == "", (s.name, example, t.message.text())
        assert 0 < t.model.rowCount() <= win.ws.layer(s.name).count, (s.name, example)


def test_filters_take_chinese_quotes_and_full_width_operators(main_window):
    win = main_window
    win.show_table("poi")
    t = win.table
    t.filter.setText("category = '学校'")
    t.apply_filter()
    ascii_rows = list(t.model.fids)
    for typed in ("category = ‘学校’", "category = “学校”", "category ＝ “学校”", "category IN （‘学校’，‘不存在’）"):
        t.filter.setText(typed)
        t.apply_filter()
        assert t.message.text() == "" and list(t.model.fids) == ascii_rows, typed


def test_no_nat_and_no_microseconds_in_table_identify_and_lists(main_window):
    win = main_window
    ws = win.ws
    df = ws.read_features("complaints", columns=["order_id", "closed_at"], geometry=False)
    missing = int(df.index[df["closed_at"].isna()][0])
    fraction = df["closed_at"].dropna()
    fraction = fraction[fraction.dt.microsecond > 0]
    fid = int(fraction.index[0])
    when = fraction.iloc[0]

    win.show_table("complaints")
    t = win.table
    col = t.model.columns.index("closed_at")
    shown = {int(t.model.fids[r]): t.model.data(t.model.index(r, col)) for r in range(t.model.rowCount())
             if int(t.model.fids[r]) in (fid, missing)}
    assert shown[missing] == ""
    assert shown[fid] == when.strftime("%Y-%m-%d %H:%M:%S")
    for r in range(200):
        for c in range(t.model.columnCount()):
            text = t.model.data(t.model.index(r, c))
            assert text != "NaT" and not (text and "." in text and text[:4].isdigit() and ":" in text)

    values = win.identify.show_feature("complaints", missing)
    items = {win.identify.table.item(i, 0).text(): win.identify.table.item(i, 1).text()
             for i in range(win.identify.table.rowCount())}
    assert "NaT" not in items.values() and pd.isna(values["closed_at"])
    win.identify.show_feature("complaints", fid)
    texts = [win.identify.table.item(i, 1).text() for i in range(win.identify.table.rowCount())]
    assert when.strftime("%Y-%m-%d %H:%M:%S") in texts and str(when) not in texts

    # DATE fields read as dates (no 00:00:00), audit times in Beijing time
    win.show_table("supervision")
    col = t.model.columns.index("signed_on")
    assert len(t.model.data(t.model.index(0, col))) == 10
    from lzt.gui.models.values import display_value

    assert display_value("2026-12-05T11:59:01.207Z") == "2026-12-05 19:59:01"
    assert display_value(np.datetime64("NaT")) == "" and display_value(pd.NaT, "DATETIME") == ""


@pytest.mark.parametrize("value, expected", [(1234.5, 1200), (0.0567, 0.056), (5.0, 5), (99.9, 99)])
def test_example_thresholds_round_down(value, expected):
    from lzt.gui.models.features import _round_down

    assert _round_down(value) == expected and _round_down(value) <= value


def test_the_rows_a_paint_asks_for_are_read_in_a_worker(main_window, qtbot):
    """A layer switch or a scroll draws its rows when a worker has read them (fetch on paint):
    the page read and masked on the GUI thread was 50-300 ms of a district layer switch. Other
    callers of ``data`` still get the value at once; a sort drops the rows read for the old order."""
    import threading

    win = main_window
    win.show_table("parcels")
    t = win.table
    m = t.model
    reads = []
    real = m.read_rows
    m.read_rows = lambda fids: reads.append((threading.current_thread() is threading.main_thread(),
                                             int(fids[0]))) or real(fids)
    m._pages.clear()
    t.view.viewport().repaint()  # the view paints: rows not read yet are asked for, drawn empty
    assert 0 in m.missing and 0 not in m._pages
    qtbot.waitUntil(lambda: 0 in m._pages and not m.missing, timeout=60_000)
    assert reads and all(not on_gui for on_gui, _ in reads)
    expected = win.ws.read_features("parcels", fids=m.fids[:3], columns=m.columns[:1], geometry=False)
    assert [m.data(m.index(r, 0)) for r in range(3)] == [str(v) for v in expected[m.columns[0]]]

    reads.clear()
    t.view.scrollToBottom()
    t.view.viewport().repaint()
    last = (m.rowCount() - 1) // 500
    qtbot.waitUntil(lambda: last in m._pages, timeout=60_000)
    assert reads and all(not on_gui for on_gui, _ in reads)

    col = m.columns.index("area_m2")
    old_fids = m.fids
    stale = [(last, m._pages[last])]
    m.sort(col, Qt.SortOrder.DescendingOrder)
    assert m.add_pages(old_fids, stale) is False and last not in m._pages  # read for the old order: dropped
    reads.clear()
    assert m.data(m.index(0, col)) is not None  # not painting: read here, at once
    assert reads == [(True, int(m.fids[0]))]


def test_a_cell_answers_every_role_in_one_call_as_data_does(main_window):
    """``multiData`` (one call into Python a painted cell) gives what ``data`` gives, role by
    role; ``index`` is valid inside the table only."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan

    win = main_window
    win.show_table("poi")
    m = win.table.model
    assert m is not None and m.rowCount() > 2 and m.columnCount() > 1
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
             Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.DecorationRole)
    shown = 0
    for r in (0, 1, m.rowCount() - 1):
        for c in range(m.columnCount()):
            idx = m.index(r, c)
            assert idx.isValid() and (idx.row(), idx.column()) == (r, c)
            for role in roles:
                rd = QModelRoleData(int(role))
                m.multiData(idx, QModelRoleDataSpan(rd))
                assert rd.data() == m.data(idx, role), (r, c, role)
                shown += rd.data() is not None
    assert shown > 0  # the display and tooltip roles have values
    for row, col in ((-1, 0), (m.rowCount(), 0), (0, m.columnCount()), (0, -1)):
        assert not m.index(row, col).isValid()
    assert not m.index(0, 0, m.index(0, 0)).isValid()  # no children: a table
