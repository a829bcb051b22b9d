"""An unexpected error in the running client is shown in one line and logged with its traceback."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from lzt.gui import crash_report


def _raise_and_hook(hook, exc):
    try:
        raise exc
    except BaseException as caught:
        hook(type(caught), caught, caught.__traceback__)


def _close_boxes(seen: list) -> None:
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible() and w.objectName() == "lzt-crash":
            seen.append(w.text())
            w.accept()


def test_error_is_logged_with_traceback_and_shown_in_one_line(qapp, tmp_path, monkeypatch, capsys):
    log = tmp_path / "sub" / "errors.log"
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    hook = crash_report.install(log)
    assert sys.excepthook is hook
    seen: list = []
    QTimer.singleShot(50, lambda: _close_boxes(seen))
    child_text = "disk full\n--- in the child process ---\nTraceback (most recent call last):\n  File x"
    _raise_and_hook(hook, RuntimeError(child_text))
    assert len(seen) == 1
    assert "RuntimeError: disk full" in seen[0]
    assert "Traceback" not in seen[0] and "in the child process" not in seen[0]
    assert str(log) in seen[0]
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "_raise_and_hook" in logged
    assert "RuntimeError" in capsys.readouterr().err  # the console keeps it too


def test_unwritable_log_still_shows_the_error(qapp, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    hook = crash_report.install(blocker / "errors.log")  # a folder that cannot be made
    seen: list = []
    QTimer.singleShot(50, lambda: _close_boxes(seen))
    _raise_and_hook(hook, ValueError("bad"))
    assert len(seen) == 1 and "ValueError: bad" in seen[0]
    assert str(blocker) not in seen[0]


def test_log_is_cut_back_when_large(tmp_path):
    log = tmp_path / "errors.log"
    log.write_bytes(b"a" * (crash_report.MAX_LOG_BYTES + 10))
    try:
        raise KeyError("k")
    except KeyError as exc:
        assert crash_report.append_log(log, KeyError, exc, exc.__traceback__)
    data = log.read_bytes()
    assert len(data) < crash_report.MAX_LOG_BYTES and data.rstrip().endswith(b"KeyError: 'k'")


def test_keyboard_interrupt_goes_to_the_previous_hook(qapp, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: calls.append(a[0]))
    hook = crash_report.install(tmp_path / "errors.log")
    _raise_and_hook(hook, KeyboardInterrupt())
    assert calls == [KeyboardInterrupt] and hook.reported == 0
    assert not (tmp_path / "errors.log").exists()


def test_error_on_a_worker_thread_is_logged_without_a_dialog(qapp, tmp_path, monkeypatch):
    import threading

    monkeypatch.setattr(sys, "excepthook", lambda *a: None)
    hook = crash_report.install(tmp_path / "errors.log")
    made: list = []
    monkeypatch.setattr(crash_report, "QMessageBox", lambda *a, **k: made.append(a))
    t = threading.Thread(target=_raise_and_hook, args=(hook, RuntimeError("off the GUI thread")))
    t.start()
    t.join(10)
    assert not made and "off the GUI thread" in (tmp_path / "errors.log").read_text(encoding="utf-8")
