"""An unexpected error in the running client: a dialog in the user's language, the traceback in a log.

Bad input and conflicts have their own one-line dialogs (``lzt.gui.tasks.show_error``). What is
left (a programming error, an export child that crashed) used to reach only the console that
nobody on an intranet PC watches: the work simply stopped. ``install`` makes ``sys.excepthook``
append the traceback to ``errors.log`` in the user's data folder and tell the user, in one
line, what failed and where the details are.
"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, QThread
from PySide6.QtWidgets import QApplication, QMessageBox

#: the log is cut back to its newest half beyond this size
MAX_LOG_BYTES = 1_000_000


def default_log_path() -> Path:
    """``errors.log`` in the user's application data folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder or Path.home() / ".lzt") / "errors.log"


def append_log(path: Path, exc_type, exc, tb) -> bool:
    """Append a dated traceback to ``path`` (created with its folder); False if it cannot be written."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            keep = path.read_bytes()[-MAX_LOG_BYTES // 2:]
            path.write_bytes(keep)
        with path.open("a", encoding="utf-8") as f:
            f.write(f"=== {time.strftime('%Y-%m-%d %H:%M:%S')}\n{text}\n")
    except OSError:
        return False
    return True


def log_exception(exc: BaseException) -> Path | None:
    """Append ``exc``'s traceback to the running client's log (the installed reporter's, else the
    default); the log's path, or None if it cannot be written. For errors caught and told in a
    line elsewhere (a layer that could not be drawn), whose details must not be lost."""
    hook = sys.excepthook
    log = hook.log_path if isinstance(hook, CrashReporter) else default_log_path()
    return log if append_log(log, type(exc), exc, exc.__traceback__) else None


def one_line(exc: BaseException) -> str:
    """The error's first line, without the child process's traceback text."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class CrashReporter:
    """The ``sys.excepthook`` of the running client (one dialog at a time)."""

    def __init__(self, log_path: Path | None = None) -> None:
        self.log_path = log_path or default_log_path()
        self.previous = sys.excepthook
        self._showing = False
        self.reported = 0

    def __call__(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous(exc_type, exc, tb)
            return
        self.reported += 1
        logged = append_log(self.log_path, exc_type, exc, tb)
        self.previous(exc_type, exc, tb)  # the console keeps it too
        app = QApplication.instance()
        if self._showing or app is None or QThread.currentThread() is not app.thread():
            return  # logged; a dialog may only be made on the GUI thread
        text = QCoreApplication.translate("CrashReport", "操作未完成，出现意外错误：{0}").format(one_line(exc))
        if logged:
            text += "\n" + QCoreApplication.translate("CrashReport", "详细信息已记录在 {0}，请提供给技术支持。").format(self.log_path)
        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("CrashReport", "意外错误"), text,
                          QMessageBox.StandardButton.Ok, QApplication.activeWindow())
        box.setObjectName("lzt-crash")
        self._showing = True
        try:
            box.exec()
        finally:
            self._showing = False


def install(log_path: Path | None = None) -> CrashReporter:
    """Make unexpected errors in the client a dialog and a log entry; returns the hook."""
    hook = CrashReporter(log_path)
    sys.excepthook = hook
    return hook
