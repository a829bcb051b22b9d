"""Add a vector service (OGC API - Features or WFS 2.0) to the map and save it in the
workspace's catalogue (the record ``lzt service add`` writes), and download a service layer
into the workspace. The network work runs in ``run_task`` workers; errors (a dead
server, a page that is not the service) are one-line dialogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLineEdit,
                               QMessageBox, QPushButton, QWidget)

from lzt.core.errors import LztInputError
from lzt.gui.dialogs.names import check_new_name
from lzt.gui.tasks import run_task, show_error
from lzt.ingest.importer import default_layer_name
from lzt.services.features import ServiceSpec

TYPES = (("ogcapi", "OGC API - Features"), ("wfs", "WFS 2.0"))


def http_getter():
    """The HTTP getter the map's services use (a short timeout: the map never waits long)."""
    from lzt.services.saved import map_getter

    return map_getter()


class VectorServiceDialog(QDialog):
    """URL and type → 连接 lists the server's collections / feature types → pick one, name it,
    say whether its lon/lat are GCJ-02 or BD-09."""

    def __init__(self, parent=None, taken: set[str] | None = None):
        super().__init__(parent)
        self.taken = taken or set()
        self.setWindowTitle(self.tr("添加矢量服务"))
        self.setMinimumWidth(560)
        self.kind = QComboBox()
        for key, label in TYPES:
            self.kind.addItem(label, key)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://example.gov.cn/ogcapi/  或  https://example.gov.cn/wfs")
        connect = QPushButton(self.tr("连接"))
        connect.clicked.connect(self.connect_service)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.url, 1)
        row.addWidget(connect)
        holder = QWidget()
        holder.setLayout(row)
        self.layer = QComboBox()
        self.layer.setEnabled(False)
        self.layer.currentIndexChanged.connect(self._suggest_name)
        self.name = QLineEdit()
        self.coords = QComboBox()
        self.coords.addItem(self.tr("WGS84 / CGCS2000（无偏移）"), None)
        self.coords.addItem(self.tr("GCJ-02（高德、腾讯）"), "gcj02")
        self.coords.addItem(self.tr("BD-09（百度）"), "bd09")
        form = QFormLayout(self)
        form.addRow(self.tr("类型"), self.kind)
        form.addRow(self.tr("地址"), holder)
        form.addRow(self.tr("图层"), self.layer)
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("坐标"), self.coords)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def connect_service(self) -> bool:
        """List the server's layers (in a worker); False with a dialog when it cannot."""
        url, kind = self.url.text().strip(), self.kind.currentData()
        if not url:
            return False
        get = http_getter()

        def work(fb):
            if kind == "ogcapi":
                from lzt.services.ogcapi import read_info

                return [(c.id, c.title) for c in read_info(get, url).collections]
            from lzt.services.wfs import parse_capabilities

            caps = parse_capabilities(get(url, {"SERVICE": "WFS", "REQUEST": "GetCapabilities",
                                                "ACCEPTVERSIONS": "2.0.0"}), url)
            return [(ft.name, ft.title) for ft in caps.feature_types]

        ok, layers = run_task(self, self.tr("连接服务"), work)
        if not ok:
            return False
        self.layer.clear()
        for lid, title in layers:
            self.layer.addItem(f"{title} ({lid})" if title != lid else lid, lid)
        self.layer.setEnabled(bool(layers))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(layers))
        if not layers:
            QMessageBox.information(self, self.windowTitle(), self.tr("该服务没有可读取的要素图层。"))
        return bool(layers)

    def _suggest_name(self) -> None:
        lid = self.layer.currentData()
        if lid:
            self.name.setText(default_layer_name(str(lid).split(":")[-1]))

    def spec(self) -> ServiceSpec:
        return ServiceSpec(name=self.name.text().strip(), type=self.kind.currentData(),
                           url=self.url.text().strip(), layer=str(self.layer.currentData()),
                           coords=self.coords.currentData())

    def _accept(self) -> None:
        if not check_new_name(self, self.name.text(), self.taken):
            return
        self.accept()


def add_vector_service(window, spec: ServiceSpec | None = None) -> bool:
    """Ask for a service (unless ``spec`` is given), open it in a worker and put it on the map."""
    from lzt.services.features import FeatureSource
    from lzt.services.live import ServiceLayer

    session = window.session
    if spec is None:
        dialog = VectorServiceDialog(window, taken={i.name for i in session.ws.layers()})
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        spec = dialog.spec()
    ws_crs = session.ws.crs
    get = http_getter()
    ok, layer = run_task(window, QCoreApplication.translate("VectorServiceDialog", "连接服务"),
                         lambda fb: ServiceLayer(FeatureSource(spec, get), ws_crs, strict=False))
    if not ok:
        return False
    from lzt.services import catalog

    try:  # saved in the workspace's catalogue as lzt service add does: opened again at the next start
        catalog.add(session.ws, catalog.ServiceRecord(name=spec.name, type=spec.type, url=spec.url,
                                                      layer=spec.layer, coords=spec.coords))
        session.ws.add_service(layer)
    except LztInputError as exc:  # a name taken meanwhile, a URL with a key
        show_error(window, QCoreApplication.translate("VectorServiceDialog", "添加矢量服务"), exc)
        return False
    session.reload()
    session.set_current(layer.name)
    return True


def download_service_layer(window, name: str, whole: bool | None = None) -> bool:
    """Download service layer ``name`` (the current view's extent, or all of it: asked unless
    ``whole`` says) into the workspace as a new layer, in one transaction."""
    from lzt.services.download import download
    from lzt.workspace import open_workspace

    session = window.session
    live = session.ws.service(name) if hasattr(session.ws, "service") else None
    if live is None:
        QMessageBox.information(window, QCoreApplication.translate("VectorServiceDialog", "下载到工作空间"), QCoreApplication.translate("VectorServiceDialog", "当前图层不是矢量服务图层。"))
        return False
    if live.source is None:  # a saved service still connecting, or unavailable
        QMessageBox.information(window, QCoreApplication.translate("VectorServiceDialog", "下载到工作空间"),
                                QCoreApplication.translate("VectorServiceDialog", "服务 {0} 尚未连接：{1}").format(
                                    name, live.error or QCoreApplication.translate("VectorServiceDialog", "正在连接")))
        return False
    if whole is None:
        box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("VectorServiceDialog", "下载到工作空间"),
                          QCoreApplication.translate("VectorServiceDialog", "将服务图层 {0} 下载为工作空间图层：").format(name), parent=window)
        extent_btn = box.addButton(QCoreApplication.translate("VectorServiceDialog", "当前视图范围"), QMessageBox.ButtonRole.AcceptRole)
        all_btn = box.addButton(QCoreApplication.translate("VectorServiceDialog", "全部要素"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() not in (extent_btn, all_btn):
            return False
        whole = box.clickedButton() is all_btn
    extent = None if whole or not session.extent else tuple(session.extent)
    uri, source = session.ws.uri, live.source
    target = default_layer_name(name + "_download")
    n = 2
    while session.ws.has_layer(target):
        target = default_layer_name(f"{name}_download_{n}")
        n += 1

    def work(fb):
        ws = open_workspace(uri)
        try:
            return download(ws, source, extent=extent, layer=target, feedback=fb)
        finally:
            ws.close()

    ok, report = run_task(window, QCoreApplication.translate("VectorServiceDialog", "下载到工作空间"), work)
    session.reload()
    if ok:
        window.statusBar().showMessage(report.text_zh(warnings=False), 8000)
    return ok
