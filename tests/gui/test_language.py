"""Each UI language shows only its own words: every widget, menu, action, header, tooltip, combo
item and chart of the main window and its dialogs is walked (tests/gui/ui_text.py) and any
string of the other language fails the test; the data (layer and field names, attribute
values) is left aside. Errors reach the user in the UI language without CLI option names,
and the translations ship compiled from the repository's .ts."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.conftest import REPO
from tests.gui.ui_text import CJK, foreign, visible_strings

HEX = re.compile(r"#[0-9a-fA-F]{6,8}\b")


def data_values(ws) -> set[str]:
    """Layer and field names, the text values of the workspace's columns and the category labels
    of its styles' legends (land-use classes, ledger statuses: data, not UI words)."""
    from lzt.render.style import CategorizedRenderer, styles_for

    data = {ws.uri}
    for style in styles_for(ws, [li.name for li in ws.layers()]).values():
        if isinstance(style.renderer, CategorizedRenderer):
            data.update(c.label for c in style.renderer.categories)
    for li in ws.layers():
        data.add(li.name)
        if li.kind == "raster":
            continue
        fields = ws.fields(li.name)
        data.update(fields)
        text = [f for f, t in fields.items() if t == "TEXT"]
        if text:
            df = ws.read_features(li.name, columns=text, geometry=False)
            for f in text:
                values = df[f].dropna().astype(str).unique()
                if len(values) <= 5000:
                    data.update(values)
    return data


def window_strings(win) -> list[tuple[str, str]]:
    """Visit the window's pages and dialogs; every user-readable string on the way."""
    from lzt.gui.dialogs.export import ExportDialog
    from lzt.gui.dialogs.sheet import SheetDialog
    from lzt.gui.dialogs.style_editor import StyleEditor

    win.build_panels()  # the panels still to be built after the window opened are walked too
    win.show_view("supervision")
    b = win.bench
    b.list_view.selectRow(0)
    win.show_view("dashboard")
    assert win.dashboard.wait_idle()
    win.show_table("complaints")
    win.identify.show_feature("parcels", 1)
    win.tool_actions["measure_area"].trigger()
    win.canvas._points = [(521000.0, 2510000.0), (521100.0, 2510000.0)]
    win.canvas._hover = (521100.0, 2510100.0)
    win.canvas._report_measure()
    win.session.select("parcels", [1, 2, 3])
    strings = visible_strings(win)
    dialogs = [ExportDialog(win.session, "complaints", win), SheetDialog(win.session, win.canvas, win),
               SheetDialog(win.session, win.canvas, win, atlas=True), StyleEditor(win.session, "parcels", win),
               StyleEditor(win.session, "dem", win)]
    box = QMessageBox(QMessageBox.Icon.Warning, "lzt", "x", QMessageBox.StandardButton.Ok
                      | QMessageBox.StandardButton.Cancel, win)
    for d in (*dialogs, box):
        strings += visible_strings(d)
    strings += [("QLineEdit context menu", a.text()) for a in win.table.filter.createStandardContextMenu().actions()
                if a.text()]
    for d in dialogs:
        d.close()
    return [(w, HEX.sub(" ", t)) for w, t in strings]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_visible_string_is_in_the_ui_language(language, qtbot, demo_copy):
    from lzt.gui.app import install_translation, make_app, open_main_window
    from lzt.gui.settings import LANGUAGES

    app = make_app(language)
    try:
        win = open_main_window(demo_copy, language=language)
        qtbot.addWidget(win)
        win.resize(1400, 900)
        win.show()
        strings = window_strings(win)
        data = data_values(win.ws) | set(LANGUAGES.values())  # each language is named in its own words
        bad = sorted({(w, t) for w, t in foreign(strings, language, data)})
        assert not bad, f"{len(bad)} strings of the other language in the {language} UI:\n" + \
            "\n".join(f"  {w}: {t!r}" for w, t in bad[:60])
        assert len(strings) > 300  # the walk did reach the pages and dialogs
        if language == "zh_CN":  # Qt's own words, from Qt's translations
            assert "确定" in " ".join(t for _, t in strings) and "取消" in " ".join(t for _, t in strings)
        win.close()
    finally:
        install_translation(app, "zh_CN")
        make_app("zh_CN")


def test_the_language_menu_ticks_one_language(main_window, errors):
    from lzt.gui.settings import settings

    win = main_window
    acts = win.language_actions
    assert acts["zh_CN"].isChecked() and not acts["en"].isChecked()
    acts["en"].trigger()
    assert acts["en"].isChecked() and not acts["zh_CN"].isChecked()
    assert settings().value("language") == "en" and errors  # told it applies at the next start
    acts["zh_CN"].trigger()
    assert [a.isChecked() for a in acts.values()] == [True, False]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_errors_are_in_the_ui_language_without_option_names(language, qtbot, demo_copy, errors):
    from lzt.gui.app import install_translation, make_app, open_main_window

    app = make_app(language)
    try:
        win = open_main_window(demo_copy, language=language)
        qtbot.addWidget(win)
        win.show()
        shown = []
        win.show_table("poi")
        win.table.filter.setText("category = ")
        win.table.apply_filter()
        shown.append(win.table.message.text())
        q = win.query
        q.layer.setCurrentText("complaints")
        q.predicate.setCurrentIndex(0)
        q.where.setText("cat_l1 = '城市管理' AND")
        assert q.run() is None
        shown.append(q.message.text())
        q.where.setText("nosuchfield = 1")
        assert q.run() is None
        shown.append(q.message.text())
        from lzt.core.errors import ConflictError
        from lzt.gui.tasks import show_error

        show_error(win, "x", ConflictError(f"{win.ws.uri}: feature 7 of 'supervision' was changed by someone else "
                                           "(version 3, expected 2); reload it and try again"))
        shown.append(errors[-1])
        win.close()
    finally:
        install_translation(app, "zh_CN")
        make_app("zh_CN")
    for text in shown:
        assert text and "--" not in text and "lzt " not in text, text
        rest = text.replace("城市管理", "")
        if language == "zh_CN":
            assert CJK.search(rest) and not re.search(r"\b(unexpected|expected|unknown|changed|field)\b", rest), text
        else:
            assert not CJK.search(rest), text
    if language == "zh_CN":
        assert "属性条件：此处应为一个条件（在末尾）" == shown[1]
        assert "没有字段" in shown[2] and "已被他人修改" in shown[3]


def test_error_catalogue_speaks_chinese_for_the_expression_language():
    """Every error of the filter language, raised for real, has its Chinese wording."""
    from lzt.core.errors import LztInputError
    from lzt.gui.messages import problem_zh
    from lzt.query.expr import parse

    fields = {"name": "TEXT", "n": "INTEGER", "d": "DATE", "ok": "INTEGER"}
    for text in ("name = ", "name = 'a' )", "n > 'x'", "nope = 1", "n LIKE 'a%'", "n BETWEEN 1 2",
                 "name NOT 'a'", "n IS 3", "(", "name = 'a' AND", "@", "= 3", "n >", "d > DATE('2024-13-40')",
                 "INTERSECTS(geom, POINT(1))", "", "n IN (1, 2"):
        with pytest.raises(LztInputError) as e:
            parse(text, fields=fields, source="x")
        assert problem_zh(e.value.problem), (text, e.value.problem)


def test_translations_are_complete_and_built_from_the_repository():
    """Every GUI string has its English translation and the shipped .qm is compiled from the .ts
    (tools/update_translations.py --check runs lupdate and lrelease and compares)."""
    out = subprocess.run([sys.executable, "tools/update_translations.py", "--check"], cwd=REPO,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_progress_steps_are_translated(qtbot):
    from lzt.gui.app import install_translation, make_app
    from lzt.gui.labels import step_label

    app = make_app("en")
    try:
        assert step_label("写入要素") == "Writing features"
        assert step_label("导入模型 楼栋A.ifc") == "Importing model 楼栋A.ifc"
        QApplication.processEvents()
    finally:
        install_translation(app, "zh_CN")
        make_app("zh_CN")
    assert step_label("写入要素") == "写入要素"
