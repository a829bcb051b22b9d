"""What the sunlight bar does to a ``View3D``: run the engine off the GUI thread, draw the
façade points by hours class with a legend, hide/show the proposed model, draw the shadows."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QColor

from lzt.gui.view3d import sunlight as sl

BIM_LAYER = "bim_models"
BUILDINGS_OPACITY = 0.45  # the white models while façade hours are shown


def view_centre(view) -> tuple[float, float]:
    """The workspace x, y the camera looks at."""
    fx, fy, _ = view.camera_position[1]
    return fx + view.scene.origin[0], fy + view.scene.origin[1]


def run_sunlight(view, proposed_fid: int | None, feedback=None) -> bool:
    if not view.ensure_built():
        return False
    if proposed_fid is None:
        sel = list(view.session.selection(BIM_LAYER))
        proposed_fid = int(sel[0]) if sel else None
    ws, centre = view.session.ws, view_centre(view)
    job = lambda fb: sl.analyse_view(ws, centre, proposed_fid=proposed_fid, feedback=fb)  # noqa: E731
    if feedback is not None:
        fs = job(feedback)
    else:
        from lzt.gui.tasks import run_task

        ok, fs = run_task(view, QCoreApplication.translate("View3D", "日照分析"), job)
        if not ok:
            return False
    view.sunlight = fs
    rule = fs.run.rule
    view.sunbar.set_band(rule.band_start, rule.band_end)
    view.sunbar.proposal_box.setEnabled(proposed_fid is not None)
    n_fail = sum(r.status == "FAIL" for r in fs.run.results)
    if proposed_fid is not None:
        name = view.scene.facts.get(proposed_fid, {}).get("name", proposed_fid)
        view.info = QCoreApplication.translate(
            "View3D", "拟建方案 {0}：遮挡 {1} 栋相邻住宅，其中 {2} 栋由达标变为不达标").format(
            name, len(fs.run.results), len(fs.run.impacted()))
    else:
        view.info = QCoreApplication.translate("View3D", "日照分析：{0} 栋住宅，{1} 栋不达标").format(
            len(fs.run.results), n_fail)
    if not len(fs.run.results):
        view.info = QCoreApplication.translate("View3D", "日照分析：此范围内没有需分析的住宅")
    draw_facades(view)
    frame_receivers(view)
    if view.sun_hour is not None:
        set_sun_time(view, view.sun_hour)
    else:
        view.render()
    return True


def frame_receivers(view) -> None:
    """Look at the analysed façades from the south-east, above them, keeping them all in view."""
    rec = view.sunlight.run.receivers
    if rec is None or not len(rec):
        return
    x0, y0 = view.scene.origin
    x = np.append(rec.x, view.sunlight.area[::2] if view.sunlight.proposed_fid is None else [])
    y = np.append(rec.y, view.sunlight.area[1::2] if view.sunlight.proposed_fid is None else [])
    c = ((x.min() + x.max()) / 2 - x0, (y.min() + y.max()) / 2 - y0, float(np.mean(rec.z)))
    d = max(x.max() - x.min(), y.max() - y.min(), 120.0) * 1.5
    view.set_camera((c[0] + 0.45 * d, c[1] - 0.75 * d, c[2] + 0.5 * d), c, (0.0, 0.0, 1.0))  # drawn with the next frame


def draw_facades(view) -> None:
    """The receivers coloured by their hours class (after or before the proposal as shown)."""
    from matplotlib.colors import ListedColormap

    fs = view.sunlight
    mesh = sl.receiver_mesh(view.scene, fs, view.proposal_visible) if fs is not None else None
    with view.changing():  # not while the frame thread draws
        view.plotter.remove_actor("sunlight", render=False)
        if mesh is None:
            return
        if "buildings" in view.plotter.actors:  # the white models see-through: the ground storeys behind them show
            view.plotter.actors["buildings"].GetProperty().SetOpacity(BUILDINGS_OPACITY)
        view.plotter.add_mesh(mesh, scalars="hours_class", cmap=ListedColormap(sl.class_colours()),
                              clim=(-0.5, 5.5), n_colors=6, show_scalar_bar=False, lighting=False, name="sunlight",
                              pickable=False, render=False)


def set_proposal_visible(view, visible: bool) -> None:
    view.proposal_visible = bool(visible)
    fs, s = view.sunlight, view.scene
    if view.plotter is None or s is None or s.models is None:
        return
    fid = fs.proposed_fid if fs is not None else None
    models = s.models
    if fid is not None and not view.proposal_visible:
        keep = np.flatnonzero(np.asarray(models.cell_data["model"]) != fid)
        models = models.extract_cells(keep)
    with view.changing():  # not while the frame thread draws
        view.plotter.add_mesh(models, scalars="height", cmap="YlOrBr", clim=(0, 120), show_scalar_bar=False,
                              smooth_shading=False, name="models", pickable=True, render=False)
        if "selected" in view.plotter.actors and fid is not None and fid in view.session.selection(BIM_LAYER):
            view.plotter.actors["selected"].SetVisibility(view.proposal_visible)  # its highlight goes with it
    draw_facades(view)
    if view.sun_hour is not None:
        set_sun_time(view, view.sun_hour)
    else:
        view.render()


def hidden_models(view) -> list[int]:
    fs = view.sunlight
    return [fs.proposed_fid] if fs is not None and fs.proposed_fid is not None and not view.proposal_visible else []


def set_sun_time(view, hour: float) -> None:
    if not view.ensure_built():
        return
    from lzt.analysis.sunlight.rule import rule_of

    view.sun_hour = float(hour)
    ws = view.session.ws
    rule = view.sunlight.run.rule if view.sunlight is not None else rule_of(ws)
    centre = view_centre(view)
    if view.sunlight is not None:
        a = view.sunlight.area
        if view.sunlight.proposed_fid is not None and view.sunlight.run.receivers is not None \
                and len(view.sunlight.run.receivers):
            r = view.sunlight.run.receivers
            a = (min(a[0], r.x.min()), min(a[1], r.y.min()), max(a[2], r.x.max()), max(a[3], r.y.max()))
    else:
        h = sl.AREA_HALF_M
        a = (centre[0] - h, centre[1] - h, centre[0] + h, centre[1] + h)
    alt, az = sl.sun_at(ws, centre, sl.standard_day(rule), view.sun_hour)
    view.sunbar.show_time(view.sun_hour, alt, az)
    mesh = sl.shadow_mesh(ws, view.scene, a, alt, az, hidden_models=hidden_models(view))
    with view.changing():  # not while the frame thread draws
        view.plotter.remove_actor("shadows", render=False)
        if mesh is not None:
            view.plotter.add_mesh(mesh, color="#1e2a3a", opacity=0.45, name="shadows", pickable=False,
                                  render=False)
    view.shadow_mesh = mesh
    view.sun_position = (alt, az)
    view.render()


def paint_legend(view, p) -> None:
    """The hours classes' legend at the top right (red: below the rule)."""
    rule = view.sunlight.run.rule
    rows = sl.legend(rule.min_hours)
    title = QCoreApplication.translate("View3D", "日照时数（{0}日，标准 ≥ {1} 小时）").format(
        rule.standard_day, f"{rule.min_hours:g}")
    if view.sunlight.proposed_fid is not None:
        title += (QCoreApplication.translate("View3D", " · 方案后") if view.proposal_visible
                  else QCoreApplication.translate("View3D", " · 方案前"))
    w, lh = 300, 18
    x, y = view.width() - w - 10, 10
    p.fillRect(QRectF(x, y, w, lh * (len(rows) + 1) + 10), QColor(255, 255, 255, 220))
    p.setPen(QColor("#202020"))
    p.drawText(QRectF(x + 6, y + 4, w - 12, lh), 0, title)
    for i, (colour, label) in enumerate(rows):
        yy = y + 4 + lh * (i + 1)
        p.fillRect(QRectF(x + 8, yy + 3, 22, lh - 6), QColor(colour))
        p.drawText(QRectF(x + 38, yy, w - 46, lh), 0,
                   label + (QCoreApplication.translate("View3D", "（不达标）") if i < 3 else ""))
