"""Drawing of the parcel supervision report (宗地批后监管核查报告) on PDF pages.

``lzt.export.report`` gathers the numbers (Qt-free) into a ``ParcelReport``; this module lays
them out on A4 pages with the shipped CJK font (real, selectable text) and draws the map of
the parcel through the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPen, QPolygonF

from lzt.render.api import draw_map
from lzt.render.fonts import font
from lzt.render.pdf import PdfPages, painter_state
from lzt.render.request import fit_extent

STATUS_FILL = {"通过": "#d1e7dd", "预警": "#fff3cd", "不通过": "#f8d7da", "无数据": "#e9ecef"}
MARGIN_MM = 15.0
PAGE_W, PAGE_H = 210.0, 297.0


@dataclass
class ParcelReport:
    """What one parcel's report shows, already in words and numbers."""

    parcel_id: str
    project: str
    as_of: str
    verdict: str
    terms: list[tuple[str, str]]  # (label, value)
    results: list[tuple[str, str, str, str, str]]  # rule, verdict, value, limit, detail
    models: list[str]
    geometry: object  # shapely polygon in the workspace CRS, or None
    map_layers: list[str]
    nearby_m: float
    nearby_count: int | None
    nearby_by_category: list[tuple[str, int]] = field(default_factory=list)
    history: list[tuple[str, str, str, str]] = field(default_factory=list)  # date, inspector, result, notes
    imagery: list[tuple[str, str]] = field(default_factory=list)  # (layer, date) before and after


class _Cursor:
    """A position down the page, in millimetres, over a ``PdfPages`` document."""

    def __init__(self, doc: PdfPages, footer: str):
        self.doc, self.p, self.footer_text = doc, doc.painter, footer
        self.y = MARGIN_MM
        self.width = PAGE_W - 2 * MARGIN_MM

    def mm(self, v: float) -> float:
        return self.doc.mm(v)

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return self.doc.rect_mm(MARGIN_MM + x, y, w, h)

    def need(self, h: float) -> None:
        if self.y + h > PAGE_H - MARGIN_MM - 8:
            self.new_page()

    def new_page(self) -> None:
        self.footer()
        self.doc.new_page()
        self.y = MARGIN_MM

    def text(self, s: str, size: float = 3.5, *, bold: bool = False, h: float | None = None, x: float = 0.0,
             w: float | None = None, align=Qt.AlignmentFlag.AlignLeft, colour: str = "#000000") -> None:
        h = h or size * 1.6
        with painter_state(self.p) as p:
            p.setFont(font(size, bold=bold))
            p.setPen(QColor(colour))
            p.drawText(self.rect(x, self.y, w or self.width - x, h),
                       int(align | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap), s)
        self.y += h

    def footer(self) -> None:
        with painter_state(self.p) as p:
            p.setFont(font(2.6))
            p.setPen(QColor("#666666"))
            p.drawText(self.rect(0, PAGE_H - MARGIN_MM - 5, self.width, 5), int(Qt.AlignmentFlag.AlignCenter),
                       f"{self.footer_text}    第 {self.doc.pages} 页")


def write_reports(path, reports: list[ParcelReport], ws, *, title: str, footer: str, check=None) -> None:
    """Write ``reports`` (each from a new page) as a vector PDF at ``path`` (whole or not at all)."""
    with PdfPages(path, "A4", title=title) as doc:
        cur = _Cursor(doc, footer)
        for i, r in enumerate(reports):
            if check is not None:
                check(i)
            if i:
                cur.new_page()
            _parcel(cur, ws, r)
        cur.footer()


def _parcel(page: _Cursor, ws, r: ParcelReport) -> None:
    p = page.p
    page.text("宗地批后监管核查报告", 6.5, bold=True, h=11, align=Qt.AlignmentFlag.AlignCenter)
    page.text(f"宗地编号 {r.parcel_id}    {r.project}    核查基准日 {r.as_of}    总体结论：{r.verdict}", 3.4, h=7,
              align=Qt.AlignmentFlag.AlignCenter)
    page.y += 2

    page.text("一、出让合同约定条件", 4.2, bold=True, h=8)
    col_w = page.width / 2
    for j in range(0, len(r.terms), 2):
        page.need(5.2)
        for k, (lab, val) in enumerate(r.terms[j:j + 2]):
            x = k * col_w
            with painter_state(p):
                _cell(page, page.rect(x, page.y, col_w, 5.2), None, "#c8c8c8")
                p.setFont(font(2.9))
                p.setPen(QColor("#444444"))
                p.drawText(page.rect(x + 1.5, page.y, 34, 5.2), int(Qt.AlignmentFlag.AlignVCenter), lab)
                p.setPen(QColor("#000000"))
                p.drawText(page.rect(x + 36, page.y, col_w - 37.5, 5.2), int(Qt.AlignmentFlag.AlignVCenter), val)
        page.y += 5.2
    page.y += 4

    page.text("二、核查结果", 4.2, bold=True, h=8)
    widths = (22, 16, 22, 24, page.width - 84)
    _row(page, ("规则", "结论", "数值", "限值", "说明"), widths, header=True)
    for row in r.results:
        page.need(7)
        _row(page, row, widths, fill=STATUS_FILL.get(row[1]))
    page.text("数值、限值与规则依据见《闲置土地处置办法》及出让合同；容积率按四舍五入保留两位小数后比较。", 2.6,
              h=6, colour="#555555")
    if r.models:
        page.text(f"宗地上的 BIM 模型：{'、'.join(r.models)}", 3.0, h=6)
    page.y += 2

    page.need(110)
    page.text(f"三、宗地位置、建筑与周边 {r.nearby_m:.0f} 米内民生诉求", 4.2, bold=True, h=8)
    _parcel_map(page, ws, r)
    page.y += 3
    page.need(30)
    if r.nearby_count is None:
        page.text("（工作空间中没有民生诉求图层，或宗地没有图形）", 3.0, h=6)
    else:
        cats = "，".join(f"{k} {v} 件" for k, v in r.nearby_by_category)
        page.text(f"周边 {r.nearby_m:.0f} 米内民生诉求共 {r.nearby_count} 件" + (f"：{cats}" if cats else "。"),
                  3.2, h=7)
        page.text("（统计不含诉求人姓名、电话、证件号码等个人信息）", 2.6, h=5, colour="#555555")
    page.y += 2

    if r.imagery and r.geometry is not None and not r.geometry.is_empty:
        _imagery(page, ws, r)
    page.need(25)
    page.text("四、核查记录", 4.2, bold=True, h=8)
    if not r.history:
        page.text("（尚无核查记录）", 3.0, h=6)
    else:
        widths = (22, 18, 18, page.width - 58)
        _row(page, ("核查日期", "核查人", "结果", "情况说明（照片）"), widths, header=True)
        for h in r.history:
            page.need(7)
            _row(page, h, widths)


def _imagery(page: _Cursor, ws, r: ParcelReport) -> None:
    """Before / after imagery side by side (影像对比), with dates."""
    from lzt.render.report_imagery import GAP_MM, draw_pair

    w = (page.width - GAP_MM) / 2
    page.need(8 + w + 6)
    page.text("影像对比（开工前 / 最新）", 3.8, bold=True, h=7)
    frames = (page.rect(0, page.y, w, w), page.rect(w + GAP_MM, page.y, w, w))
    pair = [(layer, day, word) for (layer, day), word in zip(r.imagery, ("前", "后"))]
    draw_pair(page.p, frames, ws, r.geometry, pair, page.mm)
    page.y += w
    page.text(f"红线为本宗地红线；前：{r.imagery[0][1]}（{r.imagery[0][0]}），后：{r.imagery[1][1]}"
              f"（{r.imagery[1][0]}）", 2.6, h=5, colour="#555555")
    page.y += 2


def _row(page: _Cursor, cells, widths, *, header: bool = False, fill: str | None = None) -> None:
    p = page.p
    h = 6.0
    x = 0.0
    for text, w in zip(cells, widths):
        rect = page.rect(x, page.y, w, h)
        with painter_state(p):
            _cell(page, rect, "#e8eef6" if header else fill, "#b0b0b0")
            p.setFont(font(2.8, bold=header))
            p.setPen(QColor("#000000"))
            inner = rect.adjusted(page.mm(1), 0, -page.mm(1), 0)
            p.drawText(inner, int(Qt.AlignmentFlag.AlignVCenter),
                       p.fontMetrics().elidedText(str(text), Qt.TextElideMode.ElideRight, int(inner.width())))
        x += w
    page.y += h


def _cell(page: _Cursor, rect: QRectF, fill: str | None, border: str) -> None:
    """A table cell: its own background (white when ``fill`` is None) and border, whatever brush
    an earlier drawing step used."""
    p = page.p
    p.fillRect(rect, QColor(fill or "#ffffff"))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor(border), page.mm(0.15)))
    p.drawRect(rect)


def _parcel_map(page: _Cursor, ws, r: ParcelReport) -> None:
    h = 95.0
    geom = r.geometry
    if geom is None or geom.is_empty:
        page.text("（宗地没有图形）", 3.0, h=6)
        return
    frame = page.rect(0, page.y, page.width, h)
    minx, miny, maxx, maxy = geom.buffer(r.nearby_m).bounds
    p = page.p
    with painter_state(p):
        p.setClipRect(frame)
        draw_map(p, frame, ws, (minx, miny, maxx, maxy), r.map_layers)  # grows the extent to the frame's aspect
    ext = fit_extent((minx, miny, maxx, maxy), frame.width(), frame.height())
    _outline(page, frame, geom, ext)
    with painter_state(p):
        p.setPen(QPen(QColor("#333333"), page.mm(0.3)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(frame)
    _north_arrow(page, frame)
    page.y += h
    scale = (ext[2] - ext[0]) / (page.width / 1000.0)  # ground metres per metre of paper
    page.text(f"比例尺 1:{scale:,.0f}    红色粗线为本宗地红线，BIM 模型基底按高度着色，彩色点为民生诉求"
              f"（按一级分类着色）；坐标系 {ws.crs}", 2.6, h=5, colour="#555555")


def _outline(page: _Cursor, frame: QRectF, geom, extent) -> None:
    """The parcel's red line over the map, in the frame's coordinates."""
    minx, miny, maxx, maxy = extent
    sx = frame.width() / (maxx - minx)
    sy = frame.height() / (maxy - miny)
    with painter_state(page.p) as p:
        p.setPen(QPen(QColor("#e00000"), page.mm(0.6)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for part in (geom.geoms if geom.geom_type == "MultiPolygon" else [geom]):
            xy = np.asarray(part.exterior.coords)
            p.drawPolygon(QPolygonF([QPointF(frame.left() + (x - minx) * sx, frame.top() + (maxy - y) * sy)
                                     for x, y in xy]))


def _north_arrow(page: _Cursor, frame: QRectF) -> None:
    x, y = frame.right() - page.mm(8), frame.top() + page.mm(4)
    w, h = page.mm(3), page.mm(7)
    with painter_state(page.p) as p:  # its black brush stays here (it once filled the next table)
        p.setPen(QPen(QColor("#000000"), page.mm(0.2)))
        p.setBrush(QColor("#000000"))
        p.drawPolygon(QPolygonF([QPointF(x, y), QPointF(x + w / 2, y + h), QPointF(x, y + h * 0.75),
                                 QPointF(x - w / 2, y + h)]))
        p.setFont(font(2.8, bold=True))
        p.drawText(QRectF(x - page.mm(3), y + h, page.mm(6), page.mm(4)), int(Qt.AlignmentFlag.AlignCenter), "北")
