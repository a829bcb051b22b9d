"""Which threads draw live. A map view's render thread never waits on a server: it marks
itself with ``set_live(on_change)``; service layers drawn there use what they have fetched,
fetch the rest in their own threads and call ``on_change`` (from that thread) when more has
landed or a fetch failed, so the view asks for a new picture. Other threads (sheets, the
command line, a query) are not live: their reads wait for the server."""

from __future__ import annotations

import threading
from collections.abc import Callable

_local = threading.local()


def set_live(on_change: Callable[[], None] | None) -> None:
    """Mark this thread's draws as live (``on_change`` is called as fetched data lands); None: wait."""
    _local.on_change = on_change


def live_listener() -> Callable[[], None] | None:
    """This thread's ``on_change`` if it draws live, else None."""
    return getattr(_local, "on_change", None)
