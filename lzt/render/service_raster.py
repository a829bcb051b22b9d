"""Drawing raster service layers (WMTS/WMS/XYZ/天地图) through the renderer, and the error
line of a vector service layer that could not fetch.

Sheets, ``lzt render`` and other batch draws wait for the tiles. A live view (the canvas)
sets ``live(on_tile)`` on its render thread: its draws then use only the tiles already
fetched and queue the others, and ``on_tile`` asks for a new picture as they land, so tiles
appear progressively and no draw waits on the network. On paper the service is sampled at
no more than ``PRINT_DPI``.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF

from lzt.core.errors import LztInputError
from lzt.services.background import live_listener, set_live

PRINT_DPI = 300.0


def live(on_tile) -> None:
    """Mark this thread's draws as live (``on_tile``: called as fetched tiles, or a vector
    service's features, land; ``lzt.services.background``); None: wait."""
    set_live(on_tile)


def raster_service(ws, name: str):
    """The raster service layer ``name`` of a workspace view, or None."""
    find = getattr(ws, "service", None)
    sl = find(name) if callable(find) else None
    return sl if getattr(sl, "raster", False) else None


def vector_service_error(ws, name: str) -> str:
    """Why vector service layer ``name`` of a workspace view could not fetch its features just
    now (its server failed or it did not open), or ""."""
    find = getattr(ws, "service", None)
    sl = find(name) if callable(find) else None
    return (getattr(sl, "error", None) or "") if sl is not None and not getattr(sl, "raster", False) else ""


def draw_service(ctx, snap, sl) -> tuple[str, int, str]:
    """Draw the service layer ``sl`` into the context's view: (mode, tiles drawn, the
    failed-tiles line or why the service cannot open; "" when all is well)."""
    scale = min(1.0, PRINT_DPI / ctx.req.dpi) if ctx.vector or ctx.req.dpi > PRINT_DPI else 1.0
    w, h = max(1, int(round(ctx.w * scale))), max(1, int(round(ctx.h * scale)))
    on_tile = live_listener()
    try:
        img = sl.draw(ctx.req.extent, w, h, wait=on_tile is None, on_tile=on_tile)
    except LztInputError as exc:
        return "unreadable", 0, exc.one_line()
    ctx.draw_rgba(img.rgba, QRectF(ctx.ox, ctx.oy, ctx.w, ctx.h))
    return "raster", img.tiles - img.missing - img.failed, sl.report() or ""
