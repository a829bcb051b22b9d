"""The latest of a series of computations in a worker thread, its outcome on the GUI thread.

A panel that recomputes as the user moves a control (the dashboard's time window, a map
sheet's preview, the 3D view's detail around a pick) wants only the newest request computed
and shown, the window live meanwhile, and a flag saying whether what it shows is current
(``busy``). ``Latest.submit(fn, *args)`` runs ``fn(*args)`` in one worker thread (a request not
started yet is dropped when a newer one comes; one running is let finish and its outcome
ignored); a timer on the GUI thread collects the newest request's future once it is done and
calls ``on_done(result)``, or ``on_error(error)`` with the error's message only
(``tasks.message_only``).

The outcome is read from the future, not sent by the worker: whatever the work raises (a
``BaseException`` too) is in its future, so no completion can be lost and ``busy`` always
clears. The panels used to emit a signal from the worker with a generation number and clear
``busy`` when the newest generation arrived; an error outside the ``except`` clause (or a
failed emit) was kept in a future nobody read, and the panel said 正在统计… for ever.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QTimer

from lzt.gui.tasks import _clear_frames, message_only

#: how often the GUI thread looks whether the newest request is done (ms)
POLL_MS = 15


def _run(fn: Callable[..., Any], args: tuple) -> Any:
    """``fn(*args)``; a failure's frames are cleared here, in the worker (``tasks.run_task`` does the
    same): what they hold is freed on the thread that built it, not where the error is shown."""
    try:
        return fn(*args)
    except BaseException as exc:
        _clear_frames(exc)
        raise


class Latest(QObject):
    """One worker thread computing the newest request of a panel."""

    def __init__(self, name: str, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"lzt-{name}")
        self._future: Future | None = None
        self._on_done, self._on_error = on_done, on_error
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.collect)

    @property
    def busy(self) -> bool:
        """A request is computing or queued: what the panel shows is not the newest yet."""
        return self._future is not None

    def submit(self, fn: Callable[..., Any], *args: Any) -> bool:
        """Compute ``fn(*args)`` instead of any request before it; False once shut down."""
        if self._closed:
            return False
        if self._future is not None:
            self._future.cancel()  # not started: dropped; running: finishes, its outcome ignored
        self._future = self._pool.submit(_run, fn, args)
        self._timer.start()
        return True

    def cancel(self) -> None:
        """Forget the newest request (its outcome is not delivered)."""
        if self._future is not None:
            self._future.cancel()
        self._future = None
        self._timer.stop()

    def collect(self) -> bool:
        """Deliver the newest request's outcome if it is done (the timer calls it); True if delivered."""
        f = self._future
        if f is None:
            self._timer.stop()
            return False
        if not f.done():
            return False
        self._future = None
        self._timer.stop()
        error = f.exception()
        if error is not None:
            del f
            self._on_error(message_only(error))
        else:
            self._on_done(f.result())
        return True

    def shutdown(self, wait: bool = True) -> None:
        """No more requests; drop the queued one and (``wait``) let the running one finish."""
        self._closed = True
        self.cancel()
        self._pool.shutdown(wait=wait, cancel_futures=True)
