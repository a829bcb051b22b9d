"""Map sheet and atlas export from the GUI, with a preview of the page (the same code as
``lzt sheet`` / ``lzt atlas``: what the preview shows is what is printed). The preview is
drawn in a worker: the dialog opens at once and the page appears when it is drawn."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout)

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.export.sheet_spec import SheetSpec, nice_scale
from lzt.gui.messages import user_message
from lzt.gui.latest import Latest
from lzt.gui.tasks import run_task

PAPERS = ("A4", "A3", "A2", "A1", "A0")
PREVIEW_DPI = 30.0


class SheetDialog(QDialog):
    """One sheet of the current view, or an atlas over a coverage layer (``atlas=True``)."""

    def __init__(self, session, canvas, parent=None, *, atlas: bool = False):
        super().__init__(parent)
        self._previewing = Latest("preview", self._show_preview, self._preview_failed, self)
        self.session, self.canvas, self.atlas = session, canvas, atlas
        self.setWindowTitle(self.tr("导出图集") if atlas else self.tr("导出地图"))
        self.paper = QComboBox()
        self.paper.addItems(list(PAPERS))
        self.paper.setCurrentText("A3")
        self.landscape = QCheckBox(self.tr("横向"))
        self.landscape.setChecked(True)
        self.scale = QSpinBox()
        self.scale.setRange(100, 5_000_000)
        self.scale.setSingleStep(500)
        self.scale.setPrefix("1:")
        self.scale.setValue(nice_scale(max(100.0, canvas.scale() * 0.6)))
        self.auto_scale = QCheckBox(self.tr("按要素范围自动确定比例尺"))
        self.auto_scale.setChecked(atlas)
        # the line last drawn with the 剖面 tool: its profile under the map
        self.with_profile = QCheckBox(self.tr("附纵断面（地图上最近画的剖面线）"))
        self.with_profile.setChecked(bool(getattr(canvas, "profile_line", None)) and not atlas)
        self.with_profile.setEnabled(bool(getattr(canvas, "profile_line", None)) and not atlas)
        self.title = QLineEdit(self.tr("龙岗区专题图"))
        self.dpi = QSpinBox()
        self.dpi.setRange(72, 1200)
        self.dpi.setValue(300)
        self.coverage = QComboBox()
        self.coverage.addItems([s.name for s in reversed(session.layers) if s.kind != LayerKind.RASTER
                                and "Polygon" in (s.geometry_type or "")])
        if "streets" in [self.coverage.itemText(i) for i in range(self.coverage.count())]:
            self.coverage.setCurrentText("streets")
        self.where = QLineEdit()
        self.where.setPlaceholderText(self.tr("可选：只为满足条件的要素出图"))
        self.out = QLineEdit()
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.out, 1)
        row.addWidget(browse)
        self.preview = QLabel(self.tr("（预览）"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(420, 300)
        self.preview.setStyleSheet("background: #e0e0e0")
        refresh = QPushButton(self.tr("刷新预览"))
        refresh.clicked.connect(self.update_preview)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("纸张"), self.paper)
        form.addRow("", self.landscape)
        form.addRow(self.tr("比例尺"), self.scale)
        form.addRow("", self.auto_scale)
        form.addRow(self.tr("标题"), self.title)
        form.addRow(self.tr("分辨率 (dpi)"), self.dpi)
        if not atlas:
            form.addRow("", self.with_profile)
        if atlas:
            form.addRow(self.tr("分幅图层"), self.coverage)
            form.addRow(self.tr("条件"), self.where)
        form.addRow(self.tr("输出"), row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.message)
        left.addStretch(1)
        left.addWidget(buttons)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(refresh)
        lay = QHBoxLayout(self)
        lay.addLayout(left)
        lay.addLayout(right, 1)

    def spec(self, *, dpi: float | None = None) -> SheetSpec:
        """The sheet as the dialog describes it, the map as the screen shows it: the visible
        layers in their order, with their styles, opacity and filters (the dashboard's time
        window on complaints, named in the sheet's notes)."""
        e = self.canvas.view_extent()
        drawn = self.session.drawn_layers()
        auto = self.auto_scale.isChecked()
        notes = ()
        if self.session.time_range is not None and any(f is not None for _, _, f in drawn):
            first, last = self.session.time_range
            notes = (self.tr("民生诉求时间窗：{0} 至 {1}").format(first.isoformat(), last.isoformat()),)
        return SheetSpec(paper=self.paper.currentText(), landscape=self.landscape.isChecked(),
                         scale=None if auto else float(self.scale.value()),
                         center=None if self.atlas else ((e[0] + e[2]) / 2, (e[1] + e[3]) / 2),
                         layers=tuple(n for n, _, _ in drawn), title=self.title.text().strip() or None,
                         dpi=dpi or float(self.dpi.value()),
                         opacity=tuple((n, o) for n, o, _ in drawn if o != 1.0),
                         filters=tuple((n, f) for n, _, f in drawn if f is not None), notes=notes,
                         profile=tuple(self.canvas.profile_line) if self.with_profile.isChecked() else None)

    def _browse(self) -> None:
        if self.atlas:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("图集保存为"), "atlas.pdf", "PDF (*.pdf)")
        else:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("地图保存为"), "sheet.pdf",
                                                  "PDF (*.pdf);;PNG (*.png);;SVG (*.svg)")
        if path:
            self.out.setText(path)

    def update_preview(self) -> None:
        """Render the (first) sheet at a low resolution in the worker; shown when drawn."""
        from lzt.export.sheet import render_sheet

        ws, spec = self.session.ws, self.spec(dpi=PREVIEW_DPI)
        coverage, where = self.coverage.currentText(), self.where.text().strip() or None
        atlas = self.atlas

        def work():
            nonlocal spec
            if atlas:
                from lzt.export.atlas import atlas_plans

                plans = atlas_plans(ws, spec, coverage, where)
                if not plans:
                    raise LztInputError(coverage, "no feature to map")
                spec = plans[0].spec
            with tempfile.TemporaryDirectory() as d:
                png = Path(d) / "preview.png"
                render_sheet(ws, spec, png)
                return QImage(str(png))

        if self._previewing.submit(work):
            self.message.setText(self.tr("正在生成预览…"))

    @property
    def preview_busy(self) -> bool:
        """The preview does not show the current settings yet (it is drawing)."""
        return self._previewing.busy

    def _preview_failed(self, error: BaseException) -> None:
        """Bad input in one line; any other error by its type too (never left 正在生成预览… for ever)."""
        self.message.setText(user_message(error) if isinstance(error, LztInputError)
                             else f"{type(error).__name__}: {error}")

    def _show_preview(self, result) -> None:
        self.preview.setPixmap(QPixmap.fromImage(result).scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        self.message.clear()

    def wait_preview(self, timeout: float = 60.0) -> bool:
        """Process events until the preview is drawn (for scripts and tests); True if it shows a page."""
        from PySide6.QtWidgets import QApplication

        end = time.monotonic() + timeout
        while self.preview_busy and time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.01)
        pm = self.preview.pixmap()
        return not self.preview_busy and pm is not None and not pm.isNull()

    def done(self, result: int) -> None:  # noqa: D102 - Qt API: a preview still drawing is dropped
        self._previewing.shutdown(wait=False)
        super().done(result)

    def run(self) -> bool:
        out = self.out.text().strip()
        if not out:
            self._browse()
            out = self.out.text().strip()
            if not out:
                return False
        uri, spec = self.session.ws.uri, self.spec()
        coverage, where = self.coverage.currentText(), self.where.text().strip() or None

        def work(fb):
            from lzt.workspace import open_workspace

            ws = open_workspace(uri)
            try:
                if self.atlas:
                    from lzt.export.atlas import render_atlas

                    return render_atlas(ws, spec, coverage, out, where=where, feedback=fb)
                from lzt.export.sheet import render_sheet

                render_sheet(ws, spec, out, feedback=fb)
                return [Path(out)]
            finally:
                ws.close()

        ok, files = run_task(self, self.title.text() or self.windowTitle(), work)
        if ok:
            self.files = files
            self.accept()
        return ok
