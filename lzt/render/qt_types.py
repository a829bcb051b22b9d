"""PySide6 (6.7+) creates its Python types and enums lazily, on first use. Two threads using
a type for the first time at once (two map renders, a render and a PDF export) race in that
creation and can crash the process (seen: a segfault in ``QPainter.setClipRect`` while
another render thread was building ``QGradient``'s enums). ``ready()`` creates them all once,
from the thread that starts the workers, before any worker paints."""

from __future__ import annotations

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
        _done = True
