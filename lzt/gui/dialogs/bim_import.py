"""Importing BIM models from the GUI: where to put them, the import, and what came of it.

The placement dialog offers the files' own georeferencing (the default) or a place the user
gives — origin typed or clicked on the map, rotation, CRS — which overrides what the files
say, as ``lzt bim --origin/--rotation/--crs`` does. After the import a summary lists what was
imported, the warnings and the failures; models that failed because their own location lies
outside the workspace's region can be placed and imported again from there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QRadioButton, QVBoxLayout, QWidget)

from lzt.core.errors import LztInputError
from lzt.gui.tasks import run_task, show_error


class BimPlacementDialog(QDialog):
    """Where the models go: as their files say, or at an origin, rotation and CRS the user gives."""

    def __init__(self, canvas, files: list[Path], ws_crs: str, parent=None, reason: str = ""):
        super().__init__(parent)
        self.canvas, self.ws_crs, self._picking = canvas, ws_crs, False
        self.setWindowTitle(self.tr("导入 BIM 模型"))
        names = ", ".join(p.name for p in files[:3]) + (" …" if len(files) > 3 else "")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("{0} 个文件或文件夹：{1}").format(len(files), names)))
        if reason:
            why = QLabel(reason)
            why.setWordWrap(True)
            layout.addWidget(why)
        self.own = QRadioButton(self.tr("按模型文件自带的地理参照定位"))
        self.user = QRadioButton(self.tr("指定位置（覆盖模型文件自带的定位）"))
        self.own.setChecked(True)
        layout.addWidget(self.own)
        layout.addWidget(self.user)
        self.x, self.y, self.z = QLineEdit(), QLineEdit(), QLineEdit()
        self.z.setPlaceholderText(self.tr("可选，默认 0"))
        self.pick = QPushButton(self.tr("在地图上点选…"))
        self.pick.clicked.connect(self.start_pick)
        self.rotation = QDoubleSpinBox()
        self.rotation.setRange(-360.0, 360.0)
        self.rotation.setDecimals(3)
        self.rotation.setSuffix("°")
        self.crs = QComboBox()
        self.crs.setEditable(True)
        self.crs.addItems(list(dict.fromkeys([ws_crs, "EPSG:4547", "EPSG:4490", "EPSG:4326"])))
        row = QHBoxLayout()
        row.addWidget(self.x, 1)
        row.addWidget(self.y, 1)
        row.addWidget(self.pick)
        xy = QWidget()
        xy.setLayout(row)
        self.place = QWidget()
        form = QFormLayout(self.place)
        form.addRow(self.tr("原点 X, Y"), xy)
        form.addRow(self.tr("原点高程 Z"), self.z)
        form.addRow(self.tr("旋转（模型 x 轴自正东逆时针）"), self.rotation)
        form.addRow(self.tr("坐标系"), self.crs)
        layout.addWidget(self.place)
        self.user.toggled.connect(self.place.setEnabled)
        self.place.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def placement(self) -> dict:
        """``{}`` for the files' own georeferencing, else origin, rotation and CRS for ``import_bim``."""
        from lzt.core import crs as crsmod

        if not self.user.isChecked():
            return {}
        try:
            origin = tuple(float(w.text().strip()) for w in (self.x, self.y))
            z = self.z.text().strip()
            origin += (float(z),) if z else ()
        except ValueError:
            raise LztInputError(self.tr("原点"), self.tr("请输入数字坐标 X、Y（Z 可选）")) from None
        crs = self.crs.currentText().strip()
        crsmod.parse_crs(crs, source=self.tr("坐标系"))
        return {"origin": origin, "rotation": float(self.rotation.value()), "crs": crs}

    def accept(self) -> None:
        try:
            self.placement()
        except LztInputError as exc:
            show_error(self, self.windowTitle(), exc)
            return
        super().accept()

    def set_origin(self, x: float, y: float) -> None:
        """Fill the origin (workspace CRS) and choose the user's placement."""
        self.x.setText(f"{x:.3f}")
        self.y.setText(f"{y:.3f}")
        self.crs.setCurrentText(self.ws_crs)
        self.user.setChecked(True)

    def start_pick(self) -> None:
        """Hide the dialog and take the next click on the map as the origin (Esc gives up)."""
        self._picking = True
        self.canvas.installEventFilter(self)
        self.canvas.setCursor(Qt.CursorShape.CrossCursor)
        self.hide()

    def _end_pick(self) -> None:
        self._picking = False
        self.canvas.removeEventFilter(self)
        self.canvas.unsetCursor()
        self.show()
        self.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if not self._picking or obj is not self.canvas:
            return False
        if event.type() == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self.set_origin(*self.canvas.to_map(event.position()))
            self._end_pick()
            return True
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self._end_pick()
            return True
        return False


class BimImport(QObject):
    """Ask where, import in a worker behind a progress dialog, then say what happened."""

    def __init__(self, window, canvas, ws, on_done: Callable[[], None] | None = None):
        super().__init__(window)
        self.window, self.canvas, self.ws, self.on_done = window, canvas, ws, on_done
        self.dialog: BimPlacementDialog | None = None
        self.results: list = []

    def start(self, paths: list[Path], reason: str = "", override: bool = False) -> BimPlacementDialog:
        """Open the placement dialog (window-modal); the import runs when it is accepted."""
        self.dialog = dlg = BimPlacementDialog(self.canvas, [Path(p) for p in paths], self.ws.crs, self.window, reason)
        dlg.user.setChecked(override)
        dlg.accepted.connect(lambda: self.run(paths, dlg.placement()))
        dlg.open()
        return dlg

    def run(self, paths: list[Path], placement: dict) -> list:
        """Import ``paths`` with ``placement`` (see ``BimPlacementDialog.placement``); returns the results."""
        from lzt.ingest.bim import import_bim
        from lzt.workspace import open_workspace

        uri = self.ws.uri

        def work(fb):
            ws = open_workspace(uri)
            try:
                return import_bim(ws, [Path(p) for p in paths], feedback=fb, **placement)
            finally:
                ws.close()

        ok, results = run_task(self.window, self.tr("导入 BIM 模型"), work)
        if self.on_done is not None:
            self.on_done()
        self.results = results if ok else []
        if ok:
            self.report(results, placement)
        return self.results

    def report(self, results: list, placement: dict) -> None:
        """A summary: counts, then each warning and failure on its own line; offers to place the
        models that lie outside the workspace's region."""
        done = [r for r in results if r.status in ("imported", "updated")]
        unplaced = [r for r in results if r.status == "unplaced"]
        failed = [r for r in results if r.status == "failed"]
        text = self.tr("已导入 {0} 个模型，未定位 {1} 个，失败 {2} 个。").format(len(done), len(unplaced), len(failed))
        lines = [f"{Path(r.file).name}: {r.error}" for r in failed]
        lines += [f"{Path(r.file).name}: {w}" for r in results for w in r.warnings]
        box = QMessageBox(QMessageBox.Icon.Warning if failed else QMessageBox.Icon.Information,
                          self.tr("导入 BIM 模型"), text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("lzt-bim-summary")
        if lines:
            box.setInformativeText("\n".join(lines[:12]) + ("\n…" if len(lines) > 12 else ""))
        outside = [r for r in failed if r.outside_area] if not placement else []
        retry = box.addButton(self.tr("指定位置后重试…"), QMessageBox.ButtonRole.ActionRole) if outside else None
        box.exec()
        if retry is not None and box.clickedButton() is retry:
            self.place_outside(outside)

    def place_outside(self, failed: list) -> BimPlacementDialog:
        """Open the placement dialog for models whose own location lies outside the workspace's region."""
        reason = self.tr("这些模型自带的位置在工作空间范围之外（常见于 Revit 默认项目地点）。请输入或在地图上点选原点，指定的位置将覆盖模型自带的定位。")  # noqa: E501
        return self.start([Path(r.file) for r in failed], reason=reason, override=True)
