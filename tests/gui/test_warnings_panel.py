"""The dashboard's 苗头预警 button, the warnings panel (list, zoom, select) and the briefing export."""

import json


def test_warnings_panel_lists_and_zooms(main_window, qtbot):
    win = main_window
    win.show_view("dashboard")
    win.dashboard.warnings_requested.emit()  # the button's signal: shows the panel and computes
    panel = win.warnings
    assert win.docks["warnings"].isVisible()
    assert panel.table.rowCount() == len(panel.alerts) > 0
    assert "预警" in panel.summary.text()
    kinds = {panel.table.item(i, 1).text() for i in range(panel.table.rowCount())}
    assert {"异动", "多人同诉", "一人多诉", "敏感词"} <= kinds
    row = next(i for i, a in enumerate(panel.alerts) if a.kind == "异动" and a.area != "全区")
    before = win.session.extent
    panel.table.selectRow(row)
    a = panel.alerts[row]
    x0, y0, x1, y1 = win.session.extent
    gx0, gy0, gx1, gy1 = a.geometry.bounds
    assert win.session.extent != before and x0 <= gx0 and y0 <= gy0 and x1 >= gx1 and y1 >= gy1
    assert set(win.session.selection("complaints")) == set(a.fids)
    shown = " ".join(panel.table.item(i, j).text() + panel.table.item(i, j).toolTip()
                     for i in range(panel.table.rowCount()) for j in range(6))
    assert "13602461357" not in shown and "陈建国" not in shown
    assert json.dumps([x.to_json() for x in panel.alerts], ensure_ascii=False)


def test_briefing_from_the_gui(main_window, tmp_path):
    from lzt.gui.panels.warnings import save_briefing

    out = save_briefing(main_window, main_window.session, period="month", out=str(tmp_path / "月报.docx"))
    assert out and (tmp_path / "月报.docx").stat().st_size > 20_000
