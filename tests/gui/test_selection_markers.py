"""Selected points drawn as markers: overlapping markers are filled where they overlap, and a
marker looks the same whichever path (chunk) it was drawn in."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPainter

from lzt.gui.canvas import selection as sel


def _draw(qapp, cx, cy) -> np.ndarray:
    img = QImage(120, 60, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    overlay = sel.SelectionOverlay(session=None, source=None)
    try:
        overlay._markers(p, np.asarray(cx, float), np.asarray(cy, float), 5.0, 12)
    finally:
        p.end()
        overlay._pool.shutdown()
    return np.frombuffer(img.constBits(), np.uint8).reshape(60, 120, 4).copy()


def test_overlapping_markers_are_filled_where_they_overlap(qapp):
    img = _draw(qapp, [30.0, 33.0], [30.0, 30.0])  # centres 3 px apart: a shared middle
    b, g, r, a = (int(v) for v in img[30, 31])  # ARGB32 is BGRA in memory (little-endian)
    line = sel.LINE
    assert a == 255 and (r, g, b) == (line.red(), line.green(), line.blue())  # filled, not a hole


def test_a_marker_is_drawn_the_same_in_any_chunk(qapp):
    n = sel.CHUNK + 5  # the last markers fall into a second path
    cx = np.r_[np.full(n - 1, 200.0), 90.0]  # far outside but one, the last one drawn
    alone = _draw(qapp, [90.0], [30.0])
    last = _draw(qapp, cx, np.full(n, 30.0))
    assert np.array_equal(alone, last)
