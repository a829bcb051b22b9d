"""A terminal progress bar for long work (drawn only when stderr is a terminal)."""

from __future__ import annotations

import sys
import time


class TerminalProgress:
    """``Feedback`` callback drawing ``message [#####     ] 42%`` on stderr, ~10 times a second."""

    def __init__(self, stream=None, min_interval: float = 0.1):
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.min_interval = min_interval
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.min_interval and done < total:
            return
        self._last = now
        width = 30
        if total > 0:
            frac = min(1.0, done / total)
            bar = "#" * int(frac * width)
            line = f"\r{message[:40]:40} [{bar:<{width}}] {frac * 100:5.1f}%"
        else:
            line = f"\r{message[:40]:40} {done}"
        self.stream.write(line)
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()
            self._drawn = False
