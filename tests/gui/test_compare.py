"""Comparing layers: the swipe (卷帘), the linked second view (多屏联动), a parcel's before/after imagery."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from PySide6.QtCore import QPoint, Qt
from rasterio.transform import from_origin

X0, Y1 = 510_000.0, 2_505_000.0
RED, BLUE = (220, 20, 20), (20, 20, 220)


def _tif(path, colour):
    arr = np.empty((3, 400, 400), np.uint8)
    arr[:] = np.asarray(colour, np.uint8)[:, None, None]
    with rasterio.open(path, "w", driver="GTiff", width=400, height=400, count=3, dtype="uint8", crs="EPSG:4547",
                       transform=from_origin(X0, Y1, 1.0, 1.0)) as ds:
        ds.write(arr)
    return path


@pytest.fixture
def two_dates(ws, tmp_path):
    from lzt.ingest import ImportOptions, import_paths

    import_paths(ws, [_tif(tmp_path / "a.tif", RED)], ImportOptions(layer="before", acquired="2022-10-01"))
    import_paths(ws, [_tif(tmp_path / "b.tif", BLUE)], ImportOptions(layer="after", acquired="2026-10-01"))
    return ws


def _canvas(qtbot, ws):
    from lzt.gui.canvas.map_canvas import MapCanvas
    from lzt.session.model import Session

    session = Session(ws)
    canvas = MapCanvas(session)
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    canvas.show()
    qtbot.waitExposed(canvas)
    session.set_extent((X0 + 50, Y1 - 350, X0 + 350, Y1 - 50))
    return canvas


def _colour(canvas, x: float) -> tuple[int, int, int]:
    img = canvas.grab().toImage()
    c = img.pixelColor(int(x * img.width() / canvas.width()), img.height() // 3)
    return c.red(), c.green(), c.blue()


def _settled(canvas, qtbot):
    assert canvas.wait_rendered()
    qtbot.waitUntil(lambda: canvas.swipe.image is not None and canvas.swipe.extent == canvas._image_extent, timeout=20_000)


def test_swipe_shows_one_layer_left_of_the_line_and_the_other_right(two_dates, qtbot):
    canvas = _canvas(qtbot, two_dates)
    try:
        assert canvas.wait_rendered()
        top = _colour(canvas, 100)  # without the swipe one of the two covers the other everywhere
        assert top == _colour(canvas, 300)
        canvas.set_swipe("before", "after")
        _settled(canvas, qtbot)
        assert _colour(canvas, 100) == RED and _colour(canvas, 300) == BLUE
        # drag the line to the right: the left layer takes more of the view
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
        qtbot.mouseMove(canvas, QPoint(350, 150))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(350, 150))
        assert canvas.swipe.position == pytest.approx(350 / 400, abs=0.01)
        assert _colour(canvas, 300) == RED and _colour(canvas, 380) == BLUE
        extent = canvas.session.extent
        assert extent == (X0 + 50, Y1 - 350, X0 + 350, Y1 - 50)  # dragging the line did not pan
        canvas.set_swipe("after", "before")  # either way round
        _settled(canvas, qtbot)
        qtbot.waitUntil(lambda: _colour(canvas, 100) == BLUE and _colour(canvas, 380) == RED, timeout=20_000)
        canvas.set_swipe(None)
        assert canvas.swipe is None
        # the old picture has the same extent: wait for the new one by its pixels
        qtbot.waitUntil(lambda: _colour(canvas, 100) == top == _colour(canvas, 380), timeout=20_000)
    finally:
        canvas.shutdown()


def test_linked_view_follows_centre_scale_and_cursor_both_ways(two_dates, qtbot):
    from lzt.gui.panels.compare import LinkedView

    main = _canvas(qtbot, two_dates)
    linked = LinkedView(main)
    qtbot.addWidget(linked)
    linked.resize(500, 260)
    linked.show()
    qtbot.waitExposed(linked)
    try:
        # the second view shows the other date: the older acquisition instead of the newer
        assert {n for n, _, _ in linked.session.drawn_layers()} == {"before"}

        def same_view(a, b):
            ea, eb = a.view_extent(), b.view_extent()
            return (abs(a.resolution() - b.resolution()) < 1e-6 * a.resolution()
                    and abs((ea[0] + ea[2]) - (eb[0] + eb[2])) < 1e-3 and abs((ea[1] + ea[3]) - (eb[1] + eb[3])) < 1e-3)

        main.session.set_extent((X0 + 100, Y1 - 200, X0 + 160, Y1 - 150))
        qtbot.waitUntil(lambda: same_view(main, linked.canvas), timeout=5000)
        assert linked.canvas.width() != main.width()  # same scale on a differently sized view
        linked.canvas.zoom(2.0)  # and back: the main view follows the second one
        qtbot.waitUntil(lambda: same_view(main, linked.canvas), timeout=5000)
        main.cursor_moved.emit(X0 + 120.0, Y1 - 170.0)
        assert linked.canvas.marker == (X0 + 120.0, Y1 - 170.0) and main.marker is None
        linked.canvas.cursor_moved.emit(X0 + 130.0, Y1 - 160.0)
        assert main.marker == (X0 + 130.0, Y1 - 160.0) and linked.canvas.marker is None
    finally:
        linked.shutdown()
        main.shutdown()


def test_swipe_panel_lists_imagery_by_date_and_drives_the_canvas(two_dates, qtbot):
    from lzt.gui.panels.compare import SwipePanel, layer_choices

    assert layer_choices(two_dates)[:2] == [("after (2026-10-01)", "after"), ("before (2022-10-01)", "before")]
    canvas = _canvas(qtbot, two_dates)
    panel = SwipePanel(canvas.session, canvas)
    qtbot.addWidget(panel)
    try:
        assert (panel.left.currentData(), panel.right.currentData()) == ("before", "after")  # older on the left
        panel.enabled.setChecked(True)
        assert (canvas.swipe.left, canvas.swipe.right) == ("before", "after")
        panel.enabled.setChecked(False)
        assert canvas.swipe is None
    finally:
        canvas.shutdown()


def test_workbench_shows_a_parcel_before_and_after_and_swipes_on_the_map(main_window, qtbot):
    from lzt.demo.imagery import _SLAB, _SOIL, _VACANT
    from lzt.gui.screenshot import changed_parcel

    win = main_window
    win.show_view("supervision")
    pid = changed_parcel(win)
    assert pid is not None
    win.bench.select_parcel(pid)
    box = win.bench.imagery
    qtbot.waitUntil(lambda: all(i is not None for i in box.images), timeout=30_000)
    assert [a.acquired for a in box.pair] == ["2022-10-01", "2026-10-01"]
    assert "2022-10-01" in box.captions[0].text() and "2026-10-01" in box.captions[1].text()
    c = box.images[0].width() // 2
    before, after = (box.images[i].pixelColor(c, c) for i in range(2))  # the parcel's middle
    assert np.abs(np.array([before.red(), before.green(), before.blue()]) - _VACANT).max() < 25
    a = np.array([after.red(), after.green(), after.blue()])
    assert min(np.abs(a - _SOIL).max(), np.abs(a - _SLAB).max()) < 25
    box.swipe_button.click()
    assert win.tabs.currentWidget() is win.canvas and win.docks["swipe"].isVisible()
    assert (win.canvas.swipe.left, win.canvas.swipe.right) == ("imagery_2022", "imagery_2026")


def test_a_side_that_cannot_be_drawn_says_why_and_is_logged(two_dates, qtbot, monkeypatch, tmp_path):
    """An unexpected error drawing one side's imagery: the traceback goes to errors.log, the side is
    drawn without it (the red line alone) and the panel says which imagery failed and why; the
    other side is drawn (the side stayed '绘制中…' for ever before)."""
    import shapely

    from lzt.gui import crash_report
    from lzt.gui.panels.imagery_compare import ImageryCompare
    from lzt.render import painter
    from lzt.session.model import Session

    log = tmp_path / "errors.log"
    monkeypatch.setattr(crash_report, "default_log_path", lambda: log)
    real = painter._Ctx.raster

    def raster(ctx, snap):
        if snap.name == "after":
            raise ZeroDivisionError("division by zero in the after side")
        return real(ctx, snap)

    monkeypatch.setattr(painter._Ctx, "raster", raster)
    box = ImageryCompare(Session(two_dates))
    qtbot.addWidget(box)
    box.show_parcel(shapely.box(X0 + 150, Y1 - 250, X0 + 250, Y1 - 150))
    try:
        assert [a.layer for a in box.pair] == ["before", "after"]
        qtbot.waitUntil(lambda: all(i is not None for i in box.images), timeout=30_000)
        qtbot.waitUntil(lambda: "无法绘制" in box.note.text(), timeout=10_000)
        assert "after" in box.note.text() and "ZeroDivisionError" in box.note.text()
        assert "division by zero in the after side" in log.read_text(encoding="utf-8")
        c = box.images[0].width() // 2
        before, after = box.images[0].pixelColor(c, c), box.images[1].pixelColor(c, c)
        assert (before.red(), before.blue()) == RED[::2]  # drawn
        assert (after.red(), after.blue()) != BLUE[::2]  # not drawn
    finally:
        box.shutdown()
