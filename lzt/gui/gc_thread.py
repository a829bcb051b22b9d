"""Python's cyclic garbage collections run on the GUI thread only.

CPython runs a cyclic collection on whichever thread happens to cross the allocation
threshold: a map render worker, a background reader, a task's worker. What that collection
finds is freed there: Qt widgets and timers the GUI thread made and still uses from C++, a
worker's painter, a page's image. A collection on a worker thread destroying the GUI thread's
Qt objects (or the GUI thread's collection releasing the interpreter lock in a Qt destructor
while workers paint) is the pattern of the interpreter crashes seen on clean CI; the suggestion
build's reading thread beside the map's renderers crashed twice this way.

``collect_on_gui_thread(app)`` turns automatic collection off and runs the same collections
(generation by generation, at the interpreter's own thresholds) from a timer on the GUI thread,
between events. ``held()`` delays them while the GUI thread waits on a worker
(``lzt.gui.tasks.run_task``) or loads something big.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer

#: how often the GUI thread looks whether a collection is due (ms)
CHECK_MS = 200

_held = 0


def collect_due() -> int | None:
    """Run the collection the interpreter would have run by now (on this thread); the
    generation collected, or None when none was due or collections are held."""
    if _held:
        return None
    counts, limits = gc.get_count(), gc.get_threshold()
    gen = None
    for g in range(3):
        if limits[g] and counts[g] > limits[g]:
            gen = g
    if gen is not None:
        gc.collect(gen)
    return gen


def collect_on_gui_thread(app: QObject) -> None:
    """Turn automatic collection off and collect from ``app``'s thread (once per process)."""
    if getattr(app, "_lzt_gc_timer", None) is not None:
        return
    gc.disable()
    timer = QTimer(app)
    timer.setInterval(CHECK_MS)
    timer.timeout.connect(collect_due)
    timer.start()
    app._lzt_gc_timer = timer


@contextmanager
def held() -> Iterator[None]:
    """No collection, on any thread, inside the block (automatic collection stays as it was)."""
    global _held
    _held += 1
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _held -= 1
        if collecting and not _held:
            gc.enable()
