"""What you see is what you print: the sheet dialog hands the map's state to the sheet (visible
layers in their order, styles, opacity, the dashboard's time window), so the printed map draws
exactly the layers, symbols and features the canvas draws."""

from __future__ import annotations

import pandas as pd
from PySide6.QtGui import QImage, QPainter

from lzt.export.sheet import draw_sheet, plan_sheet, sheet_page
from lzt.gui.dialogs.sheet import SheetDialog
from lzt.render.request import snapshot_layers


def _sheet_snapshots(ws, spec):
    page = sheet_page(ws, plan_sheet(ws, spec))
    return page, snapshot_layers(ws, page.layers, None, page.filters, page.opacity)


def _drawn(ws, spec) -> dict:
    """Draw the sheet into an image (as ``lzt sheet`` does) and return what each layer drew."""
    plan = plan_sheet(ws, spec)
    k = spec.dpi / 25.4
    img = QImage(int(plan.layout.page_w * k), int(plan.layout.page_h * k), QImage.Format.Format_ARGB32)
    p = QPainter(img)
    try:
        result = draw_sheet(p, ws, plan, spec.dpi)
    finally:
        p.end()
    return result.layers


def test_the_sheet_takes_the_maps_layers_order_opacity_and_time_window(main_window):
    win = main_window
    s = win.session
    win.show_view("dashboard")
    d = win.dashboard
    assert d.wait_idle()
    d.span.setCurrentText("3 个月")
    assert d.wait_idle() and s.time_range is not None
    first, last = s.time_range
    s.set_opacity("parcels", 0.4)
    s.set_visible("poi", False)
    s.move("roads", len(s.layers) - 1)  # roads to the top of the list
    win.show_view("map")

    dlg = SheetDialog(s, win.canvas, win)
    dlg.auto_scale.setChecked(False)
    dlg.scale.setValue(400_000)  # the whole district on the sheet
    spec = dlg.spec(dpi=30)
    assert "poi" not in spec.layers and spec.layers[-1] == "roads"
    assert dict(spec.opacity) == {"parcels": 0.4}
    page, snaps = _sheet_snapshots(win.ws, spec)
    assert snaps == win.canvas.build_request().layers  # names, draw order, styles with opacity, filters
    assert {x.name: x.style.opacity for x in snaps}["parcels"] == 0.4 * {
        x.name: x.style.opacity for x in snapshot_layers(win.ws, ["parcels"])}["parcels"]
    assert f"民生诉求时间窗：{first} 至 {last}" in page.notes

    # on paper: exactly the complaints received in the window (an independent count), fewer than all
    df = win.ws.read_features("complaints", columns=["received_at"], geometry=False)
    t = pd.to_datetime(df["received_at"])
    expected = int(((t >= pd.Timestamp(first)) & (t < pd.Timestamp(last) + pd.Timedelta(days=1))).sum())
    drawn = _drawn(win.ws, spec)
    assert drawn["complaints"].drawn == expected < len(df)
    assert "poi" not in drawn
    from dataclasses import replace

    assert _drawn(win.ws, replace(spec, filters=()))["complaints"].drawn == len(df)
    dlg.update_preview()
    assert dlg.wait_preview() and not dlg.preview.pixmap().isNull()


def test_a_failed_preview_says_why_and_is_not_left_drawing(main_window, monkeypatch):
    """Only bad input used to be caught in the preview's worker: any other error stayed in a
    future nobody read, and the dialog said 正在生成预览… for ever."""
    from lzt.export import sheet

    def broken(*a, **kw):
        raise OSError("disk full")

    monkeypatch.setattr(sheet, "render_sheet", broken)
    dlg = SheetDialog(main_window.session, main_window.canvas, main_window)
    dlg.update_preview()
    assert dlg.preview_busy and "正在生成预览" in dlg.message.text()
    assert not dlg.wait_preview(20)
    assert not dlg.preview_busy and dlg.message.text() == "OSError: disk full"
    dlg.close()
