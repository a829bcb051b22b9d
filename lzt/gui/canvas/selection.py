"""The selection on the map, drawn in a worker from packed geometry kept per layer.

When a layer's selection changes, the worker reads the selected features' geometry once
and packs it (``lzt.render.geometry.pack``; points come from the renderer's cached point
coordinates). For each view it draws the highlight of every selected layer into a
transparent image of the canvas's size. The canvas shows the last image, moved and scaled
to the current view like the map picture, so a repaint (every mouse move) never reads the
workspace, whatever the size of the selection.

The highlight is a dark outline under a light-cyan one over a translucent cyan fill: it
stays visible on every land-use colour, yellow residential (R2) parcels included. Features
too small to outline at the scale are marked by a small square; a great many points are
stamped into the image with numpy rather than drawn one by one.
"""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen

from layers.kinds import LayerKind
from lzt.core.ids import rows_holding
from lzt.render import geometry as geo
from lzt.render import qt_types
from lzt.render.request import layer_stamp

HALO = QColor("#0d1b6e")  # dark navy: visible on yellow, white and light fills
LINE = QColor("#00e5ff")  # light cyan: visible on dark fills and on the navy halo
FILL = QColor(0, 229, 255, 70)
DENSE = QColor(0, 229, 255, 120)
OUTLINE_PX = 12  # features at least this big on screen are outlined with the halo
STAMP_ABOVE = 5_000  # more points in view than this are stamped with numpy
CHUNK = 48  # rings per path: Qt's antialiasing slows down sharply with subpaths per path
_ids = itertools.count(1)


@dataclass(frozen=True)
class _Layer:
    name: str
    fids: np.ndarray
    stamp: str
    points: bool


class SelectionOverlay(QObject):
    """Emits ``ready(request id, image, extent)`` on the GUI thread's queue when a highlight
    image is drawn. ``request`` is cheap: it snapshots the selection and returns."""

    ready = Signal(int, QImage, tuple)

    def __init__(self, session, source, parent=None):
        super().__init__(parent)
        self.session = session
        self.source = source  # the renderer's FeatureSource (cached point coordinates)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lzt-selection")
        self._lock = threading.Lock()
        self._packed: dict[str, tuple[np.ndarray, str, object]] = {}  # name -> (fids, stamp, packed)
        self.latest = 0
        self._latest_key: tuple | None = None  # what the latest request draws

    def request(self, extent, width: int, height: int) -> int:
        """Draw the current selection over ``extent`` at ``width`` x ``height`` device pixels."""
        layers = []
        for s in self.session.layers:
            fids = self.session.selection(s.name)
            if not s.visible or not len(fids) or s.kind == LayerKind.RASTER:
                continue
            info = self.session.ws.layer(s.name)
            layers.append(_Layer(s.name, fids, layer_stamp(info), info.geometry_type == "Point"))
        key = (tuple((x.name, x.fids.tobytes(), x.stamp) for x in layers), tuple(extent), int(width), int(height))
        if key == self._latest_key and layers:
            # the same highlight as the latest request (a restyle, a redraw of the same view):
            # its image is shown or on its way; 5,000 markers drawn again held the interpreter
            # lock ~0.2 s (QPainter keeps it) while the window waited
            return self.latest
        self._latest_key = key
        rid = self.latest = next(_ids)
        if not layers:
            self.ready.emit(rid, QImage(), tuple(extent))
            return rid
        qt_types.ready()  # before the worker paints: lazy type creation is not thread-safe
        self._pool.submit(self._draw, rid, tuple(layers), tuple(extent), int(width), int(height))
        return rid

    def shutdown(self) -> None:
        self.latest = -1
        self._pool.shutdown(wait=True, cancel_futures=True)

    # -- worker ---------------------------------------------------------------------------------
    def _draw(self, rid: int, layers, extent, w: int, h: int) -> None:
        if rid != self.latest:
            return  # superseded before it started
        img = QImage(max(1, w), max(1, h), QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        res = (extent[2] - extent[0]) / max(1, w)
        p = QPainter(img)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            for layer in layers:
                if rid != self.latest:
                    return
                if layer.points:
                    self._draw_points(p, img, layer, extent, res, w, h)
                else:
                    self._draw_shapes(p, layer, extent, res, w, h)
        finally:
            p.end()
        if rid == self.latest:
            self.ready.emit(rid, img, extent)

    def packed(self, layer: _Layer):
        """The packed geometry of a layer's selected features (read once per selection)."""
        with self._lock:
            hit = self._packed.get(layer.name)
            if hit is not None and hit[1] == layer.stamp and np.array_equal(hit[0], layer.fids):
                return hit[2]
        feats = self.session.ws.read_features(layer.name, fids=layer.fids, columns=[])
        packed = geo.pack(np.asarray(feats.geometry.values, dtype=object))
        with self._lock:
            self._packed[layer.name] = (layer.fids, layer.stamp, packed)
        return packed

    def _draw_shapes(self, p: QPainter, layer: _Layer, extent, res: float, w: int, h: int) -> None:
        pk = self.packed(layer)
        if not pk.count:
            return
        b = pk.bounds
        pad = 3 * res
        with np.errstate(invalid="ignore"):
            inview = (b[:, 2] >= extent[0] - pad) & (b[:, 0] <= extent[2] + pad) & \
                     (b[:, 3] >= extent[1] - pad) & (b[:, 1] <= extent[3] + pad)
            size = np.fmax(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) / res
        closed = pk.kind == "polygon"
        small = inview & (size < 3)
        # big features get the outline with a halo; small ones (a district of parcels at a
        # small scale) a denser fill and a thin line, so a large selection stays a translucent area
        for part, styles in ((inview & (size >= OUTLINE_PX), ((QPen(HALO, 3.5), FILL), (QPen(LINE, 1.5), None))),
                             (inview & (size >= 3) & (size < OUTLINE_PX), ((QPen(LINE, 1.0), DENSE),))):
            if not part.any():
                continue
            xy, starts, _ = geo.select_rings(pk, part)
            px, starts, _ = geo.thin(geo.to_pixels(xy, extent, res), starts, 0.25, closed=closed)
            n = len(starts) - 1
            for pen, fill in styles:
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                p.setPen(pen)
                p.setBrush(QBrush(fill) if fill is not None and closed else Qt.BrushStyle.NoBrush)
                for j in range(0, n, CHUNK):
                    s = starts[j:j + CHUNK + 1]
                    if s[-1] > s[0]:
                        p.drawPath(geo.path_from_rings(px[s[0]:s[-1]], s - s[0]))
        if small.any():  # too small to outline at this scale: a marker at the centre
            c = geo.to_pixels(np.column_stack([(b[small, 0] + b[small, 2]) / 2, (b[small, 1] + b[small, 3]) / 2]),
                              extent, res)
            self._markers(p, c[:, 0], c[:, 1], 1.5, 4, QPen(Qt.PenStyle.NoPen))

    def _markers(self, p: QPainter, cx: np.ndarray, cy: np.ndarray, radius: float, sides: int,
                 pen: QPen | None = None) -> None:
        ring, starts = geo.polygon_markers(cx, cy, radius, sides)
        p.setPen(pen if pen is not None else QPen(HALO, 1.5))
        p.setBrush(QBrush(LINE))
        n = len(starts) - 1
        # CHUNK markers a path, filled by winding: 8x CHUNK a path took 4x the CPU (5,000
        # markers: 743 -> 182 ms) in calls of up to 60 ms that hold the interpreter lock the GUI
        # thread waits for, and odd-even filling left overlapping markers with an empty overlap
        for j in range(0, n, CHUNK):
            s = starts[j:j + CHUNK + 1]
            p.drawPath(geo.path_from_rings(ring[s[0]:s[-1]], s - s[0], odd_even=False))

    def _draw_points(self, p: QPainter, img: QImage, layer: _Layer, extent, res: float, w: int, h: int) -> None:
        data = self.source.points(layer.name, layer.stamp)
        m = rows_holding(data.fids, layer.fids)
        x, y = data.x[m], data.y[m]
        inview = (x >= extent[0]) & (x <= extent[2]) & (y >= extent[1]) & (y <= extent[3])
        x, y = x[inview], y[inview]
        px = geo.to_pixels(np.column_stack([x, y]), extent, res)
        if len(px) <= STAMP_ABOVE:
            self._markers(p, px[:, 0], px[:, 1], 5.0, 12)
            return
        p.drawImage(QRectF(0, 0, w, h), stamp_points(px, w, h))


def stamp_points(px: np.ndarray, w: int, h: int, core: int = 2, rim: int = 1) -> QImage:
    """Points as squares of ``2 * core + 1`` light pixels with a dark rim, set with numpy: the
    pixels holding a point, grown into squares by shifted ORs over the image (a cost of the
    image's size, not of the 372k points of a big selection, which a worker painted per offset
    with fancy indexing, holding the interpreter lock the GUI thread waits for)."""
    outer = core + rim
    ix = np.round(px[:, 0]).astype(np.int64) + outer  # on a grid with an ``outer`` margin
    iy = np.round(px[:, 1]).astype(np.int64) + outer
    ok = (ix >= 0) & (ix < w + 2 * outer) & (iy >= 0) & (iy < h + 2 * outer)
    centres = np.zeros((h + 2 * outer, w + 2 * outer), bool)
    centres[iy[ok], ix[ok]] = True
    near = _grown(centres, core)[outer:outer + h, outer:outer + w]
    ring = _grown(centres, outer)[outer:outer + h, outer:outer + w]
    grid = np.where(near, 2, np.where(ring, 1, 0)).astype(np.uint8)  # 0 nothing, 1 rim, 2 core
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[grid == 1] = (HALO.red(), HALO.green(), HALO.blue(), 255)
    rgba[grid == 2] = (LINE.red(), LINE.green(), LINE.blue(), 255)
    return QImage(rgba.data, w, h, w * 4, QImage.Format.Format_RGBA8888).copy()


def _grown(mask: np.ndarray, r: int) -> np.ndarray:
    """``mask`` grown by ``r`` pixels in each direction (a square of side 2r + 1 per pixel)."""
    out = mask.copy()
    for d in range(1, r + 1):  # along x, then along y: the square is separable
        out[:, d:] |= mask[:, :-d]
        out[:, :-d] |= mask[:, d:]
    rows = out.copy()
    for d in range(1, r + 1):
        out[d:, :] |= rows[:-d, :]
        out[:-d, :] |= rows[d:, :]
    return out
