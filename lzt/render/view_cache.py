"""The opening view of a workspace kept as a picture in the user's cache, shown at once next time.

A new session opens on the workspace's full extent, so its first view is the same request as the
last session's first view as long as nothing changed. ``view_key`` names that request by what
decides its pixels: extent, size, dpi, background, and per layer its name, kind, style, stamp,
filter and its change mark (``change_marks``: the GeoPackage's ``gpkg_contents.last_change``,
PostGIS's trigger-kept change counter with its table's catalogue, the database, port and login:
roles that may read different layers never share a picture), plus the lzt version. A
workspace without change marks keeps no pictures: its layers' stamps (count, extent, import
time) miss an edit by another client, and the kept picture would be stale. The canvas saves the
first complete picture of a session under its key (``save``, on the render thread) and, on the
next opening, shows the picture found under the key of its first request (``load``) while the
map is drawn in full; the drawn map then replaces it, so what stays on screen is always drawn
from the data. A request with a raster or vector service layer has no key (its tiles change on
the server). Files: ``$LZT_VIEW_CACHE`` or ``$XDG_CACHE_HOME/lzt/views`` (``~/.cache``), one PNG
a view, the newest ``KEEP`` kept, ``MAX_BYTES`` at most, none older than ``MAX_AGE_DAYS``. A cache
that cannot be read or written is no cache.

A picture of complaint layers is derived from personal data: it is the map as drawn, with the
labels of personal layers masked as every way out is (``painter._label_texts``; the selection is
drawn over it apart and never kept), and the folder and its pictures are the user's alone
(0700 / 0600 where the system has modes), so another account on a shared workstation cannot
read where the complaints are.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtGui import QImage

from layers.kinds import LayerKind
from lzt.render.request import RenderRequest

#: pictures kept (the newest by modification time), their bytes at most, their age at most
KEEP = 8
MAX_BYTES = 64 * 1024 * 1024
MAX_AGE_DAYS = 30


def cache_dir() -> Path:
    root = os.environ.get("LZT_VIEW_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "lzt", "views")
    return Path(root)


def _change_marks(ws) -> dict | None:
    """Per layer, a mark that changes with any edit by any program (the GeoPackage's
    ``last_change``, PostGIS's ``changes`` counter); None where the workspace has none."""
    marks = getattr(ws, "change_marks", None)
    if marks is None:
        return None
    try:
        return marks()
    except Exception:  # noqa: BLE001 - a closed or odd workspace: no key
        return None


def view_key(ws, req: RenderRequest) -> str | None:
    """The key of ``req``'s picture (hex), None when it must not be cached."""
    from lzt import __version__

    marks = _change_marks(ws)
    if marks is None:
        return None
    parts: list = [__version__, getattr(ws, "crs", None), tuple(round(v, 6) for v in req.extent),
                   round(float(req.width), 3), round(float(req.height), 3), round(float(req.dpi), 3), req.background]
    for s in req.layers:
        if s.kind == LayerKind.SERVICE:
            return None
        parts.append((s.name, s.kind, s.geometry_type, repr(s.style), s.stamp, repr(s.where), s.personal,
                      s.personal_columns, marks.get(s.name)))
    text = "\n".join(repr(p) for p in parts)
    if " at 0x" in text:  # an object without a stable repr (a filter): not the same next session
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(key: str | None) -> QImage | None:
    """The picture saved under ``key``, or None."""
    if not key:
        return None
    path = cache_dir() / f"{key}.png"
    if not path.is_file():
        return None
    img = QImage(str(path))
    if img.isNull():
        return None
    return img.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def save(key: str | None, img: QImage) -> bool:
    """Keep ``img`` under ``key`` (written to a temporary name, then renamed); False on failure."""
    if not key or img.isNull():
        return False
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        _private(folder, 0o700)
        tmp = folder / f".{key}.{os.getpid()}.png"
        try:
            if not img.save(str(tmp), "PNG", 90):  # quality 90: light compression, fast to write
                return False
            _private(tmp, 0o600)
            os.replace(tmp, folder / f"{key}.png")
        finally:
            tmp.unlink(missing_ok=True)  # gone after the rename; left by a failed save or rename
        _prune(folder)
    except OSError:
        return False
    return True


def _private(path: Path, mode: int) -> None:
    """``path`` readable by its owner only (where the system has modes and the user owns it)."""
    if os.name == "posix":
        try:
            if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o777 != mode:
                os.chmod(path, mode)
        except OSError:
            pass


def _prune(folder: Path) -> None:
    """The newest ``KEEP`` pictures kept within ``MAX_BYTES``; older than ``MAX_AGE_DAYS`` removed."""
    import time

    files = []
    for p in folder.glob("*.png"):
        if p.name.startswith("."):  # another process's picture being written
            continue
        try:
            st = p.stat()
        except OSError:
            continue
        files.append((st.st_mtime, st.st_size, p))
    oldest = time.time() - MAX_AGE_DAYS * 86400
    total = 0
    for i, (mtime, size, p) in enumerate(sorted(files, key=lambda f: f[0], reverse=True)):
        total += size
        if i >= KEEP or total > MAX_BYTES or mtime < oldest:
            try:
                p.unlink()
            except OSError:
                pass


def touch(key: str | None) -> None:
    """Mark the picture under ``key`` as just used (pruning keeps the newest)."""
    if key:
        try:
            os.utime(cache_dir() / f"{key}.png")
        except OSError:
            pass
