"""Paged output devices with the shipped Chinese font: vector PDF, SVG, PNG.

``PdfPages`` is a multi-page PDF (any paper, portrait or landscape) written to a temporary
file and moved into place on success, so a failed or cancelled export leaves nothing.
Draw in millimetres with ``mm``/``rect_mm`` (device pixels at the writer's resolution) and
write text with ``draw_text`` (real text: selectable, the font embedded as a subset).

    with PdfPages("report.pdf", paper="A4", title="监管报告") as doc:
        p = doc.painter
        draw_text(p, doc.rect_mm(20, 20, 170, 10), "龙岗区土地批后监管报告", 6.0, doc.dpi)
        draw_map(p, doc.rect_mm(20, 40, 170, 120), ws, extent, ["parcels"])
        doc.new_page()
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from lzt.render.colors import qcolor
from lzt.render.fonts import ensure_fonts, font

PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "A2": (420.0, 594.0), "A1": (594.0, 841.0),
            "A0": (841.0, 1189.0)}


def _temp_beside(path: Path) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=str(path.parent))
    os.close(fd)
    return tmp


class _Paged:
    dpi: float
    painter: QPainter

    def mm(self, v: float) -> float:
        """Millimetres -> device pixels."""
        return v * self.dpi / 25.4

    def rect_mm(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(self.mm(x), self.mm(y), self.mm(w), self.mm(h))

    def close(self, ok: bool = True) -> None:
        """Finish painting; keep the file (moved into place) when ``ok``, else remove it."""
        if self.painter.isActive():
            self.painter.end()
        if ok:
            os.replace(self._tmp, self.path)
        else:
            Path(self._tmp).unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close(ok=exc_type is None)


class PdfPages(_Paged):
    """A vector PDF of one or more pages of ``paper`` (name or (w, h) mm)."""

    def __init__(self, path, paper="A4", *, landscape: bool = False, dpi: float = 300.0,
                 title: str = "", creator: str = "龙政图 lzt"):
        ensure_fonts()
        self.path = Path(path)
        w, h = PAPER_MM[paper] if isinstance(paper, str) else paper
        if landscape:
            w, h = h, w
        self.size_mm = (w, h)
        self.dpi = float(int(round(dpi)))  # QPdfWriter's resolution is an integer
        self._tmp = _temp_beside(self.path)
        self.writer = QPdfWriter(self._tmp)
        self.writer.setResolution(int(self.dpi))
        self.writer.setTitle(title)
        self.writer.setCreator(creator)
        self.writer.setPageLayout(QPageLayout(QPageSize(QSizeF(w, h), QPageSize.Unit.Millimeter, "",
                                                        QPageSize.SizeMatchPolicy.ExactMatch),
                                              QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        self.painter = QPainter(self.writer)
        self.pages = 1

    def new_page(self) -> None:
        self.writer.newPage()
        self.pages += 1



class SvgPage(_Paged):
    """One SVG page (QSvgGenerator), written atomically."""

    def __init__(self, path, size_mm: tuple[float, float], *, dpi: float = 96.0, title: str = ""):
        from PySide6.QtSvg import QSvgGenerator

        ensure_fonts()
        self.path = Path(path)
        self.dpi = float(dpi)
        self.size_mm = size_mm
        self._tmp = _temp_beside(self.path)
        self.gen = QSvgGenerator()
        self.gen.setFileName(self._tmp)
        px = QSize(int(round(self.mm(size_mm[0]))), int(round(self.mm(size_mm[1]))))
        self.gen.setSize(px)
        self.gen.setViewBox(QRectF(0, 0, px.width(), px.height()))
        self.gen.setResolution(int(round(dpi)))
        self.gen.setTitle(title)
        self.painter = QPainter(self.gen)



class ImagePage(_Paged):
    """One raster page (PNG/JPEG/TIFF by suffix), saved atomically."""

    def __init__(self, path, size_mm: tuple[float, float], *, dpi: float = 300.0):
        ensure_fonts()
        self.path = Path(path)
        self.dpi = float(dpi)
        self.size_mm = size_mm
        self.image = QImage(int(round(self.mm(size_mm[0]))), int(round(self.mm(size_mm[1]))),
                            QImage.Format.Format_ARGB32_Premultiplied)
        dpm = int(round(dpi / 0.0254))
        self.image.setDotsPerMeterX(dpm)
        self.image.setDotsPerMeterY(dpm)
        self.image.fill(qcolor("#ffffff"))
        self.painter = QPainter(self.image)

    def close(self, ok: bool = True) -> None:
        if self.painter.isActive():
            self.painter.end()
        if ok:
            tmp = _temp_beside(self.path)
            try:
                if not self.image.save(tmp, self.path.suffix.lstrip(".").upper() or "PNG"):
                    raise OSError(f"cannot write {self.path}")
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise



@contextmanager
def painter_state(painter: QPainter) -> Iterator[QPainter]:
    """``save()`` the painter's pen, brush, font, clip and transform, ``restore()`` them after:
    a drawing step leaves nothing behind for the next (a brush left by a north arrow once
    filled a report's table black)."""
    painter.save()
    try:
        yield painter
    finally:
        painter.restore()


def draw_text(painter: QPainter, rect: QRectF | QPointF, text: str, size_mm: float, dpi: float, *,
              color: str = "#000000", align: str = "left", valign: str = "top", bold: bool = False,
              rotate: float = 0.0) -> QRectF:
    """Draw one line of text (selectable in PDF) in ``rect`` (device px) or at a point.

    ``align``: left | center | right; ``valign``: top | middle | bottom | baseline. Returns the
    text's box. ``dpi`` is unused by Qt itself (point sizes follow the device) but kept so
    that callers pass the same resolution they lay out with.
    """
    f = font(size_mm, bold=bold)
    fm = QFontMetricsF(f, painter.device())
    w = fm.horizontalAdvance(text)
    if isinstance(rect, QPointF):
        rect = QRectF(rect.x(), rect.y(), 0, 0)
    x = {"left": rect.left(), "center": rect.center().x() - w / 2, "right": rect.right() - w}[align]
    if valign == "top":
        y = rect.top() + fm.ascent()
    elif valign == "middle":
        y = rect.center().y() + (fm.ascent() - fm.descent()) / 2
    elif valign == "bottom":
        y = rect.bottom() - fm.descent()
    else:
        y = rect.top()
    painter.save()
    painter.setFont(f)
    painter.setPen(QPen(qcolor(color)))
    if rotate:
        c = QPointF(x + w / 2, y - (fm.ascent() - fm.descent()) / 2)
        painter.translate(c)
        painter.rotate(rotate)
        painter.translate(-c)
    painter.drawText(QPointF(x, y), text)
    painter.restore()
    del dpi
    return QRectF(x, y - fm.ascent(), w, fm.height())


__all__ = ["PdfPages", "SvgPage", "ImagePage", "draw_text", "painter_state", "PAPER_MM", "Qt"]
