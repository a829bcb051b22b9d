"""Export dialogs: a layer to a data file (masked by default), a parcel's PDF report."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLineEdit, QPushButton, QWidget)

from layers.kinds import LayerKind
from lzt.gui.settings import settings
from lzt.gui.file_types import export_filters
from lzt.gui.tasks import run_on_workspace, run_task
from lzt.workspace.personal import layer_is_personal


def has_unmask_right() -> bool:
    """Whether this user may export personal data unmasked (a setting the administrator grants)."""
    return str(settings().value("unmask_right", "false")).lower() == "true"


class ExportDialog(QDialog):
    """Export one layer (optionally only the selection, or a filter) to a file."""

    def __init__(self, session, layer: str, parent=None):
        super().__init__(parent)
        self.session = session
        self.layer = layer
        self.raster = session.ws.layer(layer).kind == LayerKind.RASTER
        self.formats = export_filters(self.raster)
        self.setWindowTitle(self.tr("导出图层 {0}").format(layer))
        self.path = QLineEdit()
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        holder = QWidget()
        holder.setLayout(row)
        self.format = QComboBox()
        self.format.addItems(list(self.formats))
        self.only_selected = QCheckBox(self.tr("仅导出所选要素（{0} 个）").format(len(session.selection(layer))))
        self.only_selected.setEnabled(bool(len(session.selection(layer))) and not self.raster)
        self.where = QLineEdit()
        self.where.setEnabled(not self.raster)
        self.where.setPlaceholderText(self.tr("可选：属性条件（CQL2）"))
        self.crs = QComboBox()
        self.crs.setEditable(True)
        self.crs.addItems([session.ws.crs, "EPSG:4490", "EPSG:4326"])
        self.unmasked = QCheckBox(self.tr("不脱敏导出个人信息（将写入审计日志）"))
        self.unmasked.setEnabled(has_unmask_right() and layer_is_personal(session.ws.layer(layer)))
        form = QFormLayout(self)
        form.addRow(self.tr("文件"), holder)
        form.addRow(self.tr("格式"), self.format)
        form.addRow("", self.only_selected)
        form.addRow(self.tr("条件"), self.where)
        form.addRow(self.tr("坐标系"), self.crs)
        form.addRow("", self.unmasked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("导出到"), self.layer, ";;".join(self.formats))
        if path:
            suffix = self.formats.get(chosen, next(iter(self.formats.values())))
            self.path.setText(path if Path(path).suffix else path + suffix)

    def run(self) -> bool:
        from lzt.core.child_process import run_in_child
        from lzt.core.sqlite_files import refuse_if_held
        from lzt.export.data import for_output, shapefile_field_names
        from lzt.export.layer_job import remove_partial, save_frame, write_saved_frame
        from lzt.query.run import QuerySpec, run_query
        from lzt.workspace import open_workspace

        out = self.path.text().strip()
        if not out:
            self._browse()
            out = self.path.text().strip()
            if not out:
                return False
        if not Path(out).suffix:
            out += self.formats[self.format.currentText()]
        if self.raster:
            return self._run_raster(out)
        uri, layer, where = self.session.ws.uri, self.layer, self.where.text().strip() or None
        fids = self.session.selection(layer) if self.only_selected.isChecked() else None
        crs, unmasked = self.crs.currentText().strip(), self.unmasked.isChecked() and self.unmasked.isEnabled()
        steps = self.tr("读取要素"), self.tr("写入文件")

        def work(fb):
            ws = open_workspace(uri)
            try:
                fb.progress(0, 2, steps[0])
                feats = run_query(ws, QuerySpec(layer=layer, where=where)).features
                if fids is not None:
                    feats = feats.loc[feats.index.intersection(fids)]
                feats = for_output(ws, layer, feats, unmasked=unmasked, target=out)
            finally:
                ws.close()
            fb.check()
            refuse_if_held(out, "export over")  # the child cannot see this process's open workspaces
            fb.progress(1, 2, steps[1])
            with tempfile.TemporaryDirectory(prefix="lzt-export-") as tmp:
                frame = Path(tmp) / "frame.pickle"
                save_frame(feats, frame)
                try:  # the write in a child process: pyogrio holds the GIL throughout
                    run_in_child(write_saved_frame, (str(frame), out, crs, layer), fb)
                except BaseException:  # cancelled, failed or the child crashed: no partial file left
                    remove_partial(out)
                    raise
            renamed = shapefile_field_names(feats.columns, feats.geometry.name) \
                if out.lower().endswith(".shp") else {}
            return len(feats), renamed

        ok, result = run_task(self, self.tr("导出数据"), work)
        if ok:
            self.result_count, renamed = result
            self.summary = self.tr("已导出 {0} 个要素到 {1}").format(f"{self.result_count:,}", out)
            if renamed:
                self.summary += self.tr("；Shapefile 字段名已缩短：") + "，".join(f"{a}→{b}" for a, b in renamed.items())
            self.accept()
        return ok


    def _run_raster(self, out: str) -> bool:
        """A raster layer: a GeoTIFF in the chosen CRS, reprojected (and said so) when needed."""
        from lzt.export.raster import RESAMPLING_ZH, export_raster
        from lzt.workspace import open_workspace

        uri, layer, crs = self.session.ws.uri, self.layer, self.crs.currentText().strip()

        def work(fb):
            ws = open_workspace(uri)
            try:
                fb.progress(0, 1, "写入栅格")
                return export_raster(ws, layer, out, crs=crs)
            finally:
                ws.close()

        ok, r = run_task(self, self.tr("导出数据"), work)
        if ok:
            self.summary = self.tr("已导出栅格 {0} 到 {1}（{2}，{3}）").format(
                layer, out, r.crs, self.tr(RESAMPLING_ZH[r.resampling]))
            self.accept()
        return ok


def save_parcel_report(parent, session, parcel_id: str, as_of: date, out: str | None = None) -> Path | None:
    """Ask where to save, then write the parcel's PDF report with a progress dialog."""
    from lzt.export.report import parcel_report

    if out is None:
        title = QCoreApplication.translate("ExportDialog", "保存宗地核查报告")
        name = QCoreApplication.translate("ExportDialog", "{0}_核查报告.pdf").format(parcel_id)
        out, _ = QFileDialog.getSaveFileName(parent, title, name, "PDF (*.pdf)")
        if not out:
            return None
    ok, path = run_on_workspace(parent, QCoreApplication.translate("ExportDialog", "生成核查报告"), session.ws.uri,
                                lambda ws, fb: parcel_report(ws, parcel_id, out, as_of=as_of, feedback=fb))
    return path if ok else None
