"""Render in a worker thread, cancel, and drop stale results.

``RenderJob.submit(request, on_done)`` renders the request into a QImage on a worker
thread. A newer submit cancels the older render (checked between layers and classes), and
a result whose request is no longer the latest is dropped, never delivered. ``on_done`` is
called on the worker thread with ``(request, image, result)``; a GUI marshals it to its own
thread (e.g. with a queued signal). The caller's thread never waits for a draw.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from PySide6.QtGui import QImage, QPainter

from layers.kinds import LayerKind
from lzt.core.errors import CancelledError
from lzt.core.memory import release_free_memory
from lzt.render import qt_types
from lzt.render.cache import FeatureSource
from lzt.render.painter import LayerResult, PaintResult, paint_request
from lzt.render.request import RenderRequest

Done = Callable[[RenderRequest, QImage, PaintResult], None]
#: told of an unexpected failure: (request, the exception, the layer it failed in or "")
Failed = Callable[[RenderRequest, BaseException, str], None]


def failure_line(exc: BaseException) -> str:
    """An unexpected error in one line: its type and first line."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def render_to_image(req: RenderRequest, source: FeatureSource, check: Callable[[], None] | None = None
                    ) -> tuple[QImage, PaintResult]:
    """Render ``req`` into a new ARGB32 image of its size (dots per metre set from its dpi)."""
    img = QImage(int(round(req.width)), int(round(req.height)), QImage.Format.Format_ARGB32_Premultiplied)
    dpm = int(round(req.dpi / 0.0254))
    img.setDotsPerMeterX(dpm)
    img.setDotsPerMeterY(dpm)
    img.fill(0)
    painter = QPainter(img)
    try:
        result = paint_request(painter, req, source, check=check)
    finally:
        painter.end()
    return img, result


def quick_layers(req: RenderRequest, source: FeatureSource) -> tuple:
    """The layers of ``req`` that draw without loading a layer whole first: point layers (the
    workspace's point cache), vector layers that are cached, small or seen through a small
    window, rasters whose data a view has already read."""
    from lzt.render.raster import has_data

    out = []
    for snap in req.layers:
        if snap.kind == LayerKind.RASTER:
            ok = has_data(source.ws, snap.name, snap.stamp)
        elif "point" in (snap.geometry_type or "").lower():
            ok = True
        else:
            ok = source.ready(snap.name, snap.stamp, req.extent)
        if ok:
            out.append(snap)
    return tuple(out)


class RenderJob:
    """One background renderer (a single worker thread) for a canvas or a batch."""

    def __init__(self, source: FeatureSource, on_service_tile: Callable[[], None] | None = None):
        """``on_service_tile``: this job draws live: raster services use the tiles already
        fetched and call it (from a fetch thread) as the others land; None: draws wait for them."""
        self.source = source
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lzt-render")
        if on_service_tile is not None:
            from lzt.render.service_raster import live

            self._pool.submit(live, on_service_tile)  # the job's one thread
        self._lock = threading.Lock()
        self._latest = 0
        self._cancel = threading.Event()

    @property
    def latest_id(self) -> int:
        return self._latest

    def submit(self, req: RenderRequest, on_done: Done | None = None, on_partial: Done | None = None,
               on_error: Failed | None = None) -> Future:
        """Queue ``req``; cancels the render in progress. The future gives (image, result), or
        None when the request went stale or was cancelled. With ``on_partial``, a request some of
        whose layers must first be loaded whole (``quick_layers``) is drawn twice: the quick
        layers at once (passed to ``on_partial``), then everything (to ``on_done``).

        An unexpected error (a bug, not a cancel) is kept in the future, unless ``on_error`` is
        given: then it is called (worker thread) with the error and the layer it failed in, and
        the request is drawn again without that layer (its result says ``mode="failed"`` and the
        error's line), so the view still completes; an error outside any layer ends the request
        (the future gives None)."""
        qt_types.ready()  # before the worker paints: lazy type creation is not thread-safe
        with self._lock:
            self._cancel.set()  # stop whatever is drawing now
            self._cancel = cancel = threading.Event()
            self._latest = req.id

        def check() -> None:
            if cancel.is_set() or req.id != self._latest:
                raise CancelledError("render superseded")

        def paint(sub: RenderRequest, failed: dict[str, str]):
            """Draw ``sub`` (with ``on_error``: again without each layer that fails, noted in ``failed``)."""
            while True:
                layers = tuple(s for s in sub.layers if s.name not in failed)
                try:
                    img, result = render_to_image(replace(sub, layers=layers), self.source, check)
                except CancelledError:
                    raise
                except Exception as exc:
                    layer = getattr(exc, "lzt_layer", "")
                    if on_error is None or not (req.id == self._latest and not cancel.is_set()):
                        raise
                    on_error(req, exc, layer)
                    if not layer or layer in failed:
                        raise CancelledError("render failed") from exc  # nothing more to draw
                    failed[layer] = failure_line(exc)
                    continue
                for name, line in failed.items():
                    if any(s.name == name for s in sub.layers):
                        result.layers[name] = LayerResult(mode="failed", error=line)
                return img, result

        def draw():
            failed: dict[str, str] = {}  # layers that failed in this request (not drawn again)
            try:
                check()
                if on_partial is not None:
                    quick = quick_layers(req, self.source)
                    if 0 < len(quick) < len(req.layers):
                        img, result = paint(replace(req, layers=quick), failed)
                        check()
                        on_partial(req, img, result)
                img, result = paint(req, failed)
            except CancelledError:
                return None
            if req.id != self._latest or cancel.is_set():
                return None  # stale: a newer request was submitted meanwhile
            if on_done is not None:
                on_done(req, img, result)
            return img, result

        def work():
            try:
                return draw()
            finally:  # the view's temporary arrays and features are freed: give the pages back
                release_free_memory()

        return self._pool.submit(work)

    def cancel(self) -> None:
        """Cancel the render in progress (its result is dropped)."""
        with self._lock:
            self._cancel.set()
            self._latest = -1

    def shutdown(self, wait: bool = True) -> None:
        self.cancel()
        self._pool.shutdown(wait=wait)
