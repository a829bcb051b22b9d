"""The main flow of every panel, driven with qtbot: open, draw, query, select, inspect, record, export."""

from __future__ import annotations

import numpy as np
import pyogrio
import pytest
import shapely
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from lzt.cli.main import main


def test_opens_on_the_map_and_draws(main_window, qtbot):
    win = main_window
    assert win.tabs.currentWidget() is win.canvas
    assert win.canvas.wait_rendered()
    img = win.canvas._image
    assert img is not None and img.width() >= win.canvas.width()
    centre = img.pixelColor(img.width() // 2, img.height() // 2)
    assert centre.name() != "#f4f3ef"  # something is drawn over the background in Longgang's middle
    names = [s.name for s in win.session.layers]
    assert names[0] == "dem" and names[-1] == "complaints"
    assert win.layer_panel.tree.topLevelItemCount() == len(names)
    assert "EPSG:4547" in " ".join(w.text() for w in win.statusBar().findChildren(type(win.coords)))


def test_layer_visibility_order_opacity(main_window):
    win = main_window
    item = win.layer_panel.tree.topLevelItem(0)  # top of the list = complaints
    assert item.data(0, Qt.ItemDataRole.UserRole) == "complaints"
    seen = []  # a later slot on the same signal still gets a live item (the tree is rebuilt after)
    win.layer_panel.tree.itemChanged.connect(lambda it, _c: seen.append(it.data(0, Qt.ItemDataRole.UserRole)))
    item.setCheckState(0, Qt.CheckState.Unchecked)
    assert seen == ["complaints"]
    assert not win.session.layer("complaints").visible
    QApplication.processEvents()  # the deferred rebuild
    top = win.layer_panel.tree.topLevelItem(0)
    assert top.data(0, Qt.ItemDataRole.UserRole) == "complaints" and top.checkState(0) == Qt.CheckState.Unchecked
    assert "complaints" not in [s.name for s in win.canvas.build_request().layers]
    win.session.set_current("poi")
    win.layer_panel.opacity.setValue(40)
    assert win.session.layer("poi").opacity == pytest.approx(0.4)
    before = [s.name for s in win.session.layers].index("poi")
    win.layer_panel._move(+1)
    assert [s.name for s in win.session.layers].index("poi") == before + 1
    win.layer_panel._remove()
    assert "poi" not in [s.name for s in win.session.layers] and win.ws.has_layer("poi")


def test_wheel_zoom_keeps_the_point_under_the_cursor_and_scale_box(main_window, qtbot):
    win = main_window
    c = win.canvas
    at = QPointF(c.width() * 0.3, c.height() * 0.6)
    before = c.to_map(at)
    c.zoom(2.0, at)
    after = c.to_map(at)
    assert np.allclose(before, after, atol=c.resolution())
    win.scale_box.setEditText("1:10000")
    win._scale_entered()
    assert c.scale() == pytest.approx(10_000, rel=1e-6)


def test_attribute_table_filter_sort_and_selection_sync(main_window, qtbot):
    win = main_window
    win.show_table("poi")
    t = win.table
    total = t.model.rowCount()
    assert total == win.ws.layer("poi").count
    t.filter.setText("category = '学校'")
    t.apply_filter()
    n = t.model.rowCount()
    schools = pyogrio.read_dataframe(win.ws.uri, layer="poi", where="category = '学校'", read_geometry=False)
    assert n == len(schools) and 0 < n < total
    cat_col = t.model.columns.index("category")
    assert {t.model.data(t.model.index(r, cat_col)) for r in range(min(n, 50))} == {"学校"}
    t.view.selectRow(3)
    fid = int(t.model.fids[3])
    assert list(win.session.selection("poi")) == [fid]
    win.session.select("poi", [int(t.model.fids[7])])  # map -> table
    assert [i.row() for i in t.view.selectionModel().selectedRows()] == [7]
    t.filter.setText("category = ")
    t.apply_filter()
    assert "筛选表达式" in t.message.text() and t.model.rowCount() == n  # bad expression: a message, no change
    name_col = t.model.columns.index("name")
    t.model.sort(name_col, Qt.SortOrder.AscendingOrder)
    first = [t.model.data(t.model.index(r, name_col)) for r in range(5)]
    assert first == sorted(schools["name"].astype(str))[:5]


def test_big_layer_sorts_off_the_gui_thread_and_a_cancel_changes_nothing(main_window, qtbot, monkeypatch):
    import time

    from PySide6.QtCore import QTimer

    from lzt.gui.models import features

    win = main_window
    win.show_table("poi")  # 100,000 rows: at the background threshold
    m = win.table.model
    assert m.rowCount() >= features.BACKGROUND_ROWS
    slow_sort = features.FeatureTableModel._sorted_fids

    def slow(self, *a, **kw):
        time.sleep(0.4)  # a sort that takes a while, as on a million rows
        return slow_sort(self, *a, **kw)

    monkeypatch.setattr(features.FeatureTableModel, "_sorted_fids", slow)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    col = m.columns.index("name")
    m.sort(col, Qt.SortOrder.DescendingOrder)
    timer.stop()
    assert len(ticks) >= 5  # the event loop ran while the column was read and sorted
    names = [m.data(m.index(r, col)) for r in range(3)]
    assert names == sorted(names, reverse=True)
    before = m.fids.copy()
    m.runner = lambda title, fn: (False, None)  # the user pressed 取消
    m.sort(col, Qt.SortOrder.AscendingOrder)
    assert (m.fids == before).all()
    assert m.set_filter("category = '学校'") is False and m.rowCount() == len(before)


def test_a_cancelled_sort_changes_nothing_and_the_window_waits_for_tasks(main_window, monkeypatch):
    from lzt.core.errors import CancelledError
    from lzt.core.feedback import Feedback
    from lzt.gui import tasks

    win = main_window
    win.show_table("poi")
    m = win.table.model
    before = m.fids.copy()

    def cancelled_runner(title, fn):  # the worker sees the cancel at its first check
        fb = Feedback()
        fb.cancel()
        try:
            return True, fn(fb)
        except CancelledError:
            return False, None

    m.runner = cancelled_runner
    m.sort(m.columns.index("name"), Qt.SortOrder.AscendingOrder)
    assert (m.fids == before).all() and m.sort_key is None
    header = win.table.view.horizontalHeader()
    header.setSortIndicator(m.columns.index("name"), Qt.SortOrder.AscendingOrder)  # as a click leaves it
    win.table._sort_failed(None)
    assert header.sortIndicatorSection() != m.columns.index("name")  # the arrow is put back (no sort yet)
    monkeypatch.setattr(tasks, "_running", 1)
    assert not win.close() and win.isVisible()  # a worker still reads the workspace
    monkeypatch.setattr(tasks, "_running", 0)


def test_dashboard_shows_an_unexpected_error(main_window, monkeypatch):
    import sqlite3

    from lzt.gui.panels import dashboard

    def locked(*a, **kw):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(dashboard, "_counts", locked)
    d = main_window.dashboard
    main_window.show_view("dashboard")
    assert d.wait_idle(10) and "database is locked" in d.summary.text()


def test_complaint_rows_are_masked_in_the_table_and_identify(main_window):
    win = main_window
    win.show_table("complaints")
    m = win.table.model
    for col in ("citizen_name", "citizen_phone", "citizen_id"):
        text = m.data(m.index(0, m.columns.index(col)))
        assert "*" in text
    fid = int(m.fids[0])
    values = win.identify.show_feature("complaints", fid)
    assert "****" in values["citizen_phone"] and "*" in values["citizen_name"]


def test_identify_and_select_tools_on_the_canvas(main_window, qtbot):
    win = main_window
    c = win.canvas
    parcels = win.ws.read_features("parcels", limit=1)
    pt = parcels.geometry.iloc[0].representative_point()
    win.session.set_extent((pt.x - 300, pt.y - 200, pt.x + 300, pt.y + 200))
    win.session.set_current("parcels")
    for s in list(win.session.layers):  # only parcels answer the click
        if s.name != "parcels":
            win.session.set_visible(s.name, False)
    win.tool_actions["identify"].trigger()
    spot = c.to_screen(pt.x, pt.y).toPoint()
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=spot)
    assert win.identify.title.text().startswith("parcels · fid")
    win.tool_actions["select"].trigger()
    a, b = c.to_screen(pt.x - 100, pt.y + 100).toPoint(), c.to_screen(pt.x + 100, pt.y - 100).toPoint()
    qtbot.mousePress(c, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(c, b)
    qtbot.mouseRelease(c, Qt.MouseButton.LeftButton, pos=b)
    got = set(win.session.selection("parcels").tolist())
    box = shapely.box(pt.x - 100, pt.y - 100, pt.x + 100, pt.y + 100)
    all_p = win.ws.read_features("parcels", bbox=box.bounds, columns=[])
    expect = set(all_p.index[shapely.intersects(np.asarray(all_p.geometry.values, dtype=object), box)].tolist())
    assert got == expect and got


def test_measure_distance(main_window, qtbot):
    win = main_window
    c = win.canvas
    win.tool_actions["measure_distance"].trigger()
    seen = []
    c.measured.connect(seen.append)
    p1, p2 = QPoint(100, 100), QPoint(400, 500)
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=p1)
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=p2)
    qtbot.mouseDClick(c, Qt.MouseButton.LeftButton, pos=p2)
    expect = np.hypot(*(np.subtract(c.to_map(QPointF(p2)), c.to_map(QPointF(p1)))))
    text = seen[-1].replace(",", "")
    value = float(text.split()[1]) * (1000 if "km" in text else 1)
    assert value == pytest.approx(expect, rel=1e-3)


def test_query_panel_result_layer_keep(main_window):
    win = main_window
    q = win.query
    q.layer.setCurrentText("poi")
    q.predicate.setCurrentText("位于其内")
    q.against.setCurrentText("communities")
    q.other_where.setText("name = '南岭村'")
    q.where.setText("category = '学校'")
    n = q.run()
    comm = win.ws.read_features("communities", columns=["name"])
    poly = comm[comm["name"] == "南岭村"].geometry.iloc[0]
    poi = win.ws.read_features("poi", bbox=poly.bounds, columns=["category"])
    expect = int((shapely.within(np.asarray(poi.geometry.values, dtype=object), poly) & (poi["category"] == "学校")).sum())
    assert n == expect and win.ws.layer("查询结果").count == n
    assert len(win.session.selection("查询结果")) == n
    assert q.keep_as("南岭村学校") == "南岭村学校"
    assert win.ws.has_layer("南岭村学校") and not win.ws.has_layer("查询结果")


def test_supervision_workbench_records_with_undo_and_conflict(main_window, errors, monkeypatch):
    from datetime import date

    from PySide6.QtCore import QDate

    win = main_window
    b = win.bench
    win.show_view("supervision")
    b.as_of.setDate(QDate(2026, 11, 1))
    frame = b.list_model.frame
    assert len(frame) == 200
    b.status_filter.setCurrentText("不通过")
    assert set(b.list_model.frame["verdict"]) == {"FAIL"}  # codes, shown as 不通过
    pid = str(b.list_model.frame.at[0, "parcel_id"])
    b.list_view.selectRow(0)
    assert b.current == pid and b.results_model.rowCount() == 6
    monkeypatch.setenv("LZT_USER", "审计员")
    b.f_inspector.setText("刘工")
    b.f_result.setCurrentText("停工")
    assert b.add_pending() and len(b.pending) == 1
    b.undo.undo()
    assert b.pending == []
    b.undo.redo()
    assert len(b.pending) == 1
    # someone else edits the parcel meanwhile: saving must refuse, keep the record pending
    fid = b.checks[pid].fid
    other_version = int(win.ws.read_features(b.layer, fids=[fid], geometry=False)["version"].iloc[0])
    win.ws.update_feature(b.layer, fid, {"status": "在建"}, expected_version=other_version)
    assert b.save_pending() == 0 and len(b.pending) == 1 and not errors
    assert b.conflict is not None and b.conflict_box.isVisible() and "已被" in b.conflict_text.text()
    assert win.ws.inspections(b.layer, pid) == []
    b.undo.undo()  # drop it, reload the parcel, record again
    b.reload()
    b.select_parcel(pid)
    b.f_inspector.setText("刘工")
    b.f_result.setCurrentText("停工")
    b.f_date.setDate(QDate(2026, 11, 20))
    assert b.add_pending() and b.save_pending() == 1
    (rec,) = win.ws.inspections(b.layer, pid)
    assert rec["inspector"] == "刘工" and rec["recorded_by"] == "审计员" and rec["inspected_on"] == "2026-11-20"
    assert b.history_model.rowCount() == 1 and date.fromisoformat(rec["inspected_on"])


def test_supervision_page_nearby_complaints_are_masked_and_counted(main_window):
    win = main_window
    b = win.bench
    win.show_view("supervision")
    pid = str(b.list_model.frame.at[0, "parcel_id"])
    b.select_parcel(pid)
    b.distance.setValue(500)
    df = b.complaints_model.frame
    geom = b.terms.loc[b.checks[pid].fid].geometry
    pts = win.ws.read_features("complaints", bbox=geom.buffer(500).bounds, columns=[])
    expect = int((shapely.distance(np.asarray(pts.geometry.values, dtype=object), geom) <= 500).sum())
    assert len(df) == min(expect, 500)
    assert str(expect) in b.complaints_summary.text()


def test_dashboard_time_window_filters_session(main_window):
    win = main_window
    d = win.dashboard
    win.show_view("dashboard")
    assert d.busy and "正在统计" in d.summary.text()  # counted in the worker, the window stays live
    assert d.wait_idle()
    assert d.months[0] == "2024-01" and d.months[-1] == "2025-12"
    d.span.setCurrentText("3 个月")
    d.slider.setValue(d.months.index("2025-03"))
    d.slider.setValue(d.months.index("2025-06"))  # supersedes the window before it
    assert d.wait_idle()
    first, last = win.session.time_range
    assert (str(first), str(last)) == ("2025-04-01", "2025-06-30")
    total = sum(v for _, v in d.by_category.items)
    from lzt.analysis.complaints import stats_by_field

    expect = sum(r["count"] for r in stats_by_field(win.ws, "complaints", "category", date_from=first, date_to=last))
    assert total == expect
    snap = {l.name: l for l in win.canvas.build_request().layers}["complaints"]
    assert snap.where is not None  # the map shows the same window
    name = d.make_hotspots()
    assert name == "热点_200m" and win.ws.layer(name).kind == "analysis" and name in [s.name for s in win.session.layers]


def test_export_dialog_masks_by_default(main_window, tmp_path, errors):
    from lzt.gui.dialogs.export import ExportDialog

    win = main_window
    win.session.select("complaints", [1, 2, 3])
    dlg = ExportDialog(win.session, "complaints", win)
    out = tmp_path / "out.csv"
    dlg.path.setText(str(out))
    dlg.only_selected.setChecked(True)
    assert not dlg.unmasked.isEnabled()  # no unmask right by default
    assert dlg.run() and dlg.result_count == 3
    text = out.read_text(encoding="utf-8-sig")
    assert "****" in text
    raw = win.ws.read_features("complaints", fids=[1], geometry=False)["citizen_phone"].iloc[0]
    assert raw not in text
    shp = ExportDialog(win.session, "complaints", win)
    shp.path.setText(str(tmp_path / "c.shp"))
    shp.only_selected.setChecked(True)
    assert shp.run() and "citizen_name→citizen_na" in shp.summary  # the DBF's 10-byte names, told
    bad = ExportDialog(win.session, "complaints", win)
    bad.path.setText(str(tmp_path / "no_such_dir" / "x.gpkg"))
    assert not bad.run() and errors


def test_add_files_imports_with_progress_and_reports_bad_files(main_window, tmp_path, errors):
    win = main_window
    bad = tmp_path / "broken.geojson"
    bad.write_text("{ not json", encoding="utf-8")
    before = [li.name for li in win.ws.layers()]
    assert not win.add_files([str(bad)])
    assert errors and "broken.geojson" in errors[-1]
    assert [li.name for li in win.ws.layers()] == before
    from tests.conftest import longgang_points

    good = tmp_path / "学校.geojson"
    longgang_points(50).to_crs("EPSG:4326").to_file(good, driver="GeoJSON")
    assert win.add_files([str(good)])
    assert win.ws.layer("学校").count == 50
    assert len(win.ws.layers()) == len(before) + 1 and len(win.session.layers) == len(before) + 1


def test_a_lonlat_dem_added_in_the_gui_is_drawn_and_exported_in_the_workspace_crs(main_window, tmp_path):
    import rasterio

    from lzt.gui.dialogs.export import ExportDialog
    from tests.dems import HILL, write_dem

    win = main_window
    assert win.add_files([str(write_dem(tmp_path / "n22e114.tif", "EPSG:4326", "hill"))])
    for s in win.session.layers:
        win.session.set_visible(s.name, s.name == "n22e114")
    hx, hy = HILL[:2]
    win.session.set_extent((hx - 3000, hy - 3000, hx + 3000, hy + 3000))
    assert win.canvas.wait_rendered()
    img = win.canvas._image
    top = win.canvas.to_screen(hx, hy)
    far = win.canvas.to_screen(hx - 2500, hy - 2500)  # on the DEM, 3.5 km from the hill top
    assert img.pixelColor(int(top.x()), int(top.y())) != img.pixelColor(int(far.x()), int(far.y()))
    assert img.pixelColor(int(top.x()), int(top.y())).name() != "#f4f3ef"  # not the background
    dlg = ExportDialog(win.session, "n22e114", win)
    assert not dlg.where.isEnabled() and list(dlg.formats) == ["GeoTIFF (*.tif)"]
    dlg.path.setText(str(tmp_path / "dem_out"))
    assert dlg.run() and "EPSG:4547" in dlg.summary and "双线性" in dlg.summary
    with rasterio.open(tmp_path / "dem_out.tif") as ds:
        assert ds.crs.to_epsg() == 4547


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


def test_style_editor_every_renderer_type_saves_into_the_workspace(main_window):
    from lzt.gui.dialogs.style_editor import StyleEditor
    from lzt.gui.panels.layer_panel import legend_entries
    from lzt.render import style as st

    win = main_window
    ed = StyleEditor(win.session, "parcels", win)
    ed.kind.setCurrentIndex(ed.kind.findData("categorized"))
    ed.cat_field.setCurrentText("landuse_name")
    n = ed.classify()
    names = win.ws.read_features("parcels", columns=["landuse_name"], geometry=False)["landuse_name"]
    assert n == min(names.nunique(), 60)
    ed.save()
    saved = st.load_styles(win.ws)["parcels"]
    assert isinstance(saved.renderer, st.CategorizedRenderer) and saved.renderer.field == "landuse_name"
    assert [c.value for c in saved.renderer.categories][:3] == list(names.value_counts().index[:3])
    assert len(legend_entries(saved)) >= 3

    ed = StyleEditor(win.session, "communities", win)
    win.ws.write_layer("counts", win.ws.read_features("communities").assign(n=range(111)), replace=True)
    ed = StyleEditor(win.session, "counts", win)
    ed.kind.setCurrentIndex(ed.kind.findData("graduated"))
    ed.grad_field.setCurrentText("n")
    ed.grad_k.setValue(4)
    style = ed.build()
    assert isinstance(style.renderer, st.GraduatedRenderer) and len(style.renderer.classes) == 4
    ed.kind.setCurrentIndex(ed.kind.findData("ramp"))
    ed.ramp_field.setCurrentText("n")
    assert isinstance(ed.build().renderer, st.RampRenderer)
    ed.kind.setCurrentIndex(ed.kind.findData("single"))
    ed.opacity.setValue(50)
    ed.min_scale.setValue(50_000)
    ed.label_field.setCurrentIndex(ed.label_field.findData("name"))
    ed.save()
    s = st.load_styles(win.ws)["counts"]
    assert s.opacity == 0.5 and s.min_scale == 50_000 and s.labels.field == "name"

    ed = StyleEditor(win.session, "complaints", win)
    assert ed.kind.findData("heatmap") >= 0
    ed.kind.setCurrentIndex(ed.kind.findData("heatmap"))
    ed.radius.setValue(2.0)
    ed.save()
    assert st.load_styles(win.ws)["complaints"].renderer.radius == 2.0
    ed = StyleEditor(win.session, "dem", win)
    assert ed.kind.count() == 1 and ed.kind.currentData() == "raster"
    ed.hillshade.setChecked(False)
    ed.save()
    assert st.load_styles(win.ws)["dem"].renderer.hillshade is False
    ed = StyleEditor(win.session, "dem", win)
    ed.restore_default()
    assert "dem" not in st.load_styles(win.ws)


def test_sheet_and_atlas_dialogs_preview_and_export(main_window, tmp_path, errors):
    import subprocess

    from lzt.gui.dialogs.sheet import SheetDialog

    win = main_window
    win.canvas.set_scale(50_000)
    dlg = SheetDialog(win.session, win.canvas, win)
    dlg.update_preview()
    assert dlg.wait_preview() and not dlg.preview.pixmap().isNull()
    dlg.title.setText("龙岗区测试专题图")
    dlg.scale.setValue(50_000)
    dlg.out.setText(str(tmp_path / "sheet.pdf"))
    assert dlg.run()
    text = subprocess.run(["pdftotext", str(tmp_path / "sheet.pdf"), "-"], capture_output=True, text=True).stdout
    assert "龙岗区测试专题图" in "".join(text.split())
    atlas = SheetDialog(win.session, win.canvas, win, atlas=True)
    atlas.coverage.setCurrentText("streets")
    atlas.where.setText("name IN ('龙城', '坂田')")
    atlas.dpi.setValue(72)
    atlas.out.setText(str(tmp_path / "atlas.pdf"))
    assert atlas.run()
    info = subprocess.run(["pdfinfo", str(tmp_path / "atlas.pdf")], capture_output=True, text=True).stdout
    assert [line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")] == ["2"]
    bad = SheetDialog(win.session, win.canvas, win)
    bad.out.setText(str(tmp_path / "nowhere" / "x.pdf"))
    assert not bad.run() and errors


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
