"""One map-sheet page drawn in device pixels: frame, map, grid, legend, scale, north arrow, notes.

``SheetPage`` holds only plain values (boxes in mm, the ground extent, scale, texts), so
that ``lzt.export.sheet`` (which lays the page out, Qt-free) can hand a page to this module,
which owns all the drawing. The map inside the frame is ``paint_request`` at exactly 1:N.

Elements: map frame (inner and outer neat lines), coordinate grid with labelled ticks in the
workspace CRS (E along the top and bottom, N along the sides; 10 cm crosses on standard
sheets), legend from the styles, graphic and numeric scale, north arrow (grid north; the
meridian convergence in Longgang is below 0.2 degree and not drawn), the CRS note, producer
and date, an optional overview inset, the sheet number and a stamp.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QPolygonF

from lzt.render import geometry as geo
from lzt.render.cache import source_for
from lzt.render.colors import qcolor
from lzt.render.fonts import ensure_fonts
from lzt.export.legend import draw_legend, legend_items
from lzt.render.painter import PaintResult, paint_request
from lzt.render.pdf import draw_text
from lzt.render.request import RenderRequest, fit_extent, snapshot_layers

CONTEXT_LAYERS = ("district", "streets")

Rect = tuple[float, float, float, float]  # x, y, w, h in mm from the page's top-left


@dataclass(frozen=True)
class SheetPage:
    """Everything one sheet page shows, as plain values (mm, ground units, strings)."""

    page_w: float
    page_h: float
    frame: Rect
    title_box: Rect
    panel: Rect
    footer: Rect
    band: float  # mm between the inner and outer neat lines (grid labels)
    panel_side: str  # right | bottom
    extent: tuple[float, float, float, float]  # ground extent of the frame
    scale: float
    layers: tuple[str, ...]
    title: str
    notes: tuple[str, ...] = ()  # CRS note, producer and date, source (right-aligned, footer)
    sheet_no: str | None = None
    stamp: str | None = None
    overview: bool = True
    highlight: object | None = None  # shapely geometry outlined in red
    grid_step: float = 1000.0  # ground units between grid lines
    grid_crosses: bool = False  # 10 cm crosses (standard sheets) instead of lines
    scalebar: tuple[float, int] = (1000.0, 4)  # ground length, segments
    sizes: dict = field(default_factory=dict)  # font sizes (mm): title, text, small, legend_head
    adjoining: tuple | None = None  # 接图表: 3 x 3 sheet numbers, north row first (standard sheets)
    opacity: dict = field(default_factory=dict)  # layer -> map opacity (on top of the style's)
    filters: dict = field(default_factory=dict)  # layer -> attribute filter: only matching features drawn
    profile: object | None = None  # an ElevationProfile: its line on the map, its plot in profile_box
    profile_box: Rect | None = None


def _draw_adjoining(pg: _Page, numbers, T: _Box, text_mm: float) -> float:
    """The 接图表 in the title band's left corner: the neighbouring sheets' numbers around this
    sheet (hatched). Returns the table's right edge (mm)."""
    p = pg.p
    ch = T.h * 0.85 / 3.0  # clear of the neat line below
    cw = max(len(numbers[1][1]) * text_mm * 0.62 + 2.0, ch * 2)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for r, row in enumerate(numbers):
        for c, label in enumerate(row):
            x, y = T.x + c * cw, T.y + r * ch
            if (r, c) == (1, 1):
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QBrush(qcolor("#7f7f7f"), Qt.BrushStyle.BDiagPattern))
                p.drawRect(pg.r(x, y, cw, ch))
                p.setBrush(Qt.BrushStyle.NoBrush)
            else:
                pg.text(x + cw / 2, y + (ch - text_mm) / 2, label, text_mm, align="center")
    p.setPen(pg.pen("#000000", 0.15))
    for i in range(4):
        p.drawLine(pg.r(T.x, T.y + i * ch, 0, 0).topLeft(), pg.r(T.x + 3 * cw, T.y + i * ch, 0, 0).topLeft())
        p.drawLine(pg.r(T.x + i * cw, T.y, 0, 0).topLeft(), pg.r(T.x + i * cw, T.y + 3 * ch, 0, 0).topLeft())
    return T.x + 3 * cw


class _Box:
    def __init__(self, x: float, y: float, w: float, h: float):
        self.x, self.y, self.w, self.h = x, y, w, h
        self.right, self.bottom = x + w, y + h


class _Page:
    def __init__(self, painter: QPainter, dpi: float):
        self.p = painter
        self.dpi = dpi
        self.k = dpi / 25.4

    def r(self, x, y, w, h) -> QRectF:
        k = self.k
        return QRectF(x * k, y * k, w * k, h * k)

    def pen(self, color: str, width_mm: float) -> QPen:
        pen = QPen(qcolor(color))
        pen.setWidthF(width_mm * self.k)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        return pen

    def text(self, x, y, s, size, **kw) -> QRectF:
        return draw_text(self.p, QPointF(x * self.k, y * self.k), s, size, self.dpi, **kw)


def draw_sheet_page(painter: QPainter, ws, plan: SheetPage, dpi: float) -> PaintResult:
    """Draw one sheet page in device pixels (``dpi`` = the device's resolution)."""
    ensure_fonts()
    pg = _Page(painter, dpi)
    f = _Box(*plan.frame)
    k = pg.k
    painter.save()
    try:  # a cancelled export must not leave the state saved
        painter.resetTransform()
        painter.fillRect(pg.r(0, 0, plan.page_w, plan.page_h), qcolor("#ffffff"))
        # the map, at exactly 1:N: frame width in device px maps onto the ground width
        req = RenderRequest(plan.extent, f.w * k, f.h * k, dpi,
                            snapshot_layers(ws, plan.layers, None, plan.filters, plan.opacity), "#ffffff")
        result = paint_request(painter, req, source_for(ws), origin=(f.x * k, f.y * k), size=(f.w * k, f.h * k))
        if plan.highlight is not None:
            _draw_highlight(pg, plan, req)
        if plan.profile is not None:
            _draw_profile_line(pg, plan)
        _mask_outside(pg, plan, f)
        _draw_grid(pg, plan)
        # neat lines: inner (thin) and outer (heavy), grid labels between them
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pg.pen("#000000", 0.2))
        painter.drawRect(pg.r(f.x, f.y, f.w, f.h))
        b = plan.band
        painter.setPen(pg.pen("#000000", 0.8))
        painter.drawRect(pg.r(f.x - b, f.y - b, f.w + 2 * b, f.h + 2 * b))
        _draw_north_arrow(pg, f.right - 12, f.y + 4, 8.0)
        # title, sheet number, stamp
        s = plan.sizes
        T = _Box(*plan.title_box)
        pg.text(T.x + T.w / 2, T.y + T.h * 0.15, plan.title, s["title"], align="center")
        no_x = T.x
        if plan.adjoining:
            no_x = _draw_adjoining(pg, plan.adjoining, T, s["small"]) + 4
        if plan.sheet_no:
            pg.text(no_x, T.y + T.h * 0.35, f"图号：{plan.sheet_no}", s["text"] * 1.2)
        if plan.stamp:
            pg.text(T.right, T.y + T.h * 0.35, plan.stamp, s["text"] * 1.2, align="right")
        # legend and overview
        items = legend_items(req.layers, result.layers)
        P = _Box(*plan.panel)
        if plan.panel_side == "right":
            ov_h = min(P.w, P.h * 0.35) if plan.overview else 0
            draw_legend(painter, pg.r(P.x, P.y, P.w, P.h - ov_h - (4 if ov_h else 0)), items, dpi,
                        text_mm=s["text"], head_mm=s["legend_head"])
            if ov_h:
                _draw_overview(pg, ws, plan, (P.x, P.bottom - ov_h, P.w, ov_h))
        else:
            ov_w = min(P.h, P.w * 0.3) if plan.overview else 0
            draw_legend(painter, pg.r(P.x, P.y, P.w - ov_w - (4 if ov_w else 0), P.h), items, dpi,
                        text_mm=s["text"], head_mm=s["legend_head"])
            if ov_w:
                _draw_overview(pg, ws, plan, (P.right - ov_w, P.y, ov_w, P.h))
        if plan.profile is not None and plan.profile_box is not None:
            from lzt.render.profile_plot import draw_profile

            B = _Box(*plan.profile_box)
            draw_profile(painter, pg.r(B.x, B.y, B.w, B.h), plan.profile, dpi, text_mm=s["small"],
                         title=f"纵断面 A–B（全长 {plan.profile.length_m:,.0f} 米）", ends=("A", "B"))
        _draw_footer(pg, plan)
    finally:
        painter.restore()
    return result


def _mask_outside(pg: _Page, plan: SheetPage, f: _Box) -> None:
    """Paper-white around the frame: QSvgGenerator ignores clipping (Qt 6.11), so whatever
    the map drew past the frame is covered here (a no-op on devices that clip)."""
    k = pg.k
    white = qcolor("#ffffff")
    W, H = plan.page_w * k, plan.page_h * k
    x0, y0, x1, y1 = f.x * k, f.y * k, f.right * k, f.bottom * k
    for r in (QRectF(0, 0, W, y0), QRectF(0, y1, W, H - y1), QRectF(0, y0, x0, y1 - y0),
              QRectF(x1, y0, W - x1, y1 - y0)):
        pg.p.fillRect(r, white)


def _draw_highlight(pg: _Page, plan: SheetPage, req: RenderRequest) -> None:
    pk = geo.pack(np.array([plan.highlight], dtype=object))
    xy, starts, _ = geo.select_rings(pk, np.ones(1, bool))
    f = _Box(*plan.frame)
    pxy = geo.to_pixels(xy, plan.extent, (plan.extent[2] - plan.extent[0]) / (f.w * pg.k), f.x * pg.k, f.y * pg.k)
    p = pg.p
    p.save()
    p.setClipRect(pg.r(f.x, f.y, f.w, f.h))
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(pg.pen("#e00000", 0.6))
    p.drawPath(geo.path_from_rings(pxy, starts))
    p.restore()
    del req


def _draw_profile_line(pg: _Page, plan: SheetPage) -> None:
    """The profile's line on the map, its ends marked A and B."""
    f = _Box(*plan.frame)
    xy = np.column_stack([plan.profile.x[[0, -1]], plan.profile.y[[0, -1]]])
    line = np.column_stack([plan.profile.x, plan.profile.y])
    res = (plan.extent[2] - plan.extent[0]) / (f.w * pg.k)
    pxy = geo.to_pixels(line, plan.extent, res, f.x * pg.k, f.y * pg.k)
    ends = geo.to_pixels(xy, plan.extent, res, f.x * pg.k, f.y * pg.k)
    p = pg.p
    p.save()
    p.setClipRect(pg.r(f.x, f.y, f.w, f.h))
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for colour, width in (("#ffffff", 1.2), ("#e00000", 0.6)):
        p.setPen(pg.pen(colour, width))
        p.drawPolyline(QPolygonF([QPointF(float(a), float(b)) for a, b in pxy]))
    size = plan.sizes.get("text", 2.6)
    for (a, b), label in zip(ends, ("A", "B")):
        p.setPen(pg.pen("#e00000", 0.3))
        p.setBrush(QBrush(qcolor("#ffffff")))
        p.drawEllipse(QPointF(float(a), float(b)), 0.9 * pg.k, 0.9 * pg.k)
        draw_text(p, QPointF(float(a) + 1.2 * pg.k, float(b) - 1.2 * pg.k - size * pg.k), label, size, pg.dpi,
                  color="#e00000", bold=True)
    p.restore()


def _draw_grid(pg: _Page, plan: SheetPage) -> None:
    f = _Box(*plan.frame)
    e = plan.extent
    p = pg.p
    k = pg.k
    standard = plan.grid_crosses
    step = plan.grid_step
    sx = (f.w * k) / (e[2] - e[0])

    def X(v):  # easting -> device x
        return f.x * k + (v - e[0]) * sx

    def Y(v):  # northing -> device y
        return f.y * k + (e[3] - v) * sx

    xs = np.arange(math.ceil(e[0] / step) * step, e[2] + 1e-6, step)
    ys = np.arange(math.ceil(e[1] / step) * step, e[3] + 1e-6, step)
    p.save()
    p.setClipRect(pg.r(f.x, f.y, f.w, f.h))
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if standard:  # 1 cm crosses at the grid intersections (topographic-sheet style)
        p.setPen(pg.pen("#000000", 0.15))
        arm = 5.0 * k
        for gx in xs:
            for gy in ys:
                p.drawLine(QPointF(X(gx) - arm, Y(gy)), QPointF(X(gx) + arm, Y(gy)))
                p.drawLine(QPointF(X(gx), Y(gy) - arm), QPointF(X(gx), Y(gy) + arm))
    else:
        p.setPen(pg.pen("#3060a0a0", 0.12))
        for gx in xs:
            p.drawLine(QPointF(X(gx), f.y * k), QPointF(X(gx), f.bottom * k))
        for gy in ys:
            p.drawLine(QPointF(f.x * k, Y(gy)), QPointF(f.right * k, Y(gy)))
    p.restore()
    # ticks and labels in the band between the neat lines
    size = plan.sizes["small"]
    p.setPen(pg.pen("#000000", 0.2))
    tick = 1.5 * k
    b = plan.band
    for gx in xs:
        x = X(gx)
        p.drawLine(QPointF(x, f.y * k), QPointF(x, f.y * k - tick))
        p.drawLine(QPointF(x, f.bottom * k), QPointF(x, f.bottom * k + tick))
        lab = _coord_label(gx, step)
        x += _inward(gx, e[0], e[2], _half_length(lab, size) * k)  # a corner label moves off the corner
        draw_text(p, QRectF(x - 30 * k, (f.y - b) * k, 60 * k, (b - 1.6) * k), lab, size, pg.dpi,
                  align="center", valign="bottom")
        draw_text(p, QRectF(x - 30 * k, (f.bottom + 1.6) * k, 60 * k, (b - 1.6) * k), lab, size, pg.dpi,
                  align="center", valign="top")
    for gy in ys:
        y = Y(gy)
        p.drawLine(QPointF(f.x * k, y), QPointF(f.x * k - tick, y))
        p.drawLine(QPointF(f.right * k, y), QPointF(f.right * k + tick, y))
        lab = _coord_label(gy, step)
        y -= _inward(gy, e[1], e[3], _half_length(lab, size) * k)  # device y runs south
        draw_text(p, QRectF((f.x - b / 2) * k - 30 * k, y - 3 * k, 60 * k, 6 * k), lab, size, pg.dpi,
                  align="center", valign="middle", rotate=-90)
        draw_text(p, QRectF((f.right + b / 2) * k - 30 * k, y - 3 * k, 60 * k, 6 * k), lab, size, pg.dpi,
                  align="center", valign="middle", rotate=90)


def _half_length(label: str, size_mm: float) -> float:
    """About half the printed length (mm) of a coordinate label (digits ~0.55 em)."""
    return len(label) * size_mm * 0.55 / 2 + 0.5


def _inward(v: float, lo: float, hi: float, half: float) -> float:
    """Shift along the edge for a label centred on a frame corner, so both corner labels fit."""
    if abs(v - lo) < 1e-6:
        return half
    if abs(v - hi) < 1e-6:
        return -half
    return 0.0


def _coord_label(v: float, step: float) -> str:
    """Grid value in metres; decimals only when the step needs them."""
    return f"{v:.0f}" if step >= 1 else f"{v:.2f}"


def _draw_north_arrow(pg: _Page, x: float, y: float, size: float) -> None:
    """A north arrow (grid north) with its top at (x, y) mm, ``size`` mm tall."""
    p = pg.p
    k = pg.k
    cx = x * k
    top = (y + size * 0.35) * k
    h = size * k
    w = size * 0.42 * k
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(qcolor("#ffffffc0")))
    p.drawEllipse(QPointF(cx, top + h * 0.45), size * 0.62 * k, size * 0.62 * k)
    left = QPolygonF([QPointF(cx, top), QPointF(cx - w / 2, top + h), QPointF(cx, top + h * 0.72)])
    right = QPolygonF([QPointF(cx, top), QPointF(cx + w / 2, top + h), QPointF(cx, top + h * 0.72)])
    p.setPen(pg.pen("#000000", 0.15))
    p.setBrush(QBrush(qcolor("#000000")))
    p.drawPolygon(left)
    p.setBrush(QBrush(qcolor("#ffffff")))
    p.drawPolygon(right)
    p.restore()
    draw_text(p, QRectF(cx - 5 * k, (y - 1.2) * k, 10 * k, 3 * k), "北", size * 0.32, pg.dpi, align="center",
              valign="middle")


def _draw_overview(pg: _Page, ws, plan: SheetPage, box) -> None:
    x, y, w, h = box
    names = [n for n in CONTEXT_LAYERS if ws.has_layer(n)] or list(plan.layers)
    src = source_for(ws)
    full = src.union_extent(names)
    if full is None:
        return
    # include the sheet's own frame so the red box is always inside the inset
    e = plan.extent
    full = (min(full[0], e[0]), min(full[1], e[1]), max(full[2], e[2]), max(full[3], e[3]))
    k = pg.k
    rect = pg.r(x, y + 5, w, h - 5)
    ext = fit_extent(full, rect.width(), rect.height())
    from lzt.render.style import LayerStyle, SingleRenderer, Symbol

    styles = {n: LayerStyle(SingleRenderer(Symbol(fill="#f2efe6" if n == names[0] else None, stroke="#707070",
                                                  stroke_width=0.15 if n == names[0] else 0.08)))
              for n in names}
    req = RenderRequest(ext, rect.width(), rect.height(), pg.dpi, snapshot_layers(ws, names, styles), "#ffffff")
    paint_request(pg.p, req, src, origin=(rect.left(), rect.top()), size=(rect.width(), rect.height()),
                  labels=False)
    s = rect.width() / (ext[2] - ext[0])
    fr = QRectF(rect.left() + (e[0] - ext[0]) * s, rect.top() + (ext[3] - e[3]) * s,
                (e[2] - e[0]) * s, (e[3] - e[1]) * s)
    p = pg.p
    p.save()
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(pg.pen("#e00000", 0.35))
    if fr.width() < 1.5 * k:  # too small to see: mark it
        p.drawEllipse(fr.center(), 1.5 * k, 1.5 * k)
    else:
        p.drawRect(fr)
    p.setPen(pg.pen("#000000", 0.2))
    p.drawRect(rect)
    p.restore()
    draw_text(p, QRectF(x * k, y * k, w * k, 4.5 * k), "位置示意图", plan.sizes["text"], pg.dpi,
              align="center")


def _draw_footer(pg: _Page, plan: SheetPage) -> None:
    F = _Box(*plan.footer)
    s = plan.sizes
    k = pg.k
    p = pg.p
    # numeric and graphic scale: the bar's paper length is its ground length / N
    pg.text(F.x, F.y + 1.0, f"比例尺 1:{plan.scale:.0f}", s["text"] * 1.1)
    length, segs = plan.scalebar
    bar_mm = length / plan.scale * 1000.0
    bx, by, bh = F.x, F.y + 6.5, 1.6
    seg = bar_mm / segs
    p.save()
    p.setPen(pg.pen("#000000", 0.15))
    for i in range(segs):
        p.setBrush(QBrush(qcolor("#000000" if i % 2 == 0 else "#ffffff")))
        p.drawRect(pg.r(bx + i * seg, by, seg, bh))
    p.restore()
    unit, div = ("千米", 1000.0) if length >= 1000 else ("米", 1.0)
    for i in sorted({0, segs // 2, segs}):
        lab = f"{length * i / segs / div:g}"
        draw_text(p, QRectF((bx + i * seg - 10) * k, (by + bh + 0.6) * k, 20 * k, 4 * k), lab, s["small"], pg.dpi,
                  align="center")
    pg.text(bx + bar_mm + 2, by - 0.4, unit, s["small"])
    for i, line in enumerate(plan.notes):
        pg.text(F.right, F.y + 1.0 + s["small"] * 1.7 * i, line, s["small"], align="right")


def scale_bar_device(plan: SheetPage, dpi: float) -> tuple[float, float, float]:
    """(left x, right x, y) of the scale bar in device pixels (for checks and tests)."""
    F = _Box(*plan.footer)
    k = dpi / 25.4
    bar_mm = plan.scalebar[0] / plan.scale * 1000.0
    return F.x * k, (F.x + bar_mm) * k, (F.y + 6.5 + 0.8) * k
