"""The 三维 tab: the CIM scene rendered by VTK into frames this widget shows.

VTK renders offscreen (EGL/OSMesa or an X display, whatever the machine has) on a thread of
the view's own (the frame thread: the plotter is made there and every frame is drawn there, its
OpenGL context handed back after each), and the widget paints the frames it delivers: a frame
costs 0.1-0.5 s in software GL on the district, and the window keeps turning meanwhile (requests
that come while one is drawn are folded into the newest). Orbit (left drag), pan (right or middle drag), zoom (wheel)
move the camera and ask for a new frame (at half resolution while the mouse drags, in
full when it stops). The camera is moved as plain numbers on the GUI thread (``camera.py``) and
put on the VTK camera by the frame thread at the start of the frame, under the OpenGL lock. Rendering the same way everywhere makes the
view work identically on a workstation, under Xvfb and in headless tests and
screenshots, at the cost of one frame read-back per redraw (measured in bench/).
A click picks the model or extruded building under the cursor (a ray through cell locators
built with the scene, ``pick.py``, not the renderer): its facts are shown and it is selected in the session, so the 2D map, the attribute table and this view stay in step.
The view then flies to it at once (a half-resolution frame) and the sharper ground around it
(the DEM window and a base-map texture, ~1 s on the district) is made in a worker
(``lzt.gui.latest``) and drawn when ready: the window never waits for it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from lzt.gui.view3d import camera as cams

BIM_LAYER = "bim_models"


class View3D(QWidget):
    """Emits ``picked(layer, fid)`` when a model or building is clicked and ``frame_drawn(seconds)``
    per frame."""

    picked = Signal(str, int)
    frame_drawn = Signal(float)
    _frame_done = Signal()  # from the frame thread: a frame (or the plotter) is ready to collect

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
        # the frame thread: every OpenGL call is made there; ``gl_lock`` is held while it draws and
        # by GUI-thread code that changes the scene's actors (``changing``: never while a frame is drawn)
        self.gl_lock = threading.RLock()
        self._frames: ThreadPoolExecutor | None = None
        self._job: Future | None = None  # the frame being drawn
        self._wanted: tuple[int, int] | None = None  # the size of the next frame asked for
        # the camera as the GUI thread wants it (position, focal point, view up): the frame thread
        # puts it on the VTK camera when it draws, the GUI thread never touches that one
        self._camera: cams.Camera | None = None
        self._view_angle = 30.0  # degrees, vertical (VTK's default; read from the plotter once made)
        self._frame_done.connect(self._collect, Qt.ConnectionType.QueuedConnection)
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
        """The sharper ground around the last model flown to is still being made, or a frame drawn."""
        return self._detailing.busy or self.drawing

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
        try:  # pyvista (0.3-0.8 s of imports) only in the worker and on the frame thread
            from lzt.gui.tasks import import_apart, run_task

            ws = self.session.ws
            self._building = True
            try:
                def work(fb):
                    # the base-map texture needs it: not from deep in the work; its objects frozen
                    # out of the collections right after it is imported (tasks.freeze_imported)
                    import_apart("pyvista.plotting", freeze=True)
                    # the scene module too: compiled and imported on the GUI thread it held the
                    # window 0.1-0.2 s (py-spy of the session bench's first 三维)
                    from lzt.gui.view3d.scene import build_scene

                    scene = build_scene(ws, feedback=fb)
                    from lzt.gui.view3d.pick import build_locators

                    scene.locators = build_locators(scene)  # for picking (0.2-0.5 s on the district)
                    _trim_heap()
                    return scene

                if feedback is not None:
                    ok, scene = True, work(feedback)
                else:
                    ok, scene = run_task(self, self.tr("构建三维场景"), work)
                if ok:
                    self.scene = scene
                    self.info = scene.note or ""
                    # the plotter is made on the frame thread, with its first frame (the shaders
                    # compiled, the meshes uploaded: 0.5-2 s in software GL); the window keeps turning
                    self._frames = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lzt-3d")
                    self._camera = self._home_camera()
                    self._job = self._frames.submit(_make_plotter, scene, self._size(), self._camera,
                                                    self.gl_lock)
                    self._job.add_done_callback(lambda _f: self._frame_done.emit())
                    self.settle()
            finally:
                self._building = False
            if not ok:
                self.info = self.tr("三维场景未构建（已取消或出错）；再次切换到此页可重试")
                self.update()
                return False
        except (ImportError, ValueError) as exc:
            self.error = self.tr("三维视图不可用：{0}").format(exc)
            self.update()
            return False
        if len(self.session.selection(BIM_LAYER)):  # (else the frame just drawn is the one to show)
            self._selection_changed(layer=BIM_LAYER)
        return True

    def _size(self) -> tuple[int, int]:
        r = self.devicePixelRatioF()
        return max(64, int(self.width() * r)), max(64, int(self.height() * r))

    def _home_camera(self) -> cams.Camera:
        """An oblique view over the whole scene from the south-west (pyvista's camera_position)."""
        x0, y0, x1, y1 = self.scene.bounds
        w, h = x1 - x0, y1 - y0
        z = float(self.scene.terrain.points[:, 2].mean()) if self.scene.terrain is not None else 0.0
        d = max(w, h) * 0.9
        return cams.as_camera((w / 2 - d * 0.55, h / 2 - d * 0.75, z + d * 0.6), (w / 2, h / 2, z), (0, 0, 1))

    def reset_camera(self) -> None:
        """An oblique view over the whole scene from the south-west."""
        if self.plotter is None:
            return
        self._camera = self._home_camera()
        self.render()

    @property
    def camera_position(self) -> cams.Camera | None:
        """(position, focal point, view up) of the camera the view shows or is about to show."""
        return self._camera

    def set_camera(self, position=None, focal_point=None, up=None) -> None:
        """Move the camera (what is not given stays); drawn with the next frame asked for."""
        if self._camera is None:
            return
        pos, foc, vup = self._camera
        self._camera = cams.as_camera(pos if position is None else position,
                                      foc if focal_point is None else focal_point, vup if up is None else up)

    # -- frames --------------------------------------------------------------------------------
    def render(self, fast: bool = False, wait: bool = False) -> float:
        """Ask for a frame (``fast``: at half resolution, while the camera moves), drawn on the
        frame thread and shown when it arrives; ``wait``: until it has (turning the event loop),
        and return the seconds it took to draw (0 without ``wait``)."""
        if self.plotter is None:
            return 0.0
        size = self._size()
        if fast:
            size = (max(64, size[0] // 2), max(64, size[1] // 2))
        if self.gl_lock.acquire(blocking=False):  # (held: a frame is drawn, the context is not ours)
            try:  # whatever this thread did with the context (a screenshot taken directly)
                self.plotter.render_window.ReleaseCurrent()
            finally:
                self.gl_lock.release()
        self._wanted = size
        if self._job is None:
            self._next_frame()
        return self.settle() if wait else 0.0

    @contextlib.contextmanager
    def changing(self):
        """Change the scene's actors on the GUI thread: not while a frame is drawn; the OpenGL
        context (made current here when an actor's buffers are released) is handed back after."""
        with self.gl_lock:
            try:
                yield self.plotter
            finally:
                if self.plotter is not None:
                    self.plotter.render_window.ReleaseCurrent()

    @property
    def drawing(self) -> bool:
        """A frame is being drawn or asked for: what the view shows is not the newest yet."""
        return self._job is not None or self._wanted is not None

    def _next_frame(self) -> None:
        size, self._wanted = self._wanted, None
        self._job = self._frames.submit(_draw, self.plotter, size, self.gl_lock, self._camera)
        self._job.add_done_callback(lambda _f: self._frame_done.emit())

    def _collect(self) -> float:
        """On the GUI thread: show the frame drawn (the first one brings the plotter) and draw the
        next one asked for meanwhile; the seconds the frame took."""
        job = self._job
        if job is None or not job.done():
            return 0.0
        self._job = None
        result = job.result()  # an error in the frame thread is raised here, on the GUI thread
        if len(result) == 3:
            self.plotter, img, seconds = result
            self._view_angle = float(self.plotter.camera.view_angle)  # (no frame is drawn now)
        else:
            img, seconds = result
        h, w = img.shape[:2]
        self._image = QImage(np.ascontiguousarray(img).data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        self._image.setDevicePixelRatio(self.devicePixelRatioF())
        self.update()
        self.frame_drawn.emit(seconds)
        if self._wanted is not None and self.plotter is not None:
            self._next_frame()
        return seconds

    def settle(self) -> float:
        """Turn the event loop until no frame is drawn or asked for (the actors' pipelines are up
        to date then); the last frame's seconds."""
        from PySide6.QtCore import QEventLoop
        from PySide6.QtWidgets import QApplication

        seconds = 0.0
        while self._job is not None:
            wait_futures([self._job], timeout=0.01)  # the GIL is free meanwhile: the frame thread draws
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            seconds = self._collect() or seconds
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
        if self._camera is not None:
            self._camera = cams.orbit(self._camera, azimuth_deg, elevation_deg)

    def pan(self, dx_px: float, dy_px: float) -> None:
        """Move the camera and its focus along the view plane by a screen distance."""
        if self._camera is not None:
            self._camera = cams.pan(self._camera, dx_px, dy_px, self._view_angle, self.height())

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
        if steps and self._camera is not None:
            self._camera = cams.dolly(self._camera, 1.2 ** steps)
            self.render()

    # -- picking and selection ------------------------------------------------------------------------
    def pick(self, at: QPointF) -> int | None:
        """The model or building under a widget point (selected in the session), or None."""
        if self.plotter is None or self.scene is None:
            return None
        from lzt.gui.view3d.pick import camera_ray, hits
        from lzt.gui.view3d.sunlight_view import hidden_models

        s = self.scene
        r = self.devicePixelRatioF()
        pos, foc, up = self._camera  # the camera of the frame shown (or about to be)
        start, end = camera_ray(pos, foc, up, self._view_angle, self._size(), (at.x() * r, at.y() * r))
        hidden = set(hidden_models(self))
        for _dist, name, cell in hits(getattr(s, "locators", None) or {}, start, end):
            if name == "models" and int(s.models.cell_data["model"][cell]) not in hidden:
                layer, fid = BIM_LAYER, int(s.models.cell_data["model"][cell])
                f = s.facts.get(fid, {})
                self.info = self.tr("{0}：高 {1} m，{2} 层，建筑面积 {3} m²").format(
                    f.get("name"), f"{f.get('height_m') or 0:.1f}", f.get("storeys") or "?",
                    f"{f.get('gfa_m2') or 0:,.0f}")
                break
            if name == "buildings" and s.building_layer:
                layer, fid = s.building_layer, int(s.buildings.cell_data["building"][cell])
                self.info = self.tr("{0} · fid {1}：高 {2} m（白模）").format(
                    layer, fid, f"{float(s.buildings.cell_data['height'][cell]):.1f}")
                break
            if name == "terrain":
                return None  # the ground (a hill before what lies behind it)
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
        sub = None
        if len(fids):
            ids = np.asarray(mesh.cell_data[key])
            cells = np.flatnonzero(np.isin(ids, fids))
            if len(cells):
                sub = mesh.extract_cells(cells)
                sub = sub.scale(1.01, point=sub.center)  # just outside the model: no z-fighting
        with self.changing():
            self.plotter.remove_actor("selected", render=False)
            if sub is not None:
                self.plotter.add_mesh(sub, color="#ffd400", name="selected", render=False)
        if sub is not None:  # one feature: its highlight's centre (the cells are not extracted twice)
            self.fly_to(int(fids[0]), layer, centre=sub.center if len(fids) == 1 else None)
            return
        self.render()

    def fly_to(self, fid: int, layer: str = BIM_LAYER, centre=None) -> None:
        """Centre the view on a model or building (``centre``: its local centre when the caller
        has it), keeping the viewing direction (a quick half-resolution frame now); the ground
        around it gets a sharper base-map texture when the worker has made it (``busy`` meanwhile)."""
        from lzt.gui.view3d.scene import cells_centre
        from lzt.render import qt_types

        mesh, key = self._meshes().get(layer, (None, ""))
        c = tuple(float(v) for v in centre) if centre is not None else cells_centre(mesh, key, fid)
        if c is None:
            return
        self._camera = cams.centred_on(self._camera, c)
        self.render(fast=True)
        qt_types.ready()  # the texture is painted in the worker
        scene = self.scene
        self._detailing.submit(_detail, self.session.ws, scene, (c[0] + scene.origin[0], c[1] + scene.origin[1]))

    def _show_detail(self, detail) -> None:
        """The sharper ground made in the worker: cut into the terrain and drawn (full resolution)."""
        if self.plotter is None:
            return
        with self.changing():
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
            self.orbit(360 / frames, 0.0)
            times.append(self.render(fast=fast, wait=True))
        self.render(wait=True)
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
        if self._frames is not None:
            self._wanted = None
            if self._job is not None:  # the frame being drawn (the first brings the plotter to close)
                wait_futures([self._job])
                try:
                    self._collect()
                except Exception:  # noqa: BLE001 - a frame that failed (no GL …) must not stop the close
                    pass
            if self.plotter is not None:  # on the thread that owns its OpenGL context, after its last frame
                self._frames.submit(self.plotter.close).result()
            self._frames.shutdown(wait=True)
            self._frames = None
        self.plotter = None
        self._job = self._wanted = None


def _make_plotter(scene, size: tuple[int, int], camera: list, lock):
    """On the frame thread: the plotter with the scene's meshes and its first frame
    (plotter, RGB array, seconds)."""
    import pyvista as pv

    pv.OFF_SCREEN = True
    with lock:
        t = time.perf_counter()
        # no multisampling: on software GL (llvmpipe) 4x MSAA tripled the frame time (bench/RESULTS.md)
        p = pv.Plotter(off_screen=True, window_size=size, lighting="three lights")
        p.render_window.SetMultiSamples(0)
        p.set_background("#cfe3f7", top="#f7fbff")
        s = scene
        if s.terrain is not None:
            p.add_mesh(s.terrain, texture=s.texture, smooth_shading=True, name="terrain", render=False)
        if s.models is not None:
            p.add_mesh(s.models, scalars="height", cmap="YlOrBr", clim=(0, 120), show_scalar_bar=False,
                       smooth_shading=False, name="models", pickable=True, render=False)
        if s.buildings is not None:  # the base map's buildings as white models, the BIM in colour
            p.add_mesh(s.buildings, color="#e4e0d8", smooth_shading=False, name="buildings", pickable=True,
                       render=False)
        p.camera_position = camera
        img = p.screenshot(return_img=True)  # the first render
        p.render_window.ReleaseCurrent()
    _trim_heap()
    return p, img, time.perf_counter() - t


def _trim_heap() -> None:
    """Give the C heap's free pages back to the system (glibc): building the district's scene
    (footprints read, texture painted, meshes merged) leaves ~240 MB freed but still resident,
    on top of the ~0.8 GB the 三维 tab keeps (measured in bench/RESULTS.md)."""
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to trim
        pass


def _draw(plotter, size: tuple[int, int], lock, camera):
    """On the frame thread: one frame at ``size`` seen by ``camera`` (position, focal point, view
    up: put on the VTK camera here, its clipping range reset to the scene) as (RGB array, seconds);
    the OpenGL context is let go after it, so that GUI-thread code may release an actor's buffers."""
    with lock:
        t = time.perf_counter()
        if camera is not None and tuple(map(tuple, plotter.camera_position)) != tuple(camera):
            plotter.camera_position = camera  # (resets the clipping range)
        else:
            plotter.renderer.ResetCameraClippingRange()  # an actor added or taken away meanwhile
        rw = plotter.render_window
        if tuple(rw.GetSize()) != tuple(size):
            rw.SetSize(*size)
        plotter.render()
        img = plotter.screenshot(return_img=True)
        rw.ReleaseCurrent()
        return img, time.perf_counter() - t


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
