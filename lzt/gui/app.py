"""The QApplication: language and fonts; ``open_main_window`` opens a workspace in a main window.

The user's settings (language, recent workspaces) are ``lzt.gui.settings``."""

from __future__ import annotations

import importlib
import os
import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from lzt.gui.settings import APP, LANGUAGES, ORG, settings

#: seconds a thread holds the interpreter lock before the GUI thread may take it (sys.setswitchinterval)
GUI_SWITCH_INTERVAL = 0.001


def skip_cloud_sessions() -> None:
    """rasterio imports boto3 when it is installed (AWS sessions for ``s3://`` paths), 0.25-0.3 s
    on the render thread before the first raster is drawn (py-spy of the district's first map).
    The client reads its rasters from the workspace only: rasterio is told boto3 is absent, as on
    a machine without it (unless something has imported it already)."""
    if "boto3" not in sys.modules and "rasterio" not in sys.modules:
        sys.modules["boto3"] = None  # an import of it raises ImportError, which rasterio expects


def install_translation(app: QApplication, language: str) -> bool:
    """Load the .qm for ``language``. The source strings are Simplified Chinese, the default
    language; ``resources/i18n/lzt_<lang>.ts`` holds the other languages (made with
    ``tools/update_translations.py``: ``pyside6-lupdate``, then ``pyside6-lrelease``). Qt's own
    words (standard buttons and dialogs, context menus) come from Qt's ``qtbase_<lang>.qm``."""
    for old in getattr(app, "_lzt_translators", []):
        app.removeTranslator(old)
    app._lzt_translators = []
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        app._lzt_translators.append(qt)
    if language == "zh_CN":
        return True
    tr = QTranslator(app)
    qm = resources.files("resources") / "i18n" / f"lzt_{language}.qm"
    ok = False
    if qm.is_file():
        with resources.as_file(qm) as path:
            ok = tr.load(str(path))
    if ok:
        app.installTranslator(tr)
        app._lzt_translators.append(tr)
    return bool(ok)


def make_app(language: str | None = None) -> QApplication:
    """The application object (created once), with fonts and the chosen language."""
    skip_cloud_sessions()
    # Workers (table ids and sort ranks, rendering, the selection overlay) hand the interpreter
    # lock to the GUI thread after 1 ms instead of Python's 5 ms: on the district, switching the
    # table's layer left the loop 907-969 ms at 5 ms and 212-237 ms at 1 ms (bench/RESULTS.md)
    sys.setswitchinterval(GUI_SWITCH_INTERVAL)
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(ORG)
        QCoreApplication.setApplicationName(APP)
        app = QApplication(sys.argv[:1])
    from lzt.gui.gc_thread import collect_on_gui_thread
    from lzt.render.fonts import ensure_fonts

    collect_on_gui_thread(app)  # no cyclic collection on a worker or reading thread

    family = ensure_fonts()  # the shipped CJK font: Chinese renders on any machine
    if not getattr(app, "_lzt_font_set", False):
        font = QFont(family)
        font.setPointSizeF(max(9.0, app.font().pointSizeF()))
        app.setFont(font)
        app._lzt_font_set = True
    language = language or os.environ.get("LZT_LANG") or str(settings().value("language", "zh_CN"))
    install_translation(app, language if language in LANGUAGES else "zh_CN")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese if language == "zh_CN" else QLocale.Language.English))
    return app


#: the modules the main window imports, leaves first (``python -X importtime``; numpy on its
#: own): each one a turn of the event loop. A module missing here is imported with the window's
#: own, in the last turn; a module listed that it no longer needs is imported all the same.
WINDOW_MODULES = (
    "numpy", "lzt.gui.icons", "lzt.render.geometry", "lzt.workspace", "lzt.render.style", "lzt.render.request",
    "lzt.gui.canvas.selection", "lzt.workspace.packed", "lzt.workspace.polygon_pack", "lzt.render.cache",
    "lzt.render.painter", "lzt.render.job", "lzt.gui.canvas.map_canvas", "layers.formats", "lzt.gui.file_types",
    "lzt.gui.messages", "lzt.gui.tasks", "lzt.gui.latest", "lzt.gui.models.features",
    "lzt.gui.panels.attribute_table", "lzt.gui.panels.search", "lzt.core.filters", "lzt.services.wfs",
    "lzt.services.features", "lzt.services.live", "lzt.gui.panels.identify", "lzt.gui.panels.layer_panel",
    "lzt.gui.panels.warnings", "lzt.gui.window_panels", "lzt.session", "lzt.gui.main_window",
)


def import_turning(modules=WINDOW_MODULES) -> None:
    """Import ``modules`` one at a time, the event loop turning (timers, paints; no user input)
    between two of them: the window-open gap on the district was these imports in one piece,
    392-455 ms from source, ~200 ms from bytecode (bench/RESULTS.md), now one module's at most."""
    app = QCoreApplication.instance()
    for name in modules:
        if name in sys.modules:
            continue
        importlib.import_module(name)
        if app is not None:
            app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


def open_main_window(ws_path: str | Path, *, language: str | None = None):
    """Open a workspace in a new main window (not shown yet)."""
    make_app(language)
    import_turning()
    from lzt.gui.main_window import MainWindow
    from lzt.workspace import open_workspace

    ws = open_workspace(ws_path)
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)  # then the widgets
    return MainWindow(ws)
