"""The before / after imagery pair (影像对比) on a parcel's PDF report: two maps side by side,
each one acquisition with the parcel's red line, captioned with its date."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPen, QPolygonF

from lzt.render.api import draw_map
from lzt.render.fonts import font
from lzt.render.pdf import painter_state
from lzt.render.request import fit_extent

GAP_MM = 4.0


def pair_extent(geom, aspect: float) -> tuple[float, float, float, float]:
    """The parcel's box grown by 40 % of its size (at least 60 m), fitted to ``aspect`` (w / h)."""
    x0, y0, x1, y1 = geom.bounds
    m = max(60.0, 0.4 * max(x1 - x0, y1 - y0))
    return fit_extent((x0 - m, y0 - m, x1 + m, y1 + m), aspect * 1000, 1000)


def draw_pair(p, frames: tuple[QRectF, QRectF], ws, geom, pair, mm) -> None:
    """Draw acquisitions ``pair`` ((layer, date, caption), ...) into ``frames`` on painter ``p``;
    ``mm(v)`` converts millimetres to device units."""
    for frame, (layer, acquired, word) in zip(frames, pair):
        ext = pair_extent(geom, frame.width() / frame.height())
        with painter_state(p):
            p.setClipRect(frame)
            draw_map(p, frame, ws, ext, [layer])
        sx, sy = frame.width() / (ext[2] - ext[0]), frame.height() / (ext[3] - ext[1])
        with painter_state(p):
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(QColor("#e00000"), mm(0.5)))
            for part in (geom.geoms if geom.geom_type == "MultiPolygon" else [geom]):
                p.drawPolygon(QPolygonF([QPointF(frame.left() + (x - ext[0]) * sx, frame.top() + (ext[3] - y) * sy)
                                         for x, y in part.exterior.coords]))
            p.setPen(QPen(QColor("#333333"), mm(0.3)))
            p.drawRect(frame)
            label = QRectF(frame.left(), frame.top(), mm(42), mm(6))
            p.fillRect(label, QColor(255, 255, 255, 220))
            p.setFont(font(3.0, bold=True))
            p.setPen(QColor("#000000"))
            p.drawText(label, int(Qt.AlignmentFlag.AlignCenter), f"{word}  {acquired}")


__all__ = ["GAP_MM", "draw_pair", "pair_extent"]
