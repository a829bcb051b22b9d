"""Toolbar icons: small SVGs shipped in resources/icons."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` rendered at 16, 24 and 32 px (empty if absent)."""
    f = resources.files("resources") / "icons" / f"{name}.svg"
    if not f.is_file():
        return QIcon()
    renderer = QSvgRenderer(QByteArray(f.read_bytes()))
    out = QIcon()
    for size in (16, 24, 32, 48):
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        renderer.render(p, QRectF(0, 0, size, size))
        p.end()
        out.addPixmap(pm)
    return out


def swatch(colour: str | None, size: int = 14) -> QIcon:
    """A square of ``colour`` (``#rrggbb`` or ``#rrggbbaa``; None: transparent)."""
    pm = QPixmap(size, size)
    pm.fill(QColor(colour[:7]) if colour else QColor(0, 0, 0, 0))
    return QIcon(pm)
