"""The status bar's selection count is a Qt plural message (%Ln): 1 feature, 2 features."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

SOURCE = "已选择 %Ln 个要素（{0}）"
TS = f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS><TS version="2.1" language="en_US"><context><name>MainWindow</name>
<message numerus="yes"><source>{SOURCE}</source><translation>
<numerusform>%Ln feature selected ({{0}})</numerusform>
<numerusform>%Ln features selected ({{0}})</numerusform>
</translation></message></context></TS>
"""


def test_selection_count_uses_the_plural_form(main_window, tmp_path):
    win = main_window
    layer = "parcels"
    fids = win.ws.read_features(layer, columns=[], geometry=False).index[:2].tolist()
    win.session.select(layer, fids[:1])
    assert win.selected.text() == f"已选择 1 个要素（{layer}）"  # the source text, no translation
    (tmp_path / "en.ts").write_text(TS, encoding="utf-8")
    subprocess.run(["pyside6-lrelease", str(tmp_path / "en.ts"), "-qm", str(tmp_path / "en.qm")],
                   check=True, capture_output=True)
    tr = QTranslator()
    assert tr.load(str(tmp_path / "en.qm"))
    QCoreApplication.installTranslator(tr)
    old = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English))
    try:
        win.session.select(layer, fids[:2])  # a change of selection updates the status bar
        assert win.selected.text() == f"2 features selected ({layer})"
        win.session.select(layer, fids[:1])
        assert win.selected.text() == f"1 feature selected ({layer})"
    finally:
        QCoreApplication.removeTranslator(tr)
        QLocale.setDefault(old)
    win.session.select(layer, [])
    assert win.selected.text() == ""
