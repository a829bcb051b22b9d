"""The layer tree: visibility, order, opacity, current layer; add from files, remove."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QLabel, QMenu, QSlider, QStyle,
                               QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from lzt.gui.icons import swatch  # not the style editor's module: the window opens without it
from lzt.gui.file_types import file_filter
from lzt.gui.labels import geometry_label, kind_label, label



class LayerPanel(QWidget):
    """Top of the list = drawn last. Emits ``open_table(layer)`` and ``add_files(paths)``."""

    open_table = Signal(str)
    add_files = Signal(list)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemDoubleClicked.connect(lambda item, _c: session.zoom_to_layer(item.data(0, Qt.ItemDataRole.UserRole)))
        style = self.style()
        buttons = QHBoxLayout()
        for tip, icon, slot in ((self.tr("添加图层"), QStyle.StandardPixmap.SP_FileDialogNewFolder, self._choose_files),
                                (self.tr("上移"), QStyle.StandardPixmap.SP_ArrowUp, lambda: self._move(+1)),
                                (self.tr("下移"), QStyle.StandardPixmap.SP_ArrowDown, lambda: self._move(-1)),
                                (self.tr("从地图移除"), QStyle.StandardPixmap.SP_DialogDiscardButton, self._remove)):
            b = QToolButton()
            b.setIcon(style.standardIcon(icon))
            b.setToolTip(tip)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        self.workspace_menu = QMenu(self.tr("工作空间中的图层"), self)
        self.workspace_menu.aboutToShow.connect(self._fill_workspace_menu)
        put_back = QToolButton()
        put_back.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DirOpenIcon))
        put_back.setToolTip(self.tr("把工作空间中的图层放回地图"))
        put_back.setMenu(self.workspace_menu)
        put_back.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        buttons.addWidget(put_back)
        buttons.addStretch(1)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setToolTip(self.tr("不透明度"))
        self.opacity.valueChanged.connect(self._opacity_changed)
        op = QHBoxLayout()
        op.addWidget(QLabel(self.tr("不透明度")))
        op.addWidget(self.opacity)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(buttons)
        lay.addWidget(self.tree, 1)
        lay.addLayout(op)
        self._in_item_signal = False
        session.layers_changed.connect(self.refresh)
        session.styles_changed.connect(self._style_changed)
        self.refresh()

    def refresh(self) -> None:
        if self._in_item_signal:  # the tree is still handling the item: rebuild after it returns
            QTimer.singleShot(0, self.refresh)
            return
        from lzt.render.style import styles_for

        styles = styles_for(self.session.ws, [s.name for s in self.session.layers])
        expanded = {self._name(self.tree.topLevelItem(i)) for i in range(self.tree.topLevelItemCount())
                    if self.tree.topLevelItem(i).isExpanded()}
        self.tree.blockSignals(True)
        self.tree.clear()
        for s in reversed(self.session.layers):
            info = self.session.ws.layer(s.name)
            item = QTreeWidgetItem([s.name])
            item.setData(0, Qt.ItemDataRole.UserRole, s.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if s.visible else Qt.CheckState.Unchecked)
            kind = kind_label(s.kind)
            service = info.details.get("service") or {}
            if service.get("raster"):  # tiles/images, not features
                kind = self.tr("地图服务")
            size = size_label(info)
            tip = f"{s.name}\n{kind} · {geometry_label(info.geometry_type)} · {size} · {info.crs}"
            state = service_state_label(service)
            if state:  # a saved vector service not open: why, and that 重新连接 retries
                item.setText(0, f"{s.name}  ({kind}, {state})")
                if service.get("error"):
                    tip += "\n" + service["error"]
                    item.setForeground(0, self.palette().placeholderText())
            else:
                item.setText(0, f"{s.name}  ({kind}, {size})")
            item.setToolTip(0, tip)
            self.tree.addTopLevelItem(item)
            _add_legend(item, styles.get(s.name))
            item.setExpanded(s.name in expanded)
            if s.name == self.session.current:
                self.tree.setCurrentItem(item)
        self.tree.blockSignals(False)
        self._sync_opacity()

    def _style_changed(self, layer: str) -> None:
        """A saved style changed: only that layer's legend entries are made again (the whole
        tree, with every layer's catalogue record and style, was rebuilt on each style save)."""
        from lzt.render.style import styles_for

        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if self._name(item) == layer:
                self.tree.blockSignals(True)
                try:
                    item.takeChildren()
                    _add_legend(item, styles_for(self.session.ws, [layer]).get(layer))
                finally:
                    self.tree.blockSignals(False)
                return

    def _name(self, item) -> str | None:
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    def _item_changed(self, item, _col) -> None:
        # The session answers with layers_changed, and rebuilding the tree here would delete
        # the item while QTreeWidget still uses it (an intermittent segfault): refresh defers.
        self._in_item_signal = True
        try:
            self.session.set_visible(self._name(item), item.checkState(0) == Qt.CheckState.Checked)
        finally:
            self._in_item_signal = False

    def _current_changed(self, item, _prev) -> None:
        name = self._name(item)
        if name:
            self.session.set_current(name)
            self._sync_opacity()

    def _sync_opacity(self) -> None:
        name = self.session.current
        self.opacity.blockSignals(True)
        self.opacity.setEnabled(name is not None)
        if name:
            self.opacity.setValue(round(self.session.layer(name).opacity * 100))
        self.opacity.blockSignals(False)

    def _opacity_changed(self, value: int) -> None:
        if self.session.current:
            self.session.set_opacity(self.session.current, value / 100)

    def _move(self, step: int) -> None:
        name = self.session.current
        if not name:
            return
        names = [s.name for s in self.session.layers]
        self.session.move(name, names.index(name) + step)

    def _remove(self) -> None:
        if self.session.current:
            self.session.remove(self.session.current)

    def delete_service(self, name: str, *, confirm: bool = True) -> bool:
        """Forget the saved service ``name`` (after the user confirms): it leaves the map and
        the workspace's catalogue (``lzt layers``, ``lzt service list``); the server is untouched."""
        from PySide6.QtWidgets import QMessageBox

        from lzt.core.errors import LztInputError

        if confirm and QMessageBox.question(
                self, self.tr("删除服务"),
                self.tr("从工作空间删除服务 {0}？\n它将从地图和工作空间的服务列表中移除；服务器上的数据不受影响。"
                        ).format(name)) != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.session.forget_service(name)
        except LztInputError as exc:
            from lzt.gui.tasks import show_error

            show_error(self, self.tr("删除服务"), exc)
            return False
        return True

    def edit_style(self, name: str) -> None:
        from lzt.gui.dialogs.style_editor import StyleEditor

        StyleEditor(self.session, name, self).exec()

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("添加图层"), "", file_filter())
        if paths:
            self.add_files.emit(paths)

    def _fill_workspace_menu(self) -> None:
        """The layers taken off the map, each to put back (on top)."""
        self.workspace_menu.clear()
        names = self.session.off_map()
        for name in names:
            info = self.session.ws.layer(name)
            self.workspace_menu.addAction(f"{name}  ({kind_label(info.kind)}, {size_label(info)})",
                                          lambda n=name: self.session.show(n))
        if not names:
            a = self.workspace_menu.addAction(self.tr("（工作空间的图层都在地图上）"))
            a.setEnabled(False)

    def _menu(self, pos) -> None:
        name = self._name(self.tree.itemAt(pos))
        if not name:  # on the empty part of the list: the layers to put back
            self._fill_workspace_menu()
            self.workspace_menu.popup(self.tree.viewport().mapToGlobal(pos))
            return
        m = QMenu(self)
        m.addAction(self.tr("缩放到图层"), lambda: self.session.zoom_to_layer(name))
        m.addAction(self.tr("打开属性表"), lambda: self.open_table.emit(name))
        m.addAction(self.tr("样式…"), lambda: self.edit_style(name))
        m.addAction(self.tr("缩放到所选要素"), lambda: self.session.zoom_to_selection(name))
        service = self.session.ws.layer(name).details.get("service") or {}
        if service.get("state") in ("pending", "unavailable"):
            from lzt.gui.service_opener import service_opener

            m.addAction(self.tr("重新连接服务"), lambda: service_opener(self.session).open(name))
        m.addSeparator()
        m.addAction(self.tr("从地图移除"), lambda: self.session.remove(name))
        if service:  # a saved service: taken off the map it stays saved, this forgets it
            m.addAction(self.tr("从工作空间删除服务…"), lambda: self.delete_service(name))
        m.addMenu(self.workspace_menu)
        m.popup(self.tree.viewport().mapToGlobal(pos))


def service_state_label(service: dict) -> str | None:
    """The layer list's word for a vector service that is not open (正在连接 / 不可用), or None."""
    state = service.get("state")
    if state in ("pending", "opening"):
        return QCoreApplication.translate("LayerPanel", "正在连接")
    if state == "unavailable":
        return QCoreApplication.translate("LayerPanel", "不可用")
    return None


def size_label(info) -> str:
    """How big a layer is, for its entry: a vector layer's feature count; a raster's columns ×
    rows and, when its extent in the workspace's (metric) CRS is known, its cell size in metres
    (its cell count read like a feature count: 栅格, 5,760,000)."""
    d = info.details or {}
    if info.kind != "raster" or not d.get("width") or not d.get("height"):
        return f"{info.count:,}"
    w, h = int(d["width"]), int(d["height"])
    b = d.get("bounds_workspace")
    if b and len(b) == 4 and not d.get("rotated"):
        cell = (float(b[2]) - float(b[0])) / w
        return QCoreApplication.translate("LayerPanel", "{0} × {1} 像元，{2} 米").format(f"{w:,}", f"{h:,}", f"{cell:.3g}")
    return QCoreApplication.translate("LayerPanel", "{0} × {1} 像元").format(f"{w:,}", f"{h:,}")


def legend_entries(style, limit: int = 12) -> list[tuple[str, str | None]]:
    """(label, colour) rows of a layer's legend, from its style."""
    from lzt.render import style as st

    if style is None:
        return []
    r = style.renderer
    if isinstance(r, st.SingleRenderer):
        return [("", r.symbol.fill or r.symbol.stroke)]
    if isinstance(r, st.CategorizedRenderer):
        rows = [(label(c.label) if c.label == r.other_label else c.label, c.symbol.fill or c.symbol.stroke)
                for c in r.categories[:limit]]
        if len(r.categories) > limit:
            rows.append((QCoreApplication.translate("LayerPanel", "…… 共 {0} 类").format(len(r.categories)), None))
        return rows
    if isinstance(r, st.GraduatedRenderer):
        return [(c.label, c.symbol.fill) for c in r.classes]
    if isinstance(r, st.RasterRenderer) and r.mode == "rgb":
        return []  # imagery: its own colours
    if isinstance(r, (st.RampRenderer, st.RasterRenderer, st.HeatmapRenderer)):
        stops = r.stops
        return [(f"{label(r.label)} {stops[0][0]:g}".strip(), stops[0][1]),
                (f"{label(r.label)} {stops[-1][0]:g}".strip(), stops[-1][1])]
    return []


def _add_legend(item: QTreeWidgetItem, style) -> None:
    """The style's classes under the layer's item: a swatch and a label each."""
    for text, colour in legend_entries(style):
        child = QTreeWidgetItem([text])
        child.setIcon(0, swatch(colour))
        child.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.addChild(child)
