"""PySide6 (6.7+) creates its Python types and enums lazily, on first use. Two threads using
a type for the first time at once (two map renders, a render and a PDF export) race in that
creation and can crash the process (seen: a segfault in ``QPainter.setClipRect`` while
another render thread was building ``QGradient``'s enums). ``ready()`` creates them all once,
from the thread that starts the workers, before any worker paints."""

from __future__ import annotations

import gc
import threading

_done = False
_lock = threading.Lock()


def _touch(obj, nested: bool) -> None:
    for name in dir(obj):
        if not name[:1].isupper():
            continue
        try:
            value = getattr(obj, name)
        except Exception:  # an attribute Qt cannot give on this platform
            continue
        if nested and isinstance(value, type):
            _touch(value, False)


def ready() -> None:
    """Create QtCore's and QtGui's classes and their enums now (once per process, ~0.1-0.3 s)."""
    global _done
    with _lock:
        if _done:
            return
        from PySide6 import QtCore, QtGui

        for module in (QtCore, QtGui):
            _touch(module, True)
        # Fewer cyclic collections while workers paint: three clean-CI runs crashed inside a
        # collection on the GUI thread while render workers drew (the GIL released in Qt's C++
        # code); the root cause in the bindings is not found. Reference counting still frees
        # almost everything at once; cycles wait for 50,000 allocations instead of 700.
        threshold = gc.get_threshold()
        gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
        _done = True
