"""The elevation profile dock (纵断面): the line drawn on the map with the 剖面 tool, its ground
and the buildings it cuts, drawn by ``lzt.render.profile_plot`` (the same drawing a sheet and
``lzt profile --out`` use); computed in a worker thread, exportable as PNG, PDF or SVG."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class ProfileView(QWidget):
    """Paints one profile to fit the widget; the mouse over it gives the distance along the line."""

    hovered = Signal(float)  # distance along the line (m) under the mouse; -1 when it leaves
    TEXT_MM = 3.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.profile = None
        self.at: float | None = None  # the distance marked by a vertical line
        self.setMinimumHeight(160)
        self.setMouseTracking(True)

    def set_profile(self, profile) -> None:
        self.profile = profile
        self.at = None
        self.update()

    def _plot(self) -> QRectF:
        from lzt.render.profile_plot import plot_area

        return plot_area(QRectF(self.rect()), self.logicalDpiX() or 96.0, text_mm=self.TEXT_MM)

    def distance_at(self, x: float) -> float | None:
        """The distance along the line under widget x (None outside the axes)."""
        if self.profile is None:
            return None
        plot = self._plot()
        if not plot.left() <= x <= plot.right() or plot.width() <= 0:
            return None
        return (x - plot.left()) / plot.width() * self.profile.length_m

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        d = self.distance_at(event.position().x())
        self.at = d
        self.hovered.emit(-1.0 if d is None else float(d))
        self.update()

    def leaveEvent(self, _event) -> None:  # noqa: N802 - Qt API
        self.at = None
        self.hovered.emit(-1.0)
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().base())
        if self.profile is not None:
            from lzt.render.profile_plot import draw_profile

            dpi = self.logicalDpiX() or 96.0
            draw_profile(p, QRectF(self.rect()), self.profile, dpi, text_mm=self.TEXT_MM)
            if self.at is not None:
                plot = self._plot()
                x = plot.left() + self.at / self.profile.length_m * plot.width()
                p.setPen(QPen(QColor("#1565c0"), 1.0))
                p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        p.end()


class ProfilePanel(QWidget):
    """A summary line, the plot and an export button; the point under the mouse is said and
    handed on (``point_hovered``: map x, y; NaN when the mouse leaves) for the map to mark."""

    point_hovered = Signal(float, float)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.profile = None
        self.summary = QLabel(self.tr("用工具栏的“剖面”在地图上画一条线（双击或右键结束）"))
        self.summary.setWordWrap(True)
        self.view = ProfileView(self)
        self.view.hovered.connect(self._hovered)
        self.readout = QLabel()
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.readout)
        top.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)

    def show_line(self, points) -> bool:
        """Compute the profile of ``points`` (map coordinates) off the GUI thread and show it."""
        import shapely

        from lzt.analysis.profile import elevation_profile
        from lzt.gui.tasks import run_task

        line = shapely.LineString(points)
        ws = self.session.ws
        ok, prof = run_task(self, self.tr("计算纵断面"), lambda fb: elevation_profile(ws, line))
        if not ok:
            return False
        self.set_profile(prof)
        return True

    def set_profile(self, prof) -> None:
        import numpy as np

        self.profile = prof
        z = prof.ground[np.isfinite(prof.ground)]
        ground = (self.tr("地面 {0} – {1} 米").format(f"{z.min():.1f}", f"{z.max():.1f}") if len(z)
                  else self.tr("沿线没有地面高程数据"))
        tall = [c for c in prof.cuts if c.top_z is not None]
        top = max(tall, key=lambda c: c.top_z) if tall else None
        text = self.tr("全长 {0} 米；{1}；穿过 {2} 栋建筑").format(f"{prof.length_m:,.1f}", ground, len(prof.cuts))
        if top is not None:
            text += self.tr("，最高顶部 {0} 米（{1}）").format(f"{top.top_z:.1f}", top.id)
        if prof.zones:
            text += self.tr("；控高区 {0}").format("、".join(dict.fromkeys(z.zone for z in prof.zones)))
        self.summary.setText(text)
        self.export_button.setEnabled(True)
        self.view.set_profile(prof)

    def _hovered(self, d: float) -> None:
        import numpy as np

        prof = self.profile
        if prof is None or d < 0:
            self.readout.setText("")
            self.point_hovered.emit(float("nan"), float("nan"))
            return
        x = float(np.interp(d, prof.distance, prof.x))
        y = float(np.interp(d, prof.distance, prof.y))
        z = float(prof.ground_at(d))
        text = self.tr("距起点 {0} 米").format(f"{d:,.1f}")
        text += self.tr("，地面 {0} 米").format(f"{z:.1f}") if np.isfinite(z) else self.tr("，无地面高程")
        over = [c for c in prof.cuts if c.start_m <= d <= c.end_m]
        if over:
            c = over[0]
            text += self.tr("，{0} 高 {1} 米").format(c.id, "?" if c.height_m is None else f"{c.height_m:.1f}")
        self.readout.setText(text)
        self.point_hovered.emit(x, y)

    def export(self, path: str | None = None) -> str | None:
        """Save the profile plot (a file dialog unless ``path`` is given)."""
        if self.profile is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("导出纵断面"), "profile.pdf",
                                                  self.tr("PDF (*.pdf);;PNG (*.png);;SVG (*.svg)"))
            if not path:
                return None
        from lzt.export.profile import write_profile_plot
        from lzt.gui.tasks import run_task

        title = self.tr("纵断面（全长 {0} 米）").format(f"{self.profile.length_m:.0f}")
        ok, _ = run_task(self, self.tr("导出纵断面"), lambda fb: write_profile_plot(self.profile, path, title=title))
        return path if ok else None
