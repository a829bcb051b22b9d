"""A minimal event: callbacks connected to a name, called with keyword arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Event:
    """``connect`` callbacks, ``emit`` to call them in order; ``blocked()`` silences it."""

    def __init__(self, name: str):
        self.name = name
        self._callbacks: list[Callable[..., Any]] = []
        self._blocked = 0

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.remove(callback)

    def emit(self, **kwargs: Any) -> None:
        if self._blocked:
            return
        for cb in list(self._callbacks):
            cb(**kwargs)

    def blocked(self):
        """Context manager: no emission inside."""
        event = self

        class _Block:
            def __enter__(self):
                event._blocked += 1

            def __exit__(self, *exc):
                event._blocked -= 1

        return _Block()
