"""Screenshots of the main window (``lzt gui --screenshot``), for the README and for review."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication


def screenshot(win, out: str | Path, *, view: str = "map", size: tuple[int, int] = (1600, 1000),
               parcel: str | None = None) -> Path:
    """Show ``win`` at ``size`` on ``view``, wait until the map is drawn, save a PNG."""
    win.resize(*size)
    win.show()
    win.show_view(view)
    if view in ("supervision", "dashboard", "3d"):  # the page needs the room the attribute table takes
        win.docks["table"].hide()
    if view == "3d" and win.view3d.scene is not None and win.view3d.scene.facts:
        tallest = max(win.view3d.scene.facts, key=lambda f: win.view3d.scene.facts[f]["height_m"] or 0)
        win.session.select("bim_models", [tallest])  # flies to it
        win.view3d.plotter.camera.Elevation(-10)
        win.view3d.render()
    if view == "supervision" and parcel is None and len(win.bench.list_model.frame):
        fails = win.bench.list_model.frame.index[win.bench.list_model.frame["verdict"] == "FAIL"]
        win.bench.list_view.selectRow(int(fails[0]) if len(fails) else 0)
    for _ in range(5):
        QApplication.processEvents()
    if view == "dashboard":
        win.dashboard.wait_idle()
    import time

    c = win.canvas
    for _ in range(40):  # docks and the window system settle after the first paints: draw until stable
        for _ in range(5):
            QApplication.processEvents()
        time.sleep(0.05)
        QApplication.processEvents()
        if view not in ("map", "table"):
            break
        if c._image is not None and c._image_extent == tuple(c.view_extent()) and not c._timer.isActive():
            break
        c.wait_rendered()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not win.grab().save(str(out)):
        from lzt.core.errors import LztInputError

        raise LztInputError(out, "cannot write the screenshot")
    return out
