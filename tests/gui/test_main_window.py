"""The window as a whole: the screenshot command, no workspace given, English, a PostGIS workspace.

One window factory for all: the ``main_window`` fixture of tests/gui/conftest.py."""

from __future__ import annotations

from lzt.cli.main import main


def test_gui_screenshot_command(demo_path, tmp_path, capsys):
    from PySide6.QtGui import QImage

    out = tmp_path / "shot.png"
    assert main(["gui", str(demo_path), "--screenshot", str(out), "--view", "supervision", "--size", "1400x900"]) == 0
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1400, 900)
    out3d = tmp_path / "shot3d.png"
    assert main(["gui", str(demo_path), "--screenshot", str(out3d), "--view", "3d", "--size", "1400x900"]) == 0
    assert QImage(str(out3d)).width() == 1400
    assert main(["gui", str(demo_path), "--screenshot", str(out), "--view", "nope"]) == 2
    assert main(["gui", str(tmp_path / "missing.gpkg"), "--screenshot", str(out)]) == 2
    assert "no such workspace" in capsys.readouterr().err


def test_gui_without_workspace_opens_a_demo_from_an_earlier_lzt_as_it_is(demo_copy, tmp_path, monkeypatch, capsys):
    """After an upgrade the user's demo (which may hold inspections) still opens; only
    ``lzt demo --force`` rebuilds it, and ``lzt demo`` says so."""
    import shutil

    from lzt.demo.build import default_demo_path
    from lzt.workspace import open_workspace

    ws = open_workspace(demo_copy)
    ws.set_setting("demo", {**ws.get_setting("demo"), "version": "0.0.1", "format": 1})
    ws.close()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    home = default_demo_path()
    home.parent.mkdir(parents=True)
    shutil.copyfile(demo_copy, home)
    before = home.read_bytes()
    assert main(["gui", "--screenshot", str(tmp_path / "shot.png"), "--size", "800x600"]) == 0
    assert (tmp_path / "shot.png").exists()
    assert main(["demo"]) == 2
    err = capsys.readouterr().err
    assert "lzt 0.0.1" in err and "--force" in err and err.count("\n") == 1
    assert home.read_bytes() == before


def test_english_is_selectable(qtbot, demo_path):
    from lzt.gui.app import install_translation, make_app, open_main_window

    app = make_app("en")
    try:
        win = open_main_window(demo_path, language="en")
        qtbot.addWidget(win)
        assert [win.tabs.tabText(i) for i in range(3)] == ["Map", "Supervision", "Complaint dashboard"]
        assert win.docks["layers"].windowTitle() == "Layers"
        win.close()
    finally:
        install_translation(app, "zh_CN")
    win = open_main_window(demo_path, language="zh_CN")
    qtbot.addWidget(win)
    assert win.tabs.tabText(0) == "地图"
    win.close()


def test_main_window_on_a_postgis_workspace(postgis_window):
    """The same window on a shared PostGIS workspace: map, supervision page and an inspection."""
    win = postgis_window
    assert win.canvas.wait_rendered()
    win.show_view("supervision")
    b = win.bench
    assert len(b.list_model.frame) == 200
    pid = str(b.list_model.frame.at[0, "parcel_id"])
    b.select_parcel(pid)
    b.f_inspector.setText("刘工")
    b.f_result.setCurrentText("在建")
    assert b.add_pending() and b.save_pending() == 1
    (rec,) = win.ws.inspections(b.layer, pid)
    assert rec["inspector"] == "刘工" and rec["recorded_by"]  # the database user


def test_the_screenshot_line_speaks_the_chosen_language(demo_path, tmp_path, capsys):
    """``--lang en`` prints the saved-screenshot line through the translations, not in Chinese.
    The English comes from a .qm compiled here (its entry as update_translations.py adds it)."""
    import subprocess

    from PySide6.QtCore import QCoreApplication, QTranslator

    from lzt.gui.app import make_app

    ts = tmp_path / "shot_en.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="en">'
                  "<context><name>Screenshot</name><message><source>已保存截图 {0}</source>"
                  "<translation>Screenshot saved: {0}</translation></message></context></TS>", encoding="utf-8")
    subprocess.run(["pyside6-lrelease", str(ts), "-qm", str(tmp_path / "shot_en.qm")], check=True, capture_output=True)
    app = make_app("zh_CN")
    tr = QTranslator(app)
    assert tr.load(str(tmp_path / "shot_en.qm"))
    app.installTranslator(tr)  # searched after lzt_en.qm: its own entry, once translated, wins
    try:
        out = tmp_path / "shot.png"
        assert main(["gui", str(demo_path), "--screenshot", str(out), "--size", "640x480", "--lang", "en"]) == 0
        line = capsys.readouterr().out.strip().splitlines()[-1]
        assert str(out) in line and "已保存截图" not in line
        assert QCoreApplication.translate("Screenshot", "已保存截图 {0}").format(out) == line
    finally:
        app.removeTranslator(tr)
        make_app("zh_CN")
