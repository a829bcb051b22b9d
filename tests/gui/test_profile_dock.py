"""The 剖面 tool: a line drawn on the map opens the 纵断面 dock with that line's profile."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt


def test_drawing_a_line_shows_its_profile(main_window, qtbot, tmp_path):
    win = main_window
    c = win.canvas
    m = win.ws.read_features("bim_models", columns=["height_m"])
    cen = m.geometry.loc[m["height_m"].astype(float).idxmax()].centroid
    win.session.set_extent((cen.x - 500, cen.y - 300, cen.x + 500, cen.y + 300))
    win.tool_actions["profile"].trigger()
    assert c.tool == "profile"
    a = c.to_screen(cen.x - 300, cen.y).toPoint()
    b = c.to_screen(cen.x + 300, cen.y).toPoint()
    with qtbot.waitSignal(c.profile_drawn, timeout=20_000) as sig:
        qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=a)
        qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=b)
        qtbot.mouseClick(c, Qt.MouseButton.RightButton, pos=b)
    pts = np.asarray(sig.args[0])
    assert len(pts) == 2 and np.allclose(pts[:, 1], cen.y, atol=c.resolution() * 2)
    dock = win.docks["profile"]
    assert dock.isVisible()
    prof = win.profile.profile
    from lzt.analysis.profile import elevation_profile
    import shapely

    again = elevation_profile(win.ws, shapely.LineString(pts))
    np.testing.assert_allclose(prof.ground, again.ground)
    assert any(cut.kind == "bim" for cut in prof.cuts)  # the line crosses the tallest model
    assert "全长" in win.profile.summary.text() and "栋建筑" in win.profile.summary.text()
    assert c.profile_line == [tuple(p) for p in pts]
    # the plot is drawn: the ground colour fills part of the widget
    img = win.profile.view.grab().toImage()
    ground = sum(img.pixelColor(x, y).name() == "#c8b48c" for x in range(0, img.width(), 7)
                 for y in range(0, img.height(), 7))
    assert ground > 20
    # the mouse over the plot: the distance and ground said, the point marked on the map
    view = win.profile.view
    plot = view._plot()
    at = QPoint(int(plot.center().x()), int(plot.center().y()))
    qtbot.mouseMove(view, at)
    qtbot.waitUntil(lambda: c.marker is not None, timeout=5000)
    d = view.distance_at(at.x())
    mid = shapely.LineString(pts).interpolate(d)
    assert abs(c.marker[0] - mid.x) < 1e-3 and abs(c.marker[1] - mid.y) < 1e-3
    assert "距起点" in win.profile.readout.text() and "地面" in win.profile.readout.text()
    view.leaveEvent(None)
    assert c.marker is None and win.profile.readout.text() == ""
    out = win.profile.export(str(tmp_path / "p.pdf"))
    assert out and (tmp_path / "p.pdf").stat().st_size > 1000
    # the sheet dialog offers the drawn line's profile under the map
    from lzt.gui.dialogs.sheet import SheetDialog

    dlg = SheetDialog(win.session, win.canvas, win)
    try:
        assert dlg.with_profile.isEnabled() and dlg.with_profile.isChecked()
        assert dlg.spec().profile == tuple(c.profile_line)
        dlg.with_profile.setChecked(False)
        assert dlg.spec().profile is None
    finally:
        dlg.close()


def test_a_click_without_a_second_point_draws_nothing(main_window, qtbot):
    win = main_window
    c = win.canvas
    win.tool_actions["profile"].trigger()
    seen = []
    c.profile_drawn.connect(seen.append)
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    qtbot.mouseClick(c, Qt.MouseButton.RightButton, pos=QPoint(100, 100))
    assert seen == [] and not win.docks["profile"].isVisible()
    from lzt.gui.dialogs.sheet import SheetDialog

    dlg = SheetDialog(win.session, c, win)
    assert not dlg.with_profile.isEnabled() and dlg.spec().profile is None
    dlg.close()


def test_height_limit_check_selects_the_structures_over_their_limit(main_window, errors):
    win = main_window
    checks = win.check_height_limits()
    assert checks and errors and "控高分区内" in errors[-1]
    fails = sorted(c.fid for c in checks if c.layer == "buildings" and c.status in ("FAIL", "WARN"))
    assert fails and sorted(win.session.selection("buildings").tolist()) == fails
