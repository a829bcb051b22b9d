"""Give freed heap memory back to the operating system.

A long session (the GUI panning a district) frees most of what each view allocated, but
glibc keeps freed blocks in its per-thread arenas, so the resident size (RSS) creeps up with
every view drawn by a worker thread. ``release_free_memory`` asks glibc to return them
(``malloc_trim``); elsewhere it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_trim = None
if sys.platform.startswith("linux"):
    try:
        try:  # glibc's name; find_library runs ldconfig in a subprocess (tens of ms at start-up)
            _libc = ctypes.CDLL("libc.so.6")
        except OSError:
            _libc = ctypes.CDLL(ctypes.util.find_library("c"))
        _trim = _libc.malloc_trim
        _trim.argtypes, _trim.restype = [ctypes.c_size_t], ctypes.c_int
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        _trim = None


def release_free_memory() -> bool:
    """Return the C heap's free pages to the system; True when something was released."""
    return bool(_trim(0)) if _trim is not None else False
