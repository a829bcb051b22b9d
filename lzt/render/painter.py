"""Draw a ``RenderRequest`` onto any QPainter device (QImage, QPdfWriter, QSvgGenerator).

The painter works in device pixels: ``paint_request`` resets the painter's transform, clips
to the map area and maps ground coordinates to device pixels with one scale and offset,
so a 1:N sheet is true to scale on any device and the canvas and the sheet share every
line of drawing code.

Per layer (bottom to top by the style's ``z``):
- rasters: coloured, hill-shaded, resampled with numpy and drawn as one image;
- points: markers built in bulk (one QPainterPath per class), or, when more points are in
  view than the style's ``density_above`` (or for a heatmap style), counts binned with
  ``numpy.bincount`` into a density image;
- polygons and lines: selected by box, transformed and thinned to the device pixel with
  numpy, one QPainterPath per class; polygons smaller than a pixel are drawn as pixels.
Labels of all layers are placed last, with collision avoidance.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QImage, QPainter, QPen

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.render import geometry as geo
from lzt.render.cache import FeatureSource
from lzt.render.classify import classify, renderer_field, to_float
from lzt.render.colors import qcolor, ramp_lut, rgba
from lzt.render.labels import LabelCandidate, place_labels
from lzt.render.request import LayerSnapshot, RenderRequest
from lzt.render.service_raster import draw_service, raster_service, vector_service_error
from lzt.render.style import HeatmapRenderer, RasterRenderer, Symbol
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")
shapely = lazy_module("shapely")

#: Above this many polygons in view, fills are drawn without antialiasing (raster devices).
AA_LIMIT = 15_000
#: On images, polygons whose box is smaller than this many device pixels are filled as
#: their box of pixels (numpy), not as paths.
TINY_PX = 2.5
#: On PDF/SVG, polygons smaller than this (mm on paper) go into one fine image instead of
#: thousands of sub-millimetre vector paths (they are not legible as shapes anyway).
TINY_MM_VECTOR = 0.35
#: Cell of that image, mm (about 200 dpi).
TINY_CELL_MM = 0.125
#: Outlines are left out when the median polygon is smaller than this (they would only darken).
OUTLINE_MIN_PX = 4.0
MAX_LABELS_PER_LAYER = 4000
#: Subpaths per path when drawing antialiased on images.
CHUNK = 48


@dataclass
class LayerResult:
    drawn: int = 0
    mode: str = ""  # "features", "density", "raster", "hidden", "unreadable"
    error: str = ""  # why an unreadable layer (e.g. a linked raster whose file is gone) was left out
    classes: set[int] = field(default_factory=set)  # class indices drawn (for the legend)
    max_density: float = 0.0  # density layers: points per cell at the top of the ramp


@dataclass
class PaintResult:
    request_id: int
    layers: dict[str, LayerResult]
    seconds: float
    labels: int = 0


def is_vector_device(painter: QPainter) -> bool:
    """True for PDF and SVG output (no pixel splats, no antialiasing switches)."""
    from PySide6.QtGui import QPaintEngine

    eng = painter.paintEngine()
    return eng is not None and eng.type() in (QPaintEngine.Type.Pdf, QPaintEngine.Type.SVG,
                                               QPaintEngine.Type.Picture)


def paint_request(painter: QPainter, req: RenderRequest, source: FeatureSource, *,
                  origin: tuple[float, float] = (0.0, 0.0), size: tuple[float, float] | None = None,
                  check: Callable[[], None] | None = None, labels: bool = True) -> PaintResult:
    """Draw ``req`` with its top-left at device pixel ``origin`` over ``size`` device pixels
    (default: the request's width x height). ``check`` is called between steps and may raise
    ``CancelledError``."""
    t0 = time.perf_counter()
    check = check or (lambda: None)
    w, h = size if size is not None else (float(req.width), float(req.height))
    ctx = _Ctx(painter, req, source, origin, w, h, is_vector_device(painter), check)
    painter.save()
    try:
        painter.resetTransform()
        area = QRectF(origin[0], origin[1], w, h)
        painter.setClipRect(area)
        if req.background:
            painter.fillRect(area, qcolor(req.background))
        results: dict[str, LayerResult] = {}
        cands: list[LabelCandidate] = []
        for snap in req.layers:
            check()
            style = snap.style
            if not style.visible_at(req.scale):
                results[snap.name] = LayerResult(mode="hidden")
                continue
            # Opacity goes into the colours, not painter.setOpacity(): after a translucent
            # setOpacity Qt's PDF engine writes every later path ~10x larger (Qt 6.11).
            ctx.opacity = max(0.0, min(1.0, style.opacity))
            if snap.kind == LayerKind.SERVICE and (svc := raster_service(source.ws, snap.name)) is not None:
                mode, drawn, error = draw_service(ctx, snap, svc)
                results[snap.name] = LayerResult(drawn=drawn, mode=mode, error=error)
            elif snap.kind == LayerKind.RASTER or isinstance(style.renderer, RasterRenderer):
                results[snap.name] = ctx.raster(snap)
            elif "point" in (snap.geometry_type or "").lower():
                results[snap.name] = ctx.points(snap, cands)
            else:
                results[snap.name] = ctx.vectors(snap, cands)
            if snap.kind == LayerKind.SERVICE and not results[snap.name].error:  # a vector service
                results[snap.name].error = vector_service_error(source.ws, snap.name)
        n_labels = place_labels(painter, cands, area, req.dpi, check) if labels and cands else 0
    finally:
        painter.restore()
    return PaintResult(req.id, results, time.perf_counter() - t0, n_labels)


class _Ctx:
    def __init__(self, painter, req, source, origin, w, h, vector, check):
        self.p: QPainter = painter
        self.req: RenderRequest = req
        self.src: FeatureSource = source
        self.ox, self.oy = origin
        self.w, self.h = w, h
        self.res = (req.extent[2] - req.extent[0]) / w
        self.vector = vector
        self.check = check
        self.opacity = 1.0
        self.corner_used = 0.0  # height taken by the labels of polygons that hold the whole view
        pad = self.res * 2
        e = req.extent
        self.box = (e[0] - pad, e[1] - pad, e[2] + pad, e[3] + pad)

    # -- helpers -----------------------------------------------------------------------
    def px(self, mm: float) -> float:
        return self.req.mm_to_px(mm)

    def pen(self, sym: Symbol) -> QPen:
        if not sym.stroke:
            return QPen(Qt.PenStyle.NoPen)
        col = qcolor(sym.stroke, self.opacity)
        if self.vector and col.alpha() < 255:
            # Qt's PDF engine turns translucent strokes into filled outlines (10x the bytes):
            # print them opaque, blended over white
            a = col.alphaF()
            col.setRgbF(1 - a + a * col.redF(), 1 - a + a * col.greenF(), 1 - a + a * col.blueF(), 1.0)
        pen = QPen(col)
        width = self.px(sym.stroke_width)
        # Thin lines on images: a cosmetic 1-pixel pen (the fast line rasteriser, no stroker)
        hair = width <= 0 or (not self.vector and width <= 1.5)
        pen.setWidthF(0.0 if hair else width)
        pen.setCosmetic(hair)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        return pen

    def draw_rings(self, pxy: np.ndarray, starts: np.ndarray, aa: bool) -> None:
        """Draw rings/lines as paths. Qt's antialiasing rasteriser slows down sharply with
        the number of subpaths in one path, so antialiased raster drawing goes in chunks."""
        if self.vector or not aa:
            self.p.drawPath(geo.path_from_rings(pxy, starts))
            return
        n = len(starts) - 1
        for j in range(0, n, CHUNK):
            s = starts[j:j + CHUNK + 1]
            if s[-1] > s[0]:
                self.p.drawPath(geo.path_from_rings(pxy[s[0]:s[-1]], s - s[0]))

    def to_px(self, xy: np.ndarray) -> np.ndarray:
        return geo.to_pixels(xy, self.req.extent, self.res, self.ox, self.oy)

    def draw_rgba(self, arr: np.ndarray, rect: QRectF, source: QRectF | None = None) -> None:
        if self.opacity < 1.0:
            arr = arr.copy()
            arr[..., 3] = (arr[..., 3] * self.opacity).astype(np.uint8)
        arr = np.ascontiguousarray(arr)
        img = QImage(arr.data, arr.shape[1], arr.shape[0], arr.shape[1] * 4, QImage.Format.Format_RGBA8888)
        if source is None:
            self.p.drawImage(rect, img)
        else:
            self.p.drawImage(rect, img, source)
        del img

    # -- rasters -----------------------------------------------------------------------
    def raster(self, snap: LayerSnapshot) -> LayerResult:
        from lzt.render.raster import raster_view

        r = snap.style.renderer if isinstance(snap.style.renderer, RasterRenderer) else RasterRenderer()
        # on paper a cell of ~0.25 mm is plenty: pick the overview level for that
        want = self.res * (max(1.0, self.px(0.25)) if self.vector else 1.0)
        e = self.req.extent
        try:
            arr, (x0, y0, cell) = raster_view(self.src.ws, snap.name, snap.stamp, want, r, e)
        except LztInputError as exc:  # a linked file moved or deleted: the other layers still draw
            return LayerResult(mode="unreadable", error=str(exc))
        # the part of the raster in view, in raster pixels, and where it goes on the device
        c0, c1 = max(0.0, (e[0] - x0) / cell), min(arr.shape[1], (e[2] - x0) / cell)
        r0, r1 = max(0.0, (y0 - e[3]) / cell), min(arr.shape[0], (y0 - e[1]) / cell)
        if c1 <= c0 or r1 <= r0:
            return LayerResult(mode="raster")
        src = QRectF(c0, r0, c1 - c0, r1 - r0)
        dst = QRectF(self.ox + (x0 + c0 * cell - e[0]) / self.res, self.oy + (e[3] - (y0 - r0 * cell)) / self.res,
                     (c1 - c0) * cell / self.res, (r1 - r0) * cell / self.res)
        self.p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, cell / self.res > 1.5)
        if self.opacity < 1.0:  # only the part in view gets the opacity (a copy)
            r0i, r1i, c0i, c1i = int(r0), int(np.ceil(r1)), int(c0), int(np.ceil(c1))
            sub = arr[r0i:r1i, c0i:c1i]
            self.draw_rgba(sub, dst, QRectF(c0 - c0i, r0 - r0i, c1 - c0, r1 - r0))
        else:
            img = QImage(arr.data, arr.shape[1], arr.shape[0], arr.shape[1] * 4, QImage.Format.Format_RGBA8888)
            self.p.drawImage(dst, img, src)
        return LayerResult(drawn=int((c1 - c0) * (r1 - r0)), mode="raster")

    # -- points ------------------------------------------------------------------------
    def points(self, snap: LayerSnapshot, cands: list) -> LayerResult:
        style = snap.style
        ren = style.renderer
        lab = style.labels if style.labels and _label_visible(style.labels, self.req.scale) else None
        fieldname = renderer_field(ren)
        data = self.src.points(snap.name, snap.stamp)
        e = self.box
        m = (data.x >= e[0]) & (data.x <= e[2]) & (data.y >= e[1]) & (data.y <= e[3])
        if snap.where is not None:
            m &= np.isin(data.fids, self.src.allowed(snap.name, snap.stamp, snap.where), assume_unique=True)
        n = int(m.sum())
        if isinstance(ren, HeatmapRenderer) or n > style.density_above:
            return self.density(data.x[m], data.y[m], ren if isinstance(ren, HeatmapRenderer) else HeatmapRenderer())
        cols = [c for c in (fieldname, lab.field if lab else None) if c] + _own_columns(snap, lab)
        idx = np.flatnonzero(m)
        attrs = self.src.point_attrs(snap.name, snap.stamp, data, idx, cols)
        cls, syms, _ = classify(ren, attrs, len(idx))
        pxy = self.to_px(np.column_stack([data.x[idx], data.y[idx]]))
        res = LayerResult(mode="features")
        aa = self.vector or len(idx) <= AA_LIMIT
        self.p.setRenderHint(QPainter.RenderHint.Antialiasing, aa)
        for c in np.unique(cls[cls >= 0]):
            self.check()
            sel = cls == c
            sym = syms[int(c)]
            rad = max(self.px(sym.size) / 2, 1.0)
            sides = 4 if sym.marker == "square" else (8 if rad < 4 else 16)
            ring, starts = geo.polygon_markers(pxy[sel, 0], pxy[sel, 1], rad, sides)
            self.p.setBrush(QBrush(qcolor(sym.fill, self.opacity)) if sym.fill else Qt.BrushStyle.NoBrush)
            self.p.setPen(self.pen(sym))
            self.draw_rings(ring, starts, aa)
            res.classes.add(int(c))
            res.drawn += int(sel.sum())
        if lab is not None and lab.field in attrs:
            texts = _label_texts(snap, lab.field, attrs)
            pri = np.arange(len(idx), 0, -1, dtype=float)
            if lab.priority_field and lab.priority_field in attrs:
                pri = _priority(attrs[lab.priority_field])
            order = np.argsort(-pri, kind="stable")[:MAX_LABELS_PER_LAYER]
            for i in order:
                if texts[i]:
                    cands.append(LabelCandidate(pxy[i, 0], pxy[i, 1] - self.px(1.5), texts[i], float(pri[i]),
                                                lab, snap.style.z))
        return res

    def density(self, x: np.ndarray, y: np.ndarray, ren: HeatmapRenderer) -> LayerResult:
        e = self.req.extent
        cell_px = max(1.0, self.px(0.25) if self.vector else 1.0, self.px(ren.radius) / 2)
        if ren.cell > 0:
            cell_px = max(cell_px, ren.cell / self.res)
        gw, gh = max(1, int(np.ceil(self.w / cell_px))), max(1, int(np.ceil(self.h / cell_px)))
        cw = (e[2] - e[0]) / gw * (gw * cell_px / self.w)  # ground size of a cell
        ix = np.floor((x - e[0]) / cw).astype(np.int64)
        iy = np.floor((e[3] - y) / cw).astype(np.int64)
        ok = (ix >= 0) & (ix < gw) & (iy >= 0) & (iy < gh)
        counts = np.bincount(iy[ok] * gw + ix[ok], minlength=gw * gh).astype(np.float32).reshape(gh, gw)
        rad = int(round(self.px(ren.radius) / cell_px))
        if rad >= 1:
            counts = _box_blur(_box_blur(counts, rad), rad)
        nz = counts[counts > 0]
        res = LayerResult(drawn=int(ok.sum()), mode="density")
        if nz.size == 0:
            return res
        top = float(np.percentile(nz, 99.5)) if nz.size > 200 else float(nz.max())
        top = max(top, 1e-9)
        t = np.log1p(counts) / np.log1p(top)
        vals, cols = ramp_lut(ren.stops, 256)
        lut = np.clip(cols, 0, 255).astype(np.uint8)
        ti = np.clip((np.clip(t, 0, 1) * 255).astype(np.int64), 0, 255)
        arr = lut[ti]
        arr[counts <= (top * 1e-3 if rad else 0)] = 0
        self.p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.draw_rgba(arr, QRectF(self.ox, self.oy, gw * cell_px, gh * cell_px))
        res.max_density = top / (cw * cw) * 1e6  # points per km² at the top of the ramp
        return res

    # -- polygons and lines --------------------------------------------------------------
    def vectors(self, snap: LayerSnapshot, cands: list) -> LayerResult:
        style = snap.style
        ren = style.renderer
        lab = style.labels if style.labels and _label_visible(style.labels, self.req.scale) else None
        fieldname = renderer_field(ren)
        cols = [c for c in (fieldname, lab.field if lab else None, lab.priority_field if lab else None) if c] + \
            _own_columns(snap, lab)
        data = self.src.vectors(snap.name, snap.stamp, self.box, cols)
        pk = data.packed
        inview = data.in_box(self.box)
        if snap.where is not None:
            inview &= np.isin(data.fids, self.src.allowed(snap.name, snap.stamp, snap.where))
        n = pk.count
        res = LayerResult(mode="features")
        if not inview.any():
            return res
        attrs = {c: data.attrs[c] for c in cols if c in data.attrs}
        cls, syms = self.classes(data, ren, attrs, inview)
        size_px = data.size / self.res
        polygon = pk.kind == "polygon"
        draw = inview & (cls >= 0)
        tiny_px = self.px(TINY_MM_VECTOR) if self.vector else TINY_PX
        tiny = draw & (size_px < tiny_px) if polygon else np.zeros(n, bool)
        big = draw & ~tiny
        n_big = int(big.sum())
        aa = self.vector or n_big <= AA_LIMIT or not polygon
        self.p.setRenderHint(QPainter.RenderHint.Antialiasing, aa)
        outline = (not polygon) or (n_big and float(np.median(size_px[big])) >= OUTLINE_MIN_PX)
        if n_big:
            ring_cls = cls[pk.ring_feat]
            xy, starts, rfeat = geo.select_rings(pk, big, ring_cls)
            pxy, starts, _ = geo.thin(self.to_px(xy), starts, 0.25, closed=polygon)
            rc = cls[rfeat]
            bounds_c = np.flatnonzero(np.diff(rc)) + 1
            for a, z in zip(np.r_[0, bounds_c], np.r_[bounds_c, len(rc)]):
                self.check()
                c = int(rc[a])
                sym = syms[c]
                seg = starts[a:z + 1]
                if seg[-1] == seg[0]:
                    continue
                pen = self.pen(sym) if outline or not sym.fill else QPen(Qt.PenStyle.NoPen)
                if polygon and not self.vector and sym.fill and pen.style() != Qt.PenStyle.NoPen:
                    # images: fill without antialiasing (cheap solid spans), then let the
                    # antialiased outline smooth the edges
                    self.p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                    self.p.setBrush(QBrush(qcolor(sym.fill, self.opacity)))
                    self.p.setPen(Qt.PenStyle.NoPen)
                    self.draw_rings(pxy[seg[0]:seg[-1]], seg - seg[0], False)
                    self.p.setRenderHint(QPainter.RenderHint.Antialiasing, aa)
                    self.p.setBrush(Qt.BrushStyle.NoBrush)
                    self.p.setPen(pen)
                    self.draw_rings(pxy[seg[0]:seg[-1]], seg - seg[0], aa)
                    res.classes.add(c)
                    continue
                if polygon:
                    self.p.setBrush(QBrush(qcolor(sym.fill, self.opacity)) if sym.fill else Qt.BrushStyle.NoBrush)
                    self.p.setPen(pen)
                else:
                    self.p.setBrush(Qt.BrushStyle.NoBrush)
                    self.p.setPen(self.pen(Symbol(fill=None, stroke=sym.stroke or sym.fill,
                                                  stroke_width=sym.stroke_width)))
                self.draw_rings(pxy[seg[0]:seg[-1]], seg - seg[0], aa)
                res.classes.add(c)
            res.drawn += n_big
        if tiny.any():
            self.tiny(pk, tiny, cls, syms, res)
        if lab is not None and lab.field in attrs:
            self.label_candidates(snap, data, inview, size_px, attrs, lab, cands)
        return res

    def classes(self, data, ren, attrs, inview) -> tuple[np.ndarray, list]:
        """Class index per feature (-1 outside the view); cached for whole cached layers."""
        if data.complete:
            key = ("cls", ren)
            hit = data.attrs.get(key)  # type: ignore[call-overload]
            if hit is None:
                hit = classify(ren, attrs, data.packed.count)[:2]
                data.attrs[key] = hit  # type: ignore[index]
            return hit
        cls = np.full(data.packed.count, -1, np.int64)
        idx = np.flatnonzero(inview)
        c, syms, _ = classify(ren, {k: v[idx] for k, v in attrs.items()}, len(idx))
        cls[idx] = c
        return cls, syms

    def tiny(self, pk, tiny, cls, syms, res: LayerResult) -> None:
        """Polygons below the drawing threshold: their boxes filled into one image in their
        fill colours (one device pixel per cell on images; ``TINY_CELL_MM`` cells on paper)."""
        b = pk.bounds[tiny]
        c = cls[tiny]
        for k in np.unique(c):
            res.classes.add(int(k))
        res.drawn += int(tiny.sum())
        colours = np.array([rgba(s.fill or s.stroke) for s in syms], dtype=np.uint8)
        cell = max(1.0, self.px(TINY_CELL_MM)) if self.vector else 1.0
        x0, y0 = self.ox, self.oy
        wi, hi = int(np.ceil(self.w / cell)), int(np.ceil(self.h / cell))
        lo = self.to_px(b[:, [0, 3]])  # top-left corners
        hi_ = self.to_px(b[:, [2, 1]])  # bottom-right corners
        ix0 = np.floor((lo[:, 0] - x0) / cell).astype(np.int64)
        iy0 = np.floor((lo[:, 1] - y0) / cell).astype(np.int64)
        nx = np.clip(np.ceil((hi_[:, 0] - x0) / cell).astype(np.int64) - ix0, 1, 4)
        ny = np.clip(np.ceil((hi_[:, 1] - y0) / cell).astype(np.int64) - iy0, 1, 4)
        # every cell of every box at once: feature f covers nx[f] * ny[f] cells
        counts = nx * ny
        rep = np.repeat(np.arange(len(c)), counts)
        j = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        xx = ix0[rep] + j % nx[rep]
        yy = iy0[rep] + j // nx[rep]
        ok = (xx >= 0) & (xx < wi) & (yy >= 0) & (yy < hi)
        arr = np.zeros((hi, wi, 4), np.uint8)
        flat = arr.view(np.uint32).reshape(hi, wi)
        flat[yy[ok], xx[ok]] = colours.view(np.uint32).ravel()[c[rep[ok]]]
        self.p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        self.draw_rgba(arr, QRectF(x0, y0, wi * cell, hi * cell))

    def label_candidates(self, snap, data, inview, size_px, attrs, lab, cands) -> None:
        vis = inview & (size_px >= 2.0) if data.packed.kind == "polygon" else inview.copy()
        idx = np.flatnonzero(vis)
        if not len(idx):
            return
        if lab.priority_field and lab.priority_field in attrs:
            pri = _priority(attrs[lab.priority_field][idx])
        else:
            pri = size_px[idx]
        order = np.argsort(-pri, kind="stable")[:MAX_LABELS_PER_LAYER]
        idx, pri = idx[order], pri[order]
        geoms = data.geoms[idx]
        holds_view = np.zeros(len(idx), bool)
        if data.packed.kind == "polygon":
            # label inside the visible part of big polygons
            e = self.req.extent
            view = shapely.box(*e)
            bigger = size_px[idx] > 0.5 * max(self.w, self.h)
            if bigger.any():
                geoms = geoms.copy()
                holds_view[bigger] = shapely.covers(geoms[bigger], view)
                geoms[bigger] = shapely.intersection(geoms[bigger], view)
            anchors = shapely.point_on_surface(geoms)
        elif data.packed.kind == "line":
            anchors = shapely.line_interpolate_point(geoms, 0.5, normalized=True)
        else:
            anchors = shapely.centroid(geoms)
        ok = ~shapely.is_empty(anchors)
        xy = shapely.get_coordinates(anchors[ok])
        pxy = self.to_px(xy)
        texts = _label_texts(snap, lab.field, attrs, idx[ok])
        for (x, y), t, p, whole in zip(pxy, texts, pri[ok], holds_view[ok]):
            if t:
                if whole:  # the view lies inside the polygon (a district, street or community at 1:2,000)
                    x, y = self.corner_anchor(t, lab.size)
                cands.append(LabelCandidate(float(x), float(y), t, float(p), lab, snap.style.z))

    def corner_anchor(self, text: str, size_mm: float) -> tuple[float, float]:
        """Where the label of a polygon holding the whole view goes: one line each, down the view's
        top-left corner (outer areas first, as layers are drawn), instead of all at its centre,
        where they stacked over what the user is looking at."""
        em = self.px(size_mm)
        line = em * 1.5 + self.px(0.8) + self.px(0.6)  # the label's box (font height, its padding) and a gap
        x = self.ox + self.px(3.0) + len(text) * em * 0.5
        y = self.oy + self.px(3.0) + self.corner_used + line / 2
        self.corner_used += line
        return x, y


def _box_blur(a: np.ndarray, r: int) -> np.ndarray:
    """Separable box blur of radius ``r`` (window 2r+1) with cumulative sums."""
    k = 2 * r + 1
    for axis in (0, 1):
        c = np.cumsum(np.pad(a, [(r + 1, r) if ax == axis else (0, 0) for ax in (0, 1)]), axis=axis,
                      dtype=np.float32)
        if axis == 0:
            a = (c[k:] - c[:-k]) / k
        else:
            a = (c[:, k:] - c[:, :-k]) / k
    return a


def _priority(values) -> np.ndarray:
    """Label priorities: the values as numbers, 0 where not a number."""
    v = to_float(values)
    return np.where(np.isnan(v), 0.0, v)


def _label_visible(lab, scale: float) -> bool:
    if lab.min_scale and scale > lab.min_scale:
        return False
    if lab.max_scale and scale < lab.max_scale:
        return False
    return True


def _own_columns(snap: LayerSnapshot, lab) -> list[str]:
    """The personal columns a label of ``snap`` needs read with it (to mask them in its text)."""
    return list(snap.personal_columns) if snap.personal and lab is not None else []


def _label_texts(snap: LayerSnapshot, fieldname: str, attrs: dict, idx=None) -> list[str]:
    """Label strings of the features ``idx`` of ``attrs`` (all of them when None). Labels of
    a personal layer are masked as every way out is (``lzt.analysis.masking.mask_frame``)."""
    pick = (lambda a: a) if idx is None else (lambda a: np.asarray(a)[idx])
    values = pick(attrs[fieldname])
    if not snap.personal and isinstance(values, np.ndarray) and values.dtype.kind in "OUSiuf":
        # no pandas (the first picture draws before the warm-up has imported it): the same texts
        return ["" if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v) for v in values.tolist()]
    s = pd.Series(values, dtype=object)
    if snap.personal:
        from lzt.analysis.masking import mask_frame

        frame = pd.DataFrame({c: pd.Series(pick(attrs[c]), dtype=object)
                              for c in snap.personal_columns if c in attrs and c != fieldname})
        frame[fieldname] = s
        s = mask_frame(frame)[fieldname]
    return ["" if _blank(v) else str(v) for v in s.tolist()]


def _blank(v) -> bool:
    """A missing value (None, NaN, pandas' NA, NaT): no label ("<NA>" and "NaT" were drawn)."""
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    if isinstance(v, (str, bytes, int)):
        return False
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):  # not a scalar
        return False


__all__ = ["paint_request", "PaintResult", "LayerResult", "is_vector_device", "QPointF"]
