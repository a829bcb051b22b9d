"""Comparing layers on the map: the swipe (卷帘) controls and a second, linked map view (多屏联动).

``SwipePanel`` picks the two layers of the canvas's swipe (imagery listed with its date).
``LinkedView`` is a second map canvas on its own session (its own visible layers, e.g. the
other date's imagery) whose centre, scale and cursor follow the main canvas and lead it back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QListWidget, QListWidgetItem,
                               QSplitter, QVBoxLayout, QWidget)

from lzt.gui.canvas.map_canvas import MapCanvas
from lzt.session.model import Session


def layer_choices(ws) -> list[tuple[str, str]]:
    """(label, layer) of every layer, dated imagery first (newest first) with its date."""
    from lzt.analysis.imagery import acquisitions

    dated = acquisitions(ws)[::-1]
    names = {a.layer for a in dated}
    out = [(f"{a.layer} ({a.acquired})", a.layer) for a in dated]
    return out + [(li.name, li.name) for li in ws.layers() if li.name not in names]


class SwipePanel(QWidget):
    """Two layer pickers and an on/off switch for the canvas's swipe."""

    def __init__(self, session, canvas, parent=None):
        super().__init__(parent)
        self.session, self.canvas = session, canvas
        self.left, self.right = QComboBox(), QComboBox()
        self.enabled = QCheckBox(self.tr("开启卷帘"))
        form = QFormLayout(self)
        form.addRow(self.tr("左侧图层"), self.left)
        form.addRow(self.tr("右侧图层"), self.right)
        form.addRow(self.enabled)
        self.fill()
        self.enabled.toggled.connect(self.apply)
        self.left.currentIndexChanged.connect(lambda _i: self.enabled.isChecked() and self.apply())
        self.right.currentIndexChanged.connect(lambda _i: self.enabled.isChecked() and self.apply())
        session.layers_changed.connect(lambda **_: self.fill())

    def fill(self) -> None:
        """List the workspace's layers; the two newest acquisitions are the default pair."""
        choices = layer_choices(self.session.ws)
        for i, combo in enumerate((self.left, self.right)):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for label, name in choices:
                combo.addItem(label, name)
            at = combo.findData(keep) if keep else -1
            combo.setCurrentIndex(at if at >= 0 else min(1 - i, max(0, len(choices) - 1)) if i == 0
                                  else (0 if choices else -1))
            combo.blockSignals(False)
        if self.left.currentData() == self.right.currentData() and self.left.count() > 1:
            self.left.setCurrentIndex(1)

    def set_pair(self, left: str, right: str) -> None:
        """Swipe between ``left`` and ``right`` now."""
        self.left.setCurrentIndex(self.left.findData(left))
        self.right.setCurrentIndex(self.right.findData(right))
        if self.enabled.isChecked():
            self.apply()
        else:
            self.enabled.setChecked(True)

    def apply(self, *_):
        on = self.enabled.isChecked()
        self.canvas.set_swipe(self.left.currentData() if on else None, self.right.currentData() if on else None)


class LinkedView(QWidget):
    """A second map canvas linked to ``main`` (extent centre, scale, cursor), with its own
    layer list."""

    def __init__(self, main: MapCanvas, parent=None):
        super().__init__(parent)
        self.main = main
        self.session = Session(main.session.ws)
        self.canvas = MapCanvas(self.session)
        self.layers = QListWidget()
        self.layers.setMaximumWidth(220)
        self._syncing = False
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.layers)
        split.addWidget(self.canvas)
        split.setStretchFactor(1, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(split)
        self._fill_layers()
        self.layers.itemChanged.connect(self._layer_toggled)
        main.session.extent_changed.connect(lambda **_: self.follow(self.main, self.canvas))
        self.session.extent_changed.connect(lambda **_: self.follow(self.canvas, self.main))
        main.cursor_moved.connect(lambda x, y: self._cursor(self.canvas, self.main, x, y))
        self.canvas.cursor_moved.connect(lambda x, y: self._cursor(self.main, self.canvas, x, y))
        main.rendered.connect(lambda _s: self.follow(self.main, self.canvas))  # after a resize
        self.canvas.rendered.connect(lambda _s: self.follow(self.main, self.canvas))

    def _fill_layers(self) -> None:
        """The second view starts with the main view's layers, the newest imagery swapped for
        the one before it (so it shows the other date)."""
        from lzt.analysis.imagery import acquisitions

        dated = [a.layer for a in acquisitions(self.session.ws)]
        main_visible = {n for n, _, _ in self.main.session.drawn_layers()}
        for s in self.session.layers:
            on = s.name in main_visible
            if len(dated) >= 2 and s.name in dated:
                on = s.name == dated[-2]
            self.session.set_visible(s.name, on)
        self.layers.blockSignals(True)
        self.layers.clear()
        for s in reversed(self.session.layers):  # top first, like the layer panel
            it = QListWidgetItem(s.name)
            it.setData(Qt.ItemDataRole.UserRole, s.name)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if s.visible else Qt.CheckState.Unchecked)
            self.layers.addItem(it)
        self.layers.blockSignals(False)

    def _layer_toggled(self, item: QListWidgetItem) -> None:
        self.session.set_visible(item.data(Qt.ItemDataRole.UserRole), item.checkState() == Qt.CheckState.Checked)

    def follow(self, leader: MapCanvas, follower: MapCanvas) -> None:
        """Give ``follower`` the centre and scale (metres per pixel) of ``leader``."""
        if self._syncing or not self.isVisible() and follower is self.canvas:
            return
        e = leader.view_extent()
        res = leader.resolution()
        cx, cy = (e[0] + e[2]) / 2, (e[1] + e[3]) / 2
        hw, hh = res * max(1, follower.width()) / 2, res * max(1, follower.height()) / 2
        want = (cx - hw, cy - hh, cx + hw, cy + hh)
        have = follower.session.extent
        if have and max(abs(a - b) for a, b in zip(have, want)) < res * 1e-3:
            return
        self._syncing = True
        try:
            follower.session.set_extent(want)
        finally:
            self._syncing = False

    def _cursor(self, target: MapCanvas, source: MapCanvas, x: float, y: float) -> None:
        target.marker = (x, y)
        source.marker = None
        target.update()
        source.update()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.follow(self.main, self.canvas)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.follow(self.main, self.canvas)

    def shutdown(self) -> None:
        self.canvas.shutdown()


__all__ = ["LinkedView", "SwipePanel", "layer_choices"]
