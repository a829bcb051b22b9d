"""The parcel supervision report (宗地批后监管核查报告): a vector PDF per parcel with its
contract terms, the check results and their numbers, a map of the parcel, its buildings and
the complaints nearby, a summary of those complaints (no personal data) and the inspection
history. Drawn headless with the map renderer and the shipped CJK font."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from lzt.analysis import supervision as sv
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.render.api import draw_map
from lzt.render.fonts import ensure_fonts, font

STATUS_ZH = {"PASS": "通过", "WARN": "预警", "FAIL": "不通过", "NO_DATA": "无数据"}
STATUS_FILL = {"PASS": "#d1e7dd", "WARN": "#fff3cd", "FAIL": "#f8d7da", "NO_DATA": "#e9ecef"}
RULE_ZH = {"idle_land": "闲置土地", "overdue_completion": "逾期竣工", "far": "容积率", "coverage": "建筑密度",
           "height": "建筑限高", "setback": "退线"}
DPI = 300
MARGIN_MM = 15.0
NEARBY_M = 300.0


@dataclass
class _Page:
    """A cursor down an A4 page, in millimetres; ``mm`` converts to device pixels."""

    painter: QPainter
    writer: QPdfWriter
    y: float = MARGIN_MM
    number: int = 1

    @property
    def width(self) -> float:
        return 210.0 - 2 * MARGIN_MM

    def mm(self, v: float) -> float:
        return v * DPI / 25.4

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(self.mm(MARGIN_MM + x), self.mm(y), self.mm(w), self.mm(h))

    def need(self, h: float, footer: str) -> None:
        if self.y + h > 297.0 - MARGIN_MM - 8:
            self.footer(footer)
            self.writer.newPage()
            self.number += 1
            self.y = MARGIN_MM

    def text(self, s: str, size: float = 3.5, *, bold: bool = False, h: float | None = None,
             x: float = 0.0, w: float | None = None, align=Qt.AlignmentFlag.AlignLeft, colour: str = "#000000") -> None:
        self.painter.setFont(font(size, bold=bold))
        self.painter.setPen(QColor(colour))
        h = h or size * 1.6
        self.painter.drawText(self.rect(x, self.y, w or self.width - x, h),
                              int(align | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap), s)
        self.y += h

    def footer(self, s: str) -> None:
        self.painter.setFont(font(2.6))
        self.painter.setPen(QColor("#666666"))
        self.painter.drawText(self.rect(0, 297.0 - MARGIN_MM - 5, self.width, 5),
                              int(Qt.AlignmentFlag.AlignCenter), f"{s}    第 {self.number} 页")


def parcel_report(ws, parcel_id: str | list[str], out: str | Path, *, as_of: date | None = None,
                  layer: str | None = None, producer: str = "龙岗区规划和自然资源局 · 龙政图 lzt",
                  feedback: Feedback | None = None) -> Path:
    """Write the report of one parcel (or several, each from a new page) to ``out`` (PDF).

    Written to a temporary file and moved into place: a failure leaves no partial PDF.
    """
    fb = ensure(feedback)
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise LztInputError(out, "the report is a PDF: give a .pdf file name")
    if not out.parent.is_dir():
        raise LztInputError(out, "the folder does not exist")
    ids = [parcel_id] if isinstance(parcel_id, str) else list(parcel_id)
    if not ids:
        raise LztInputError(out, "no parcel to report on")
    as_of = as_of or date.today()
    layer = sv.supervision_layer(ws, layer)
    checks = []
    for i, pid in enumerate(ids):
        fb.check()
        checks += sv.run_checks(ws, layer=layer, parcel=pid, as_of=as_of)
    ensure_fonts()
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".pdf", dir=str(out.parent))
    os.close(fd)
    try:
        writer = QPdfWriter(tmp)
        writer.setResolution(DPI)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0)))
        writer.setTitle(f"宗地批后监管核查报告 {ids[0]}" + (f" 等 {len(ids)} 宗" if len(ids) > 1 else ""))
        writer.setCreator("lzt")
        painter = QPainter(writer)
        try:
            page = _Page(painter, writer)
            for i, check in enumerate(checks):
                fb.progress(i, len(checks), f"报告 {check.parcel_id}")
                fb.check()
                if i:
                    page.footer(f"{producer}  {as_of}")
                    writer.newPage()
                    page.number += 1
                    page.y = MARGIN_MM
                _one_parcel(page, ws, layer, check, as_of, producer)
            page.footer(f"{producer}  {as_of}")
        finally:
            painter.end()
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fb.progress(len(checks), len(checks), "报告完成")
    return out


def _one_parcel(page: _Page, ws, layer: str, check: sv.ParcelCheck, as_of: date, producer: str) -> None:
    from layers.supervision import LABELS

    terms = ws.read_features(layer, fids=[check.fid]).iloc[0]
    foot = f"{producer}  {as_of}"
    page.text("宗地批后监管核查报告", 6.5, bold=True, h=11, align=Qt.AlignmentFlag.AlignCenter)
    page.text(f"宗地编号 {check.parcel_id}    {terms.get('project') or ''}    核查基准日 {as_of}    "
              f"总体结论：{STATUS_ZH[check.worst]}", 3.4, h=7, align=Qt.AlignmentFlag.AlignCenter)
    page.y += 2

    page.text("一、出让合同约定条件", 4.2, bold=True, h=8)
    items = [(lab, _fmt(terms.get(f))) for f, lab in LABELS.items() if f not in ("version",)]
    items = [(k, v) for k, v in items if v]
    col_w = page.width / 2
    for j in range(0, len(items), 2):
        page.need(5.2, foot)
        for k, (lab, val) in enumerate(items[j:j + 2]):
            x = k * col_w
            page.painter.setPen(QPen(QColor("#c8c8c8"), page.mm(0.15)))
            page.painter.drawRect(page.rect(x, page.y, col_w, 5.2))
            page.painter.setFont(font(2.9))
            page.painter.setPen(QColor("#444444"))
            page.painter.drawText(page.rect(x + 1.5, page.y, 34, 5.2), int(Qt.AlignmentFlag.AlignVCenter), lab)
            page.painter.setPen(QColor("#000000"))
            page.painter.drawText(page.rect(x + 36, page.y, col_w - 37.5, 5.2),
                                  int(Qt.AlignmentFlag.AlignVCenter), val)
        page.y += 5.2
    page.y += 4

    page.text("二、核查结果", 4.2, bold=True, h=8)
    widths = (22, 16, 22, 24, page.width - 84)
    _row(page, ("规则", "结论", "数值", "限值", "说明"), widths, header=True)
    for r in check.results:
        page.need(7, foot)
        _row(page, (RULE_ZH[r.rule], STATUS_ZH[r.status], _fmt(r.value), _fmt(r.limit), r.detail), widths,
             fill=STATUS_FILL[r.status])
    page.text("数值、限值与规则依据见《闲置土地处置办法》及出让合同；容积率按四舍五入保留两位小数后比较。", 2.6,
              h=6, colour="#555555")
    if check.models:
        page.text(f"宗地上的 BIM 模型：{'、'.join(check.models)}", 3.0, h=6)
    page.y += 2

    page.need(110, foot)
    page.text(f"三、宗地位置、建筑与周边 {NEARBY_M:.0f} 米内民生诉求", 4.2, bold=True, h=8)
    _parcel_map(page, ws, layer, terms.geometry)
    page.y += 3
    page.need(30, foot)
    nearby = None if terms.geometry is None else sv.nearby_complaints(ws, terms.geometry, NEARBY_M)
    if nearby is None:
        page.text("（工作空间中没有民生诉求图层，或宗地没有图形）", 3.0, h=6)
    else:
        by = nearby["cat_l1"].value_counts() if "cat_l1" in nearby else pd.Series(dtype=int)
        page.text(f"周边 {NEARBY_M:.0f} 米内民生诉求共 {len(nearby)} 件" +
                  ("：" + "，".join(f"{k} {v} 件" for k, v in by.head(8).items()) if len(by) else "。"), 3.2, h=7)
        page.text("（统计不含诉求人姓名、电话、证件号码等个人信息）", 2.6, h=5, colour="#555555")
    page.y += 2

    page.need(25, foot)
    page.text("四、核查记录", 4.2, bold=True, h=8)
    history = ws.inspections(layer, check.parcel_id)
    if not history:
        page.text("（尚无核查记录）", 3.0, h=6)
    else:
        widths = (22, 18, 18, page.width - 58)
        _row(page, ("核查日期", "核查人", "结果", "情况说明（照片）"), widths, header=True)
        for h in history:
            page.need(7, foot)
            photos = f"（照片 {len(h['photos'])} 张）" if h["photos"] else ""
            _row(page, (h["inspected_on"], h["inspector"], h["result"], (h["notes"] or "") + photos), widths)


def _row(page: _Page, cells, widths, *, header: bool = False, fill: str | None = None) -> None:
    h = 6.0
    x = 0.0
    for text, w in zip(cells, widths):
        r = page.rect(x, page.y, w, h)
        if header or fill:
            page.painter.fillRect(r, QColor("#e8eef6" if header else fill))
        page.painter.setPen(QPen(QColor("#b0b0b0"), page.mm(0.15)))
        page.painter.drawRect(r)
        page.painter.setFont(font(2.8, bold=header))
        page.painter.setPen(QColor("#000000"))
        metrics_rect = r.adjusted(page.mm(1), 0, -page.mm(1), 0)
        elided = page.painter.fontMetrics().elidedText(str(text), Qt.TextElideMode.ElideRight, int(metrics_rect.width()))
        page.painter.drawText(metrics_rect, int(Qt.AlignmentFlag.AlignVCenter), elided)
        x += w
    page.y += h


def _parcel_map(page: _Page, ws, layer: str, geom) -> None:
    h = 95.0
    frame = page.rect(0, page.y, page.width, h)
    if geom is None or geom.is_empty:
        page.text("（宗地没有图形）", 3.0, h=6)
        return
    minx, miny, maxx, maxy = geom.buffer(NEARBY_M).bounds
    names = [n for n in ("dem", "parcels", layer, "roads", "bim_models") if ws.has_layer(n)]
    names += [li.name for li in ws.layers() if li.kind == "complaints"][:1]
    p = page.painter
    p.save()
    p.setClipRect(frame)
    draw_map(p, frame, ws, (minx, miny, maxx, maxy), names)  # grows the extent to the frame's aspect
    p.restore()
    _outline(page, frame, geom, _fitted((minx, miny, maxx, maxy), frame))
    p.setPen(QPen(QColor("#333333"), page.mm(0.3)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(frame)
    _north_arrow(page, frame)
    page.y += h
    ext = _fitted((minx, miny, maxx, maxy), frame)
    scale = (ext[2] - ext[0]) / (page.width / 1000.0)  # ground metres per metre of paper
    page.text(f"比例尺 1:{scale:,.0f}    红色粗线为本宗地红线，BIM 模型基底按高度着色，彩色点为民生诉求"
              f"（按一级分类着色）；坐标系 {ws.crs}", 2.6, h=5, colour="#555555")


def _fitted(extent, rect: QRectF):
    from lzt.render.request import fit_extent

    return fit_extent(extent, rect.width(), rect.height())


def _outline(page: _Page, frame: QRectF, geom, extent) -> None:
    """The parcel's red line over the map, in the frame's coordinates."""
    import numpy as np
    from PySide6.QtGui import QPolygonF

    minx, miny, maxx, maxy = extent
    sx = frame.width() / (maxx - minx)
    sy = frame.height() / (maxy - miny)
    p = page.painter
    p.setPen(QPen(QColor("#e00000"), page.mm(0.6)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    parts = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    for part in parts:
        xy = np.asarray(part.exterior.coords)
        p.drawPolygon(QPolygonF([QPointF(frame.left() + (x - minx) * sx, frame.top() + (maxy - y) * sy) for x, y in xy]))


def _north_arrow(page: _Page, frame: QRectF) -> None:
    from PySide6.QtGui import QPolygonF

    p = page.painter
    x, y = frame.right() - page.mm(8), frame.top() + page.mm(4)
    w, h = page.mm(3), page.mm(7)
    p.setPen(QPen(QColor("#000000"), page.mm(0.2)))
    p.setBrush(QColor("#000000"))
    p.drawPolygon(QPolygonF([QPointF(x, y), QPointF(x + w / 2, y + h), QPointF(x, y + h * 0.75),
                             QPointF(x - w / 2, y + h)]))
    p.setFont(font(2.8, bold=True))
    p.drawText(QRectF(x - page.mm(3), y + h, page.mm(6), page.mm(4)), int(Qt.AlignmentFlag.AlignCenter), "北")


def _fmt(v) -> str:
    if v is None or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)
