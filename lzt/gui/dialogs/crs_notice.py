"""After adding files: say which China datum lon/lat data is believed to be in, offer to apply it.

An import never corrects GCJ-02/BD-09 on a guess. When the import's verdict
(``ImportReport.crs_verdict``) names another system than the data was read as, this
notice shows the verdict and its evidence, and one click re-imports the file with that
system (``--coords``), replacing the layer just added.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout

from lzt.core.chinacoords import LABELS


def flagged(reports) -> list:
    """The import reports whose verdict differs from how the data was read."""
    return [r for r in reports or [] if (getattr(r, "crs_verdict", None) or {}).get("flag")]


class CrsNoticeDialog(QDialog):
    """The verdict for each flagged layer, with "apply" (re-import) and "keep as is"."""

    def __init__(self, reports, parent=None):
        super().__init__(parent)
        self.reports = list(reports)
        self.setWindowTitle(self.tr("坐标系提示"))
        self.setObjectName("lzt-crs-notice")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("以下数据的经纬度看来不是按导入时的坐标系记录的。lzt 没有自行纠偏：数据已按原样导入。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.texts = []
        for r in self.reports:
            label = QLabel(self._describe(r))
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setToolTip(r.file)
            layout.addWidget(label)
            self.texts.append(label.text())
        datums = {r.crs_verdict["datum"] for r in self.reports}
        what = LABELS[next(iter(datums))] if len(datums) == 1 else self.tr("各自判断的坐标系")
        buttons = QDialogButtonBox()
        self.apply_button = QPushButton(self.tr("应用：按 {0} 重新导入").format(what))
        self.keep_button = QPushButton(self.tr("保持原样"))
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.apply_button.setDefault(True)

    def _describe(self, r) -> str:
        v = r.crs_verdict
        level = {"high": self.tr("判断为"), "medium": self.tr("看来是"), "low": self.tr("可能是")}
        line = self.tr("<b>{0}</b> → 图层 {1}：{2} {3}，已按 {4} 导入").format(
            Path(r.file).name, r.layer, level.get(v["confidence"], ""), LABELS[v["datum"]],
            LABELS.get(v.get("imported_as") or "wgs84"))
        geo = v.get("geometry") or {}
        pair = "-".join(sorted((v["datum"], v.get("imported_as") or "wgs84"), key=list(LABELS).index))
        off = (geo.get("offsets_m") or {}).get(pair)
        if off:
            line += self.tr("，位置约偏 {0:.0f} m").format(off)
        why = [c["text"] for c in v.get("provenance", []) if c["datum"] == v["datum"]]
        if geo.get("status") == "conclusive" and geo.get("best") == v["datum"]:
            fit = next((f for f in geo.get("layers", []) if f["layer"] == geo.get("layer")), None)
            other = (fit or {}).get("median_m", {}).get(v.get("imported_as") or "wgs84")
            why.append(self.tr("与工作空间图层 {0} 比对：按 {1} 残差 {2:.1f} m，按 {3} {4}").format(
                geo.get("layer"), LABELS[v["datum"]], geo["residual_m"],
                LABELS.get(v.get("imported_as") or "wgs84"),
                self.tr("超过 {0:g} m").format(fit["radius_m"]) if other is None and fit
                else f"{other:.1f} m"))
        if why:
            line += "<br>" + self.tr("依据：") + "".join(f"<br>· {w}" for w in why)
        return line

    def choices(self) -> list[tuple[object, str]]:
        """(report, system to re-import it as) for each flagged layer."""
        return [(r, r.crs_verdict["datum"]) for r in self.reports]


def offer_crs_fix(window, uri: str, reports) -> bool:
    """Show the notice for flagged reports; on "apply", re-import those files with the system
    the verdict names (replacing the layers just added). True when something was re-imported."""
    todo = flagged(reports)
    if not todo:
        return False
    dialog = CrsNoticeDialog(todo, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    from lzt.gui.tasks import run_task
    from lzt.ingest import ImportOptions, import_paths
    from lzt.workspace import open_workspace

    def work(fb):
        ws = open_workspace(uri)
        try:
            return [rep for r, datum in dialog.choices()
                    for rep in import_paths(ws, [r.file], ImportOptions(layer=r.layer, coords=datum,
                                                                       replace=True), fb)]
        finally:
            ws.close()

    ok, _ = run_task(window, QCoreApplication.translate("CrsNoticeDialog", "按判断的坐标系重新导入"), work)
    window.session.reload()
    return ok
