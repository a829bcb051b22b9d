"""A parcel's before / after imagery (影像对比), side by side with their dates.

The pair is chosen by ``lzt.analysis.imagery.before_after`` (the latest acquisition before
the work started, and the latest one); each side is drawn by its own render job (imagery
only, the parcel's red line on top) off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from lzt.render.cache import source_for
from lzt.render.job import RenderJob
from lzt.render.request import fit_extent, make_request

SIDE_PX = 420


def parcel_view(geom, width: int, height: int, pad: float = 0.4) -> tuple[float, float, float, float]:
    """The extent around ``geom`` (its box grown by ``pad`` of its size, at least 60 m) fitted to
    ``width`` x ``height``."""
    x0, y0, x1, y1 = geom.bounds
    m = max(60.0, pad * max(x1 - x0, y1 - y0))
    return fit_extent((x0 - m, y0 - m, x1 + m, y1 + m), width, height)


def draw_outline(img: QImage, geom, extent) -> None:
    """The parcel's red line on ``img`` covering ``extent``."""
    x0, y0, x1, y1 = extent
    sx, sy = img.width() / (x1 - x0), img.height() / (y1 - y0)
    p = QPainter(img)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for colour, width in (("#ffffff", 4.0), ("#e00000", 2.0)):
            p.setPen(QPen(QColor(colour), width))
            for part in (geom.geoms if geom.geom_type == "MultiPolygon" else [geom]):
                p.drawPolygon(QPolygonF([QPointF((x - x0) * sx, (y1 - y) * sy) for x, y in part.exterior.coords]))
    finally:
        p.end()


def _log_failure(_req, exc: BaseException, _layer: str) -> None:
    """An unexpected error drawing a side (render thread): its traceback goes to errors.log."""
    from lzt.gui.crash_report import log_exception

    log_exception(exc)


class ImageryCompare(QWidget):
    """Before and after pictures of one parcel with their acquisition dates. Emits
    ``swipe_requested(before, after)`` to compare the two on the map."""

    swipe_requested = Signal(str, str)
    _ready = Signal(int, int, QImage, str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.jobs = [RenderJob(source_for(session.ws)) for _ in range(2)]
        self.pictures = [QLabel(), QLabel()]
        self.captions = [QLabel(), QLabel()]
        self.images: list[QImage | None] = [None, None]
        self.pair = None
        self._ids = [0, 0]
        grid = QGridLayout(self)
        for i in range(2):
            self.pictures[i].setMinimumSize(200, 200)
            self.pictures[i].setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.captions[i].setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(self.captions[i], 0, i)
            grid.addWidget(self.pictures[i], 1, i)
        self.note = QLabel()
        self.note.setWordWrap(True)
        grid.addWidget(self.note, 2, 0, 1, 2)
        self.swipe_button = QPushButton(self.tr("在地图上卷帘对比"))
        self.swipe_button.clicked.connect(lambda: self.pair and self.swipe_requested.emit(self.pair[0].layer,
                                                                                        self.pair[1].layer))
        grid.addWidget(self.swipe_button, 3, 0, 1, 2)
        self._ready.connect(self._on_image)

    def show_parcel(self, geom, started=None) -> None:
        """Choose and draw the before/after pair of the parcel ``geom`` (work ``started`` or None)."""
        from lzt.analysis.imagery import before_after

        self.pair = before_after(self.session.ws, geom, started)
        self.images = [None, None]
        self.swipe_button.setEnabled(self.pair is not None)
        if self.pair is None:
            for w in (*self.pictures, *self.captions):
                w.clear()
            self.note.setText(self.tr("没有覆盖本宗地的两期影像（导入影像时需标注拍摄日期）"))
            return
        for i, (word, acq) in enumerate(zip((self.tr("前"), self.tr("后")), self.pair)):
            self.captions[i].setText(f"<b>{word}</b>  {acq.acquired}  ·  {acq.layer}")
            self.pictures[i].setText(self.tr("绘制中…"))
        self.note.setText(self.tr("红线为宗地红线；“前”为开工前最近一期影像，“后”为最新一期影像。"))
        extent = parcel_view(geom, SIDE_PX, SIDE_PX)
        for i, acq in enumerate(self.pair):
            req = make_request(self.session.ws, extent, SIDE_PX, SIDE_PX, layers=[acq.layer], background="#f4f3ef")
            self._ids[i] = req.id

            def done(r, img, result, i=i):
                draw_outline(img, geom, r.extent)
                errors = "；".join(lr.error for lr in result.layers.values() if lr.error)
                self._ready.emit(i, r.id, img, errors)

            # an unexpected error: logged, and the side drawn without the imagery, its line shown
            self.jobs[i].submit(req, done, on_error=_log_failure)

    def _on_image(self, i: int, rid: int, img: QImage, errors: str) -> None:
        if rid != self._ids[i]:
            return
        self.images[i] = img
        self.pictures[i].setPixmap(QPixmap.fromImage(img))
        if errors:  # the file gone, unreadable, or a bug: that side has no picture, and says why
            self.note.setText(QCoreApplication.translate("ImageryCompare", "“{0}”影像无法绘制（{1}）").format(
                self.pair[i].layer if self.pair else "", errors))

    def shutdown(self) -> None:
        for j in self.jobs:
            j.shutdown(wait=True)


__all__ = ["ImageryCompare", "draw_outline", "parcel_view"]
