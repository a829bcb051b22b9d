"""A small bar chart drawn with QPainter (QtCharts is not part of PySide6-Essentials)."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarChart(QWidget):
    """Vertical bars with labels under them (horizontal=False) or horizontal bars with labels left."""

    def __init__(self, title: str = "", *, horizontal: bool = False, colour: str = "#3b7dd8", parent=None):
        super().__init__(parent)
        self.title = title
        self.horizontal = horizontal
        self.colour = QColor(colour)
        self.items: list[tuple[str, float]] = []
        self.highlight: set[str] = set()
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, items: list[tuple[str, float]], highlight: set[str] | None = None) -> None:
        self.items = [(str(k), float(v)) for k, v in items]
        self.highlight = highlight or set()
        self.update()

    def ui_texts(self) -> list[str]:
        """The words this chart paints besides its data (title, empty note, axis maximum)."""
        return [self.title, self.tr("（无数据）"), self.tr("最大 {0}")]

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        fm = p.fontMetrics()
        top = fm.height() + 6
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(6, 2, self.width() - 12, fm.height() + 2), Qt.AlignmentFlag.AlignLeft, self.title)
        if not self.items:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("（无数据）"))
            return
        vmax = max(v for _, v in self.items) or 1.0
        n = len(self.items)
        if self.horizontal:
            label_w = min(self.width() // 3, max(fm.horizontalAdvance(k) for k, _ in self.items) + 8)
            h = (self.height() - top - 4) / n
            for i, (k, v) in enumerate(self.items):
                y = top + i * h
                w = (self.width() - label_w - 60) * v / vmax
                p.setPen(self.palette().text().color())
                p.drawText(QRectF(2, y, label_w - 6, h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           fm.elidedText(k, Qt.TextElideMode.ElideRight, label_w - 6))
                p.fillRect(QRectF(label_w, y + h * 0.15, max(1.0, w), h * 0.7),
                           QColor("#d9534f") if k in self.highlight else self.colour)
                p.drawText(QRectF(label_w + w + 4, y, 60, h), Qt.AlignmentFlag.AlignVCenter, f"{v:,.0f}")
            return
        bottom = self.height() - fm.height() - 6
        w = (self.width() - 20) / n
        p.setPen(QPen(QColor("#999999")))
        p.drawLine(10, int(bottom), self.width() - 10, int(bottom))
        widest = max(fm.horizontalAdvance(k) for k, _ in self.items) + 8
        step = max(1, math.ceil(widest / max(1.0, w)))
        for i, (k, v) in enumerate(self.items):
            x = 10 + i * w
            hgt = (bottom - top - fm.height()) * v / vmax
            p.fillRect(QRectF(x + w * 0.1, bottom - hgt, w * 0.8, hgt),
                       QColor("#d9534f") if k in self.highlight else self.colour)
            if i % step == 0:
                p.setPen(self.palette().text().color())
                p.drawText(QRectF(x - 20, bottom + 2, w + 40, fm.height()), Qt.AlignmentFlag.AlignHCenter, k)
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(10, top, self.width() - 20, fm.height()), Qt.AlignmentFlag.AlignRight,
                   self.tr("最大 {0}").format(f"{vmax:,.0f}"))
