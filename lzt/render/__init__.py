"""Map rendering: styles -> QPainter on QImage, PDF or SVG (QtGui only, never QtWidgets).

Entry points:
- ``draw_map(painter, rect, ws, extent, layers, styles)``: a map into any rectangle of any
  QPainter (a canvas image, a PDF page, an SVG), true to the rectangle's physical size;
- ``render_image(ws, extent, width, height, ...)``: a QImage (canvas, PNG);
- ``RenderJob``: background rendering with cancel and stale-result dropping;
- ``style``: the style dataclasses, defaults and workspace persistence;
- ``pdf.PdfPages``: a multi-page PDF with the shipped Chinese font (reports, sheets).

Page layouts (map sheets, legends, reports) are products: they live in ``lzt.export``.
"""

from __future__ import annotations

__all__ = ["draw_map", "render_image", "save_image"]


def __getattr__(name: str):
    """The entry points, imported on first use: ``lzt.render.fonts`` (the application's font,
    before its first window) must not pull pandas and the renderer in with the package."""
    if name in __all__:
        from lzt.render import api

        return getattr(api, name)
    raise AttributeError(f"module 'lzt.render' has no attribute {name!r}")
