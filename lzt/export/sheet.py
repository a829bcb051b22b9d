"""Map sheets (出图): a true-scale map frame with the elements a Chinese thematic sheet carries.

``plan_sheet`` resolves a ``SheetSpec`` against a workspace (scale, ground extent, layers,
title); ``draw_sheet`` draws one page onto any QPainter (device pixels); ``render_sheet``
writes a PDF (vector, text selectable, the shipped CJK font embedded), PNG or SVG file
atomically. The map itself is drawn by ``lzt.render`` exactly as on the canvas.

Elements: title, map frame (inner and outer neat lines) at 1:N, coordinate grid with labelled
ticks in the workspace CRS (E along the top and bottom, N along the sides), legend from the
styles, graphic and numeric scale, north arrow (grid north; the convergence in Longgang is
< 0.2° [C-derived, not shown]), CRS note from the CRS, producer and date, an optional
overview inset, sheet number for standard sheets, and a 内部用图 stamp [P, DOMAIN.md §4.1].
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QPolygonF

from lzt.core.crs import crs_note_zh
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.export.sheet_spec import (STANDARD_FRAME_MM, Bounds, Layout, SheetSpec, extent_at_scale, fit_scale,
                                   grid_step, parse_sheet_number, plan_layout, scale_bar_length)
from lzt.render import geometry as geo
from lzt.render.cache import source_for
from lzt.render.colors import qcolor
from lzt.render.fonts import ensure_fonts
from lzt.render.legend import draw_legend, legend_items
from lzt.render.painter import PaintResult, paint_request
from lzt.render.pdf import ImagePage, PdfPages, SvgPage, draw_text
from lzt.render.request import RenderRequest, fit_extent, snapshot_layers

CONTEXT_LAYERS = ("district", "streets")


@dataclass(frozen=True)
class SheetPlan:
    spec: SheetSpec
    layout: Layout
    scale: float
    extent: Bounds  # ground extent of the map frame
    layers: tuple[str, ...]
    title: str
    highlight: object | None = None  # shapely geometry outlined on the map
    sheet_no: str | None = None


def find_feature(ws, layer: str, ident: str):
    """(fid, geometry, name) of feature ``ident`` of ``layer``: a feature id, else a value of
    an id/name/code field."""
    info = ws.layer(layer)
    if info.kind == "raster":
        raise LztInputError("--feature", f"layer {layer!r} is a raster layer")
    fields = ws.fields(layer)
    name_field = next((f for f in ("name", "名称", "parcel_id", "code", "order_id") if f in fields), None)
    gdf = None
    if str(ident).isdigit():
        gdf = ws.read_features(layer, fids=[int(ident)], columns=[name_field] if name_field else [])
    if gdf is None or gdf.empty:
        from lzt.core.filters import Compare

        for f in ("name", "名称", "parcel_id", "code", "order_id", "id"):
            if f in fields and fields[f] == "TEXT":
                gdf = ws.read_features(layer, where=Compare(f, "=", str(ident)), limit=1,
                                       columns=[name_field] if name_field else [])
                if not gdf.empty:
                    break
    if gdf is None or gdf.empty or gdf.geometry.values[0] is None:
        raise LztInputError("--feature", f"layer {layer!r} has no feature {ident!r} (give a feature id, "
                                         "or a name/code value)")
    name = str(gdf[name_field].values[0]) if name_field else str(gdf.index[0])
    return int(gdf.index[0]), gdf.geometry.values[0], name


def plan_sheet(ws, spec: SheetSpec) -> SheetPlan:
    """Resolve the scale, frame extent, layers and title of ``spec`` for ``ws``."""
    spec = spec.validated()
    names = list(spec.layers) if spec.layers else [i.name for i in ws.layers()]
    for n in names:
        ws.layer(n)  # LztInputError naming the workspace and the layer
    highlight = None
    sheet_no = None
    title = spec.title
    if spec.sheet_no:
        scale, ext = parse_sheet_number(spec.sheet_no, spec.scale)
        layout = plan_layout(spec, (STANDARD_FRAME_MM, STANDARD_FRAME_MM))
        sheet_no = spec.sheet_no.strip()
        title = title or f"{sheet_no}"
        return SheetPlan(spec, layout, float(scale), ext, tuple(names), title, None, sheet_no)
    layout = plan_layout(spec)
    frame = layout.frame
    target: Bounds | None = None
    center = spec.center
    if spec.feature:
        _, geom, fname = find_feature(ws, *spec.feature)
        highlight = geom
        b = shapely.bounds(geom)
        target = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
        title = title or f"{spec.feature[0]} {fname}"
    elif spec.extent:
        target = tuple(map(float, spec.extent))  # type: ignore[assignment]
    elif center is None:
        src = source_for(ws)
        target = src.union_extent(names)
        if target is None:
            raise LztInputError(ws.uri, "the chosen layers are empty; nothing to map")
    if target is not None:
        if target[2] - target[0] < 1 and target[3] - target[1] < 1:  # a point feature
            target = (target[0] - 50, target[1] - 50, target[2] + 50, target[3] + 50)
        scale = float(spec.scale) if spec.scale else float(fit_scale(target, frame, spec.margin_ratio))
        center = ((target[0] + target[2]) / 2, (target[1] + target[3]) / 2)
    else:
        scale = float(spec.scale) if spec.scale else 10000.0
    ext = extent_at_scale(center, scale, frame)  # type: ignore[arg-type]
    return SheetPlan(spec, layout, scale, ext, tuple(names), title or "专题图", highlight, sheet_no)


# -- drawing ------------------------------------------------------------------------------
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


def draw_sheet(painter: QPainter, ws, plan: SheetPlan, dpi: float, *, today: str | None = None) -> PaintResult:
    """Draw one sheet page in device pixels (``dpi`` = the device's resolution)."""
    ensure_fonts()
    pg = _Page(painter, dpi)
    L = plan.layout
    f = L.frame
    k = pg.k
    painter.save()
    painter.resetTransform()
    painter.fillRect(pg.r(0, 0, L.page_w, L.page_h), qcolor("#ffffff"))
    # the map, at exactly 1:N: frame width in device px maps onto the ground width
    req = RenderRequest(plan.extent, f.w * k, f.h * k, dpi, snapshot_layers(ws, plan.layers), "#ffffff")
    result = paint_request(painter, req, source_for(ws), origin=(f.x * k, f.y * k), size=(f.w * k, f.h * k))
    if plan.highlight is not None:
        _draw_highlight(pg, plan, req)
    _draw_grid(pg, plan)
    # neat lines: inner (thin) and outer (heavy), grid labels between them
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(pg.pen("#000000", 0.2))
    painter.drawRect(pg.r(f.x, f.y, f.w, f.h))
    b = L.band
    painter.setPen(pg.pen("#000000", 0.8))
    painter.drawRect(pg.r(f.x - b, f.y - b, f.w + 2 * b, f.h + 2 * b))
    _draw_north_arrow(pg, f.right - 12, f.y + 4, 8.0)
    # title, sheet number, stamp
    s = L.sizes
    pg.text(L.title.x + L.title.w / 2, L.title.y + L.title.h * 0.15, plan.title, s["title"], align="center")
    if plan.sheet_no:
        pg.text(L.title.x, L.title.y + L.title.h * 0.35, f"图号：{plan.sheet_no}", s["text"] * 1.2)
    if plan.spec.stamp:
        pg.text(L.title.right, L.title.y + L.title.h * 0.35, plan.spec.stamp, s["text"] * 1.2, align="right")
    # legend and overview
    items = legend_items(req.layers, result.layers)
    P = L.panel
    if L.panel_side == "right":
        ov_h = min(P.w, P.h * 0.35) if plan.spec.overview else 0
        draw_legend(painter, pg.r(P.x, P.y, P.w, P.h - ov_h - (4 if ov_h else 0)), items, dpi,
                    text_mm=s["text"], head_mm=s["legend_head"])
        if ov_h:
            _draw_overview(pg, ws, plan, (P.x, P.bottom - ov_h, P.w, ov_h))
    else:
        ov_w = min(P.h, P.w * 0.3) if plan.spec.overview else 0
        draw_legend(painter, pg.r(P.x, P.y, P.w - ov_w - (4 if ov_w else 0), P.h), items, dpi,
                    text_mm=s["text"], head_mm=s["legend_head"])
        if ov_w:
            _draw_overview(pg, ws, plan, (P.right - ov_w, P.y, ov_w, P.h))
    _draw_footer(pg, ws, plan, today)
    painter.restore()
    return result


def _draw_highlight(pg: _Page, plan: SheetPlan, req: RenderRequest) -> None:
    pk = geo.pack(np.array([plan.highlight], dtype=object))
    xy, starts, _ = geo.select_rings(pk, np.ones(1, bool))
    f = plan.layout.frame
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


def _draw_grid(pg: _Page, plan: SheetPlan) -> None:
    L = plan.layout
    f = L.frame
    e = plan.extent
    p = pg.p
    k = pg.k
    standard = plan.sheet_no is not None
    step = plan.scale / 10.0 if standard else grid_step(e[2] - e[0], 5)  # 10 cm grid on standard sheets
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
    size = L.sizes["small"]
    p.setPen(pg.pen("#000000", 0.2))
    tick = 1.5 * k
    b = L.band
    for gx in xs:
        x = X(gx)
        p.drawLine(QPointF(x, f.y * k), QPointF(x, f.y * k - tick))
        p.drawLine(QPointF(x, f.bottom * k), QPointF(x, f.bottom * k + tick))
        lab = _coord_label(gx, step)
        draw_text(p, QRectF(x - 30 * k, (f.y - b) * k, 60 * k, (b - 1.6) * k), lab, size, pg.dpi,
                  align="center", valign="bottom")
        draw_text(p, QRectF(x - 30 * k, (f.bottom + 1.6) * k, 60 * k, (b - 1.6) * k), lab, size, pg.dpi,
                  align="center", valign="top")
    for gy in ys:
        y = Y(gy)
        p.drawLine(QPointF(f.x * k, y), QPointF(f.x * k - tick, y))
        p.drawLine(QPointF(f.right * k, y), QPointF(f.right * k + tick, y))
        lab = _coord_label(gy, step)
        draw_text(p, QRectF((f.x - b / 2) * k - 30 * k, y - 3 * k, 60 * k, 6 * k), lab, size, pg.dpi,
                  align="center", valign="middle", rotate=-90)
        draw_text(p, QRectF((f.right + b / 2) * k - 30 * k, y - 3 * k, 60 * k, 6 * k), lab, size, pg.dpi,
                  align="center", valign="middle", rotate=90)


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


def _draw_overview(pg: _Page, ws, plan: SheetPlan, box) -> None:
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
    draw_text(p, QRectF(x * k, y * k, w * k, 4.5 * k), "位置示意图", plan.layout.sizes["text"], pg.dpi,
              align="center")


def _draw_footer(pg: _Page, ws, plan: SheetPlan, today: str | None) -> None:
    L = plan.layout
    F = L.footer
    s = L.sizes
    k = pg.k
    p = pg.p
    # numeric and graphic scale
    scale_txt = f"比例尺 1:{plan.scale:,.0f}".replace(",", "")
    pg.text(F.x, F.y + 1.0, scale_txt, s["text"] * 1.1)
    length, segs = scale_bar_length(plan.scale, min(80.0, F.w * 0.3))
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
    for i in (0, segs // 2, segs):
        v = length * i / segs / div
        lab = f"{v:g}"
        draw_text(p, QRectF((bx + i * seg - 10) * k, (by + bh + 0.6) * k, 20 * k, 4 * k), lab, s["small"], pg.dpi,
                  align="center")
    pg.text(bx + bar_mm + 2, by - 0.4, unit, s["small"])
    # notes: CRS, height datum (only with a DEM), producer, date, data source
    crs_line = crs_note_zh(ws.crs)
    if any(ws.layer(n).kind == "raster" for n in plan.layers):
        crs_line += "；1985国家高程基准"
    date = plan.spec.date or today or _dt.date.today().isoformat()
    try:
        d = _dt.date.fromisoformat(date)
        date_txt = f"{d.year}年{d.month}月{d.day}日"
    except ValueError:
        date_txt = date
    x_notes = F.right
    pg.text(x_notes, F.y + 1.0, f"坐标系：{crs_line}", s["small"], align="right")
    pg.text(x_notes, F.y + 1.0 + s["small"] * 1.7, f"制图单位：{plan.spec.producer}　　制图日期：{date_txt}",
            s["small"], align="right")
    pg.text(x_notes, F.y + 1.0 + s["small"] * 3.4, f"数据来源：工作空间 {Path(ws.uri).name}", s["small"],
            align="right")


# -- files ----------------------------------------------------------------------------------
def output_format(out: str | Path, option: str = "OUT") -> str:
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in ("pdf", "png", "svg"):
        raise LztInputError(out, f"unknown output format {suffix or '(none)'!r}: use .pdf, .png or .svg")
    return suffix


def check_writable(out: str | Path) -> Path:
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise LztInputError(out, f"folder {parent} does not exist")
    import os

    if not os.access(parent, os.W_OK):
        raise LztInputError(out, f"folder {parent} is not writable")
    if out.is_dir():
        raise LztInputError(out, "is a folder; give a file name ending in .pdf, .png or .svg")
    return out


def render_sheet(ws, spec: SheetSpec, out: str | Path, *, feedback: Feedback | None = None,
                 today: str | None = None) -> SheetPlan:
    """Write one sheet to ``out`` (.pdf vector, .png raster at ``spec.dpi``, .svg), atomically."""
    fb = ensure(feedback)
    fmt = output_format(out)
    out = check_writable(out)
    plan = plan_sheet(ws, spec)
    fb.progress(0, 1, "出图")
    page = _open_page(out, fmt, plan, title=plan.title)
    with page:
        draw_sheet(page.painter, ws, plan, page.dpi, today=today)
        fb.check()
    fb.progress(1, 1, "出图")
    return plan


def _open_page(out: Path, fmt: str, plan: SheetPlan, title: str):
    size = (plan.layout.page_w, plan.layout.page_h)
    if fmt == "pdf":
        return PdfPages(out, size, dpi=plan.spec.dpi, title=title)
    if fmt == "svg":
        return SvgPage(out, size, dpi=96.0, title=title)
    return ImagePage(out, size, dpi=plan.spec.dpi)


__all__ = ["SheetPlan", "plan_sheet", "draw_sheet", "render_sheet", "find_feature", "output_format",
           "check_writable"]
