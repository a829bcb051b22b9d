"""The main window: map, supervision workbench and complaint dashboard as tabs; layer tree,
attribute table, query and identify panels as docks; tools, status bar, recent workspaces."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QStyle,
                               QTabWidget, QToolBar)

from lzt.core.errors import LztInputError
from lzt.gui import icons
from lzt.gui.settings import LANGUAGES, recent_workspaces, remember_workspace, settings
from lzt.gui.canvas.map_canvas import MapCanvas
from lzt.gui.file_types import is_bim_path
from lzt.gui.panels.attribute_table import AttributeTable
from lzt.gui.panels.identify import IdentifyPanel
from lzt.gui.panels.layer_panel import LayerPanel
from lzt.gui.panels.search import SearchBox
from lzt.gui.panels.warnings import save_briefing
from lzt.gui.tasks import run_task, show_error
from lzt.gui.warmup import process_warmup
from lzt.gui.window_panels import DeferredPanels
from lzt.services.live import WithServices
from lzt.session import Session

#: the start-up imports (``lzt.gui.warmup``) begin this long after the window is built at the
#: latest, even if the map has no picture yet
WARMUP_LATEST_MS = 2000
VIEWS = ("map", "table", "supervision", "dashboard", "3d")
SCALES = (500, 1000, 2000, 5000, 10_000, 25_000, 50_000, 100_000, 250_000)


class MainWindow(DeferredPanels, QMainWindow):
    """One workspace's window."""

    def __init__(self, ws):
        super().__init__()
        self.ws = ws
        # The map's view of the workspace: its layers plus the vector services added to the map.
        from lzt.services.saved import saved_layers

        self.session = Session(WithServices(ws, saved_layers(ws)))  # saved services too (no network call)
        self.setWindowTitle(self.tr("龙政图 lzt — {0}").format(ws.uri if "://" in ws.uri else Path(ws.uri).name))
        self.setAcceptDrops(True)
        self.resize(1600, 1000)

        self._init_panels()  # tabs and docks not seen at first get their panels later (window_panels)
        self.canvas = MapCanvas(self.session)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.canvas, self.tr("地图"))
        self.tabs.addTab(self._page("bench"), self.tr("批后监管"))
        self.tabs.addTab(self._page("dashboard"), self.tr("民意看板"))
        self.tabs.addTab(self._page("view3d"), self.tr("三维"))
        self.setCentralWidget(self.tabs)

        self.layer_panel = LayerPanel(self.session)
        self.table = AttributeTable(self.session)
        self.identify = IdentifyPanel(self.session)
        self.docks = {
            "layers": self._dock("layers", self.tr("图层"), self.layer_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            "table": self._dock("table", self.tr("属性表"), self.table, Qt.DockWidgetArea.BottomDockWidgetArea),
            "query": self._dock("query", self.tr("查询"), self._page("query"), Qt.DockWidgetArea.RightDockWidgetArea),
            "identify": self._dock("identify", self.tr("识别"), self.identify, Qt.DockWidgetArea.RightDockWidgetArea),
            "warnings": self._dock("warnings", self.tr("预警"), self._page("warnings"),
                                   Qt.DockWidgetArea.BottomDockWidgetArea),
            "search": self._dock("search", self.tr("搜索结果"), self._page("search"),
                                 Qt.DockWidgetArea.RightDockWidgetArea),
            "swipe": self._dock("swipe", self.tr("卷帘对比"), self._page("swipe"), Qt.DockWidgetArea.RightDockWidgetArea),
            "linked": self._dock("linked", self.tr("联动视图"), self._page("linked"),
                                 Qt.DockWidgetArea.RightDockWidgetArea),
            "profile": self._dock("profile", self.tr("纵断面"), self._page("profile"),
                                  Qt.DockWidgetArea.BottomDockWidgetArea),
        }
        self.tabifyDockWidget(self.docks["query"], self.docks["identify"])
        self.tabifyDockWidget(self.docks["query"], self.docks["search"])
        self.docks["warnings"].hide()  # shown by the dashboard's 苗头预警 button or the 分析 menu
        self.docks["swipe"].hide()  # shown by the 工具 menu
        self.docks["linked"].hide()
        self.docks["search"].hide()  # shown by the first search
        self.docks["profile"].hide()  # shown when a line is drawn with the 剖面 tool
        self.docks["identify"].raise_()

        self._status()
        self._actions()
        self.layer_panel.open_table.connect(self.show_table)
        self.layer_panel.add_files.connect(self.add_files)
        self.canvas.identified.connect(self._identified)
        self.canvas.profile_drawn.connect(self.show_profile)
        from lzt.gui.service_opener import service_opener

        self.services = service_opener(self.session)  # saved vector services open in workers
        self.services.failed.connect(lambda n, why: self.statusBar().showMessage(
            self.tr("服务 {0} 不可用：{1}").format(n, why), 15000))
        QTimer.singleShot(0, self.services.open_all)
        # pandas, geopandas, shapely, pyproj: imported in a worker once the map's first picture is
        # on screen (it needs none of them; the imports shared the interpreter lock with it), at
        # the latest WARMUP_LATEST_MS after the window is built
        self._warmup = process_warmup()
        self._warmup.expect(WARMUP_LATEST_MS)
        self.canvas.partly_rendered.connect(self._first_picture)
        self.canvas.rendered.connect(self._first_picture)
        self._warmup.call_after(self._stack_loaded, self)
        self._warmup.call_after(self._build_panels_later, self)  # then the panels, one a turn
        self._remember(ws.uri)
        state = settings().value("window_state")
        if isinstance(state, QByteArray):
            self.restoreState(state)  # every dock exists (some still empty): the layout is the user's
            self._hide_empty_docks()
        self._watch_pages()

    def _hide_empty_docks(self) -> None:
        """The saved layout shows the docks open at the last close; those whose content was that
        session's (search results, a drawn line's profile) start empty now: hidden until used.
        (Their panels are not built yet at this point: a panel still to build is empty.)"""
        search, profile = self.built_panel("search"), self.built_panel("profile")
        if search is None or not search.mode:
            self.docks["search"].hide()
        if profile is None or profile.profile is None:
            self.docks["profile"].hide()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        self._painted = True
        self._start_warmup()

    def _first_picture(self, _seconds: float = 0.0) -> None:
        self._pictured = True
        self._start_warmup()

    def _start_warmup(self) -> None:
        """The warm-up starts once the window has painted and the map's first picture is there
        (started in the loop's first turn, it slowed the window's paint)."""
        if getattr(self, "_painted", False) and getattr(self, "_pictured", False) \
                and self._warmup.running and not self._warmup.started:
            QTimer.singleShot(0, self._warmup.start)  # after this paint

    def _stack_loaded(self) -> None:
        """The scientific stack is imported: the status bar's CRS gets its Chinese note."""
        from lzt.core.crs_note import crs_note_zh
        from lzt.gui.messages import chinese_ui

        try:
            note = crs_note_zh(self.ws.crs) if chinese_ui() else ""
        except Exception:  # noqa: BLE001 - a CRS without a Chinese note still shows its code
            note = ""
        self.crs_label.setText(f"{self.ws.crs} {note}".strip())

    def check_height_limits(self):
        """控高核对: every building and BIM model against its height-limit zone."""
        from lzt.gui.height_limits import run_height_check

        return run_height_check(self)

    def _profile_point(self, x: float, y: float) -> None:
        """The point under the mouse on the profile, marked on the map (cleared when it leaves)."""
        import math

        self.canvas.marker = None if math.isnan(x) else (x, y)
        self.canvas.update()

    def show_profile(self, points) -> bool:
        """The elevation profile of a line (map coordinates) in the 纵断面 dock."""
        d = self.docks["profile"]
        if not self.profile.show_line(points):
            return False
        if d.isHidden():
            d.show()
            self.tabifyDockWidget(self.docks["table"], d) if not self.docks["table"].isHidden() else None
        d.raise_()
        return True

    # -- building ------------------------------------------------------------------------------
    def _dock(self, key: str, title: str, widget, area) -> QDockWidget:
        d = QDockWidget(title, self)
        d.setObjectName(f"dock_{key}")
        d.setWidget(widget)
        self.addDockWidget(area, d)
        return d

    def _status(self) -> None:
        sb = self.statusBar()
        self.coords = QLabel()
        self.lonlat = QLabel()
        self.measure = QLabel()
        self.render_time = QLabel()
        self.selected = QLabel()
        self.scale_box = QComboBox()
        self.scale_box.setEditable(True)
        self.scale_box.setMinimumWidth(110)
        self.scale_box.addItems([f"1:{n:,}" for n in SCALES])
        self.scale_box.lineEdit().returnPressed.connect(self._scale_entered)
        self.scale_box.activated.connect(lambda _i: self._scale_entered())
        self.crs_label = QLabel(str(self.ws.crs))  # its Chinese note follows with pyproj (``_stack_loaded``)
        for w in (self.selected, self.measure, self.coords, self.lonlat, QLabel(self.tr("比例尺")), self.scale_box,
                  self.crs_label, self.render_time):
            sb.addPermanentWidget(w)
        self.canvas.cursor_moved.connect(self._cursor)
        self.session.selection_changed.connect(self._selection_count)
        self.canvas.scale_changed.connect(lambda n: self.scale_box.setEditText(f"1:{n:,.0f}"))
        self.canvas.measured.connect(self.measure.setText)
        self.canvas.layer_message.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self.canvas.rendered.connect(lambda s: self.render_time.setText(self.tr("绘制 {0} ms").format(f"{s * 1000:.0f}")))

    def _cursor(self, x: float, y: float) -> None:
        from lzt.core.crs import reproject_xy

        self.coords.setText(f"X {x:,.2f}  Y {y:,.2f}")
        lon, lat = reproject_xy([x], [y], self.ws.crs, "EPSG:4490")
        self.lonlat.setText(f"{lon[0]:.6f}°E {lat[0]:.6f}°N")

    def _selection_count(self, layer: str) -> None:
        """The status bar names how many features are selected (the layer just changed first)."""
        names = [layer] + [s.name for s in reversed(self.session.layers) if s.name != layer]
        for name in names:
            n = len(self.session.selection(name))
            if n:
                # %Ln: Qt's plural form with the UI locale's digit grouping (1 feature, 2 features)
                self.selected.setText(self.tr("已选择 %Ln 个要素（{0}）", "", n).format(name))
                return
        self.selected.clear()

    def _scale_entered(self) -> None:
        from lzt.gui.canvas.map_canvas import parse_scale

        n = parse_scale(self.scale_box.currentText())
        if n is None:  # said, and the box shows the map's scale again
            self.statusBar().showMessage(self.tr("无法识别的比例尺“{0}”，请输入如 1:2000 或 1:1万")
                                         .format(self.scale_box.currentText()), 10_000)
            self.scale_box.setEditText(f"1:{self.canvas.scale():,.0f}")
            return
        self.canvas.set_scale(n)

    def _actions(self) -> None:
        mb = self.menuBar()
        st = self.style()
        file_menu = mb.addMenu(self.tr("文件(&F)"))
        self._act(file_menu, self.tr("打开工作空间…"), self.open_workspace_dialog, QKeySequence.StandardKey.Open,
                  st.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        self._act(file_menu, self.tr("打开共享工作空间（PostGIS）…"), self.open_shared_dialog)
        self.recent_menu = file_menu.addMenu(self.tr("最近的工作空间"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)  # current when opened, also after other windows
        self._fill_recent()
        file_menu.addSeparator()
        self._act(file_menu, self.tr("添加图层…"), self.layer_panel._choose_files, QKeySequence("Ctrl+Shift+A"))
        self._act(file_menu, self.tr("导入 BIM 模型文件夹…"), self.add_bim_folder)
        self._act(file_menu, self.tr("添加矢量要素服务…"), self.add_vector_service)
        self._act(file_menu, self.tr("添加地图/瓦片服务（天地图、WMTS、WMS、XYZ）…"), self.add_raster_service)
        self._act(file_menu, self.tr("下载服务图层到工作空间…"),
                  lambda: self.download_service_layer(self.session.current))
        self._act(file_menu, self.tr("导出当前图层…"), lambda: self.export_layer(self.session.current))
        self._act(file_menu, self.tr("导出地图…"), lambda: self.export_sheet(False), QKeySequence("Ctrl+P"))
        self._act(file_menu, self.tr("导出图集…"), lambda: self.export_sheet(True))
        file_menu.addSeparator()
        self._act(file_menu, self.tr("退出"), self.close, QKeySequence.StandardKey.Quit)

        view = mb.addMenu(self.tr("视图(&V)"))
        self._act(view, self.tr("全图"), self.canvas.zoom_full, QKeySequence("Ctrl+0"), icons.icon("full"))
        self._act(view, self.tr("缩放到当前图层"), lambda: self.session.current and self.session.zoom_to_layer(self.session.current))
        self._act(view, self.tr("缩放到所选要素"), lambda: self.session.current and self.session.zoom_to_selection(self.session.current))
        view.addSeparator()
        for d in self.docks.values():
            view.addAction(d.toggleViewAction())
        lang = view.addMenu(self.tr("界面语言"))
        current = str(settings().value("language", "zh_CN"))
        languages = QActionGroup(self)  # one language ticked at a time
        languages.setExclusive(True)
        self.language_actions = {}
        for code, name in LANGUAGES.items():
            a = lang.addAction(name)
            a.setCheckable(True)
            a.setChecked(code == current)
            languages.addAction(a)
            a.triggered.connect(lambda _c=False, code=code: self._set_language(code))
            self.language_actions[code] = a

        tools = mb.addMenu(self.tr("工具(&T)"))
        bar = QToolBar(self.tr("地图工具"))
        bar.setObjectName("toolbar_map")
        self.addToolBar(bar)
        group = QActionGroup(self)
        self.tool_actions = {}
        for key, text in (("pan", self.tr("平移")), ("zoom", self.tr("拉框放大")), ("identify", self.tr("识别")),
                          ("select", self.tr("选择（点击或拉框）")), ("select_polygon", self.tr("多边形选择")),
                          ("measure_distance", self.tr("量距离")), ("measure_area", self.tr("量面积")),
                          ("profile", self.tr("剖面（画线看纵断面）"))):
            a = QAction(icons.icon(key), text, self)
            a.setCheckable(True)
            a.triggered.connect(lambda _c=False, k=key: self.canvas.set_tool(k))
            group.addAction(a)
            tools.addAction(a)
            bar.addAction(a)
            self.tool_actions[key] = a
        self.tool_actions["pan"].setChecked(True)
        tools.addSeparator()
        self._act(tools, self.tr("卷帘对比…"), lambda: self.show_compare("swipe"))
        self._act(tools, self.tr("联动视图（多屏联动）"), lambda: self.show_compare("linked"))
        bar.addSeparator()
        for key, text, slot in (("zoom_in", self.tr("放大"), lambda: self.canvas.zoom(2.0)),
                                ("zoom_out", self.tr("缩小"), lambda: self.canvas.zoom(0.5)),
                                ("full", self.tr("全图"), self.canvas.zoom_full),
                                ("clear", self.tr("清除选择"), lambda: self.session.clear_selection())):
            a = QAction(icons.icon(key), text, self)
            a.triggered.connect(slot)
            bar.addAction(a)
        search_bar = QToolBar(self.tr("搜索"))
        search_bar.setObjectName("toolbar_search")
        self.addToolBar(search_bar)
        self.search_box = SearchBox()
        self.search_box.workspace_uri = getattr(self.ws, "uri", None)
        self.search_box.current_key = self._gazetteer_key
        self.search_box.submitted.connect(self.search)
        search_bar.addWidget(self.search_box)
        self._act(view, self.tr("搜索地点或提问"), self._focus_search, QKeySequence("Ctrl+F"))

        analysis = mb.addMenu(self.tr("分析(&A)"))
        self._act(analysis, self.tr("空间查询"), lambda: (self.docks["query"].show(), self.docks["query"].raise_()))
        self._act(analysis, self.tr("批后监管检查"), lambda: self.tabs.setCurrentWidget(self.bench))
        self._act(analysis, self.tr("民意看板"), lambda: self.tabs.setCurrentWidget(self.dashboard))
        self._act(analysis, self.tr("苗头预警"), self.show_warnings)
        self._act(analysis, self.tr("控高核对"), self.check_height_limits)
        self._act(analysis, self.tr("纵断面（在地图上画线）"), lambda: self.tool_actions["profile"].trigger())
        self._act(analysis, self.tr("生成简报…"), lambda: save_briefing(self, self.session))
        help_menu = mb.addMenu(self.tr("帮助(&H)"))
        self._act(help_menu, self.tr("关于龙政图"), self._about)

    def _act(self, menu, text, slot, shortcut=None, icon=None) -> QAction:
        a = QAction(text, self)
        if icon is not None:
            a.setIcon(icon)
        if shortcut is not None:
            a.setShortcut(shortcut)
        a.triggered.connect(lambda _c=False: slot())
        menu.addAction(a)
        return a

    # -- views -----------------------------------------------------------------------------------
    def show_view(self, view: str) -> None:
        """Bring a main view to the front (map, table, supervision, dashboard)."""
        if view not in VIEWS:
            raise LztInputError("--view", f"unknown view {view!r}; use one of {', '.join(VIEWS)}")
        if view in ("map", "table"):
            self.tabs.setCurrentWidget(self.canvas)
            if view == "table":
                self.show_table(self.session.current or "")
        else:
            self.tabs.setCurrentWidget(self.panel({"supervision": "bench", "dashboard": "dashboard",
                                                   "3d": "view3d"}[view]))  # only that one built now
            if view == "3d":
                self.view3d.ensure_built()
            elif view == "supervision" and not self.bench.checks:
                self.bench.reload()  # the checks now (in a worker), not after the next event

    def _gazetteer_key(self) -> str:
        """The workspace's gazetteer key now (the search box builds its suggestions again when it moves)."""
        from lzt.search.gazetteer import gazetteer_key

        return gazetteer_key(getattr(self.ws, "workspace", self.ws))

    def search(self, text: str) -> str:
        """A place or a question typed in the toolbar's box: the answer in the search panel, the
        map on the place or the records counted. Returns "find", "ask" or "" (nothing searched)."""
        if self.search_box.text() != text:  # a search started elsewhere shows in the box too
            self.search_box.setText(text)
        d = self.docks["search"]
        if d not in self.tabifiedDockWidgets(self.docks["identify"]):  # the full height beside the map
            self.tabifyDockWidget(self.docks["identify"], d)
        d.show()
        d.raise_()
        self.tabs.setCurrentWidget(self.canvas)
        return self.search_panel.search(text)

    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def show_compare(self, which: str) -> None:
        """Show the swipe controls ("swipe") or the linked second map ("linked") on the map."""
        self.tabs.setCurrentWidget(self.canvas)
        self.docks[which].show()
        self.docks[which].raise_()
        if which == "swipe" and not self.swipe_panel.enabled.isChecked():
            self.swipe_panel.enabled.setChecked(True)

    def swipe_parcel(self, before: str, after: str) -> None:
        """The workbench's parcel on the map, swiping between its before and after imagery."""
        self.swipe_panel.set_pair(before, after)
        self.show_compare("swipe")
        self.session.zoom_to_selection(self.bench.layer)

    def show_table(self, layer: str) -> None:
        d = self.docks["table"]
        d.show()
        d.raise_()
        if layer:
            self.table.show_layer(layer)
        self.resizeDocks([d], [int(self.height() * 0.38)], Qt.Orientation.Vertical)

    def show_warnings(self) -> None:
        """Show the warnings panel beside the map and compute the warnings."""
        d = self.docks["warnings"]
        d.show()
        d.raise_()
        self.tabs.setCurrentWidget(self.canvas)
        self.warnings.refresh()

    def _identified(self, layer: str, fid: int) -> None:
        self.identify.show_feature(layer, fid)
        self.docks["identify"].show()
        self.docks["identify"].raise_()
        self.session.select(layer, [fid])

    def _picked_3d(self, layer: str, fid: int) -> None:
        """A model or building clicked in 三维: its facts in the identify panel, brought to the
        front, and the 2D map centred on it (the scale kept)."""
        self._identified(layer, fid)
        self.session.pan_to(layer, [fid])

    # -- files -------------------------------------------------------------------------------------
    def add_files(self, paths: list[str]) -> bool:
        """Import files into the workspace with a progress dialog; BIM models (and folders) after
        asking where to put them (``dialogs.bim_import``)."""
        from lzt.ingest import ImportOptions, import_paths
        from lzt.workspace import open_workspace

        from lzt.gui.dialogs.order_import import import_orders, split_order_exports, tell_placement

        paths = [Path(p) for p in paths]
        bim = [p for p in paths if is_bim_path(p)]  # content too
        orders, data = split_order_exports([p for p in paths if p not in bim])  # 12345 exports: complaints
        uri = self.ws.uri
        ok = True

        def work(fb):
            ws = open_workspace(uri)
            try:
                got = import_paths(ws, data, ImportOptions(), fb) if data else []
                return got, import_orders(ws, orders, fb)
            finally:
                ws.close()

        if data or orders:
            ok, got = run_task(self, self.tr("导入数据"), work)
            self.session.reload()
            if ok:  # lon/lat that look like GCJ-02/BD-09: say so, offer to apply (never silently)
                from lzt.gui.dialogs.crs_notice import offer_crs_fix

                offer_crs_fix(self, uri, got[0])
                tell_placement(self, got[1])  # orders placed by address: at which levels
        if bim:
            from lzt.gui.dialogs.bim_import import BimImport

            self.bim_import = BimImport(self, self.canvas, self.ws, on_done=self.session.reload)
            self.bim_import.start(bim)
        return ok

    def add_vector_service(self, spec=None) -> bool:
        """An OGC API - Features collection or a WFS 2.0 feature type as a map layer."""
        from lzt.gui.dialogs.vector_service import add_vector_service

        return add_vector_service(self, spec)

    def add_raster_service(self, rec=None) -> bool:
        """A 天地图, WMTS, WMS or XYZ/TMS service saved in the workspace and drawn as a layer."""
        from lzt.gui.dialogs.raster_service import add_raster_service

        return add_raster_service(self, rec)

    def download_service_layer(self, name: str | None) -> bool:
        from lzt.gui.dialogs.vector_service import download_service_layer

        return bool(name) and download_service_layer(self, name)

    def add_bim_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择 BIM 模型文件夹"))
        if folder:
            self.add_files([folder])

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.add_files(paths)

    def export_layer(self, layer: str | None) -> None:
        if not layer:
            return
        from lzt.gui.dialogs.export import ExportDialog

        dlg = ExportDialog(self.session, layer, self)
        if dlg.exec():
            self.statusBar().showMessage(dlg.summary, 20_000)

    def export_sheet(self, atlas: bool) -> None:
        from lzt.gui.dialogs.sheet import SheetDialog

        dlg = SheetDialog(self.session, self.canvas, self, atlas=atlas)
        dlg.update_preview()
        dlg.exec()

    def parcel_report(self, parcel_id: str) -> None:
        from lzt.gui.dialogs.export import save_parcel_report

        save_parcel_report(self, self.session, parcel_id, self.bench.as_of.date().toPython())

    def open_workspace_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("打开工作空间"), "", "GeoPackage (*.gpkg)")
        if path:
            self.open_other(path)

    def open_shared_dialog(self) -> None:
        """Open a shared workspace by URL; the password comes from pg_service.conf / PGPASSFILE."""
        from PySide6.QtWidgets import QInputDialog

        url, ok = QInputDialog.getText(self, self.tr("打开共享工作空间"),
                                       self.tr("地址（密码请放在 pg_service.conf 或 PGPASSFILE 中）："),
                                       text="postgresql://user@host:5432/db?schema=longgang")
        if ok and url.strip():
            self.open_other(url.strip())

    def open_other(self, path: str) -> MainWindow | None:
        from lzt.workspace import open_workspace

        try:
            ws = open_workspace(path)
        except LztInputError as exc:
            show_error(self, self.tr("打开工作空间"), exc)
            return None
        w = MainWindow(ws)
        w.show()
        self._others = getattr(self, "_others", []) + [w]
        return w

    def _remember(self, uri: str) -> None:
        remember_workspace(uri)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for u in recent_workspaces():
            self.recent_menu.addAction(u, lambda u=u: self.open_other(u))

    def _set_language(self, code: str) -> None:
        settings().setValue("language", code)
        QMessageBox.information(self, "lzt", self.tr("界面语言将在重新启动后生效。") if code == "zh_CN"
                                else "The language changes when lzt starts again.")

    def _about(self) -> None:
        from lzt import __version__

        QMessageBox.about(self, self.tr("关于龙政图"),
                          self.tr("龙政图 lzt {0}\n龙岗区时空信息桌面客户端").format(__version__))

    def closeEvent(self, event) -> None:  # noqa: N802
        from lzt.gui.tasks import tasks_running

        if tasks_running():  # a worker still reads the workspace: cancel it first
            event.ignore()
            self.statusBar().showMessage(self.tr("有任务正在进行，请先等待完成或取消"), 10_000)
            return
        settings().setValue("window_state", self.saveState())
        self._stop_panels()
        self.services.close()
        self.canvas.shutdown()
        for key, stop in (("linked", lambda w: w.shutdown()), ("bench", lambda w: w.shutdown()),
                          ("view3d", lambda w: w.shutdown()), ("dashboard", lambda w: w.shutdown())):
            if self.built_panel(key) is not None:
                stop(self.built_panel(key))
        self.search_box.stop()
        self.table.shutdown()
        super().closeEvent(event)
        self.ws.close()
