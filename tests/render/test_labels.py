"""Label placement leaves the painter as it found it, also when the render is cancelled."""

from __future__ import annotations

import pytest

from lzt.core.errors import CancelledError


def test_a_cancelled_label_pass_restores_the_painter():
    from PySide6.QtCore import QRectF, QtMsgType, qInstallMessageHandler
    from PySide6.QtGui import QColor, QImage, QPainter, QPen

    from lzt.render.labels import LabelCandidate, place_labels
    from lzt.render.style import LabelStyle

    style = LabelStyle("name", color="#ff0000")
    # 600 candidates on a 60 x 10 grid: the check between batches of 500 cancels the second batch
    cands = [LabelCandidate(20 + 40 * (i % 60), 20 + 30 * (i // 60), f"标注{i}", 1.0, style) for i in range(600)]
    calls = []

    def check():
        calls.append(1)
        if len(calls) > 1:
            raise CancelledError("superseded")

    img = QImage(2600, 400, QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    warnings: list[str] = []
    old = qInstallMessageHandler(lambda kind, ctx, msg: warnings.append(msg) if kind != QtMsgType.QtDebugMsg else None)
    try:
        p = QPainter(img)
        p.setPen(QPen(QColor("#0000ff")))
        with pytest.raises(CancelledError):
            place_labels(p, cands, QRectF(0, 0, 2600, 400), 96.0, check)
        assert len(calls) == 2  # the first 500 were drawn, then cancelled
        assert p.pen().color().name() == "#0000ff"  # the label pen (red) is gone: state restored
        p.end()
    finally:
        qInstallMessageHandler(old)
    assert not [w for w in warnings if "saved states" in w], warnings
