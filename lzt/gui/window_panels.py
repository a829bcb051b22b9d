"""The main window's panels that are not on screen when it opens, built after it has painted.

On the district the window-open step left the event loop 470-620 ms on a quiet machine (a
heartbeat in ``bench/bench_gui_session.py``; sampled: about 60 % importing the window's modules,
which this machine compiles from source, 30 % building its widgets). The supervision
workbench, the dashboard and 三维 (tabs behind the map), and the query, search, warnings,
swipe, linked-view and profile panels (docks hidden or behind the identify panel) are not seen
at first: the window opens with an empty page in their tab or dock and builds each, with its
imports, in a turn of the event loop of its own once the start-up imports are done
(``warmup.call_after``), one panel a turn.

A panel is also built at once when it is asked for (``win.bench``, ``win.query``, …), when its
tab is chosen or its dock becomes visible, so a user (or a test) never meets a page without its
panel. The docks exist from the start with their object names, so ``restoreState`` puts the
user's saved layout back as before; only their contents come later.
"""

from __future__ import annotations

import importlib
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

#: the tabs behind the map, in their order after it
TABS = ("bench", "dashboard", "view3d")
#: the docks whose panel is built later
DOCKS = ("query", "search", "warnings", "swipe", "linked", "profile")
#: the order the panels are built in after the window opened (the likeliest first)
ORDER = ("query", "bench", "dashboard", "search", "view3d", "warnings", "swipe", "linked", "profile")
#: each panel's module: imported in a turn of its own before the panel is built in the next
#: (the workbench was 100-170 ms of CPU for both in one turn, on a machine that compiles from source)
MODULES = {"bench": "lzt.gui.panels.supervision", "dashboard": "lzt.gui.panels.dashboard",
           "view3d": "lzt.gui.view3d.widget", "query": "lzt.gui.panels.query", "search": "lzt.gui.panels.search",
           "warnings": "lzt.gui.panels.warnings", "swipe": "lzt.gui.panels.compare",
           "linked": "lzt.gui.panels.compare", "profile": "lzt.gui.panels.profile"}


def _panel(key: str) -> property:
    return property(lambda self: self.panel(key), doc=f"The {key} panel (built when first asked for).")


class DeferredPanels:
    """Mixin of ``MainWindow``: ``panel(key)`` and the attributes ``bench``, ``dashboard``,
    ``view3d``, ``query``, ``search_panel``, ``warnings``, ``swipe_panel``, ``linked``, ``profile``."""

    bench = _panel("bench")
    dashboard = _panel("dashboard")
    view3d = _panel("view3d")
    query = _panel("query")
    search_panel = _panel("search")
    warnings = _panel("warnings")
    swipe_panel = _panel("swipe")
    linked = _panel("linked")
    profile = _panel("profile")

    def _init_panels(self) -> None:
        self._panels: dict[str, QWidget] = {}
        self._pages: dict[str, QWidget] = {}  # key -> the empty page standing in its tab or dock
        self._panels_stopped = False

    def _page(self, key: str) -> QWidget:
        """The empty page in ``key``'s tab or dock until the panel is built."""
        w = QWidget()
        w.setObjectName(f"page_{key}")
        self._pages[key] = w
        return w

    def _watch_pages(self) -> None:
        """Choosing a tab or showing a dock whose panel is not built yet builds it now."""
        self.tabs.currentChanged.connect(self._tab_chosen)
        for key in DOCKS:
            self.docks[key].visibilityChanged.connect(lambda shown, k=key: shown and self.panel(k))

    def _tab_chosen(self, index: int) -> None:
        w = self.tabs.widget(index)
        key = next((k for k, page in self._pages.items() if page is w), None)
        if key is not None:
            self.panel(key)

    def panel(self, key: str) -> QWidget:
        """The panel ``key`` (see ``ORDER``), built and put in its tab or dock if it was not yet."""
        w = self._panels.get(key)
        if w is None:
            w = self._panels[key] = getattr(self, f"_make_{key}")()
            self._put(key, w)
        return w

    def built_panel(self, key: str) -> QWidget | None:
        """The panel ``key`` if it was built (closing the window builds nothing)."""
        return self._panels.get(key)

    def build_panels(self) -> None:
        """Build every panel not built yet, now."""
        for key in ORDER:
            self.panel(key)

    def _build_panels_later(self) -> None:
        """One panel now, the next one in the next turn of the event loop."""
        if self._panels_stopped:
            return
        key = next((k for k in ORDER if k not in self._panels), None)
        if key is None:
            return
        if MODULES[key] not in sys.modules:
            importlib.import_module(MODULES[key])  # this turn; the panel in the next
        else:
            self.panel(key)
        QTimer.singleShot(0, self, self._build_panels_later)

    def _stop_panels(self) -> None:
        self._panels_stopped = True

    def _put(self, key: str, w: QWidget) -> None:
        page = self._pages.pop(key)
        if key in TABS:
            tabs = self.tabs
            i = tabs.indexOf(page)
            current = tabs.currentIndex() == i
            tabs.blockSignals(True)  # the page gives way to the panel: no tab was chosen
            try:
                tabs.insertTab(i, w, tabs.tabText(i))  # the page moves to i + 1
                if current:
                    tabs.setCurrentIndex(i)  # before the page goes: no other tab is shown meanwhile
                tabs.removeTab(i + 1)
            finally:
                tabs.blockSignals(False)
        else:
            self.docks[key].setWidget(w)
        page.deleteLater()

    # -- the panels ----------------------------------------------------------------------------
    def _make_bench(self):
        from lzt.gui.panels.supervision import SupervisionBench

        b = SupervisionBench(self.session)
        b.report_requested.connect(self.parcel_report)
        b.imagery.swipe_requested.connect(self.swipe_parcel)
        b.parcel_selected.connect(lambda _fid: self.session.zoom_to_selection(b.layer))
        return b

    def _make_dashboard(self):
        from lzt.gui.panels.dashboard import Dashboard
        from lzt.gui.panels.warnings import save_briefing

        d = Dashboard(self.session)
        d.warnings_requested.connect(self.show_warnings)
        d.briefing_requested.connect(lambda: save_briefing(self, self.session))
        return d

    def _make_view3d(self):
        from lzt.gui.view3d.widget import View3D

        v = View3D(self.session)  # the scene is built when the tab is first shown
        v.picked.connect(self._picked_3d)
        return v

    def _make_query(self):
        from lzt.gui.panels.query import QueryPanel

        q = QueryPanel(self.session)
        q.export_requested.connect(self.export_layer)
        return q

    def _make_search(self):
        from lzt.gui.panels.search import SearchPanel

        return SearchPanel(self.session)

    def _make_warnings(self):
        from lzt.gui.panels.warnings import WarningsPanel

        return WarningsPanel(self.session)

    def _make_swipe(self):
        from lzt.gui.panels.compare import SwipePanel

        return SwipePanel(self.session, self.canvas)

    def _make_linked(self):
        from lzt.gui.panels.compare import LinkedView

        return LinkedView(self.canvas)

    def _make_profile(self):
        from lzt.gui.panels.profile import ProfilePanel

        p = ProfilePanel(self.session)
        p.point_hovered.connect(self._profile_point)
        return p
