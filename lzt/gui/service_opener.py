"""Saved vector services opened in the background: the window shows at once, each service
layer is listed as pending, then open or unavailable (with the reason); a dead server never
freezes or delays the window, and ``open(name)`` retries on demand (the layer list's 重新连接)."""

from __future__ import annotations

import threading
import weakref

from PySide6.QtCore import QObject, Signal

_OPENERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _deferred(session, name: str):
    find = getattr(session.ws, "service", None)
    sl = find(name) if callable(find) else None
    return sl if sl is not None and callable(getattr(sl, "open", None)) else None


class ServiceOpener(QObject):
    """Opens a session's deferred vector service layers, one worker thread each.
    ``failed(name, reason)`` is emitted (GUI thread) when one cannot open."""

    failed = Signal(str, str)
    _finished = Signal(str)

    def __init__(self, session):
        super().__init__()
        self.session = session
        self._running: set[str] = set()
        self._closed = False
        self._finished.connect(self._done)

    def close(self) -> None:
        """The window is closing: workers still waiting on a server are left to end unheard."""
        self._closed = True

    def pending(self) -> list[str]:
        """The service layers not open and not being opened."""
        listed = getattr(self.session.ws, "service_layers", None)
        names = [sl.name for sl in listed()] if callable(listed) else []
        return [n for n in names if (sl := _deferred(self.session, n)) is not None and sl.source is None
                and n not in self._running]

    def open_all(self) -> None:
        """Start opening every service layer that is not open."""
        if self._closed:  # the window closed before its first turn of the event loop
            return
        for name in self.pending():
            self.open(name)

    def open(self, name: str) -> bool:
        """Open (or retry) service layer ``name`` in a worker; False when there is nothing to do."""
        sl = _deferred(self.session, name)
        if self._closed or sl is None or sl.source is not None or name in self._running:
            return False
        self._running.add(name)
        sl.state = "opening"
        self.session.reload()  # the list says 正在连接

        def work():
            try:
                sl.open()
            finally:
                try:
                    self._finished.emit(name)
                except RuntimeError:  # the window closed meanwhile
                    pass

        threading.Thread(target=work, name=f"lzt-open-{name}", daemon=True).start()
        return True

    def busy(self) -> bool:
        return bool(self._running)

    def _done(self, name: str) -> None:
        self._running.discard(name)
        if self._closed:
            return
        sl = _deferred(self.session, name)
        self.session.reload()
        if sl is not None and sl.source is None:
            self.failed.emit(name, sl.error or "")


def service_opener(session) -> ServiceOpener:
    """The one opener of ``session``."""
    op = _OPENERS.get(session)
    if op is None:
        op = _OPENERS[session] = ServiceOpener(session)
    return op
