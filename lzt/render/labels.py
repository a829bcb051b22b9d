"""Label placement with collision avoidance (greedy by priority, grid-hashed boxes).

Candidates from all layers are placed top layer first, then by priority (area, or the
style's priority field). A label is placed centred on its anchor, else tried above, below,
right and left of it; it is dropped when every position overlaps a placed label or leaves
the map area. Text is drawn as text (selectable in PDF) over a halo stroked from its outline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPainterPath, QPen

from lzt.render.colors import qcolor
from lzt.render.fonts import font
from lzt.render.style import LabelStyle

CELL = 64.0


@dataclass
class LabelCandidate:
    x: float
    y: float
    text: str
    priority: float
    style: LabelStyle
    z: int = 0


class _Grid:
    """Placed rectangles hashed by grid cell, for fast overlap tests."""

    def __init__(self, cell: float):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[QRectF]] = {}

    def _keys(self, r: QRectF):
        c = self.cell
        for i in range(int(r.left() // c), int(r.right() // c) + 1):
            for j in range(int(r.top() // c), int(r.bottom() // c) + 1):
                yield (i, j)

    def free(self, r: QRectF) -> bool:
        return not any(r.intersects(o) for k in self._keys(r) for o in self.cells.get(k, ()))

    def add(self, r: QRectF) -> None:
        for k in self._keys(r):
            self.cells.setdefault(k, []).append(r)


def place_labels(painter: QPainter, cands: list[LabelCandidate], area: QRectF, dpi: float,
                 check: Callable[[], None] | None = None) -> int:
    """Place and draw labels; returns how many were drawn."""
    cands = sorted(cands, key=lambda c: (-c.z, -c.priority))
    grid = _Grid(max(CELL, dpi / 96 * CELL))
    metrics: dict[tuple, tuple] = {}
    placed = 0
    painter.save()
    try:  # a cancelled render (``check`` raises) must not leave the state saved
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        pad = dpi / 25.4 * 0.4  # 0.4 mm between labels
        for k, c in enumerate(cands):
            if check and k % 500 == 0:
                check()
            st = c.style
            key = (st.size,)
            if key not in metrics:
                f = font(st.size)
                painter.setFont(f)
                metrics[key] = (f, QFontMetricsF(f, painter.device()))
            f, fm = metrics[key]
            w = fm.horizontalAdvance(c.text)
            h = fm.height()
            sy, sx = h + 2 * pad + 0.5, w + 2 * pad + 0.5  # the neighbouring slots of a centred label
            for dx, dy in ((0, 0), (0, -sy), (0, sy), (sx, 0), (-sx, 0)):
                r = QRectF(c.x + dx - w / 2 - pad, c.y + dy - h / 2 - pad, w + 2 * pad, h + 2 * pad)
                if area.contains(r) and grid.free(r):
                    break
            else:
                continue
            grid.add(r)
            base = QPointF(r.left() + pad, r.top() + pad + fm.ascent())
            painter.setFont(f)
            if st.halo:
                path = QPainterPath()
                path.addText(base, f, c.text)
                halo = QPen(qcolor(st.halo), max(1.0, dpi / 25.4 * 0.35))
                halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.strokePath(path, halo)
            painter.setPen(QPen(qcolor(st.color)))
            painter.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            painter.drawText(base, c.text)
            placed += 1
    finally:
        painter.restore()
    return placed
