"""The briefing's pages (QtGui): A4 portrait, the shipped font, charts, and maps through the renderer.

The drawing functions take a painter and a rectangle in device pixels, so the PDF pages
(``write_pdf``, vector, text selectable, the font embedded by ``PdfPages``) and the
pictures in the DOCX (``picture``: the same drawing on a PNG) come from one code path.
Maps: the workspace's base layers through ``draw_map``, then the cells through the same
renderer from a throwaway workspace holding them (styled by class), then a legend.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from layers.kinds import LayerKind
from lzt.export.briefing_model import Briefing, MapCells
from lzt.render.api import draw_map
from lzt.render.fonts import font
from lzt.render.pdf import ImagePage, PdfPages
from lzt.export.report_page import MARGIN_MM, PAGE_H, _Cursor, _row  # the report's page cursor and table row
from lzt.render.request import fit_extent
from lzt.render.style import CategorizedRenderer, Category, LabelStyle, LayerStyle, SingleRenderer, Symbol

HOT_COLOURS = {"热点（99%）": "#c2191c", "热点（95%）": "#f08a4b", "冷点": "#3a7dbf"}
PATTERN_COLOURS = {"新增热点": "#7f0000", "连续热点": "#d7301f", "加强热点": "#ef6548", "持续热点": "#fc8d59",
                   "减弱热点": "#fdbb84", "零星热点": "#fdd49e", "振荡热点": "#c994c7", "历史热点": "#bdbdbd",
                   "新增冷点": "#08306b", "连续冷点": "#2171b5", "加强冷点": "#4292c6", "持续冷点": "#6baed6",
                   "减弱冷点": "#9ecae1", "零星冷点": "#c6dbef", "振荡冷点": "#9e9ac8", "历史冷点": "#d9d9d9"}
LEVEL_FILL = {"红": "#f8d7da", "橙": "#ffe5cc", "黄": "#fff3cd"}
BASE_STYLES = {"streets": LayerStyle(SingleRenderer(Symbol(fill="#f4f4f0", stroke="#707070", stroke_width=0.3)),
                             labels=LabelStyle("name", size=3.0, color="#505050")),
               "communities": LayerStyle(SingleRenderer(Symbol(fill=None, stroke="#b8b8b8", stroke_width=0.1))),
               "roads": LayerStyle(SingleRenderer(Symbol(fill=None, stroke="#d0d0d0", stroke_width=0.15))),
               "district": LayerStyle(SingleRenderer(Symbol(fill="#f4f4f0", stroke="#505050", stroke_width=0.4)))}


def write_pdf(path: Path, b: Briefing, ws) -> None:
    """The briefing as a multi-page A4 vector PDF (whole or not at all)."""
    with PdfPages(path, "A4", title=b.title) as doc:
        cur = _Cursor(doc, f"{b.producer}    {b.title} {b.period_label}")
        _first_page(cur, b)
        _maps_page(cur, b, ws)
        _lists(cur, b)
        cur.footer()


def picture(path: Path, size_mm: tuple[float, float], draw, dpi: float = 200.0) -> None:
    """Run ``draw(painter, rect_px, mm)`` on a white PNG of ``size_mm`` (for the DOCX)."""
    with ImagePage(path, size_mm, dpi=dpi) as page:
        draw(page.painter, page.rect_mm(0, 0, *size_mm), page.mm)


# -- pages ----------------------------------------------------------------------------------------
def _first_page(cur: _Cursor, b: Briefing) -> None:
    cur.text(b.title, 7.0, bold=True, h=12, align=Qt.AlignmentFlag.AlignCenter)
    cur.text(f"{b.period_label}    数据截至 {b.as_of}    {b.producer}", 3.2, h=7,
             align=Qt.AlignmentFlag.AlignCenter, colour="#444444")
    cur.y += 3
    headline(cur.p, cur.rect(0, cur.y, cur.width, 24), b, cur.mm)
    cur.y += 28
    cur.text("一、总体情况", 4.4, bold=True, h=8)
    for para in b.paragraphs:
        _paragraph(cur, para)
    cur.y += 2
    cur.need(70)
    cur.text(f"二、受理量趋势（近 {len(b.trend)} 个{'周' if b.period == 'week' else '月'}）", 4.4, bold=True, h=8)
    trend_chart(cur.p, cur.rect(0, cur.y, cur.width, 55), b, cur.mm)
    cur.y += 58
    cur.need(75)
    cur.text("三、分类情况（本期与上期）", 4.4, bold=True, h=8)
    h = min(6.0 * len(b.categories[:12]) + 12, 80)
    category_chart(cur.p, cur.rect(0, cur.y, cur.width, h), b, cur.mm)
    cur.y += h + 2


def _maps_page(cur: _Cursor, b: Briefing, ws) -> None:
    for title, cells, colours in (("四、热点分布（本期 Gi* 热点）", b.hotspots, HOT_COLOURS),
                                  ("五、时空模式（新兴热点分析，全部诉求）", b.patterns, PATTERN_COLOURS)):
        cur.need(125)
        cur.text(title, 4.4, bold=True, h=8)
        map_panel(cur.p, cur.rect(0, cur.y, cur.width, 112), ws, b, cells, colours, cur.mm)
        cur.y += 114
        cur.text(f"{b.cell_note}；底图：{'、'.join(b.base_layers) or '无'}；坐标系 {ws.crs}", 2.6, h=5,
                 colour="#555555")


def _lists(cur: _Cursor, b: Briefing) -> None:
    cur.need(8 + 6 * (1 + max(len(b.communities) or 1, len(b.compounds) or 1)) + 4)
    cur.text("六、诉求较多的社区与小区", 4.4, bold=True, h=8)
    half = (cur.width - 4) / 2
    top = cur.y
    for k, (name, rows) in enumerate((("社区", b.communities), ("小区", b.compounds))):
        cur.y = top
        x0 = k * (half + 4)
        widths = (half - 54, 18, 18, 18)
        _row_at(cur, x0, (name, "本期", "上期", "环比"), widths, header=True)
        for r in rows or [("（无）", 0, 0)]:
            _row_at(cur, x0, (r[0], str(r[1]), str(r[2]), _change(r[1], r[2])), widths)
    cur.y = top + 6 * (1 + max(len(b.communities) or 1, len(b.compounds) or 1)) + 4
    cur.need(20)
    cur.text(f"七、预警清单（{len(b.alerts)} 条）", 4.4, bold=True, h=8)
    widths = (10, 18, 18, 30, 20, cur.width - 96)
    _row(cur, ("级别", "类型", "类别", "位置", "首次出现", "依据"), widths, header=True)
    for a in b.alerts:
        cur.need(7)
        _row(cur, (a.level, a.kind, a.category, a.place or a.area, a.first_seen, a.summary()), widths,
             fill=LEVEL_FILL.get(a.level))
    if not b.alerts:
        cur.text("（本期无预警）", 3.0, h=6)
    cur.y += 3
    cur.need(25)
    cur.text("八、重复来电与重复地址（来电人信息已脱敏）", 4.4, bold=True, h=8)
    widths = (22, 24, 36, 22, cur.width - 104)
    _row(cur, ("类型", "类别", "位置", "首次出现", "情况（工单编号）"), widths, header=True)
    for a in b.callers + b.addresses:
        cur.need(7)
        _row(cur, (a.kind, a.category, a.place or a.area, a.first_seen, f"{a.summary()}（{'、'.join(a.orders[:3])}）"),
             widths)
    if not (b.callers or b.addresses):
        cur.text("（本期无）", 3.0, h=6)
    cur.y += 3
    cur.need(30)
    cur.text("九、数据口径", 4.4, bold=True, h=8)
    for label, query in b.sources:
        _paragraph(cur, f"{label}：{query}", 2.8, colour="#333333")


# -- pieces -----------------------------------------------------------------------------------------
def _paragraph(cur: _Cursor, text: str, size: float = 3.3, colour: str = "#000000") -> None:
    """A wrapped paragraph, as tall as its lines."""
    p = cur.p
    p.setFont(font(size))
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
    box = p.fontMetrics().boundingRect(cur.rect(0, 0, cur.width, 200).toRect(), flags, text)
    h = box.height() / cur.mm(1) + 1.5
    cur.need(h)
    p.setPen(QColor(colour))
    p.drawText(cur.rect(0, cur.y, cur.width, h), flags, text)
    cur.y += h


def _row_at(cur: _Cursor, x0: float, cells, widths, header: bool = False) -> None:
    """A table row starting ``x0`` mm from the margin (two tables side by side)."""
    saved = cur.rect
    cur.rect = lambda x, y, w, h: saved(x0 + x, y, w, h)  # type: ignore[method-assign]
    try:
        _row(cur, cells, widths, header=header)
    finally:
        cur.rect = saved  # type: ignore[method-assign]


def _change(a: int, b: int) -> str:
    if b == 0:
        return "新增" if a else "—"
    return f"{(a - b) / b * 100:+.0f}%"


def headline(p: QPainter, rect: QRectF, b: Briefing, mm) -> None:
    """Five boxes: label, number, note."""
    n = len(b.headline)
    gap = mm(3)
    w = (rect.width() - gap * (n - 1)) / n
    for i, (label, value, note) in enumerate(b.headline):
        box = QRectF(rect.left() + i * (w + gap), rect.top(), w, rect.height())
        p.fillRect(box, QColor("#eef3f9"))
        p.setPen(QPen(QColor("#9bb3cf"), mm(0.2)))
        p.drawRect(box)
        p.setPen(QColor("#333333"))
        p.setFont(font(3.0))
        p.drawText(QRectF(box.left(), box.top() + mm(1.5), w, mm(5)), int(Qt.AlignmentFlag.AlignCenter), label)
        p.setPen(QColor("#0b3d75"))
        p.setFont(font(6.0, bold=True))
        p.drawText(QRectF(box.left(), box.top() + mm(6.5), w, mm(9)), int(Qt.AlignmentFlag.AlignCenter), value)
        p.setPen(QColor("#555555"))
        p.setFont(font(2.4))
        p.drawText(QRectF(box.left() + mm(1), box.top() + mm(16), w - mm(2), mm(6)),
                   int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), note)


def trend_chart(p: QPainter, rect: QRectF, b: Briefing, mm) -> None:
    """Bars per period, the last one (the period of the briefing) highlighted."""
    items = b.trend
    _axes_box(p, rect, mm)
    if not items:
        return
    left, bottom = rect.left() + mm(14), rect.bottom() - mm(9)
    plot_w, plot_h = rect.right() - mm(4) - left, bottom - rect.top() - mm(6)
    vmax = max(max(v for _, v in items), 1)
    step = _nice_step(vmax)
    top_v = step * -(-vmax // step)
    p.setFont(font(2.4))
    for k in range(0, int(top_v) + 1, int(step)):
        yy = bottom - plot_h * k / top_v
        p.setPen(QPen(QColor("#e0e0e0"), mm(0.1)))
        p.drawLine(int(left), int(yy), int(left + plot_w), int(yy))
        p.setPen(QColor("#555555"))
        p.drawText(QRectF(rect.left(), yy - mm(2), mm(12), mm(4)), int(Qt.AlignmentFlag.AlignRight |
                                                                          Qt.AlignmentFlag.AlignVCenter), f"{k:,}")
    bw = plot_w / len(items)
    for i, (label, v) in enumerate(items):
        h = plot_h * v / top_v
        bar = QRectF(left + i * bw + bw * 0.15, bottom - h, bw * 0.7, h)
        p.fillRect(bar, QColor("#c2191c" if i == len(items) - 1 else "#5b8cc4"))
        p.setPen(QColor("#333333"))
        p.drawText(QRectF(left + i * bw, bar.top() - mm(4), bw, mm(4)), int(Qt.AlignmentFlag.AlignCenter), f"{v:,}")
        p.drawText(QRectF(left + i * bw, bottom + mm(1), bw, mm(4)), int(Qt.AlignmentFlag.AlignCenter), label[5:])


def category_chart(p: QPainter, rect: QRectF, b: Briefing, mm) -> None:
    """Horizontal bars: this period (dark) over the previous one (light), largest first."""
    items = b.categories[:12]
    _axes_box(p, rect, mm)
    if not items:
        return
    left = rect.left() + mm(24)
    plot_w = rect.right() - mm(22) - left
    vmax = max(max(max(a, c) for _, a, c in items), 1)
    row = (rect.height() - mm(8)) / len(items)
    p.setFont(font(2.6))
    for i, (name, a, c) in enumerate(items):
        y0 = rect.top() + mm(4) + i * row
        p.setPen(QColor("#333333"))
        p.drawText(QRectF(rect.left(), y0, mm(22), row), int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                   name)
        p.fillRect(QRectF(left, y0 + row * 0.1, plot_w * c / vmax, row * 0.35), QColor("#c9d7ea"))
        p.fillRect(QRectF(left, y0 + row * 0.45, plot_w * a / vmax, row * 0.45), QColor("#0b3d75"))
        p.drawText(QRectF(left + plot_w * max(a, c) / vmax + mm(1), y0, mm(22), row),
                   int(Qt.AlignmentFlag.AlignVCenter), f"{a:,}（{_change(a, c)}）")
    p.setFont(font(2.4))
    p.setPen(QColor("#555555"))
    p.drawText(QRectF(rect.left(), rect.bottom() - mm(4), rect.width() - mm(2), mm(4)), int(Qt.AlignmentFlag.AlignRight),
               "深色：本期    浅色：上期")


def _axes_box(p: QPainter, rect: QRectF, mm) -> None:
    p.setPen(QPen(QColor("#c8c8c8"), mm(0.15)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(rect)


def _nice_step(vmax: float) -> int:
    raw = vmax / 4
    mag = 10 ** max(len(str(int(raw))) - 1, 0)
    return int(next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw))


def map_panel(p: QPainter, rect: QRectF, ws, b: Briefing, cells: MapCells, colours: dict, mm) -> None:
    """Base layers, the classed cells over them (both through the renderer), a legend, a frame."""
    from lzt.workspace import create_workspace

    ext = fit_extent(b.extent, rect.width(), rect.height())
    p.save()
    p.setClipRect(rect)
    styles = {k: v for k, v in BASE_STYLES.items() if k in b.base_layers}
    draw_map(p, rect, ws, ext, b.base_layers, styles, fit=False)
    present = [c for c in colours if (cells.classes == c).any()]
    if present:
        with tempfile.TemporaryDirectory(prefix="lzt-briefing-") as d:
            tmp = create_workspace(Path(d) / "cells.gpkg", ws.crs)
            try:
                tmp.write_layer("cells", gpd.GeoDataFrame({"cls": cells.classes}, geometry=list(cells.geometries),
                                                          crs=ws.crs), kind=LayerKind.ANALYSIS)
                style = LayerStyle(CategorizedRenderer("cls", tuple(
                    Category(c, c, Symbol(fill=colours[c], stroke=colours[c], stroke_width=0.4)) for c in present)))
                draw_map(p, rect, tmp, ext, ["cells"], {"cells": style}, fit=False, background=None, labels=False)
            finally:
                tmp.close()
    p.restore()
    p.setPen(QPen(QColor("#333333"), mm(0.3)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(rect)
    _legend(p, rect, present, colours, mm)


def _legend(p: QPainter, rect: QRectF, present, colours, mm) -> None:
    items = present or ["（本期无）"]
    w, line = mm(30), mm(4.2)
    box = QRectF(rect.left() + mm(2), rect.bottom() - mm(3) - line * len(items) - mm(2), w, line * len(items) + mm(2))
    p.fillRect(box, QColor(255, 255, 255, 225))
    p.setPen(QPen(QColor("#888888"), mm(0.1)))
    p.drawRect(box)
    p.setFont(font(2.6))
    for i, c in enumerate(items):
        y0 = box.top() + mm(1) + i * line
        if c in colours:
            p.fillRect(QRectF(box.left() + mm(1.5), y0 + mm(0.8), mm(4), mm(2.6)), QColor(colours[c]))
        p.setPen(QColor("#222222"))
        p.drawText(QRectF(box.left() + mm(7), y0, w - mm(8), line), int(Qt.AlignmentFlag.AlignVCenter), c)


__all__ = ["write_pdf", "picture", "headline", "trend_chart", "category_chart", "map_panel", "MARGIN_MM", "PAGE_H"]
