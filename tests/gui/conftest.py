"""GUI fixtures: a main window on a private copy of the demo workspace, user settings in tmp."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("LZT_LANG", "zh_CN")


@pytest.fixture
def errors(monkeypatch):
    """Error dialogs are recorded instead of shown (a modal dialog would block the test)."""
    shown: list[str] = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(str(a[2])) or 0)
    return shown


def shown_window(qtbot, path, size=(1400, 900), language="zh_CN"):
    """A main window on ``path``, shown at ``size`` and exposed (closed by qtbot at the end)."""
    from lzt.gui.app import make_app, open_main_window

    make_app(language)
    win = open_main_window(path)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def main_window(qtbot, demo_copy):
    win = shown_window(qtbot, demo_copy)
    yield win
    win.close()


@pytest.fixture
def postgis_window(qtbot, demo_path, pg_url):
    """A main window on a shared PostGIS workspace holding a copy of the demo."""
    from lzt.gui.app import make_app, open_main_window
    from lzt.workspace import create_workspace, open_workspace
    from lzt.workspace.transfer import copy_contents

    src, dst = open_workspace(demo_path), create_workspace(pg_url)
    try:
        copy_contents(src, dst)
    finally:
        src.close()
        dst.close()
    make_app("zh_CN")
    win = open_main_window(pg_url)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    yield win
    win.close()
