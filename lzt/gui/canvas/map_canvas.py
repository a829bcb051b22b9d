"""The map canvas: draws the session through the renderer in a worker thread and never waits.

The last finished image stays on screen, moved and scaled to the current view while a
new one draws (QGIS's canvas does the same), so panning and zooming respond at once;
requests superseded by newer ones are dropped by the render job. Tools: pan, zoom box,
identify, select (click, rectangle, polygon), measure distance and area; a swipe (卷帘)
between two layers (``swipe.Swipe``) on top of any tool. The selection is drawn by a worker
too (``selection.SelectionOverlay``), so no repaint reads the workspace. ``marker`` is a map
point drawn as a cross (the cursor of a linked view). Until the first complete picture, a view
that must load big layers whole is shown first with the layers at hand (``partly_rendered``);
before even that, the opening view's picture kept from the last session when nothing changed
(``lzt.render.view_cache``), and the session's first complete picture is kept for the next.
A hidden canvas (the linked view's closed dock) does not draw until it is shown.
"""

from __future__ import annotations

import re
import threading
import unicodedata

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from layers.kinds import LayerKind
from lzt.gui.canvas.selection import SelectionOverlay
from lzt.render.cache import source_for
from lzt.render import qt_types, view_cache
from lzt.render.job import RenderJob, failure_line
from lzt.render.request import RenderRequest, fit_extent, layer_stamp, snapshot_layers
from lzt.core.lazy import lazy_module

shapely = lazy_module("shapely")

INCH_M = 0.0254
TOOLS = ("pan", "zoom", "identify", "select", "select_polygon", "measure_distance", "measure_area", "profile")


class MapCanvas(QWidget):
    """Signals: ``cursor_moved(x, y)`` (workspace CRS), ``scale_changed(N)``,
    ``identified(layer, fid)``, ``measured(text)``, ``rendered(seconds)``."""

    cursor_moved = Signal(float, float)
    scale_changed = Signal(float)
    identified = Signal(str, int)
    measured = Signal(str)
    profile_drawn = Signal(object)  # the points (map coordinates) of a line drawn with the profile tool
    rendered = Signal(float)
    partly_rendered = Signal(float)
    _image_ready = Signal(int, QImage, tuple, float)
    _partial_ready = Signal(int, QImage, tuple, float)
    _tiles_landed = Signal()
    #: a one-line report from a layer (e.g. a raster service's failed tiles), once
    layer_message = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setMouseTracking(True)
        self.setMinimumSize(200, 150)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.tool = "pan"
        # service tiles are fetched in workers: a draw never waits, a landed tile asks for a new picture
        self.job = RenderJob(source_for(session.ws), on_service_tile=self._tiles_landed.emit)
        self._tiles_landed.connect(self._on_tiles_landed)
        self._image: QImage | None = None
        self._image_extent: tuple | None = None
        self._pending_id = 0
        self._press: QPointF | None = None
        self._drag: QPointF | None = None
        self._points: list[tuple[float, float]] = []  # polygon selection / measurement, map coords
        self._hover: tuple[float, float] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._render)
        self._types_timer = QTimer(self)  # the next slice of Qt's types before the first render
        self._types_timer.setSingleShot(True)
        self._types_timer.setInterval(0)
        self._types_timer.timeout.connect(self._render)
        self._image_ready.connect(self._on_image)
        self._partial_ready.connect(self._on_partial)
        self._complete = False  # the picture on screen has every layer of its request
        self._hidden_stale = False  # a view change came while hidden: draw when shown
        self._overlay_stale = False  # a selection change came while hidden: highlight when shown
        self._kept_extent: tuple | None = None  # the extent of a kept picture on screen (view_cache)
        self._keep_done = False  # this session's first complete picture is kept (or need not be)
        self.overlay = SelectionOverlay(session, self.job.source, self)
        self.overlay.ready.connect(self._on_overlay)
        self._overlay: QImage | None = None
        self._overlay_extent: tuple | None = None
        self.swipe = None  # a swipe.Swipe while the swipe is on
        self._swiping = False
        self.marker: tuple[float, float] | None = None
        self._told: set[tuple[str, str]] = set()  # (layer, line) told once; the canvas's and the
        self._told_lock = threading.Lock()  # swipe's render threads both add to it
        self.profile_line: list[tuple[float, float]] | None = None  # the last line drawn with the profile tool
        for ev in (session.layers_changed, session.extent_changed, session.filters_changed, session.styles_changed):
            ev.connect(lambda **_: self.refresh())
        session.selection_changed.connect(lambda **_: self._request_overlay())

    # -- view geometry ------------------------------------------------------------------------
    def view_extent(self) -> tuple[float, float, float, float]:
        ext = self.session.extent or (500_000.0, 2_490_000.0, 540_000.0, 2_530_000.0)
        return fit_extent(ext, max(1, self.width()), max(1, self.height()))

    def resolution(self) -> float:
        e = self.view_extent()
        return (e[2] - e[0]) / max(1, self.width())

    def scale(self) -> float:
        """The scale denominator on this screen (1:N)."""
        return self.resolution() * self.logicalDpiX() / INCH_M

    def to_map(self, p: QPointF) -> tuple[float, float]:
        e, r = self.view_extent(), self.resolution()
        return e[0] + p.x() * r, e[3] - p.y() * r

    def to_screen(self, x: float, y: float) -> QPointF:
        e, r = self.view_extent(), self.resolution()
        return QPointF((x - e[0]) / r, (e[3] - y) / r)

    def set_scale(self, n: float) -> None:
        """Zoom to 1:n about the view centre."""
        e = self.view_extent()
        cx, cy = (e[0] + e[2]) / 2, (e[1] + e[3]) / 2
        r = n * INCH_M / self.logicalDpiX()
        hw, hh = r * self.width() / 2, r * self.height() / 2
        self.session.set_extent((cx - hw, cy - hh, cx + hw, cy + hh))

    def zoom(self, factor: float, about: QPointF | None = None) -> None:
        """Zoom by ``factor`` (> 1 zooms in) keeping the map point under ``about`` in place."""
        e = self.view_extent()
        about = about or QPointF(self.width() / 2, self.height() / 2)
        mx, my = self.to_map(about)
        w, h = (e[2] - e[0]) / factor, (e[3] - e[1]) / factor
        fx, fy = about.x() / max(1, self.width()), about.y() / max(1, self.height())
        self.session.set_extent((mx - fx * w, my - (1 - fy) * h, mx + (1 - fx) * w, my + fy * h))

    def zoom_full(self) -> None:
        full = self.session.full_extent()
        if full:
            self.session.set_extent(full)

    # -- rendering ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Ask for a new picture (coalesced; the old one stays until it arrives)."""
        self.scale_changed.emit(self.scale())
        self.update()
        self._timer.start()

    def build_request(self) -> RenderRequest:
        """A frozen snapshot of what to draw now."""
        drawn = self.session.drawn_layers()  # the same state a printed sheet takes
        if self.swipe is not None:
            drawn = self.swipe.left_layers(drawn)
        ratio = self.devicePixelRatioF()
        w, h = max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio))
        layers = snapshot_layers(self.session.ws, [n for n, _, _ in drawn], None,
                                 {n: f for n, _, f in drawn if f is not None}, {n: o for n, o, _ in drawn})
        return RenderRequest(tuple(self.view_extent()), w, h, self.logicalDpiX() * ratio, layers, "#f4f3ef")

    def _render(self, force: bool = False) -> None:
        if not force and not self.isVisible():  # a hidden view (the linked view's dock) draws when shown
            self._hidden_stale = True
            return
        self._hidden_stale = False
        if self._image is None:  # nothing on screen yet
            self._show_kept_view()
        if not qt_types.ready_step():  # created a slice a turn (the window paints before), then the render
            self._types_timer.start()
            return
        req = self.build_request()
        self._pending_id = req.id
        import time

        t0 = time.perf_counter()
        key = None if self._keep_done else view_cache.view_key(self.session.ws, req)

        def done(r, img, result):
            # what a layer could not draw is told first: the picture without it never shows
            # before the line that says why (both are queued to the GUI thread, in this order)
            for name, lr in result.layers.items():
                if lr.error and self._first_time((name, lr.error)):
                    self.layer_message.emit(f"{name}: {lr.error}")
            self._image_ready.emit(r.id, img, r.extent, time.perf_counter() - t0)
            if key is not None and not self._keep_done and not any(lr.error for lr in result.layers.values()):
                self._keep_done = True  # the session's first complete picture, for the next opening
                view_cache.save(key, img)  # on this (render) thread, after the picture is shown

        def partial(r, img, _result):  # the layers at hand, while the big ones load
            self._partial_ready.emit(r.id, img, r.extent, time.perf_counter() - t0)

        self.job.submit(req, done, partial if not self._complete else None, self._render_failed)
        if self.swipe is not None:
            self.swipe.request(req)
        self._request_overlay(req.extent, req.width, req.height)

    def _first_time(self, key: tuple[str, str]) -> bool:
        """True the first time ``key`` is seen (any render thread), and it is kept."""
        with self._told_lock:
            if key in self._told:
                return False
            self._told.add(key)
            return True

    def _render_failed(self, req, exc: BaseException, layer: str) -> None:
        """An unexpected error while drawing (render thread): its traceback goes to errors.log and
        the user is told once, in one line; the job draws the view again without that layer."""
        from lzt.gui import crash_report

        key = (layer, failure_line(exc))
        if not self._first_time(key):  # the same failure in a later view: told and logged already
            return  # (the picture without the layer has this line as its error: not told again)
        log = crash_report.log_exception(exc)
        if layer:
            text = QCoreApplication.translate("MapCanvas", "{0}：图层无法绘制（{1}）").format(layer, key[1])
        else:
            text = QCoreApplication.translate("MapCanvas", "地图绘制失败（{0}）").format(key[1])
        if log is not None:
            text += QCoreApplication.translate("MapCanvas", "，详细信息已记录在 {0}").format(log)
        self.layer_message.emit(text)

    def _show_kept_view(self) -> None:
        """Show the picture kept for this very view by the last session (``view_cache``), if any,
        until the map is drawn: the first render replaces it."""
        req = self.build_request()
        key = view_cache.view_key(self.session.ws, req)
        img = view_cache.load(key)
        if img is None or (img.width(), img.height()) != (int(req.width), int(req.height)):
            return
        img.setDevicePixelRatio(self.devicePixelRatioF())
        self._image, self._image_extent, self._complete = img, tuple(req.extent), False
        self._kept_extent = tuple(req.extent)
        self._keep_done = True  # kept already
        view_cache.touch(key)
        self.update()
        self.partly_rendered.emit(0.0)

    def _on_tiles_landed(self) -> None:
        if not self.isVisible():  # behind another tab: drawn (and a failed fetch told) when shown;
            self._hidden_stale = True  # a closed window is never shown (its workspace may be closed)
            return
        if not self._timer.isActive():  # coalesce: one new picture per burst of tiles
            self._timer.start()

    def _request_overlay(self, extent=None, width=None, height=None) -> None:
        """Draw the selection highlight for the view (in the overlay's worker)."""
        if self._pending_id < 0:
            return
        if not self.isVisible():  # behind another tab (批后监管 selects its parcel): drawn when shown
            self._overlay_stale = True
            return
        self._overlay_stale = False
        if extent is None:
            ratio = self.devicePixelRatioF()
            extent = tuple(self.view_extent())
            width, height = max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio))
        self.overlay.request(extent, width, height)

    def _on_overlay(self, rid: int, img: QImage, extent: tuple) -> None:
        if rid != self.overlay.latest:
            return  # stale
        if img.isNull():
            self._overlay = self._overlay_extent = None
        else:
            img.setDevicePixelRatio(self.devicePixelRatioF())
            self._overlay, self._overlay_extent = img, extent
        self.update()

    def _on_image(self, rid: int, img: QImage, extent: tuple, seconds: float) -> None:
        if rid != self._pending_id:
            return  # stale
        img.setDevicePixelRatio(self.devicePixelRatioF())
        self._image, self._image_extent, self._complete = img, extent, True
        self.update()
        self.rendered.emit(seconds)

    def _on_partial(self, rid: int, img: QImage, extent: tuple, seconds: float) -> None:
        if rid != self._pending_id:
            return  # stale
        if self._kept_extent == tuple(extent) and self._image_extent == tuple(extent):
            # the complete picture of this view kept from the last session is on screen: the
            # layers at hand would show less. (They are still drawn first: the same sequence of
            # draws as without a kept picture, so the complete map has the same pixels; Qt draws
            # a label's new glyphs a few pixels differently the first time.)
            return
        img.setDevicePixelRatio(self.devicePixelRatioF())
        self._image, self._image_extent, self._complete = img, extent, False
        self.update()
        self.partly_rendered.emit(seconds)

    def wait_rendered(self, timeout_ms: int = 20_000) -> bool:
        """Block (processing events) until the picture of the current view is on screen."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop
        from PySide6.QtWidgets import QApplication

        if self._timer.isActive() or self._pending_id == 0 or self._hidden_stale:
            self._timer.stop()
            self._render(force=True)
        deadline = QDeadlineTimer(timeout_ms)
        beat = QTimer()  # wakes the wait below at least every 20 ms (the deadline is checked)
        beat.start(20)
        try:
            while not deadline.hasExpired():
                # sleeps until an event comes (the picture, a timer) instead of spinning: a
                # spinning GUI thread took the interpreter lock from the render thread
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents
                                           | QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
                if self._image is not None and self._complete and self._image_extent == tuple(self.view_extent()) \
                        and not self._timer.isActive():
                    return True
            return False
        finally:
            beat.stop()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._hidden_stale:
            self.refresh()
        elif self._overlay_stale:
            self._request_overlay()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.refresh()

    def set_swipe(self, left: str | None, right: str | None = None) -> None:
        """Swipe between layers ``left`` and ``right`` (None: swipe off)."""
        from lzt.gui.canvas.swipe import Swipe

        if self.swipe is not None:
            self.swipe.shutdown()
            self.swipe.deleteLater()
            self.swipe = None
        if left and right and left != right:
            self.swipe = Swipe(self, left, right)
        self.refresh()

    def shutdown(self) -> None:
        """Stop drawing for good (the window closes)."""
        self._timer.stop()
        self._pending_id = -1
        if self.swipe is not None:
            self.swipe.shutdown()
        self.job.shutdown(wait=True)
        self.overlay.shutdown()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)

    # -- painting -----------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#f4f3ef"))
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for img, ext in ((self._image, self._image_extent), (self._overlay, self._overlay_extent)):
            if img is not None and ext:  # the last pictures, moved and scaled to the view
                p.drawImage(QRectF(self.to_screen(ext[0], ext[3]), self.to_screen(ext[2], ext[1])), img)
            if self.swipe is not None and img is self._image:  # the other side, under the selection
                self.swipe.paint(p, self.to_screen)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_tool(p)
        if self.marker is not None:
            c = self.to_screen(*self.marker)
            for colour, width in (("#ffffff", 3.0), ("#d32f2f", 1.5)):
                p.setPen(QPen(QColor(colour), width))
                p.drawLine(QPointF(c.x() - 10, c.y()), QPointF(c.x() + 10, c.y()))
                p.drawLine(QPointF(c.x(), c.y() - 10), QPointF(c.x(), c.y() + 10))
        p.end()

    def _paint_tool(self, p: QPainter) -> None:
        if self.profile_line and not (self.tool == "profile" and self._points):
            pts = [self.to_screen(x, y) for x, y in self.profile_line]
            for colour, width in (("#ffffff", 4.0), ("#d32f2f", 2.0)):
                p.setPen(QPen(QColor(colour), width))
                p.drawPolyline(QPolygonF(pts))
            p.setPen(QPen(QColor("#d32f2f"), 1.0))
            p.setBrush(QColor("#ffffff"))
            for q in (pts[0], pts[-1]):
                p.drawEllipse(q, 4.0, 4.0)
            p.setBrush(Qt.BrushStyle.NoBrush)
        if self._press is not None and self._drag is not None and self.tool in ("zoom", "select"):
            p.setPen(QPen(QColor("#1565c0"), 1.5, Qt.PenStyle.DashLine))
            p.setBrush(QColor(21, 101, 192, 40))
            p.drawRect(QRectF(self._press, self._drag).normalized())
        if self._points:
            pts = [self.to_screen(x, y) for x, y in self._points]
            if self._hover:
                pts.append(self.to_screen(*self._hover))
            p.setPen(QPen(QColor("#d32f2f"), 2))
            p.setBrush(QColor(211, 47, 47, 40) if self.tool in ("measure_area", "select_polygon") else Qt.BrushStyle.NoBrush)
            if self.tool in ("measure_area", "select_polygon") and len(pts) > 2:
                p.drawPolygon(QPolygonF(pts))
            else:
                p.drawPolyline(QPolygonF(pts))

    # -- interaction ----------------------------------------------------------------------------
    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(tool)
        self.tool = tool
        self._points = []
        self.setCursor(Qt.CursorShape.OpenHandCursor if tool == "pan" else Qt.CursorShape.CrossCursor)
        self.update()

    def wheelEvent(self, event) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom(1.25 ** steps, event.position())

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            if event.button() == Qt.MouseButton.RightButton and self._points:
                self._finish_points()
            return
        if self.swipe is not None and self.swipe.near_line(event.position().x()):
            self._swiping = True
            return
        self._press = self._drag = event.position()
        if self.tool in ("measure_distance", "measure_area", "select_polygon", "profile"):
            self._points.append(self.to_map(event.position()))
            self._report_measure()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        x, y = self.to_map(event.position())
        self.cursor_moved.emit(x, y)
        self._hover = (x, y)
        if self.swipe is not None:
            if self._swiping:
                self.swipe.move_to(event.position().x())
                return
            near = self.swipe.near_line(event.position().x())
            self.setCursor(Qt.CursorShape.SplitHCursor if near else
                           Qt.CursorShape.OpenHandCursor if self.tool == "pan" else Qt.CursorShape.CrossCursor)
        if self._press is not None:
            if self.tool == "pan":
                d = event.position() - self._drag
                r = self.resolution()
                e = self.view_extent()
                self.session.set_extent((e[0] - d.x() * r, e[1] + d.y() * r, e[2] - d.x() * r, e[3] + d.y() * r))
            self._drag = event.position()
        if self._points:
            self._report_measure()
        self.update()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        self._swiping = False
        if self._press is None:
            return
        start, end = self._press, event.position()
        self._press = self._drag = None
        moved = (end - start).manhattanLength() > 4
        if self.tool == "zoom":
            if moved:
                a, b = self.to_map(start), self.to_map(end)
                self.session.set_extent((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])))
            else:
                self.zoom(2.0, end)
        elif self.tool == "identify":
            self.identify_at(end)
        elif self.tool == "select":
            mode = "add" if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else "replace"
            if moved:
                a, b = self.to_map(start), self.to_map(end)
                self.select_in(shapely.box(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])), mode)
            else:
                self.select_in(self._pick_area(end), mode)
        self.update()

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        if self._points:
            self._finish_points()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self._points = []
            self.measured.emit("")
            self.update()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._points:
            self._finish_points()
        else:
            super().keyPressEvent(event)

    def _finish_points(self) -> None:
        if self.tool == "select_polygon" and len(self._points) >= 3:
            self.select_in(shapely.Polygon(self._points), "replace")
        if self.tool == "profile" and len(self._points) >= 2 and shapely.LineString(self._points).length > 0:
            self.profile_line = list(self._points)
            self.profile_drawn.emit(list(self._points))
        self._report_measure(final=True)
        self._points = []
        self.update()

    def _report_measure(self, final: bool = False) -> None:
        pts = list(self._points) + ([] if final or not self._hover else [self._hover])
        if self.tool in ("measure_distance", "profile") and len(pts) >= 2:
            d = shapely.LineString(pts).length
            self.measured.emit(self.tr("距离 {0}").format(f"{d:,.2f} m" if d < 10_000 else f"{d / 1000:,.3f} km"))
        elif self.tool == "measure_area" and len(pts) >= 3:
            poly = shapely.Polygon(pts)
            a = abs(poly.area)
            self.measured.emit(self.tr("面积 {0} m²（{1} 亩）  周长 {2} m").format(
                f"{a:,.1f}", f"{a / 666.667:,.2f}", f"{poly.exterior.length:,.1f}"))

    def _pick_area(self, at: QPointF, radius_px: float = 5.0):
        x, y = self.to_map(at)
        return shapely.Point(x, y).buffer(radius_px * self.resolution())

    def identify_at(self, at: QPointF) -> tuple[str, int] | None:
        """The topmost visible feature under the cursor (current layer first)."""
        area = self._pick_area(at)
        order = [s for s in reversed(self.session.layers) if s.visible and s.kind != LayerKind.RASTER]
        order.sort(key=lambda s: s.name != self.session.current)
        for s in order:
            fids = self._hits(s.name, area)
            if len(fids):
                self.identified.emit(s.name, int(fids[0]))
                return s.name, int(fids[0])
        return None

    def select_in(self, geom, mode: str = "replace") -> None:
        name = self.session.current
        if not name or self.session.layer(name).kind == LayerKind.RASTER:
            return
        self.session.select(name, self._hits(name, geom), mode=mode)

    def _hits(self, name: str, geom) -> np.ndarray:
        """Ids of the features of ``name`` meeting ``geom`` (as the map shows them: time window
        applied), from the renderer's cached geometry when it holds the layer."""
        ws, src = self.session.ws, self.job.source
        info = ws.layer(name)
        stamp, where = layer_stamp(info), self.session.layer_filter(name)
        x0, y0, x1, y1 = geom.bounds
        data = src.points(name, stamp) if info.geometry_type == "Point" else src.cached(name, stamp)
        if data is None:  # not drawn whole yet: through the spatial index
            feats = ws.read_features(name, bbox=(x0, y0, x1, y1), columns=[], where=where)
            if feats.empty:
                return np.empty(0, dtype=np.int64)
            ok = shapely.intersects(np.asarray(feats.geometry.values, dtype=object), geom)
            return feats.index.to_numpy()[ok]
        if info.geometry_type == "Point":
            idx = np.flatnonzero((data.x >= x0) & (data.x <= x1) & (data.y >= y0) & (data.y <= y1))
            if not _is_box(geom):  # a box's points are its bounds' points; others tested in place
                shapely.prepare(geom)  # (no point objects: 370k of them took 1.5 s on the GUI thread)
                idx = idx[shapely.intersects_xy(geom, data.x[idx], data.y[idx])]
            fids = data.fids[idx]
        else:
            idx = np.flatnonzero(data.in_box((x0, y0, x1, y1)))
            fids = data.fids[idx[shapely.intersects(data.geoms[idx], geom)]]
        if where is not None:
            fids = fids[np.isin(fids, src.allowed(name, stamp, where))]
        return np.sort(fids)


def _is_box(geom) -> bool:
    """True when ``geom`` is the axis-aligned rectangle of its bounds."""
    if geom.geom_type != "Polygon" or len(geom.interiors):
        return False
    x0, y0, x1, y1 = geom.bounds
    return abs(geom.area - (x1 - x0) * (y1 - y0)) <= 1e-9 * max((x1 - x0) * (y1 - y0), 1.0)


_SCALE = re.compile(r"^(?:1[:/比])?(\d+(?:\.\d+)?)(万)?$")


def parse_scale(text: str) -> float | None:
    """The denominator N of a scale as users type it: ``1:2000``, ``1：2000`` (an input method's
    full-width colon), ``１：２０００``, ``1:2,000``, ``1/2000``, ``1比2000``, ``2000``, ``1:1万``;
    None when it is not a positive scale."""
    t = unicodedata.normalize("NFKC", text or "")  # full-width digits and punctuation to ASCII
    t = re.sub(r"[\s,]", "", t)
    m = _SCALE.match(t)
    if m is None:
        return None
    n = float(m.group(1)) * (10_000 if m.group(2) else 1)
    return n if n > 0 else None

