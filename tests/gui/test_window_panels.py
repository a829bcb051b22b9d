"""The main window opens with the panels not seen at first still to build (issue 19.4: the
window-open gap); they are built in later turns of the event loop, at once when asked for,
and the user's saved layout of the docks is kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from lzt.gui.window_panels import DOCKS, ORDER, TABS


def _open(path):
    from lzt.gui.app import make_app, open_main_window

    make_app("zh_CN")
    return open_main_window(path)


def test_panels_are_built_after_the_window_opens(qtbot, demo_copy):
    win = _open(demo_copy)
    qtbot.addWidget(win)
    try:
        assert [k for k in ORDER if win.built_panel(k) is not None] == []  # none built in the constructor
        assert win.tabs.count() == 4 and win.tabs.tabText(1) == "批后监管"
        win.show()
        qtbot.waitUntil(lambda: all(win.built_panel(k) is not None for k in ORDER), timeout=120_000)
        from lzt.gui.panels.dashboard import Dashboard
        from lzt.gui.panels.query import QueryPanel
        from lzt.gui.panels.supervision import SupervisionBench

        assert isinstance(win.tabs.widget(1), SupervisionBench) and win.tabs.widget(1) is win.bench
        assert isinstance(win.tabs.widget(2), Dashboard) and win.tabs.tabText(2) == "民意看板"
        assert win.tabs.widget(3) is win.view3d and win.tabs.count() == 4
        assert isinstance(win.docks["query"].widget(), QueryPanel) and win.docks["query"].widget() is win.query
        for key in DOCKS:
            assert win.docks[key].widget() is win.panel(key)
        assert win.tabs.currentWidget() is win.canvas  # building them chose no other tab
        assert not win.bench.loaded and not win.dashboard.loaded  # nor ran their work
    finally:
        win.close()


def test_a_tab_or_dock_asked_for_before_its_panel_is_built_gets_it_at_once(qtbot, demo_copy):
    win = _open(demo_copy)
    qtbot.addWidget(win)
    try:
        win.resize(1200, 800)
        win.show()
        assert win.built_panel("bench") is None
        win.tabs.setCurrentIndex(1)  # the user clicks 批后监管
        assert win.built_panel("bench") is not None and win.tabs.currentWidget() is win.bench
        assert win.tabs.tabText(1) == "批后监管"
        qtbot.waitUntil(lambda: len(win.bench.checks) > 0, timeout=120_000)  # its page runs its checks
        assert win.built_panel("swipe") is None or win.docks["swipe"].isHidden()
        win.show_compare("swipe")  # the 工具 menu
        assert win.docks["swipe"].isVisible() and win.docks["swipe"].widget() is win.swipe_panel
        assert win.swipe_panel.enabled.isChecked()
    finally:
        win.close()


def test_the_saved_dock_layout_is_kept(qtbot, demo_copy):
    first = _open(demo_copy)
    qtbot.addWidget(first)
    first.resize(1400, 900)
    first.show()
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.docks["query"])  # the user moves it
    first.docks["query"].show()
    first.docks["warnings"].show()
    first.docks["identify"].hide()
    first.close()

    win = _open(demo_copy)
    qtbot.addWidget(win)
    try:
        win.resize(1400, 900)
        win.show()
        qtbot.waitUntil(lambda: all(win.built_panel(k) is not None for k in ORDER), timeout=120_000)
        assert win.dockWidgetArea(win.docks["query"]) == Qt.DockWidgetArea.LeftDockWidgetArea
        assert win.docks["query"].isVisible() and win.docks["warnings"].isVisible()
        assert win.docks["identify"].isHidden()
        assert win.docks["warnings"].widget() is win.warnings
        assert not any(isinstance(w, QDockWidget) and w.widget() is None for w in win.docks.values())
        assert set(TABS) <= set(ORDER)
    finally:
        win.close()
