"""The user's settings (QSettings): chosen language, recent workspaces, window layout, rights.

Kept apart from ``lzt.gui.app`` so that any widget can read a setting without importing the
application module (which opens the main window).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORG, APP = "Longgang", "lzt"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}


def settings() -> QSettings:
    """The user's settings (recent workspaces, language, window layout)."""
    return QSettings(ORG, APP)


def recent_workspaces() -> list[str]:
    """The recently opened workspaces, newest first. QSettings gives back a one-entry list as a
    plain string after a restart (and an earlier lzt saved that string back split into
    characters): both read as the list they stand for."""
    value = settings().value("recent")
    if value is None:
        return []
    items = [value] if isinstance(value, str) else [str(v) for v in value]
    if items and all(len(v) <= 1 for v in items) and len(items) > 1:
        items = ["".join(items)]  # a path once saved character by character
    out: list[str] = []
    for v in (v.strip() for v in items):
        if len(v) > 1 and v not in out:
            out.append(v)
    return out


def remember_workspace(uri: str, keep: int = 10) -> list[str]:
    """Put ``uri`` first in the recent workspaces (at most ``keep``); returns the new list."""
    recent = ([uri] + [u for u in recent_workspaces() if u != uri])[:keep]
    settings().setValue("recent", recent)
    return recent
