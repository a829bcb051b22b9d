"""Screenshots of the main window (``lzt gui --screenshot``), for the README and for review."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication


def saved_line(out: str | Path) -> str:
    """The line ``lzt gui --screenshot`` prints when the PNG is saved, in the window's language."""
    return QCoreApplication.translate("Screenshot", "已保存截图 {0}").format(out)


def screenshot(win, out: str | Path, *, view: str = "map", size: tuple[int, int] = (1600, 1000),
               parcel: str | None = None) -> Path:
    """Show ``win`` at ``size`` on ``view``, wait until the map is drawn, save a PNG. Besides the
    main views: "swipe" (the map swiping between the two newest acquisitions over a parcel
    built between them) and "before_after" (that parcel's imagery in the workbench)."""
    win.resize(*size)
    win.show()
    compare = view if view in ("swipe", "before_after") else None
    if compare:
        parcel = parcel or changed_parcel(win)
        view = "map" if compare == "swipe" else "supervision"
    win.show_view("map" if view == "profile" else view)
    if compare == "before_after" and parcel:
        win.docks["table"].hide()
        win.bench.select_parcel(parcel)
        win.bench.tabs.setCurrentWidget(win.bench.imagery)
        _wait(lambda: all(i is not None for i in win.bench.imagery.images) or win.bench.imagery.pair is None)
        parcel = None
    if compare == "swipe":
        win.docks["table"].hide()
        pair = win.bench.imagery.pair if parcel is None else None
        if parcel:
            win.bench.select_parcel(parcel)
            win.tabs.setCurrentWidget(win.canvas)
            pair = win.bench.imagery.pair
        if pair:
            for st in win.session.layers:  # the imagery under the parcels' red lines only
                win.session.set_visible(st.name, st.kind == "supervision" or st.name in (pair[0].layer, pair[1].layer))
            win.swipe_parcel(pair[0].layer, pair[1].layer)
            x0, y0, x1, y1 = win.session.extent
            m = max(x1 - x0, y1 - y0) * 0.6  # the parcel and its neighbours
            win.session.set_extent((x0 - m, y0 - m, x1 + m, y1 + m))
            win.session.clear_selection()
        parcel = None
    if view == "profile":
        _demo_profile(win)
        view = "map"
    if view in ("supervision", "dashboard", "3d"):  # the page needs the room the attribute table takes
        win.docks["table"].hide()
    if view == "3d" and win.view3d.scene is not None and win.view3d.scene.facts:
        tallest = max(win.view3d.scene.facts, key=lambda f: win.view3d.scene.facts[f]["height_m"] or 0)
        win.session.select("bim_models", [tallest])  # flies to it
        win.view3d.orbit(0.0, -10.0)
        win.view3d.render(wait=True)  # drawn on the view's frame thread: here before the grab
    if view == "supervision" and parcel is None and not compare and len(win.bench.list_model.frame):
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
        if c._image is not None and c._complete and c._image_extent == tuple(c.view_extent()) \
                and not c._timer.isActive() \
                and (c.swipe is None or c.swipe.image is not None and c.swipe.extent == c._image_extent):
            break
        c.wait_rendered()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not win.grab().save(str(out)):
        from lzt.core.errors import LztInputError

        raise LztInputError(out, "cannot write the screenshot")
    return out


def changed_parcel(win) -> str | None:
    """A supervised parcel whose work started between its before and after imagery."""
    from lzt.analysis.imagery import before_after

    bench = win.bench
    if not bench.checks:
        bench.reload()
    for _, t in bench.terms.iterrows():
        pair = before_after(win.ws, t.geometry, t.get("actual_start"))
        start = str(t.get("actual_start"))[:10]
        if pair and pair[0].acquired <= start <= pair[1].acquired:
            return str(t["parcel_id"])
    return None


def _wait(done, seconds: float = 20.0) -> None:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end and not done():
        QApplication.processEvents()
        time.sleep(0.02)


def _demo_profile(win) -> None:
    """A profile across the smallest 控高 zone, else the tallest BIM model (else the view's
    centre), west to east, 1.2 km."""
    from lzt.analysis.height_limits import zones_layer

    x0, y0, x1, y1 = win.session.extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ws = win.session.ws
    zones = zones_layer(ws)
    if zones is not None and ws.layer(zones).count:
        z = ws.read_features(zones, columns=["zone_id"] if "zone_id" in ws.fields(zones) else None)
        c = z.geometry.loc[z.geometry.area.idxmin()].centroid
        cx, cy = c.x, c.y
    elif ws.has_layer("bim_models"):
        m = ws.read_features("bim_models", columns=["height_m"])
        if len(m):
            c = m.geometry.loc[m["height_m"].astype(float).idxmax()].centroid
            cx, cy = c.x, c.y
    win.docks["table"].hide()
    pts = [(cx - 600.0, cy - 150.0), (cx + 600.0, cy + 150.0)]
    win.session.set_extent((cx - 900.0, cy - 600.0, cx + 900.0, cy + 600.0))
    win.canvas.set_tool("profile")
    win.tool_actions["profile"].setChecked(True)
    win.canvas.profile_line = pts
    win.show_profile(pts)
