"""The check both service dialogs make on the name a user gives a new layer."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


#: the strings keep the raster dialog's translation context (both dialogs had them)
def name_problem(name: str, taken: set[str]) -> str | None:
    """Why ``name`` (stripped) cannot name a new layer — empty, or already a layer's or a
    service's — in the user's language; None when it can."""
    name = name.strip()
    if not name:
        return QCoreApplication.translate("RasterServiceDialog", "请给图层一个未被使用的名称。")
    if name in taken:
        return QCoreApplication.translate("RasterServiceDialog", "名称 {0} 已被使用。").format(name)
    return None


def check_new_name(dialog: QWidget, name: str, taken: set[str]) -> bool:
    """True when ``name`` can name a new layer; else a warning on ``dialog`` says why."""
    problem = name_problem(name, taken)
    if problem is not None:
        QMessageBox.warning(dialog, dialog.windowTitle(), problem)
    return problem is None
