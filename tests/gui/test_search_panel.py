"""The toolbar's search box and the 搜索结果 panel: places flown to, questions answered (checked
against pandas on the exported table), save as layer, export, bad input."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pyogrio
from PySide6.QtCore import Qt


def _type(qtbot, win, text: str) -> None:
    win.search_box.setText(text)  # QTest types ASCII only; Enter is pressed as a user does
    qtbot.keyClick(win.search_box, Qt.Key.Key_Return)


def test_a_place_is_flown_to_and_highlighted(qtbot, main_window, demo_copy):
    win = main_window
    _type(qtbot, win, "龙城街道")
    panel = win.search_panel
    assert panel.mode == "find" and win.docks["search"].isVisible()
    assert panel.table.rowCount() >= 1 and panel.table.item(0, 0).text() == "龙城"
    streets = pyogrio.read_dataframe(demo_copy, layer="streets", fid_as_index=True)
    fid = int(streets.index[streets["name"] == "龙城"][0])
    assert win.session.selection("streets").tolist() == [fid]
    x0, y0, x1, y1 = win.session.extent
    b = streets.loc[fid].geometry.bounds
    assert x0 <= b[0] and y0 <= b[1] and x1 >= b[2] and y1 >= b[3]
    assert "龙城街道" in panel.query_label.text()


def test_same_named_places_are_listed_not_guessed(qtbot, main_window, demo_copy):
    win = main_window
    before = win.session.extent
    _type(qtbot, win, "紫薇花园")
    panel = win.search_panel
    assert panel.table.rowCount() > 1 and not len(win.session.selection("poi"))
    assert win.session.extent == before  # not flown to one of them at a guess
    where = [panel.table.item(i, 2).text() for i in range(panel.table.rowCount())]
    assert all(where) and len(set(where)) > 1  # street and community tell them apart
    panel.fly_to(2)
    p = panel.places[2]
    assert win.session.selection(p.layer).tolist() == [p.fid]
    x0, y0, x1, y1 = win.session.extent
    assert abs((x0 + x1) / 2 - p.x) < 1 and abs((y0 + y1) / 2 - p.y) < 1


def test_a_question_is_answered_with_its_query(qtbot, main_window, demo_copy, tmp_path):
    win = main_window
    _type(qtbot, win, "2025年各街道噪声扰民投诉多少？")
    panel = win.search_panel
    assert panel.mode == "ask" and not panel.answer.refused
    df = pyogrio.read_dataframe(demo_copy, layer="complaints", read_geometry=False,
                                columns=["received_at", "street", "cat_l1"])
    day = pd.to_datetime(df["received_at"]).dt.strftime("%Y-%m-%d")
    sel = df[(day >= "2025-01-01") & (day <= "2025-12-31") & (df["cat_l1"] == "噪声扰民")]
    want = sel["street"].value_counts()
    shown = {panel.table.item(i, 0).text(): int(panel.table.item(i, 1).text()) for i in range(panel.table.rowCount())}
    for street, n in want.items():
        assert shown[street] == n
    assert len(win.session.selection("complaints")) == len(sel)  # the map shows the records counted
    assert "lzt stats" in panel.query_label.text() and "CQL2" in panel.query_label.text()
    assert f"数据范围：{day.min()} 至 {day.max()}" in panel.query_label.text()
    assert f"数据截至 {day.max()}" in panel.answer_label.text()
    # save as layer: the records, still personal; export: the table as CSV
    assert panel.save_button.isEnabled()
    assert panel.save_as_layer("噪声2025") == "噪声2025"
    from lzt.workspace.personal import layer_is_personal

    ws = win.ws
    assert ws.layer("噪声2025").count == len(sel) and layer_is_personal(ws.layer("噪声2025"))
    out = panel.export(str(tmp_path / "answer.csv"))
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["查询", "2025年各街道噪声扰民投诉多少？"]
    body = {r[0]: int(r[1]) for r in rows if len(r) == 2 and r[1].isdigit()}
    assert all(body[s] == n for s, n in want.items())


def test_places_saved_as_points(qtbot, main_window):
    win = main_window
    _type(qtbot, win, "紫薇花园")
    panel = win.search_panel
    assert panel.save_as_layer("紫薇") == "紫薇"
    got = win.ws.read_features("紫薇")
    assert len(got) == panel.table.rowCount()
    xy = np.array([[p.x, p.y] for p in panel.places])
    assert np.allclose(np.c_[got.geometry.x, got.geometry.y], xy)


def test_bad_input_is_said_in_the_panel(qtbot, main_window, errors):
    win = main_window
    panel = win.search_panel
    assert win.search("") == "" and panel.message.text()
    assert win.search("龙" * 5000) == "" and panel.message.text()  # too long for a place: said, not raised
    win.search("name = 'x'; DROP TABLE poi")  # a question or a place, never run as SQL
    assert win.ws.has_layer("poi")
    win.search("上个月哪个社区的占道经营最多？ OR 1=1")
    assert panel.mode in ("ask", "find") and not errors


def test_in_the_english_ui_the_reading_and_the_refusal_are_english(qtbot, demo_copy, tmp_path):
    """The 理解为 line, the answer, its rows, its export and a refusal's reason follow the UI's
    language; the JSON stays Chinese. Data values (names, categories) stay as they are."""
    import re

    from lzt.gui.app import install_translation, make_app, open_main_window

    cjk = re.compile(r"[\u4e00-\u9fff]")
    app = make_app("en")
    try:
        win = open_main_window(demo_copy, language="en")
        qtbot.addWidget(win)
        panel = win.search_panel
        win.search("投诉最多")
        assert panel.mode == "ask" and panel.answer.refused
        assert "Read as: the most" in panel.query_label.text()
        shown = panel.answer_label.text()
        assert shown.startswith("Cannot answer precisely:") and "not of what" in shown and not cjk.search(shown)
        assert panel.answer.reason.startswith("问的是“最多/前几名”")  # the contract's reason: Chinese
        win.search("2025年3月投诉环比")
        assert not panel.answer.refused
        line = next(s for s in panel.query_label.text().splitlines() if s.startswith("Read as:"))
        assert line == "Read as: time: 2025-03-01 to 2025-03-31, month-on-month change", line
        assert panel.answer.understood.words == ["时间：2025年3月", "环比"]
        df = pyogrio.read_dataframe(demo_copy, layer="complaints", read_geometry=False,
                                    columns=["received_at", "street", "cat_l1"])
        day = pd.to_datetime(df["received_at"]).dt.strftime("%Y-%m-%d")
        now, then = (int(((day >= a) & (day <= b)).sum()) for a, b in (("2025-03-01", "2025-03-31"),
                                                                       ("2025-02-01", "2025-02-28")))
        shown = panel.answer_label.text()
        assert shown.startswith(f"2025-03-01 to 2025-03-31: {now:,} complaints, month-on-month change: ") and \
            f"(against {then:,} from 2025-02-01 to 2025-02-28) (data up to {day.max()})" in shown, shown
        assert panel.answer.text.startswith(f"2025年3月 {now:,} 件，环比")  # the contract's sentence: Chinese
        cells = [[panel.table.item(i, j).text() for j in range(panel.table.columnCount())]
                 for i in range(panel.table.rowCount())]
        assert cells == [["2025-03-01 to 2025-03-31", str(now)], ["2025-02-01 to 2025-02-28", str(then)]]
        # an answer with a place and a category: they stay as they are, every other word is English
        win.search("龙城街道2025年噪声扰民投诉多少？")
        n = int(((day >= "2025-01-01") & (day <= "2025-12-31") & (df["street"] == "龙城")
                 & (df["cat_l1"] == "噪声扰民")).sum())
        shown = panel.answer_label.text()
        assert not panel.answer.refused and shown == \
            f"2025-01-01 to 2025-12-31 龙城 噪声扰民: {n:,} complaints (data up to {day.max()})", shown
        assert panel.table.horizontalHeaderItem(0).text() == "Group" and panel.table.item(0, 0).text() == "total"
        rows = list(csv.reader(panel.export(str(tmp_path / "answer.csv")).open(encoding="utf-8-sig")))
        assert rows[:2] == [["Query", "龙城街道2025年噪声扰民投诉多少？"], ["Answer", shown]]
        assert rows[3:] == [["Group", "Count"], ["total", str(n)]]
        assert not any(cjk.search(c.replace("龙城", "").replace("噪声扰民", "")) for r in rows[1:] for c in r)
        win.search("2023年投诉多少")  # before the records: the reason names the dates, in English
        shown = panel.answer_label.text()
        assert panel.answer.refused and "the records cover" in shown and not cjk.search(shown), shown
        win.close()
    finally:
        install_translation(app, "zh_CN")
        make_app("zh_CN")
