"""The 三维 tab: the CIM scene rendered by VTK into frames this widget shows.

VTK renders offscreen (EGL/OSMesa or an X display, whatever the machine has) and the
widget paints the frames; orbit (left drag), pan (right or middle drag), zoom (wheel)
move the camera and ask for a new frame (at half resolution while the mouse drags, in
full when it stops). Rendering the same way everywhere makes the
view work identically on a workstation, under Xvfb and in headless tests and
screenshots, at the cost of one frame read-back per redraw (measured in bench/).
A click picks the model or extruded building under the cursor: its facts are shown and it
is selected in the session, so the 2D map, the attribute table and this view stay in step.
The view then flies to it at once (a half-resolution frame) and the sharper ground around it
(the DEM window and a base-map texture, ~1 s on the district) is made in a worker
(``lzt.gui.latest``) and drawn when ready: the window never waits for it.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

BIM_LAYER = "bim_models"
MIN_ELEVATION, MAX_ELEVATION = 2.0, 89.0  # degrees above the horizon the orbit keeps the camera


class View3D(QWidget):
    """Emits ``picked(layer, fid)`` when a model or building is clicked and ``frame_drawn(seconds)``
    per frame."""

    picked = Signal(str, int)
    frame_drawn = Signal(float)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.scene = None
        self.plotter = None
        self.error: str | None = None
        self._image: QImage | None = None
        self._press: QPointF | None = None
        self._last: QPointF | None = None
        self._button = None
        self._highlight = None
        self.info = ""
        self._building = False
        self.setMinimumSize(320, 240)
        self.setMouseTracking(False)
        self.sunlight = None  # FacadeSunlight of the last run
        self.proposal_visible = True
        self.sun_hour: float | None = None
        from lzt.gui.view3d.sunbar import SunBar

        self.sunbar = SunBar(self)
        from lzt.gui.latest import Latest

        self._detailing = Latest("detail3d", self._show_detail, self._detail_failed, self)
        session.selection_changed.connect(self._selection_changed)

    @property
    def busy(self) -> bool:
        """The sharper ground around the last model flown to is still being made."""
        return self._detailing.busy

    # -- building -----------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.plotter is None and self.error is None:
            QTimer.singleShot(0, self.ensure_built)  # after the tab has been painted

    def ensure_built(self) -> bool:
        """Build the scene unless it is built (or failed); True when it can be shown."""
        if self.plotter is None and self.error is None and not self._building:
            self.build()
        return self.plotter is not None

    def build(self, feedback=None) -> bool:
        """Build the scene from the workspace and draw the first frame. The meshes and the
        base-map texture are made in a worker behind a cancellable progress dialog (seconds
        on a district: the window keeps painting); VTK then draws here, on the GUI thread."""
        try:
            import pyvista as pv

            from lzt.gui.tasks import import_apart, run_task
            from lzt.gui.view3d.scene import build_scene

            ws = self.session.ws
            self._building = True
            try:
                if feedback is not None:
                    ok, scene = True, build_scene(ws, feedback=feedback)
                else:
                    def work(fb):
                        import_apart("pyvista.plotting")  # the base-map texture needs it: not from deep in the work
                        return build_scene(ws, feedback=fb)

                    ok, scene = run_task(self, self.tr("构建三维场景"), work)
            finally:
                self._building = False
            if not ok:
                self.info = self.tr("三维场景未构建（已取消或出错）；再次切换到此页可重试")
                self.update()
                return False
            self.scene = scene
            self.info = scene.note or ""
        except (ImportError, ValueError) as exc:
            self.error = self.tr("三维视图不可用：{0}").format(exc)
            self.update()
            return False
        pv.OFF_SCREEN = True
        # no multisampling: on software GL (llvmpipe) 4x MSAA tripled the frame time (bench/RESULTS.md)
        p = pv.Plotter(off_screen=True, window_size=self._size(), lighting="three lights")
        p.render_window.SetMultiSamples(0)
        p.set_background("#cfe3f7", top="#f7fbff")
        s = self.scene
        if s.terrain is not None:
            p.add_mesh(s.terrain, texture=s.texture, smooth_shading=True, name="terrain")
        if s.models is not None:
            p.add_mesh(s.models, scalars="height", cmap="YlOrBr", clim=(0, 120), show_scalar_bar=False,
                       smooth_shading=False, name="models", pickable=True)
        if s.buildings is not None:  # the base map's buildings as white models, the BIM in colour
            p.add_mesh(s.buildings, color="#e4e0d8", smooth_shading=False, name="buildings", pickable=True)
        self.plotter = p
        self.reset_camera()
        if len(self.session.selection(BIM_LAYER)):  # (else the frame just drawn is the one to show)
            self._selection_changed(layer=BIM_LAYER)
        return True

    def _size(self) -> tuple[int, int]:
        r = self.devicePixelRatioF()
        return max(64, int(self.width() * r)), max(64, int(self.height() * r))

    def reset_camera(self) -> None:
        """An oblique view over the whole scene from the south-west."""
        if self.plotter is None:
            return
        x0, y0, x1, y1 = self.scene.bounds
        w, h = x1 - x0, y1 - y0
        z = float(self.scene.terrain.points[:, 2].mean()) if self.scene.terrain is not None else 0.0
        focus = (w / 2, h / 2, z)
        d = max(w, h) * 0.9
        self.plotter.camera_position = [(w / 2 - d * 0.55, h / 2 - d * 0.75, z + d * 0.6), focus, (0, 0, 1)]
        self.render()

    # -- frames --------------------------------------------------------------------------------
    def render(self, fast: bool = False) -> float:
        """Draw a frame (``fast``: at half resolution, while the camera moves); returns seconds."""
        if self.plotter is None:
            return 0.0
        t = time.perf_counter()
        size = self._size()
        if fast:
            size = (max(64, size[0] // 2), max(64, size[1] // 2))
        if tuple(self.plotter.window_size) != size:
            self.plotter.window_size = size
        self.plotter.render()
        img = self.plotter.screenshot(return_img=True)
        h, w = img.shape[:2]
        self._image = QImage(np.ascontiguousarray(img).data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        self._image.setDevicePixelRatio(self.devicePixelRatioF())
        seconds = time.perf_counter() - t
        self.update()
        self.frame_drawn.emit(seconds)
        return seconds

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#dfe8f1"))
        if self._image is not None:
            p.drawImage(QRectF(0, 0, self.width(), self.height()), self._image)
        msg = self.error or self.info
        if msg:
            p.setPen(QColor("#202020"))
            p.fillRect(QRectF(8, 8, min(self.width() - 16, 520), 26 if not self.error else 40),
                       QColor(255, 255, 255, 210))
            p.drawText(QRectF(14, 8, min(self.width() - 28, 508), 26 if not self.error else 40),
                       int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap), msg)
        if self.sunlight is not None:
            from lzt.gui.view3d.sunlight_view import paint_legend

            paint_legend(self, p)
        p.end()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.sunbar.place()
        if self.plotter is not None:
            self.render()

    # -- camera ---------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._press = self._last = event.position()
        self._button = event.button()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._last is None or self.plotter is None:
            return
        d = event.position() - self._last
        self._last = event.position()
        if self._button == Qt.MouseButton.LeftButton:
            self.orbit(-d.x() * 0.3, d.y() * 0.3)
        else:
            self.pan(d.x(), d.y())
        self.render(fast=True)

    def orbit(self, azimuth_deg: float, elevation_deg: float) -> None:
        """Turn the camera about its focal point like a turntable: the azimuth about the vertical,
        the elevation kept between 2° and 89° above the horizon, the view up always vertical (the
        horizon never rolls, however long the drag)."""
        cam = self.plotter.camera
        pos, foc = np.array(cam.position), np.array(cam.focal_point)
        v = pos - foc
        r = float(np.linalg.norm(v))
        if r == 0:
            return
        az = np.arctan2(v[1], v[0]) + np.radians(azimuth_deg)
        el = np.arcsin(np.clip(v[2] / r, -1.0, 1.0)) + np.radians(elevation_deg)
        el = float(np.clip(el, np.radians(MIN_ELEVATION), np.radians(MAX_ELEVATION)))
        cam.position = tuple(foc + r * np.array([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)]))
        cam.up = (0.0, 0.0, 1.0)
        self.plotter.renderer.ResetCameraClippingRange()

    def pan(self, dx_px: float, dy_px: float) -> None:
        """Move the camera and its focus along the view plane by a screen distance."""
        cam = self.plotter.camera
        pos, foc = np.array(cam.position), np.array(cam.focal_point)
        dist = np.linalg.norm(pos - foc)
        scale = 2 * dist * np.tan(np.radians(cam.view_angle) / 2) / max(1, self.height())
        fwd = (foc - pos) / dist
        right = np.cross(fwd, (0.0, 0.0, 1.0))  # the screen's axes, with the vertical kept up
        right /= max(np.linalg.norm(right), 1e-12)
        up = np.cross(right, fwd)
        move = (-dx_px * right + dy_px * up) * scale
        cam.position = tuple(pos + move)
        cam.focal_point = tuple(foc + move)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if self._press is not None and (event.position() - self._press).manhattanLength() <= 3 \
                and self._button == Qt.MouseButton.LeftButton:
            self.pick(event.position())
        elif self._press is not None:
            self.render()  # full resolution once the camera stops
        self._press = self._last = None

    def wheelEvent(self, event) -> None:  # noqa: N802
        if self.plotter is None:
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.plotter.camera.Dolly(1.2 ** steps)
            self.plotter.renderer.ResetCameraClippingRange()
            self.render()

    # -- picking and selection ------------------------------------------------------------------------
    def pick(self, at: QPointF) -> int | None:
        """The model or building under a widget point (selected in the session), or None."""
        if self.plotter is None or self.scene is None:
            return None
        # the one class from the module pyvista has loaded: ``import vtk`` loads every VTK module
        # (over a second on the GUI thread, the first pick's freeze)
        from vtkmodules.vtkRenderingCore import vtkCellPicker

        r = self.devicePixelRatioF()
        w, h = self._size()
        picker = vtkCellPicker()
        picker.SetTolerance(0.0005)
        picker.Pick(at.x() * r, h - at.y() * r, 0, self.plotter.renderer)
        cell = picker.GetCellId()
        ds = picker.GetDataSet()
        if cell < 0 or ds is None:
            return None
        data = ds.GetCellData()
        if data.GetArray("model") is not None:
            layer, fid = BIM_LAYER, int(data.GetArray("model").GetValue(cell))
            f = self.scene.facts.get(fid, {})
            self.info = self.tr("{0}：高 {1} m，{2} 层，建筑面积 {3} m²").format(
                f.get("name"), f"{f.get('height_m') or 0:.1f}", f.get("storeys") or "?", f"{f.get('gfa_m2') or 0:,.0f}")
        elif data.GetArray("building") is not None and self.scene.building_layer:
            layer, fid = self.scene.building_layer, int(data.GetArray("building").GetValue(cell))
            self.info = self.tr("{0} · fid {1}：高 {2} m（白模）").format(
                layer, fid, f"{float(data.GetArray('height').GetValue(cell)):.1f}")
        else:
            return None
        self.session.select(layer, [fid])
        self.picked.emit(layer, fid)
        return fid

    def _meshes(self) -> dict[str, tuple[object, str]]:
        """Layer name -> (mesh, its cell-data id array) for what this view shows."""
        out = {}
        if self.scene is not None and self.scene.models is not None:
            out[BIM_LAYER] = (self.scene.models, "model")
        if self.scene is not None and self.scene.buildings is not None:
            out[self.scene.building_layer] = (self.scene.buildings, "building")
        return out

    def _selection_changed(self, layer: str) -> None:
        meshes = self._meshes()
        if layer not in meshes or self.plotter is None:
            return
        mesh, key = meshes[layer]
        fids = self.session.selection(layer)
        self.plotter.remove_actor("selected", render=False)
        if len(fids):
            ids = np.asarray(mesh.cell_data[key])
            cells = np.flatnonzero(np.isin(ids, fids))
            if len(cells):
                sub = mesh.extract_cells(cells)
                sub = sub.scale(1.01, point=sub.center)  # just outside the model: no z-fighting
                self.plotter.add_mesh(sub, color="#ffd400", name="selected", render=False)
                self.fly_to(int(fids[0]), layer)
                return
        self.render()

    def fly_to(self, fid: int, layer: str = BIM_LAYER) -> None:
        """Centre the view on a model or building, keeping the viewing direction (a quick
        half-resolution frame now); the ground around it gets a sharper base-map texture when
        the worker has made it (``busy`` meanwhile)."""
        from lzt.gui.view3d.scene import cells_centre
        from lzt.render import qt_types

        mesh, key = self._meshes().get(layer, (None, ""))
        c = cells_centre(mesh, key, fid)
        if c is None:
            return
        cam = self.plotter.camera
        pos, foc = np.array(cam.position), np.array(cam.focal_point)
        d = (pos - foc) / np.linalg.norm(pos - foc)
        dist = min(np.linalg.norm(pos - foc), 600.0)
        cam.focal_point = c
        cam.position = tuple(np.array(c) + d * dist)
        self.plotter.renderer.ResetCameraClippingRange()
        self.render(fast=True)
        qt_types.ready()  # the texture is painted in the worker
        scene = self.scene
        self._detailing.submit(_detail, self.session.ws, scene, (c[0] + scene.origin[0], c[1] + scene.origin[1]))

    def _show_detail(self, detail) -> None:
        """The sharper ground made in the worker: cut into the terrain and drawn (full resolution)."""
        if self.plotter is None:
            return
        self.plotter.remove_actor("detail", render=False)
        if detail is not None:
            rest, grid, texture = detail
            self.plotter.add_mesh(rest, texture=self.scene.texture, smooth_shading=True, name="terrain",
                                  render=False)
            self.plotter.add_mesh(grid, texture=texture, name="detail", pickable=False, render=False)
        self.render()

    def _detail_failed(self, error: BaseException) -> None:
        """No sharper ground (the view keeps the coarse one): said in the view's info line."""
        self.info = self.tr("近景底图未生成：{0}").format(error)
        self.render()

    def frame_time(self, frames: int = 20, *, fast: bool = True) -> float:
        """Median seconds per frame while orbiting (``fast``: as during a drag) — for the benchmark."""
        times = []
        for _ in range(frames):
            self.plotter.camera.Azimuth(360 / frames)
            times.append(self.render(fast=fast))
        self.render()
        return float(np.median(times))

    # -- sunlight (日照) ----------------------------------------------------------------------------
    def run_sunlight(self, proposed_fid: int | None = None, feedback=None) -> bool:
        """Sunlight hours on the façades around the view's centre, or — with a proposal (the
        argument, else the selected BIM model) — on the neighbours it shades, before and after."""
        from lzt.gui.view3d.sunlight_view import run_sunlight

        return run_sunlight(self, proposed_fid, feedback)

    def set_proposal_visible(self, visible: bool) -> None:
        """Show or hide the proposed model; the façade colours and shadows follow (after/before)."""
        from lzt.gui.view3d.sunlight_view import set_proposal_visible

        set_proposal_visible(self, visible)

    def set_sun_time(self, hour: float) -> None:
        """Move the Sun to true solar time ``hour`` on the rule's standard day: its shadows."""
        from lzt.gui.view3d.sunlight_view import set_sun_time

        set_sun_time(self, hour)

    def shutdown(self) -> None:
        self._detailing.shutdown(wait=True)
        if self.plotter is not None:
            self.plotter.close()
            self.plotter = None



def _detail(ws, scene, centre_xy: tuple[float, float]):
    """(terrain without the patch's ground, patch grid, its texture) around ``centre_xy``, or None
    (in the worker: the DEM window read, the base map painted, the terrain cut)."""
    from lzt.gui.view3d.scene import detail_patch

    patch = detail_patch(ws, scene, centre_xy)
    if patch is None or scene.terrain is None:
        return None
    grid, texture, (bx0, by0, bx1, by1) = patch
    zs = scene.terrain.points[:, 2]
    rest = scene.terrain.clip_box((bx0, bx1, by0, by1, float(zs.min()) - 1, float(zs.max()) + 1), invert=True)
    return rest, grid, texture
