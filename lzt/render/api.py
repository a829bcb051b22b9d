"""The renderer's front door: draw workspace layers into a rectangle or an image."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from lzt.render.cache import FeatureSource, source_for
from lzt.render.fonts import ensure_fonts
from lzt.render.job import render_to_image
from lzt.render.painter import PaintResult, paint_request
from lzt.render.request import Bounds, RenderRequest, fit_extent, make_request, snapshot_layers
from lzt.render.style import LayerStyle
from lzt.workspace.base import Workspace


def draw_map(painter: QPainter, rect: QRectF, ws, extent: Bounds, layers=None,
             styles: dict[str, LayerStyle] | None = None, *, fit: bool = True,
             background: str | None = "#ffffff", labels: bool = True,
             source: FeatureSource | None = None) -> PaintResult:
    """Draw ``layers`` (default: all, in draw order) of ``ws`` over ``extent`` into ``rect``.

    ``rect`` is in the painter's current (logical) coordinates; the map is drawn in device
    pixels of the painter's device (its dpi gives the scale and the pixel to simplify to).
    ``fit=True`` grows ``extent`` to the rectangle's aspect ratio (uniform scale); with
    ``fit=False`` the extent must already have that aspect. ``styles`` override the saved
    or default style of a layer. Returns what was drawn per layer (for legends).

    The map is clipped to ``rect`` on images and PDF; Qt's SVG generator ignores clipping,
    so on SVG cover the surroundings afterwards (``lzt.export.sheet_page`` does) or keep the extent
    inside the data.
    """
    ensure_fonts()
    dev = painter.transform().mapRect(QRectF(rect))
    dpi = float(painter.device().logicalDpiX())
    names = [i.name for i in ws.layers()] if layers is None else list(layers)
    ext = fit_extent(extent, dev.width(), dev.height()) if fit else tuple(map(float, extent))
    req = RenderRequest(tuple(ext), dev.width(), dev.height(), dpi, snapshot_layers(ws, names, styles),
                        background)
    return paint_request(painter, req, source or source_for(ws), origin=(dev.left(), dev.top()),
                         size=(dev.width(), dev.height()), labels=labels)


def render_image(ws: Workspace, extent: Bounds, width: int, height: int, layers=None,
                 styles: dict[str, LayerStyle] | None = None, *, dpi: float = 96.0,
                 background: str | None = "#ffffff", source: FeatureSource | None = None
                 ) -> tuple[QImage, PaintResult]:
    """Render to a new ``width`` x ``height`` image (extent grown to its aspect ratio)."""
    ensure_fonts()
    req = make_request(ws, extent, width, height, dpi=dpi, layers=layers, styles=styles, background=background)
    return render_to_image(req, source or source_for(ws))


def save_image(image: QImage, path: str | Path) -> None:
    """Save an image (format from the suffix), written whole or not at all."""
    import os
    import tempfile

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=str(path.parent))
    os.close(fd)
    try:
        if not image.save(tmp, path.suffix.lstrip(".").upper() or "PNG"):
            raise OSError(f"cannot write {path}")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["draw_map", "render_image", "save_image", "RenderRequest"]
