"""Add a raster service (天地图, WMTS, WMS, XYZ/TMS) to the workspace and the map. The
service is saved in the workspace's catalogue (the same record ``lzt service add`` writes;
never its key) and opened in a ``run_task`` worker, so a slow or dead server never freezes
the window; errors are one-line dialogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QMessageBox

from lzt.core.errors import LztInputError
from lzt.gui.dialogs.names import check_new_name
from lzt.gui.tasks import run_task, show_error
from lzt.services import tianditu
from lzt.services.catalog import ServiceRecord


class RasterServiceDialog(QDialog):
    """Type, address, layer, tile matrix set, coordinates, the key's environment variable, name."""

    def __init__(self, parent=None, taken: set[str] | None = None):
        super().__init__(parent)
        self.taken = taken or set()
        self.setWindowTitle(self.tr("添加地图/瓦片服务"))
        self.setMinimumWidth(600)
        self.kind = QComboBox()
        for key, label in (("tianditu", self.tr("天地图")), ("wmts", "WMTS"), ("wms", "WMS"),
                           ("xyz", self.tr("XYZ / TMS 瓦片模板"))):
            self.kind.addItem(label, key)
        self.url = QLineEdit()
        self.layer = QComboBox()
        self.layer.setEditable(True)
        self.matrix_set = QLineEdit()
        self.matrix_set.setPlaceholderText(self.tr("可留空（自动选择）"))
        self.coords = QComboBox()
        self.coords.addItem(self.tr("WGS84 / CGCS2000（无偏移）"), None)
        self.coords.addItem(self.tr("GCJ-02（高德、腾讯）"), "gcj02")
        self.coords.addItem(self.tr("BD-09（百度）"), "bd09")
        self.key_env = QLineEdit()
        self.key_env.setPlaceholderText(self.tr("保存密钥的环境变量名，如 TIANDITU_TOKEN（密钥本身不会保存）"))
        self.name = QLineEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("类型"), self.kind)
        form.addRow(self.tr("地址"), self.url)
        form.addRow(self.tr("图层"), self.layer)
        form.addRow(self.tr("瓦片矩阵集"), self.matrix_set)
        form.addRow(self.tr("坐标"), self.coords)
        form.addRow(self.tr("密钥变量"), self.key_env)
        form.addRow(self.tr("名称"), self.name)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.layer.clear()
        hints = {"tianditu": tianditu.DEFAULT_URL, "wmts": "https://example.gov.cn/wmts/1.0.0/WMTSCapabilities.xml",
                 "wms": "https://example.gov.cn/wms?VERSION=1.3.0",
                 "xyz": "https://example.gov.cn/tiles/{z}/{x}/{y}.png"}
        self.url.setPlaceholderText(hints[kind])
        if kind == "tianditu":
            self.url.setText(tianditu.DEFAULT_URL)
            for lid, label in tianditu.LAYERS.items():
                for which, crs in (("c", self.tr("经纬度 CGCS2000")), ("w", self.tr("球面墨卡托"))):
                    self.layer.addItem(f"{label} {lid}_{which}（{crs}）", f"{lid}_{which}")
            self.key_env.setText(tianditu.DEFAULT_KEY_ENV)
            if not self.name.text():
                self.name.setText(self.tr("天地图影像"))
        else:
            if self.url.text() == tianditu.DEFAULT_URL:
                self.url.clear()
            if self.key_env.text() == tianditu.DEFAULT_KEY_ENV:
                self.key_env.clear()
        self.layer.setEnabled(kind != "xyz")
        self.matrix_set.setEnabled(kind in ("wmts", "tianditu"))

    def record(self) -> ServiceRecord:
        layer = self.layer.currentData() if self.layer.currentIndex() >= 0 and \
            self.layer.currentText() == self.layer.itemText(self.layer.currentIndex()) else None
        layer = layer or self.layer.currentText().strip()
        return ServiceRecord(name=self.name.text().strip(), type=self.kind.currentData(), url=self.url.text().strip(),
                             layer=str(layer or "") if self.kind.currentData() != "xyz" else "",
                             matrix_set=self.matrix_set.text().strip(), coords=self.coords.currentData(),
                             key_env=self.key_env.text().strip())

    def _accept(self) -> None:
        if not check_new_name(self, self.name.text(), self.taken):
            return
        if not self.url.text().strip():
            QMessageBox.warning(self, self.windowTitle(), self.tr("请填写服务地址。"))
            return
        self.accept()


def add_raster_service(window, rec: ServiceRecord | None = None) -> bool:
    """Ask for a service (unless ``rec`` is given), open it in a worker (capabilities, key),
    save it in the workspace and put it under the map's layers."""
    from lzt.services import catalog
    from lzt.services.rasterlayer import RasterServiceLayer

    session = window.session
    if rec is None:
        dialog = RasterServiceDialog(window, taken={i.name for i in session.ws.layers()})
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        rec = dialog.record()
    layer = RasterServiceLayer(rec, session.ws.crs)
    title = QCoreApplication.translate("RasterServiceDialog", "添加地图/瓦片服务")
    try:
        catalog.check_url(rec.url, source=rec.name)
    except LztInputError as exc:
        show_error(window, title, exc)
        return False
    ok, _ = run_task(window, QCoreApplication.translate("RasterServiceDialog", "连接服务"), lambda fb: layer.source())
    if not ok:
        return False
    try:
        catalog.add(session.ws, rec)
        session.ws.add_service(layer)
    except LztInputError as exc:
        show_error(window, title, exc)
        return False
    session.reload()
    session.set_current(layer.name)
    return True
