"""The warnings panel (苗头预警): run ``lzt warn`` on the complaint layer, list the warnings,
zoom the map to each and select its orders; and the briefing (简报) export.

The computation runs behind the task dialog (``run_task``) on its own workspace connection
(it may store the column cache and the caller-key secret). The list shows only what the
``--json`` contract carries, plus the 街道/社区 the orders lie in: no personal data.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from layers.kinds import LayerKind
from lzt.gui.tasks import run_on_workspace

LEVEL_COLOURS = {"红": "#f8d7da", "橙": "#ffe5cc", "黄": "#fff3cd"}


class WarningsPanel(QWidget):
    """Warnings of the complaint layer for a period; a click zooms to one."""

    computed = Signal(int)  # number of warnings

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.layer = next((li.name for li in session.ws.layers() if li.kind == LayerKind.COMPLAINTS), None)
        self.alerts: list = []
        self.period = QComboBox()
        self.period.addItem(self.tr("周"), "week")
        self.period.addItem(self.tr("月"), "month")
        self.by = QComboBox()
        self.by.addItem(self.tr("一级分类"), "category")
        self.by.addItem(self.tr("二级分类"), "category2")
        self.cell = QSpinBox()
        self.cell.setRange(50, 2000)
        self.cell.setSingleStep(50)
        self.cell.setValue(200)
        self.cell.setSuffix(" m")
        self.use_date = QCheckBox(self.tr("截至"))
        self.as_of = QDateEdit()
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setDate(QDate.currentDate())
        self.as_of.setEnabled(False)
        self.use_date.toggled.connect(self.as_of.setEnabled)
        run = QPushButton(self.tr("生成预警"))
        run.clicked.connect(lambda: self.refresh())
        self.summary = QLabel(self.tr("尚未生成") if self.layer else self.tr("工作空间中没有民生诉求图层"))
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("级别"), self.tr("类型"), self.tr("类别"), self.tr("位置"),
                                              self.tr("首次出现"), self.tr("依据")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        top = QHBoxLayout()
        for w in (QLabel(self.tr("周期")), self.period, QLabel(self.tr("分类")), self.by, QLabel(self.tr("格网")),
                  self.cell, self.use_date, self.as_of, run):
            top.addWidget(w)
        top.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)

    def chosen_date(self) -> date | None:
        return self.as_of.date().toPython() if self.use_date.isChecked() else None

    def refresh(self) -> int | None:
        """Compute the warnings (behind a progress dialog); returns how many, None if it failed."""
        if self.layer is None:
            return None
        from lzt.analysis.early_warning import warn

        layer, period, by = self.layer, self.period.currentData(), self.by.currentData()
        cell, as_of = float(self.cell.value()), self.chosen_date()
        ok, res = run_on_workspace(self, self.tr("苗头预警"), self.session.ws.uri, lambda ws, fb: warn(
            ws, layer, as_of=as_of, period=period, by=by, cell=cell, feedback=fb))
        if not ok:
            return None
        self.alerts = res.alerts
        self._fill()
        counts = {lv: sum(a.level == lv for a in res.alerts) for lv in ("红", "橙", "黄")}
        self.summary.setText(self.tr("{0}：预警 {1} 条（红 {2}、橙 {3}、黄 {4}）").format(
            res.periods.label(res.periods.n - 1), len(res.alerts), counts["红"], counts["橙"], counts["黄"])
            + ("\n" + "；".join(res.notes) if res.notes else ""))
        self.computed.emit(len(res.alerts))
        return len(res.alerts)

    def _fill(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.alerts))
        for i, a in enumerate(self.alerts):
            for j, text in enumerate((a.level, a.kind, a.category, a.place or a.area, a.first_seen, a.summary())):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{a.area}\n{', '.join(a.orders)}")
                if j == 0:
                    item.setBackground(QColor(LEVEL_COLOURS.get(a.level, "#ffffff")))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)

    def _row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.zoom_to(rows[0].row())

    def zoom_to(self, row: int) -> None:
        """Zoom the map to warning ``row`` and select its orders on the complaint layer."""
        a = self.alerts[row]
        if len(a.fids):
            self.session.select(self.layer, a.fids)
        if a.geometry is not None and not a.geometry.is_empty:
            x0, y0, x1, y1 = a.geometry.bounds
            pad = max(300.0, 0.5 * max(x1 - x0, y1 - y0))
            self.session.set_extent((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
        elif len(a.fids):
            self.session.zoom_to_selection(self.layer)


def save_briefing(parent, session, *, period: str = "week", as_of: date | None = None,
                  out: str | None = None) -> str | None:
    """Ask where to save, then write the briefing (PDF or DOCX) behind a progress dialog."""
    if out is None:
        name = "民生诉求周报" if period == "week" else "民生诉求月报"
        out, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("WarningsPanel", "保存简报"), f"{name}.pdf",
                                             "PDF (*.pdf);;Word/WPS (*.docx)")
        if not out:
            return None
    from lzt.export.briefing import write_briefing

    ok, path = run_on_workspace(parent, QCoreApplication.translate("WarningsPanel", "生成简报"), session.ws.uri, lambda ws, fb: str(
        write_briefing(ws, out, period=period, as_of=as_of, feedback=fb)))
    return path if ok else None


__all__ = ["WarningsPanel", "save_briefing"]
