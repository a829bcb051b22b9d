"""The attribute table panel: filter, sort off the GUI thread, cancel, selection sync, masking.

One window factory for all: the ``main_window`` fixture of tests/gui/conftest.py."""

from __future__ import annotations

import pyogrio
from PySide6.QtCore import Qt

from lzt.core.sqlite_files import readable_by_gdal


def test_attribute_table_filter_sort_and_selection_sync(main_window, qtbot):
    win = main_window
    win.show_table("poi")
    t = win.table
    total = t.model.rowCount()
    assert total == win.ws.layer("poi").count
    t.filter.setText("category = '学校'")
    t.apply_filter()
    n = t.model.rowCount()
    # read through a snapshot: GDAL's own SQLite must not open the workspace the window holds
    # (closing it would delete the -wal under the window's connection, see lzt/core/sqlite_files.py)
    with readable_by_gdal(win.ws.uri) as path:
        schools = pyogrio.read_dataframe(path, layer="poi", where="category = '学校'", read_geometry=False)
    assert n == len(schools) and 0 < n < total
    cat_col = t.model.columns.index("category")
    assert {t.model.data(t.model.index(r, cat_col)) for r in range(min(n, 50))} == {"学校"}
    t.view.selectRow(3)
    fid = int(t.model.fids[3])
    assert list(win.session.selection("poi")) == [fid]
    win.session.select("poi", [int(t.model.fids[7])])  # map -> table
    assert [i.row() for i in t.view.selectionModel().selectedRows()] == [7]
    t.filter.setText("category = ")
    t.apply_filter()
    assert "筛选表达式" in t.message.text() and t.model.rowCount() == n  # bad expression: a message, no change
    name_col = t.model.columns.index("name")
    t.model.sort(name_col, Qt.SortOrder.AscendingOrder)
    first = [t.model.data(t.model.index(r, name_col)) for r in range(5)]
    assert first == sorted(schools["name"].astype(str))[:5]


def test_big_layer_sorts_off_the_gui_thread_and_a_cancel_changes_nothing(main_window, qtbot, monkeypatch):
    import time

    from PySide6.QtCore import QTimer

    from lzt.gui.models import features

    win = main_window
    win.show_table("poi")  # 100,000 rows: at the background threshold
    m = win.table.model
    assert m.rowCount() >= features.BACKGROUND_ROWS
    slow_sort = features.FeatureTableModel._sorted_fids

    def slow(self, *a, **kw):
        time.sleep(0.4)  # a sort that takes a while, as on a million rows
        return slow_sort(self, *a, **kw)

    monkeypatch.setattr(features.FeatureTableModel, "_sorted_fids", slow)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    col = m.columns.index("name")
    m.sort(col, Qt.SortOrder.DescendingOrder)
    timer.stop()
    assert len(ticks) >= 5  # the event loop ran while the column was read and sorted
    names = [m.data(m.index(r, col)) for r in range(3)]
    assert names == sorted(names, reverse=True)
    before = m.fids.copy()
    m.runner = lambda title, fn: (False, None)  # the user pressed 取消
    m.sort(col, Qt.SortOrder.AscendingOrder)
    assert (m.fids == before).all()
    assert m.set_filter("category = '学校'") is False and m.rowCount() == len(before)


def test_a_cancelled_sort_changes_nothing_and_the_window_waits_for_tasks(main_window, monkeypatch):
    from lzt.core.errors import CancelledError
    from lzt.core.feedback import Feedback
    from lzt.gui import tasks

    win = main_window
    win.show_table("poi")
    m = win.table.model
    before = m.fids.copy()

    def cancelled_runner(title, fn):  # the worker sees the cancel at its first check
        fb = Feedback()
        fb.cancel()
        try:
            return True, fn(fb)
        except CancelledError:
            return False, None

    m.runner = cancelled_runner
    m.sort(m.columns.index("name"), Qt.SortOrder.AscendingOrder)
    assert (m.fids == before).all() and m.sort_key is None
    header = win.table.view.horizontalHeader()
    header.setSortIndicator(m.columns.index("name"), Qt.SortOrder.AscendingOrder)  # as a click leaves it
    win.table._sort_failed(None)
    assert header.sortIndicatorSection() != m.columns.index("name")  # the arrow is put back (no sort yet)
    monkeypatch.setattr(tasks, "_running", 1)
    assert not win.close() and win.isVisible()  # a worker still reads the workspace
    monkeypatch.setattr(tasks, "_running", 0)


def test_complaint_rows_are_masked_in_the_table_and_identify(main_window):
    win = main_window
    win.show_table("complaints")
    m = win.table.model
    for col in ("citizen_name", "citizen_phone", "citizen_id"):
        text = m.data(m.index(0, m.columns.index(col)))
        assert "*" in text
    fid = int(m.fids[0])
    values = win.identify.show_feature("complaints", fid)
    assert "****" in values["citizen_phone"] and "*" in values["citizen_name"]


def test_sorting_keeps_the_selection_and_the_arrow(main_window):
    """A sort resets the model (no persistent-index walk over a big selection) and shows the
    session's selection again, on the rows where the sorted order put them."""
    import numpy as np

    win = main_window
    win.show_table("poi")
    t = win.table
    chosen = np.sort(t.model.fids[[2, 5, 9, 30]])
    win.session.select("poi", chosen)
    name_col = t.model.columns.index("name")
    t.view.sortByColumn(name_col, Qt.SortOrder.DescendingOrder)
    assert t.model.sort_key == (name_col, Qt.SortOrder.DescendingOrder)
    header = t.view.horizontalHeader()
    assert header.sortIndicatorSection() == name_col and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    rows = sorted(i.row() for i in t.view.selectionModel().selectedRows())
    assert sorted(int(f) for f in t.model.fids[rows]) == chosen.tolist()  # the same features, moved
    assert (win.session.selection("poi") == chosen).all()  # the sort did not change the selection


def test_row_runs_are_the_runs_of_consecutive_rows():
    import numpy as np

    from lzt.gui.panels.attribute_table import row_runs

    rng = np.random.default_rng(7)
    rows = np.sort(rng.choice(5_000, 1_800, replace=False))
    expected, first = [], None  # the runs by walking the rows one by one
    for i, r in enumerate(rows):
        if first is None:
            first = r
        if i + 1 == len(rows) or rows[i + 1] != r + 1:
            expected.append((int(first), int(r)))
            first = None
    assert row_runs(rows, 10**6) == expected
    assert row_runs(rows, 5) == expected[:5]
    assert row_runs(np.array([3]), 4) == [(3, 3)]
    assert row_runs(np.empty(0, dtype=np.int64), 4) == []


def test_rows_holding_are_the_rows_whose_id_is_chosen():
    import numpy as np

    from lzt.core.ids import rows_holding

    rng = np.random.default_rng(11)
    fids = rng.permutation(np.arange(1, 20_001, dtype=np.int64))  # a sorted table's row order
    chosen = np.sort(rng.choice(fids, 3_000, replace=False))
    expected = [i for i, f in enumerate(fids.tolist()) if f in set(chosen.tolist())]
    assert rows_holding(fids, chosen).tolist() == expected
    sparse = fids * 10**9  # ids too sparse for a flag array: the same answer another way
    assert rows_holding(sparse, chosen * 10**9).tolist() == expected
    assert rows_holding(fids, np.empty(0, dtype=np.int64)).tolist() == []


def test_a_big_selection_reaches_the_table_after_the_map_and_a_hidden_table_when_shown(main_window, qtbot,
                                                                                          monkeypatch):
    """A selection over ``DEFERRED_SYNC`` ids is shown on the rows in the next turn of the event
    loop; one made while the table is hidden when the table is shown again."""
    import numpy as np

    from lzt.gui.panels import attribute_table

    win = main_window
    win.show_table("poi")
    t = win.table
    monkeypatch.setattr(attribute_table, "DEFERRED_SYNC", 3)
    chosen = np.sort(t.model.fids[[1, 4, 6, 8, 12]])
    win.session.select("poi", chosen)
    assert not t.view.selectionModel().selectedRows()  # not yet: the map's turn first
    qtbot.waitUntil(lambda: len(t.view.selectionModel().selectedRows()) == 5)
    rows = sorted(i.row() for i in t.view.selectionModel().selectedRows())
    assert sorted(int(f) for f in t.model.fids[rows]) == chosen.tolist()
    t.hide()
    win.session.select("poi", chosen[:2])
    assert len(t.view.selectionModel().selectedRows()) == 5  # hidden: nothing done
    t.show()
    qtbot.waitUntil(lambda: len(t.view.selectionModel().selectedRows()) == 2)
    rows = sorted(i.row() for i in t.view.selectionModel().selectedRows())
    assert sorted(int(f) for f in t.model.fids[rows]) == chosen[:2].tolist()
