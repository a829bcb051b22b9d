"""The scientific stack imported in a worker once the window is shown.

The main window's modules name pandas, geopandas, shapely and pyproj lazily
(``lzt.core.lazy``), so the window opens without them (0.4-1 s of imports). ``process_warmup``
imports them on a thread of its own right after the window has painted, while the user looks at it
and the map's first picture is drawn; ``after_stack`` callbacks and the warm-up's ``done``
signal then run on the GUI thread. The GUI thread keeps its event loop turning meanwhile:
Python hands it the interpreter lock every ``sys.getswitchinterval()`` (1 ms in the client).
One warm-up per process, owned by the application object.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

#: imported in this order (each after what it needs, so no module waits on another's lock)
STACK = ("numpy", "pandas", "shapely", "pyproj", "geopandas")


class Warmup(QObject):
    """``start()`` imports ``modules`` on a worker thread; ``done`` follows on the GUI thread."""

    done = Signal()

    def __init__(self, parent: QObject | None = None, modules: tuple[str, ...] = STACK):
        super().__init__(parent)
        self.modules = modules
        self.finished = False
        self._waiting: list[tuple[Callable[[], None], QObject | None]] = []
        self._thread: threading.Thread | None = None
        self._due = False
        self.done.connect(self._mark)

    @property
    def running(self) -> bool:
        """Started or due to start, and not finished."""
        return self._due and not self.finished

    @property
    def started(self) -> bool:
        return self._thread is not None

    def expect(self, latest_ms: int = 1000) -> None:
        """The imports will start (``start``, e.g. once the window has painted); ``call_after``
        waits for them from now. They start after ``latest_ms`` in any case."""
        self._due = True
        QTimer.singleShot(latest_ms, self, self.start)

    def start(self) -> None:
        """Start the imports (once)."""
        self._due = True
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="lzt-warmup", daemon=True)
            self._thread.start()

    def call_after(self, fn: Callable[[], None], receiver: QObject | None = None) -> None:
        """Call ``fn`` on the GUI thread when the imports are done (next turn if not running);
        not at all once ``receiver`` is deleted."""
        if self.running:
            self._waiting.append((fn, receiver))
        else:
            _call_soon(fn, receiver)

    def _run(self) -> None:
        try:
            for name in self.modules:
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: BLE001 - missing or broken (pyproj without its data: an
                    pass  # OSError): the code that needs it says so, in its own words, when used
        finally:  # whatever happened, the waiting callbacks run (the attribute table's first page)
            self.done.emit()  # queued to the GUI thread, where this object lives

    def _mark(self) -> None:
        self.finished = True
        waiting, self._waiting = self._waiting, []
        for fn, receiver in waiting:
            _call_soon(fn, receiver)


def _call_soon(fn: Callable[[], None], receiver: QObject | None) -> None:
    if receiver is None:
        QTimer.singleShot(0, fn)
    elif shiboken6.isValid(receiver):
        QTimer.singleShot(0, receiver, fn)  # dropped by Qt if the receiver goes first


_warmup: Warmup | None = None


def process_warmup() -> Warmup:
    """The process's warm-up (owned by the application object; not started here)."""
    global _warmup
    if _warmup is None:
        _warmup = Warmup(QCoreApplication.instance())
    return _warmup


def after_stack(fn: Callable[[], None], receiver: QObject | None = None) -> None:
    """Call ``fn`` on the GUI thread once a running warm-up is done (in the next turn of the event
    loop when none runs): work that needs pandas at start-up (the attribute table's first page)
    waits there instead of blocking the GUI thread on the import lock. Not called once
    ``receiver`` is deleted."""
    if _warmup is not None:
        _warmup.call_after(fn, receiver)
    else:
        _call_soon(fn, receiver)
