"""Forks of an IFC reader process and the pipes between them: a length-prefixed pickle per
message, waits bounded by a timeout, the child closing what it inherited and dying with its parent.

Used by ``bim_import.reader_fork`` (facts and footprint union) and ``bim_import.tessellate_split``
(chunks of one file's tessellation). Only on Linux (``CAN_FORK``).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys

#: the longest the reader waits for the fork (to take a batch, or to answer) before it does the
#: work itself: a fork that stopped (say a lock another thread held at the fork) must not hang
#: the import; its answers come within seconds of being asked on the largest real model
WAIT_S = 300.0
PIPE_BYTES = 1 << 20  # Linux's default most for an unprivileged process
_LEN = struct.Struct("<Q")
#: forks of a reader only on Linux: elsewhere a fork without exec is absent (Windows) or unsafe once
#: system libraries have started threads (macOS, where Python itself spawns rather than forks)
CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
_PR_SET_PDEATHSIG = 1


def _death_signal():
    """prctl, to have a fork killed when the process that forked it dies (None where unavailable)."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _death_signal() if CAN_FORK else None


def fork_child() -> int:
    """``os.fork()``; the child is killed when this process dies (the pool kills a reader that
    takes too long, which never runs its clean-up): a helper must not tessellate on for nobody."""
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        if _PRCTL is not None:
            _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # died before the signal was asked for
            os._exit(0)
    return pid


def pipe() -> tuple[int, int]:
    r, w = os.pipe()
    try:  # room for an answer (the Mini Project's facts: 90 kB) or a few batches of triangles
        import fcntl

        fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # smaller: the writer waits for the reader more often
        pass
    return r, w


def _ready(fd: int, write: bool, timeout: float | None) -> None:
    """Wait until ``fd`` can be written (read); ``TimeoutError`` after ``timeout`` seconds."""
    if timeout is not None:
        r, w, _ = select.select([] if write else [fd], [fd] if write else [], [], timeout)
        if not (w or r):
            raise TimeoutError(f"the reader's fork did not {'take' if write else 'answer'} in {timeout:.0f} s")


def send(fd: int, msg, timeout: float | None = None) -> None:
    data = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
    for part in (_LEN.pack(len(data)), data):  # one writer per pipe: the length, then the data
        view = memoryview(part)
        while view:
            _ready(fd, True, timeout)
            view = view[os.write(fd, view):]


def _read_exactly(fd: int, n: int, timeout: float | None = None) -> bytes | None:
    chunks, left = [], n
    while left:
        _ready(fd, False, timeout)
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, timeout: float | None = None):
    """The next message, or None at the end of the pipe (the writer has gone); ``TimeoutError``
    when no byte comes for ``timeout`` seconds."""
    head = _read_exactly(fd, _LEN.size, timeout)
    data = None if head is None else _read_exactly(fd, _LEN.unpack(head)[0], timeout)
    return None if data is None else pickle.loads(data)


def close_all_but(*keep: int) -> None:
    """In the fork: close every file the reader process had open but stderr and ``keep``. Its
    answer pipe to the pool above all: were the reader to crash, the pool would not see the end
    of that pipe while the fork held it open."""
    start = 0
    for fd in sorted({2, *keep}):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, 1 << 16)
