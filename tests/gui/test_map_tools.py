"""The scale box takes what a Chinese input method types; a layer taken off the map can be put back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lzt.gui.canvas.map_canvas import parse_scale


@pytest.mark.parametrize("typed, n", [("1:2000", 2000), ("1：2000", 2000), ("１：２０００", 2000), ("1:2,000", 2000),
                                      ("1：2，000", 2000), ("1/2000", 2000), ("1比2000", 2000), ("2000", 2000),
                                      (" 1 : 500 ", 500), ("1:1万", 10_000), ("1：2.5万", 25_000)])
def test_scale_text_as_typed(typed, n):
    assert parse_scale(typed) == n


@pytest.mark.parametrize("typed", ["", "abc", "1:0", "1:-5", "1:2000:3", "二千"])
def test_not_a_scale(typed):
    assert parse_scale(typed) is None


def test_scale_box_takes_the_full_width_colon_and_says_when_it_cannot(main_window, qtbot):
    win = main_window
    box = win.scale_box
    box.lineEdit().setText("1：2000")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert win.canvas.scale() == pytest.approx(2000, rel=1e-6)
    box.lineEdit().setText("１：５００")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert win.canvas.scale() == pytest.approx(500, rel=1e-6)
    box.lineEdit().setText("一比二千")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert win.canvas.scale() == pytest.approx(500, rel=1e-6)  # unchanged, and said
    assert "无法识别的比例尺" in win.statusBar().currentMessage()
    assert parse_scale(box.currentText()) == pytest.approx(500, rel=1e-3)  # the box shows the map's scale again


def test_a_removed_layer_is_put_back_from_the_workspace_menu(main_window):
    win = main_window
    panel = win.layer_panel
    panel._fill_workspace_menu()
    (only,) = panel.workspace_menu.actions()
    assert not only.isEnabled()  # every layer is on the map
    win.session.set_current("roads")
    panel._remove()
    assert "roads" not in [s.name for s in win.session.layers] and win.ws.has_layer("roads")
    assert win.session.off_map() == ["roads"]
    panel.workspace_menu.aboutToShow.emit()
    actions = panel.workspace_menu.actions()
    assert [a.text().split()[0] for a in actions] == ["roads"]
    actions[0].trigger()
    assert "roads" in [s.name for s in win.session.layers] and win.session.layer("roads").visible
    assert win.session.off_map() == []
    assert "roads" in [x.name for x in win.canvas.build_request().layers]
    tree = panel.tree
    assert "roads" in [tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) for i in range(tree.topLevelItemCount())]
