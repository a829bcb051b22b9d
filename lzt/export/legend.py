"""Legends built from styles: entries per layer, and their drawing.

``legend_items`` lists, for each drawn layer, a heading and a swatch per class that was
actually drawn (from the painter's ``PaintResult``), or a colour bar for ramps, heatmaps
and rasters. Swatches use the very symbols the painter used, so colours match the map.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QLinearGradient, QPainter, QPen

from layers.kinds import LayerKind
from lzt.render.classify import classify
from lzt.render.colors import qcolor
from lzt.render.painter import LayerResult
from lzt.render.pdf import draw_text
from lzt.render.request import LayerSnapshot
from lzt.render.style import (CategorizedRenderer, GraduatedRenderer, HeatmapRenderer, RampRenderer,
                              RasterRenderer, SingleRenderer, Symbol)

MAX_CLASSES = 16


@dataclass
class LegendItem:
    kind: str  # heading | swatch | ramp | note
    label: str
    symbol: Symbol | None = None
    geom: str = "polygon"  # polygon | line | point
    stops: tuple = ()
    low: str = ""
    high: str = ""


def _geom(snap: LayerSnapshot) -> str:
    g = (snap.geometry_type or "").lower()
    return "point" if "point" in g else "line" if "line" in g else "polygon"


def legend_items(layers, results: dict[str, LayerResult]) -> list[LegendItem]:
    """Legend entries for the drawn layers, top layer first."""
    items: list[LegendItem] = []
    for snap in reversed(list(layers)):
        r = results.get(snap.name)
        if r is None or r.mode == "hidden" or (r.drawn == 0 and r.mode != "raster"):
            continue
        ren = snap.style.renderer
        title = snap.style.title or snap.name
        geom = _geom(snap)
        if r.mode == "density":
            h = ren if isinstance(ren, HeatmapRenderer) else HeatmapRenderer()
            items.append(LegendItem("heading", f"{title}（{h.label}）"))
            unit = "件" if snap.kind == LayerKind.COMPLAINTS else "个"
            hi = f"{r.max_density:,.0f} {unit}/km²" if r.max_density else "高"
            items.append(LegendItem("ramp", "", stops=h.stops, low="低", high=hi))
            continue
        if isinstance(ren, RasterRenderer) or r.mode == "raster":
            rr = ren if isinstance(ren, RasterRenderer) else RasterRenderer()
            if rr.mode == "rgb":  # imagery: its name (and date in the title), no ramp
                items.append(LegendItem("heading", f"{title}（{rr.label}）"))
                continue
            items.append(LegendItem("heading", f"{title}（{rr.label}{'，晕渲' if rr.hillshade else ''}）"))
            items.append(LegendItem("ramp", "", stops=rr.stops, low=f"{rr.stops[0][0]:g}",
                                    high=f"{rr.stops[-1][0]:g}"))
            continue
        if isinstance(ren, RampRenderer):
            items.append(LegendItem("heading", f"{title}（{ren.label or ren.field}）"))
            items.append(LegendItem("ramp", "", stops=ren.stops, low=f"{ren.stops[0][0]:g}",
                                    high=f"≥{ren.stops[-1][0]:g}"))
            continue
        if isinstance(ren, SingleRenderer):
            items.append(LegendItem("swatch", title, ren.symbol, geom))
            continue
        if isinstance(ren, (CategorizedRenderer, GraduatedRenderer)):
            _, syms, labels = classify(ren, {}, 0)
            drawn = sorted(r.classes)
            items.append(LegendItem("heading", title))
            for c in drawn[:MAX_CLASSES]:
                items.append(LegendItem("swatch", labels[c], syms[c], geom))
            if len(drawn) > MAX_CLASSES:
                items.append(LegendItem("note", f"…等 {len(drawn)} 类"))
    return items


def _swatch(painter: QPainter, r: QRectF, sym: Symbol, geom: str, px_per_mm: float) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(qcolor(sym.stroke)) if sym.stroke else QPen(Qt.PenStyle.NoPen)
    if sym.stroke:
        pen.setWidthF(max(sym.stroke_width * px_per_mm, 0.5))
    if geom == "line":
        lp = QPen(qcolor(sym.stroke or sym.fill))
        lp.setWidthF(max(sym.stroke_width, 0.3) * px_per_mm)
        painter.setPen(lp)
        painter.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.right(), r.center().y()))
    elif geom == "point":
        d = min(max(sym.size, 1.5) * px_per_mm, r.height())
        painter.setPen(pen)
        painter.setBrush(QBrush(qcolor(sym.fill)) if sym.fill else Qt.BrushStyle.NoBrush)
        rr = QRectF(r.center().x() - d / 2, r.center().y() - d / 2, d, d)
        painter.drawRect(rr) if sym.marker == "square" else painter.drawEllipse(rr)
    else:
        if not sym.stroke or sym.stroke_width * px_per_mm < 0.8:
            pen = QPen(qcolor("#606060"))
            pen.setWidthF(0.15 * px_per_mm)
        painter.setPen(pen)
        painter.setBrush(QBrush(qcolor(sym.fill)) if sym.fill else Qt.BrushStyle.NoBrush)
        painter.drawRect(r)
    painter.restore()


def draw_legend(painter: QPainter, rect: QRectF, items: list[LegendItem], dpi: float, *,
                text_mm: float = 2.6, head_mm: float = 3.0, title: str = "图  例") -> float:
    """Draw ``items`` in columns inside ``rect`` (device px); returns the height used."""
    k = dpi / 25.4
    y = rect.top()
    if title:
        draw_text(painter, QRectF(rect.left(), y, rect.width(), head_mm * 1.4 * k), title, head_mm * 1.2, dpi,
                  align="center")
        y += head_mm * 1.9 * k
    row = text_mm * 1.75 * k
    sw, sh = 8.0 * k, text_mm * 1.2 * k
    col_w = max(rect.width() / max(1, int(rect.width() / (48 * k))), 40 * k)
    x0 = rect.left()
    x = x0
    top = y
    bottom_used = y
    for it in items:
        need = row * (2 if it.kind == "ramp" else 1)
        if y + need > rect.bottom():
            x += col_w
            y = top
            if x + col_w > rect.right() + 1:
                draw_text(painter, QPointF(x0, rect.bottom() - row), "…", text_mm, dpi)
                break
        if it.kind == "heading":
            draw_text(painter, QRectF(x, y, col_w, row), it.label, text_mm * 1.05, dpi, valign="middle",
                      color="#202020")
        elif it.kind == "note":
            draw_text(painter, QRectF(x + sw * 0.2, y, col_w, row), it.label, text_mm * 0.9, dpi, valign="middle",
                      color="#505050")
        elif it.kind == "swatch":
            r = QRectF(x + 1.0 * k, y + (row - sh) / 2, sw, sh)
            _swatch(painter, r, it.symbol or Symbol(), it.geom, k)
            draw_text(painter, QRectF(r.right() + 2 * k, y, col_w - sw - 3 * k, row), it.label, text_mm, dpi,
                      valign="middle")
        elif it.kind == "ramp":
            r = QRectF(x + 1.0 * k, y + (row - sh) / 2, min(col_w - 4 * k, 36 * k), sh)
            g = QLinearGradient(r.topLeft(), r.topRight())
            lo, hi = it.stops[0][0], it.stops[-1][0]
            for v, c in it.stops:
                col = qcolor(c)
                col.setAlpha(max(col.alpha(), 60))
                g.setColorAt((v - lo) / (hi - lo) if hi > lo else 0, col)
            painter.save()
            painter.setPen(QPen(qcolor("#606060"), 0.15 * k))
            painter.setBrush(QBrush(g))
            painter.drawRect(r)
            painter.restore()
            draw_text(painter, QRectF(r.left(), r.bottom() + 0.3 * k, r.width(), row), it.low, text_mm * 0.85, dpi)
            draw_text(painter, QRectF(r.left(), r.bottom() + 0.3 * k, r.width(), row), it.high, text_mm * 0.85,
                      dpi, align="right")
        y += need
        bottom_used = max(bottom_used, y)
    return bottom_used - rect.top()
