"""控高核对 from the 分析 menu: the height-limit check in a worker, the structures over their
zone's limit selected on the map, the outcome said in a message."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox


def run_height_check(win) -> list | None:
    """Check every building and BIM model in a 控高 zone; select those over (FAIL) or at the
    tolerance (WARN) of their limit. Returns the checks (None when nothing ran)."""
    from lzt.analysis.height_limits import check_height_limits, zones_layer
    from lzt.analysis.supervision import STATUS_ZH
    from lzt.gui.tasks import run_task

    session = win.session
    title = QCoreApplication.translate("HeightLimits", "控高核对")
    if zones_layer(session.ws) is None:
        QMessageBox.information(win, title, QCoreApplication.translate("HeightLimits", "工作空间没有控高分区图层（height_limits，含 height_limit_m 字段）"))
        return None
    ok, checks = run_task(win, title, lambda fb: check_height_limits(session.ws, feedback=fb))
    if not ok:
        return None
    over: dict[str, list[int]] = {}
    for c in checks:
        if c.status in ("FAIL", "WARN"):
            over.setdefault(c.layer, []).append(c.fid)
    on_map = {s.name for s in session.layers}
    session.clear_selection()
    for layer, fids in over.items():
        if layer in on_map:
            session.select(layer, fids)
    counts = {s: sum(c.status == s for c in checks) for s in ("FAIL", "WARN", "NO_DATA", "PASS")}
    text = QCoreApplication.translate("HeightLimits", "控高分区内 {0} 栋：").format(len(checks)) + "，".join(
        f"{STATUS_ZH[s]} {n}" for s, n in counts.items())
    win.statusBar().showMessage(text, 15_000)
    worst = [c.detail for c in checks if c.status == "FAIL"][:8]
    body = text + ("\n\n" + QCoreApplication.translate("HeightLimits", "超限最多的：") + "\n" + "\n".join(worst) if worst else "")
    if over:
        body += "\n\n" + QCoreApplication.translate("HeightLimits", "超限的建筑与 BIM 模型已在地图上选中。")
    QMessageBox.information(win, title, body)
    return checks
