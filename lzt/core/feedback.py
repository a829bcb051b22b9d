"""Progress reporting and cancellation for long work.

Long functions take an optional ``Feedback``. They call ``feedback.progress(done,
total, message)`` now and then and ``feedback.check()`` at safe points, which
raises ``CancelledError`` once ``cancel()`` was called (from another thread, a
GUI button, or Ctrl-C in the CLI). The object is Qt-free; the CLI draws a
terminal bar from the callback and the GUI a progress dialog.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from lzt.core.errors import CancelledError

ProgressCallback = Callable[[int, int, str], None]


class Feedback:
    """Progress callback plus a thread-safe cancel flag."""

    def __init__(self, on_progress: ProgressCallback | None = None):
        self._on_progress = on_progress
        self._cancelled = threading.Event()

    def progress(self, done: int, total: int, message: str = "") -> None:
        if self._on_progress is not None:
            self._on_progress(int(done), int(total), message)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise ``CancelledError`` if the work was cancelled."""
        if self._cancelled.is_set():
            raise CancelledError("cancelled")


def ensure(feedback: Feedback | None) -> Feedback:
    """Return ``feedback`` or a silent one, so callees never test for None."""
    return feedback if feedback is not None else Feedback()
