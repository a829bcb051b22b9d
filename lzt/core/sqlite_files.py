"""SQLite files this process holds open, and how GDAL may touch them.

GDAL links its own copy of SQLite. POSIX record locks belong to a process, not to a
connection, so when GDAL closes its handle on a file that Python's sqlite3 also has open in
this process, the kernel drops *our* locks as well; GDAL's SQLite then sees no other user,
checkpoints, and deletes the ``-wal`` and ``-shm`` files under our live connection. What
the workspace writes after that goes to an unlinked log and is lost when it closes (seen
as "no such table" on the next open). This is the caveat of the SQLite manual's "How To
Corrupt An SQLite Database File" §2.2 (multiple copies of SQLite in one application).

So GDAL never opens a held file: a reader gets a consistent snapshot (the sqlite3 backup
API, through our own SQLite) under the same file name, and a writer is refused.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lzt.core.errors import LztInputError

_held: Counter[tuple[int, int]] = Counter()
_lock = threading.Lock()


def _key(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def hold(path: str | Path) -> tuple[int, int] | None:
    """Record that this process has ``path`` open through Python's sqlite3; returns the token
    to pass to ``release`` (the file's identity, which stays right if the file is renamed)."""
    key = _key(path)
    if key is not None:
        with _lock:
            _held[key] += 1
    return key


def release(key: tuple[int, int] | None) -> None:
    """Undo one ``hold`` (given its token)."""
    with _lock:
        if key is not None and _held[key] > 0:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]


def is_held(path: str | Path) -> bool:
    """True when this process holds ``path`` open as a workspace."""
    key = _key(path)
    with _lock:
        return key is not None and _held.get(key, 0) > 0


@contextmanager
def readable_by_gdal(path: str | Path) -> Iterator[Path]:
    """``path`` itself, or, when this process holds it open, a snapshot copy of it with the
    same file name in a temporary folder (removed afterwards)."""
    path = Path(path)
    if not is_held(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="lzt-snapshot-") as tmp:
        copy = Path(tmp) / path.name
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        yield copy


def refuse_if_held(path: str | Path, what: str = "write over") -> None:
    """``LztInputError`` when ``path`` is a workspace this process has open (GDAL must not
    write it: see the module note)."""
    if is_held(path):
        raise LztInputError(path, f"is an open workspace; cannot {what} it (choose another file)")
