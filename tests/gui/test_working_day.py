"""A working day in the real main window on the demo (tests/gui/working_day.py drives it):
map, identify, selection, table, query, style, supervision with a conflicting edit, dashboard,
3D, export and a language switch. No exception and no Qt warning may occur; each step's
result is checked against an independent computation. The event-loop gaps are printed (the
district figures are in bench/RESULTS.md; no timing is asserted here)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pyogrio
import shapely

from tests.gui.working_day import WorkingDay


def _fids(path, sql: str) -> list[int]:
    """The first column of ``sql`` on the workspace file, through Python's sqlite3."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute(sql)]
    finally:
        con.close()


def test_a_working_day(qtbot, demo_copy, tmp_path, capsys):
    from lzt.gui.app import install_translation, make_app, open_main_window
    from lzt.gui.settings import settings
    day = WorkingDay()
    day.start()
    try:
        win = day.open(demo_copy, size=(1400, 900))
        qtbot.addWidget(win)
        ws = win.ws
        day.map_moves()

        # select parcels with a box on the map: the same ids as shapely finds
        c = win.canvas
        e = c.view_extent()
        cx, cy = (e[0] + e[2]) / 2, (e[1] + e[3]) / 2
        box = (cx - 300, cy - 200, cx + 300, cy + 200)
        got = day.select_box("parcels", box)
        parcels = ws.read_features("parcels", bbox=box, columns=["landuse_code"])
        hit = shapely.intersects(np.asarray(parcels.geometry.values, dtype=object), shapely.box(*box))
        assert set(got.tolist()) == set(parcels.index[hit].tolist()) and len(got)
        assert f"{len(got):,}" in win.selected.text()  # the count in the status bar
        day.wait_until(lambda: c._overlay is not None, what="the selection highlight")
        day.hover()

        # identify the first selected parcel
        p = parcels.geometry[hit].iloc[0].representative_point()
        facts = day.identify("parcels", p.x, p.y)
        assert facts["title"].startswith("parcels · fid")

        # the attribute table: filter complaints by street, Ctrl+A selects every filtered row
        day.open_table("parcels")
        assert win.table.model.rowCount() == ws.layer("parcels").count
        rows = day.filter_table("complaints", "street = '龙城'")
        # (read with sqlite3, not GDAL: GDAL's own SQLite closing its handle on the open workspace
        # would delete the -wal under it, see lzt/core/sqlite_files.py)
        expect = np.array(sorted(_fids(ws.uri, "SELECT fid FROM complaints WHERE street = '龙城'")))
        assert rows == len(expect) > 0
        assert day.select_all_rows() == rows
        assert (win.session.selection("complaints") == expect).all()

        # the query panel: complaints of one category within a community
        n = day.query("complaints", 2, "communities", "name = '南岭村'", "cat_l1 = '城市管理'")
        comm = ws.read_features("communities", columns=["name"])
        poly = comm[comm["name"] == "南岭村"].geometry.iloc[0]
        pts = ws.read_features("complaints", bbox=poly.bounds, columns=["cat_l1"])
        inside = shapely.within(np.asarray(pts.geometry.values, dtype=object), poly) & (pts["cat_l1"] == "城市管理")
        assert n == int(inside.sum()) and ws.layer("查询结果").count == n

        # style: parcels by land use
        classes = day.style("parcels", "landuse_name")
        assert classes == min(ws.read_features("parcels", columns=["landuse_name"], geometry=False)
                              ["landuse_name"].nunique(), 60)

        # supervision: a colleague records on the same parcel before our save
        pid = day.supervision()
        assert pid and len(win.bench.checks) == 200

        def colleague(parcel_id):  # a concurrent edit: the parcel's version moves on under the form
            layer, fid = win.bench.layer, win.bench.checks[parcel_id].fid
            version = int(ws.read_features(layer, fids=[fid], geometry=False)["version"].iloc[0])
            ws.update_feature(layer, fid, {"status": "在建"}, expected_version=version)

        facts = day.conflicting_inspection(colleague)
        assert facts["queued"] and not facts["saved"]
        # the refusal opens the conflict panel in Chinese, no dialog: theirs (在建) beside mine
        assert facts["panel"] and facts["dialogs"] == []
        assert pid in facts["conflict_text"] and "已被" in facts["conflict_text"]
        assert any(r[2] == "在建" for r in facts["rows"]) and any(r[0] == "您的核查" and "刘工" in r[3]
                                                                 for r in facts["rows"])
        assert "未保存" in facts["message"]
        # 重新应用: saved on the colleague's version, their status kept, the panel closed
        assert not facts["after_panel"] and facts["after_pending"] == 0 and "已保存 1 条" in facts["after_message"]
        (rec,) = ws.inspections(win.bench.layer, pid)
        assert rec["inspector"] == "刘工"
        fid = win.bench.checks[pid].fid
        assert ws.read_features(win.bench.layer, fids=[fid], geometry=False)["status"].iloc[0] == "在建"

        # the dashboard: the time window steps back month by month and filters the map
        windows = day.dashboard(steps=3)
        assert len(set(windows)) == 3 and all(w is not None for w in windows)
        snap = {s.name: s for s in win.canvas.build_request().layers}["complaints"]
        assert snap.where is not None

        # 3D: the scene builds in a worker; a click on the tallest model picks it
        facts = day.view3d()
        assert facts.get("error") is None
        title, info = facts["picked"]
        assert title.startswith("bim_models · fid") and info

        # export: the map sheet with its preview (what the dashboard's window leaves on the map), and
        # the parcels as data
        facts = day.export_map_dialog(tmp_path / "sheet.pdf")
        assert facts["ok"] and (tmp_path / "sheet.pdf").stat().st_size > 10_000, day.dialogs[-1:]
        facts = day.export_layer("parcels", tmp_path / "parcels.gpkg")
        assert facts["ok"] and pyogrio.read_info(tmp_path / "parcels.gpkg")["features"] == ws.layer("parcels").count

        # the language: English is chosen (one entry ticked), and the next start speaks it
        with day.step("language switch"):
            win.language_actions["en"].trigger()
            day.wait(50)
        assert win.language_actions["en"].isChecked() and not win.language_actions["zh_CN"].isChecked()
        assert settings().value("language") == "en" and day.dialogs[-1]
        win.close()
        chosen = str(settings().value("language"))  # what the next start reads (LZT_LANG aside)
        app = make_app(chosen)
        try:
            again = open_main_window(demo_copy, language=chosen)
            qtbot.addWidget(again)
            again.show()
            assert again.tabs.tabText(0) == "Map" and again.language_actions["en"].isChecked()
            again.close()
        finally:
            install_translation(app, "zh_CN")
            make_app("zh_CN")
    finally:
        day.stop()
    assert day.warnings == [], day.warnings
    with capsys.disabled():
        print("\nworking day on the demo: longest event-loop gap per step")
        for name, gap, wall in day.table():
            print(f"  {name:<42} {gap * 1000:7.0f} ms  ({wall:.2f} s)")
