"""The scientific stack imported in a worker once the window is shown.

The main window's modules name pandas, geopandas, shapely and pyproj lazily
(``lzt.core.lazy``), so the window opens without them (0.4-1 s of imports). ``Warmup`` imports
them on a thread of its own right after the window is up, while the user looks at it and the
map's first picture is drawn; ``done`` is then emitted on the GUI thread. The GUI thread keeps
its event loop turning meanwhile: Python hands it the interpreter lock every
``sys.getswitchinterval()`` (1 ms in the client).
"""

from __future__ import annotations

import importlib
import threading

from PySide6.QtCore import QObject, Signal

#: imported in this order (each after what it needs, so no module waits on another's lock)
STACK = ("numpy", "pandas", "shapely", "pyproj", "geopandas")


class Warmup(QObject):
    """``start()`` imports ``STACK`` on a worker thread; ``done`` follows on the GUI thread."""

    done = Signal()

    def __init__(self, parent: QObject | None = None, modules: tuple[str, ...] = STACK):
        super().__init__(parent)
        self.modules = modules
        self.finished = False
        self._thread: threading.Thread | None = None
        self.done.connect(self._mark)

    def start(self) -> None:
        """Start the imports (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="lzt-warmup", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        for name in self.modules:
            try:
                importlib.import_module(name)
            except ImportError:  # the code that needs it says so, in its own words, when used
                pass
        try:
            self.done.emit()  # queued to the GUI thread, where this object lives
        except RuntimeError:  # the window was closed and deleted meanwhile
            pass

    def _mark(self) -> None:
        self.finished = True
