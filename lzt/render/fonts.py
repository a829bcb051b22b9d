"""The shipped CJK font, registered with Qt, and a headless QGuiApplication.

``resources/fonts/LztSansSC-Regular.ttf`` (SIL OFL 1.1, see ``resources/fonts/OFL.txt``) is a
GB2312 subset of Noto Sans CJK SC, so Chinese renders, and embeds into PDFs, on machines
without any CJK font installed.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

import resources

FONT_FILE = Path(resources.__file__).resolve().parent / "fonts" / "LztSansSC-Regular.ttf"
_lock = threading.Lock()
_family: str | None = None


def ensure_app() -> QGuiApplication:
    """The running QGuiApplication, or a new offscreen one (for the CLI and tests)."""
    app = QGuiApplication.instance()
    if app is None:
        if not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY") \
                and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QGuiApplication(["lzt"])
    return app  # type: ignore[return-value]


def ensure_fonts() -> str:
    """Register the shipped font (once) and return its family name."""
    global _family
    with _lock:
        if _family is None:
            ensure_app()
            fid = QFontDatabase.addApplicationFont(str(FONT_FILE))
            families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            if not families:
                raise RuntimeError(f"cannot load the shipped font {FONT_FILE}")
            _family = families[0]
        return _family


def font(size_mm: float, *, bold: bool = False) -> QFont:
    """The map font at ``size_mm`` (em height on paper); point size, so any device dpi works."""
    f = QFont(ensure_fonts())
    f.setPointSizeF(max(size_mm, 0.1) / 25.4 * 72.0)
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f
