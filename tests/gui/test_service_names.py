"""Both service dialogs refuse an empty or taken layer name with the same one-line warning."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox


@pytest.fixture
def warnings(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text) or 0)
    return shown


def test_name_problem_says_why():
    from lzt.gui.dialogs.names import name_problem

    assert name_problem("  ", {"a"}) == "请给图层一个未被使用的名称。"
    assert name_problem(" a ", {"a"}) == "名称 a 已被使用。"
    assert name_problem("b", {"a"}) is None


@pytest.mark.parametrize("which", ["raster", "vector"])
def test_both_dialogs_refuse_empty_and_taken_names(qtbot, warnings, which):
    if which == "raster":
        from lzt.gui.dialogs.raster_service import RasterServiceDialog as Dialog
    else:
        from lzt.gui.dialogs.vector_service import VectorServiceDialog as Dialog
    dialog = Dialog(None, taken={"地块"})
    qtbot.addWidget(dialog)
    dialog.url.setText("http://127.0.0.1:1/service")
    for name, said in (("", "请给图层一个未被使用的名称。"), ("地块", "名称 地块 已被使用。")):
        dialog.name.setText(name)
        dialog._accept()
        assert warnings[-1] == said and dialog.result() != QDialog.DialogCode.Accepted
    dialog.name.setText("新服务")
    dialog._accept()
    assert len(warnings) == 2 and dialog.result() == QDialog.DialogCode.Accepted
