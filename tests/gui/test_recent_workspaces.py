"""The recent-workspaces menu survives a second start (QSettings reads a one-entry list back as a
string) and heals a list an earlier lzt saved character by character."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _first_start(settings_dir, uri: str) -> None:
    """What the first start leaves behind: the settings file written by another process."""
    code = ("import sys\n"
            "from PySide6.QtCore import QCoreApplication, QSettings\n"
            "app = QCoreApplication(sys.argv)\n"
            f"QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, {str(settings_dir)!r})\n"
            "from lzt.gui.settings import remember_workspace\n"
            f"remember_workspace({uri!r})\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO,
                   env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})


def _menu_entries(win) -> list[str]:
    win.recent_menu.aboutToShow.emit()
    return [a.text() for a in win.recent_menu.actions()]


def test_second_start_lists_the_whole_path_and_saves_it_back_whole(qtbot, demo_copy, tmp_path):
    from lzt.gui.app import make_app, open_main_window
    from lzt.gui.settings import recent_workspaces, settings

    earlier = str(tmp_path / "earlier" / "区级工作空间.gpkg")
    _first_start(tmp_path / "settings", earlier)
    raw = (tmp_path / "settings" / "Longgang" / "lzt.conf").read_text(encoding="utf-8")
    assert "recent=" in raw  # the file a second start reads (one entry: stored as a plain string)
    assert settings().value("recent") == earlier  # what QSettings gives back: a string, not a list

    make_app("zh_CN")
    win = open_main_window(demo_copy)
    qtbot.addWidget(win)
    assert _menu_entries(win) == [str(demo_copy), earlier]
    assert recent_workspaces() == [str(demo_copy), earlier]
    stored = settings().value("recent")
    assert stored == [str(demo_copy), earlier]
    win.close()


def test_a_list_saved_character_by_character_reads_as_the_path(tmp_path):
    from lzt.gui.settings import recent_workspaces, remember_workspace, settings

    broken = "/data/demo.gpkg"
    settings().setValue("recent", list(broken))  # what the old menu saved back
    assert recent_workspaces() == [broken]
    settings().setValue("recent", ["/a.gpkg", "", "/a.gpkg", "postgresql://u@h/db?schema=lg"])
    assert recent_workspaces() == ["/a.gpkg", "postgresql://u@h/db?schema=lg"]
    assert remember_workspace("/b.gpkg") == ["/b.gpkg", "/a.gpkg", "postgresql://u@h/db?schema=lg"]
    settings().remove("recent")
    assert recent_workspaces() == []
