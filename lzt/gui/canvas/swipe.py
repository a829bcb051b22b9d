"""The swipe (卷帘) between two layers: left of a draggable line the map shows layer A, right of
it layer B, every other visible layer on both sides.

The canvas draws its usual picture with A in place of B; this object draws the other side's
picture (B in place of A) in its own render job, so neither side waits for the other, and
the canvas paints each picture on its side of the line.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF

from lzt.render.job import RenderJob
from lzt.render.request import RenderRequest, snapshot_layers

HANDLE_PX = 8


def side_layers(drawn: list[tuple[str, float, object]], show: str, hide: str) -> list[tuple[str, float, object]]:
    """``drawn`` (name, opacity, filter; bottom first) with ``hide`` left out and ``show`` in
    it (where ``hide`` was when ``show`` is not visible itself)."""
    names = [d[0] for d in drawn]
    out = [d for d in drawn if d[0] != hide]
    if show not in names:
        at = names.index(hide) if hide in names else 0
        out.insert(min(at, len(out)), (show, 1.0, None))
    return out


class Swipe(QObject):
    """Swipe state of one canvas: the two layers, the line (share of the width from the left)
    and the right side's latest picture."""

    ready = Signal(int, QImage, tuple)

    def __init__(self, canvas, left: str, right: str):
        super().__init__(canvas)
        self.canvas, self.left, self.right = canvas, left, right
        self.position = 0.5
        self.job = RenderJob(canvas.job.source)
        self.image: QImage | None = None
        self.extent: tuple | None = None
        self.latest = 0
        self.ready.connect(self._on_image)

    def left_layers(self, drawn):
        return side_layers(drawn, self.left, self.right)

    def request(self, req: RenderRequest) -> None:
        """Draw the right side's picture for the view of the canvas's request ``req``."""
        drawn = side_layers(self.canvas.session.drawn_layers(), self.right, self.left)
        layers = snapshot_layers(self.canvas.session.ws, [n for n, _, _ in drawn], None,
                                 {n: f for n, _, f in drawn if f is not None}, {n: o for n, o, _ in drawn})
        right = RenderRequest(req.extent, req.width, req.height, req.dpi, layers, req.background)
        self.latest = right.id
        # an unexpected error in a layer: told and logged by the canvas, that side drawn without it
        self.job.submit(right, lambda r, img, _res: self.ready.emit(r.id, img, r.extent),
                        on_error=self.canvas._render_failed)

    def _on_image(self, rid: int, img: QImage, extent: tuple) -> None:
        if rid != self.latest:
            return
        img.setDevicePixelRatio(self.canvas.devicePixelRatioF())
        self.image, self.extent = img, extent
        self.canvas.update()

    def line_x(self) -> float:
        return self.position * self.canvas.width()

    def near_line(self, x: float) -> bool:
        return abs(x - self.line_x()) <= HANDLE_PX

    def move_to(self, x: float) -> None:
        self.position = min(1.0, max(0.0, x / max(1, self.canvas.width())))
        self.canvas.update()

    def paint(self, p: QPainter, to_screen) -> None:
        """The right side's picture right of the line, then the line and its handle."""
        x = self.line_x()
        h = self.canvas.height()
        if self.image is not None and self.extent:
            e = self.extent
            p.save()
            p.setClipRect(QRectF(x, 0, self.canvas.width() - x, h))
            p.fillRect(QRectF(x, 0, self.canvas.width() - x, h), QColor("#f4f3ef"))
            p.drawImage(QRectF(to_screen(e[0], e[3]), to_screen(e[2], e[1])), self.image)
            p.restore()
        p.setPen(QPen(QColor("#ffffff"), 3))
        p.drawLine(QPointF(x, 0), QPointF(x, h))
        p.setPen(QPen(QColor("#1565c0"), 1.5))
        p.drawLine(QPointF(x, 0), QPointF(x, h))
        p.setBrush(QColor("#1565c0"))
        cy = h / 2
        for s in (-1, 1):  # two arrowheads: drag me sideways
            p.drawPolygon(QPolygonF([QPointF(x + s * 3, cy - 7), QPointF(x + s * 11, cy), QPointF(x + s * 3, cy + 7)]))

    def shutdown(self) -> None:
        self.job.shutdown(wait=True)


__all__ = ["Swipe", "side_layers"]
