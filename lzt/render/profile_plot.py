"""The elevation profile drawn with QPainter (GUI dock, map sheet, CLI plot): ground as a filled
band, the structures the line cuts as blocks from their ground to their top (white models grey,
BIM models blue), 控高 caps as dashed red lines, distance and elevation axes with nice ticks."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QPolygonF

from lzt.render.colors import qcolor
from lzt.render.pdf import draw_text

GROUND, BUILDING, BIM, LIMIT = "#c8b48c", "#9a9a9a", "#4a7fc1", "#d62728"


def nice_step(span: float, target: int = 5) -> float:
    """A 1-2-5 × 10^k step giving about ``target`` intervals over ``span``."""
    if not span > 0:
        return 1.0
    raw = span / target
    k = 10 ** math.floor(math.log10(raw))
    return next(m * k for m in (1, 2, 5, 10) if m * k >= raw)


def value_range(profile) -> tuple[float, float]:
    """The elevation range the plot shows: ground, tops and caps, padded."""
    vals = [profile.ground[np.isfinite(profile.ground)]]
    for c in profile.cuts:
        vals.append(np.array([v for v in (c.ground_z, c.top_z) if v is not None]))
    for z in profile.zones:
        if z.reference == "absolute":
            vals.append(np.array([z.limit_m]))
        else:
            g = profile.ground_at([z.start_m, z.end_m])
            vals.append(g[np.isfinite(g)] + z.limit_m)
    v = np.concatenate([a.astype(float) for a in vals]) if vals else np.zeros(0)
    if not len(v):
        return 0.0, 10.0
    lo, hi = float(v.min()), float(v.max())
    pad = max((hi - lo) * 0.06, 2.0)
    return lo - pad, hi + pad


def plot_area(rect: QRectF, dpi: float, *, text_mm: float = 2.6, title: str | None = None) -> QRectF:
    """The axes' box inside ``rect``: room left for the elevation labels, above for the title
    and legend, below for the distance labels."""
    th = text_mm * dpi / 25.4
    top_pad = th * (2.6 if title else 1.2)
    return QRectF(rect.left() + th * 4.6, rect.top() + top_pad, rect.width() - th * 5.4,
                  rect.height() - top_pad - th * 3.4)


def draw_profile(painter: QPainter, rect: QRectF, profile, dpi: float, *, text_mm: float = 2.6,
                 title: str | None = None, ends: tuple[str, str] | None = None) -> None:
    """Draw ``profile`` (an ``ElevationProfile``) into ``rect`` (device px); ``ends`` labels the
    line's start and end under the axis (as the map marks them)."""
    k = dpi / 25.4
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillRect(rect, qcolor("#ffffff"))
    th = text_mm * k
    plot = plot_area(rect, dpi, text_mm=text_mm, title=title)
    if title:
        draw_text(painter, QPointF(rect.center().x(), rect.top() + th * 0.3), title, text_mm * 1.15, dpi,
                  align="center", bold=True)
    if plot.width() <= 10 or plot.height() <= 10:
        painter.restore()
        return
    L = max(profile.length_m, 1e-9)
    lo, hi = value_range(profile)

    def X(d):
        return plot.left() + np.asarray(d, float) / L * plot.width()

    def Y(z):
        return plot.bottom() - (np.asarray(z, float) - lo) / (hi - lo) * plot.height()

    # grid and ticks
    grid = QPen(qcolor("#dddddd"))
    grid.setWidthF(0.15 * k)
    axis = QPen(qcolor("#000000"))
    axis.setWidthF(0.25 * k)
    small = text_mm * 0.85
    ys = nice_step(hi - lo)
    for v in np.arange(math.ceil(lo / ys) * ys, hi + 1e-9, ys):
        y = float(Y(v))
        painter.setPen(grid)
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        draw_text(painter, QRectF(rect.left(), y - th, plot.left() - rect.left() - th * 0.4, 2 * th),
                  f"{v:g}", small, dpi, align="right", valign="middle")
    xs = nice_step(L, 6)
    for v in np.arange(0.0, L + 1e-9, xs):
        x = float(X(v))
        painter.setPen(grid)
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        draw_text(painter, QPointF(x, plot.bottom() + th * 0.3), f"{v:g}", small, dpi, align="center")
    # ground: filled runs between nodata gaps
    g = profile.ground
    ok = np.isfinite(g)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(qcolor(GROUND)))
    edge = QPen(qcolor("#6b5a3a"))
    edge.setWidthF(0.3 * k)
    runs = np.split(np.arange(len(g)), np.flatnonzero(np.diff(ok.astype(int)) != 0) + 1)
    for run in runs:
        if not len(run) or not ok[run[0]]:
            continue
        px, py = X(profile.distance[run]), Y(g[run])
        poly = QPolygonF([QPointF(float(px[0]), plot.bottom())] + [QPointF(float(a), float(b)) for a, b in zip(px, py)]
                         + [QPointF(float(px[-1]), plot.bottom())])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(poly)
        painter.setPen(edge)
        painter.drawPolyline(QPolygonF([QPointF(float(a), float(b)) for a, b in zip(px, py)]))
    # structures
    for c in profile.cuts:
        if c.top_z is None and c.height_m is None:
            continue
        under = profile.ground_at([c.start_m, (c.start_m + c.end_m) / 2, c.end_m])
        under = under[np.isfinite(under)]
        base = c.ground_z if c.ground_z is not None else lo
        if len(under):  # down to the ground the line sees, so a block on a slope does not float
            base = min(base, float(under.min()))
        top = c.top_z if c.top_z is not None else base + (c.height_m or 0.0)
        x0, x1 = float(X(c.start_m)), float(X(c.end_m))
        y0, y1 = float(Y(top)), float(Y(base))
        pen = QPen(qcolor("#333333"))
        pen.setWidthF(0.15 * k)
        painter.setPen(pen)
        painter.setBrush(QBrush(qcolor(BIM if c.kind == "bim" else BUILDING)))
        painter.drawRect(QRectF(x0, y0, max(x1 - x0, 0.3 * k), y1 - y0))
    # height-limit caps
    cap = QPen(qcolor(LIMIT))
    cap.setWidthF(0.4 * k)
    cap.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(cap)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for z in profile.zones:
        if z.reference == "absolute":
            d = np.array([z.start_m, z.end_m])
            v = np.array([z.limit_m, z.limit_m])
        else:
            inside = profile.distance[(profile.distance > z.start_m) & (profile.distance < z.end_m)]
            d = np.r_[z.start_m, inside, z.end_m]
            v = profile.ground_at(d) + z.limit_m
        good = np.isfinite(v)
        if good.sum() >= 2:
            painter.drawPolyline(QPolygonF([QPointF(float(a), float(b)) for a, b in zip(X(d[good]), Y(v[good]))]))
            draw_text(painter, QPointF(float(X(d[good][0])) + 0.5 * k, float(Y(v[good][0])) - th * 1.05),
                      QCoreApplication.translate("ProfilePlot", "控高") + f" {z.zone}", small, dpi, color=LIMIT)
    if ends:
        for d, label in zip((0.0, L), ends):
            draw_text(painter, QPointF(float(X(d)), plot.bottom() + th * 1.5), label, text_mm, dpi, align="center",
                      color=LIMIT, bold=True)
    # frame, axis titles, legend, note
    painter.setPen(axis)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(plot)
    draw_text(painter, QPointF(plot.center().x(), plot.bottom() + th * 1.6), QCoreApplication.translate("ProfilePlot", "距离（米）"), text_mm, dpi,
              align="center")
    draw_text(painter, QPointF(rect.left() + th * 0.2, plot.top() - th * 1.15), QCoreApplication.translate("ProfilePlot", "高程（米）"), text_mm, dpi)
    kinds = {c.kind for c in profile.cuts}
    items = [(GROUND, QCoreApplication.translate("ProfilePlot", "地面"))] * bool(ok.any()) + [(BUILDING, QCoreApplication.translate("ProfilePlot", "建筑"))] * ("building" in kinds) \
        + [(BIM, QCoreApplication.translate("ProfilePlot", "BIM 模型"))] * ("bim" in kinds) + [(LIMIT, QCoreApplication.translate("ProfilePlot", "控高"))] * bool(profile.zones)
    x = plot.right()
    for color, label in reversed(items):
        r = draw_text(painter, QPointF(x, plot.top() - th * 1.15), label, small, dpi, align="right")
        x = r.left() - th * 1.1
        painter.fillRect(QRectF(x, plot.top() - th * 0.95, th * 0.8, th * 0.6), qcolor(color))
        x -= th * 0.5
    exaggeration = (plot.height() / (hi - lo)) / (plot.width() / L)  # vertical px per m over horizontal
    if exaggeration > 1.05 or exaggeration < 0.95:
        draw_text(painter, QPointF(plot.right(), plot.bottom() + th * 1.6),
                  QCoreApplication.translate("ProfilePlot", "高程方向放大 {0} 倍").format(f"{exaggeration:.1f}" if exaggeration < 10 else f"{exaggeration:.0f}"),
                  small, dpi, align="right", color="#555555")
    if not ok.any():
        draw_text(painter, QPointF(plot.center().x(), plot.center().y()), QCoreApplication.translate("ProfilePlot", "沿线没有地面高程数据"), text_mm, dpi,
                  align="center", valign="middle", color="#888888")
    painter.restore()
