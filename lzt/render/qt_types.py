"""PySide6 (6.7+) creates its Python types and enums lazily, on first use. Two threads using
a type for the first time at once (two map renders, a render and a PDF export) race in that
creation and can crash the process (seen: a segfault in ``QPainter.setClipRect`` while
another render thread was building ``QGradient``'s enums). ``ready()`` creates them all once,
from the thread that starts the workers, before any worker paints."""

from __future__ import annotations

import gc
import threading
import time
from collections import deque

_done = False
_lock = threading.Lock()
_todo: deque | None = None  # (module, name) of the classes still to create


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


def _advance(deadline: float | None) -> bool:
    """Create classes until ``deadline`` (perf_counter; None: all); True when all exist."""
    global _done, _todo
    if _todo is None:
        from PySide6 import QtCore, QtGui

        _todo = deque((module, name) for module in (QtCore, QtGui) for name in dir(module) if name[:1].isupper())
    first = True
    while _todo:
        if not first and deadline is not None and time.perf_counter() >= deadline:
            return False  # at least one class a call: a slice always moves on, however loaded the machine
        first = False
        module, name = _todo.popleft()
        try:
            value = getattr(module, name)
        except Exception:  # an attribute Qt cannot give on this platform
            continue
        if isinstance(value, type):
            _touch(value, False)
    # Fewer cyclic collections while workers paint: three clean-CI runs crashed inside a
    # collection on the GUI thread while render workers drew (the GIL released in Qt's C++
    # code); the root cause in the bindings is not found. Reference counting still frees
    # almost everything at once; cycles wait for 50,000 allocations instead of 700.
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    _done = True
    return True


def ready() -> None:
    """Create QtCore's and QtGui's classes and their enums now (once per process, ~0.1-0.3 s);
    call it from the thread that starts a worker, before the worker paints."""
    with _lock:
        if not _done:
            _advance(None)


def ready_step(seconds: float = 0.025) -> bool:
    """Create some of them, for about ``seconds``; True when all exist. The GUI thread calls it
    once a turn of its event loop before its first render, so no turn waits for all of them
    (the window opens and paints first)."""
    with _lock:
        return _done or _advance(time.perf_counter() + seconds)
