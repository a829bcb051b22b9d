"""A supervisor whose save is refused because a colleague recorded an inspection on the same
parcel is not stuck: the page shows the parcel as it is now, their changes beside the user's
records (in Chinese), and the user re-applies or discards. Two workspace connections on the
same GeoPackage, and on PostGIS. Also: the form's 变更状态 does not follow to the next parcel,
and 撤销 says what it undid."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from lzt.analysis.inspections import record_inspection
from lzt.workspace import open_workspace


def _bench(win):
    win.show_view("supervision")
    b = win.bench
    b.as_of.setDate(QDate(2026, 11, 1))
    return b


def _fill(b, inspector: str, result: str, status: str | None = None, day: date = date(2026, 11, 20)) -> None:
    b.f_inspector.setText(inspector)
    b.f_result.setCurrentText(result)
    b.f_date.setDate(QDate(day.year, day.month, day.day))
    if status:
        b.f_status.setCurrentText(status)


def _version(ws, layer, fid) -> int:
    return int(ws.read_features(layer, fids=[fid], columns=["version"], geometry=False)["version"].iloc[0])


def _table(b) -> list[list[str]]:
    t = b.conflict_table
    return [[t.item(i, j).text() for j in range(t.columnCount())] for i in range(t.rowCount())]


def _colleague_records(uri, pid: str, monkeypatch, status: str = "停工") -> None:
    """Another supervisor, on their own connection, records an inspection with a status change."""
    monkeypatch.setenv("LZT_USER", "王科长")
    other = open_workspace(uri)
    try:
        record_inspection(other, pid, inspected_on=date(2026, 11, 18), inspector="王工", result="停工",
                          notes="现场停工", status=status)
    finally:
        other.close()
    monkeypatch.setenv("LZT_USER", "刘科员")


def _conflict_then_reapply(win, uri, monkeypatch, errors) -> None:
    b = _bench(win)
    pid = str(b.list_model.frame.at[0, "parcel_id"])
    b.select_parcel(pid)
    fid = b.checks[pid].fid
    v0 = _version(win.ws, b.layer, fid)
    before = b.terms.at[fid, "status"]
    theirs = "停工" if before != "停工" else "疑似闲置"
    _fill(b, "刘工", "在建", "已竣工")
    assert b.add_pending()
    _colleague_records(uri, pid, monkeypatch, theirs)

    assert b.save_pending() == 0
    assert not errors  # no English error box: the conflict panel instead
    assert b.conflict is not None and not b.conflict_box.isHidden() and len(b.pending) == 1
    assert b.tabs.currentIndex() == b.tabs.count() - 1
    text = b.conflict_text.text()
    assert pid in text and f"第 {v0} 版" in text and f"第 {v0 + 1} 版" in text and "王科长" in text
    assert f"对方已将状态改为“{theirs}”，重新应用将改为“已竣工”" in text
    assert "someone else" not in text + b.form_message.text() and "未保存" in b.form_message.text()
    rows = _table(b)
    assert ["版本", str(v0), str(v0 + 1), ""] in rows
    assert ["状态", str(before), theirs, "已竣工"] in rows
    added = [r for r in rows if r[0] == "他人新增核查"]
    assert len(added) == 1 and "2026-11-18 王工 停工" in added[0][2] and "王科长" in added[0][2]
    mine = [r for r in rows if r[0] == "您的核查"]
    assert len(mine) == 1 and "2026-11-20 刘工 在建" in mine[0][3]
    # the page shows the parcel as it is now: the colleague's status and inspection
    assert int(b.terms.at[fid, "version"]) == v0 + 1 and b.terms.at[fid, "status"] == theirs
    assert b.history_model.rowCount() == 1 and b.history_model.frame.at[0, "inspector"] == "王工"

    assert b.reapply_conflict() == 1
    assert b.conflict is None and b.conflict_box.isHidden() and b.pending == []
    recs = win.ws.inspections(b.layer, pid)
    assert [r["inspector"] for r in recs] == ["王工", "刘工"]
    if "://" not in uri:  # a file workspace records $LZT_USER; PostGIS the database user
        assert [r["recorded_by"] for r in recs] == ["王科长", "刘科员"]
    assert _version(win.ws, b.layer, fid) == v0 + 2
    assert win.ws.read_features(b.layer, fids=[fid], columns=["status"], geometry=False)["status"].iloc[0] == "已竣工"
    assert b.history_model.rowCount() == 2 and "已保存 1 条" in b.form_message.text()


def test_conflict_on_a_geopackage_shows_theirs_and_mine_and_reapplies(main_window, demo_copy, monkeypatch, errors):
    monkeypatch.setenv("LZT_USER", "刘科员")
    _conflict_then_reapply(main_window, str(demo_copy), monkeypatch, errors)


def test_conflict_on_postgis_shows_theirs_and_mine_and_reapplies(postgis_window, pg_url, errors):
    win = postgis_window
    b = _bench(win)
    pid = str(b.list_model.frame.at[0, "parcel_id"])
    b.select_parcel(pid)
    fid = b.checks[pid].fid
    v0 = _version(win.ws, b.layer, fid)
    _fill(b, "刘工", "在建", "已竣工")
    assert b.add_pending()
    other = open_workspace(pg_url)  # a second connection: the colleague
    try:
        record_inspection(other, pid, inspected_on=date(2026, 11, 18), inspector="王工", result="停工", status="停工")
    finally:
        other.close()
    assert b.save_pending() == 0 and b.conflict is not None and not errors
    rows = _table(b)
    assert ["版本", str(v0), str(v0 + 1), ""] in rows and any(r[0] == "他人新增核查" for r in rows)
    assert b.reapply_conflict() == 1
    assert [r["inspector"] for r in win.ws.inspections(b.layer, pid)] == ["王工", "刘工"]
    assert _version(win.ws, b.layer, fid) == v0 + 2


def test_discarding_after_a_conflict_is_undoable_and_a_new_record_saves(main_window, demo_copy, monkeypatch, errors):
    win = main_window
    b = _bench(win)
    pid = str(b.list_model.frame.at[1, "parcel_id"])
    b.select_parcel(pid)
    _fill(b, "刘工", "在建")
    assert b.add_pending()
    _colleague_records(str(demo_copy), pid, monkeypatch)
    assert b.save_pending() == 0 and b.conflict is not None
    b.discard_conflict()
    assert b.pending == [] and b.conflict_box.isHidden() and "已放弃" in b.form_message.text()
    b.undo.undo()  # the discard itself can be taken back before anything is saved
    assert len(b.pending) == 1 and "已恢复" in b.form_message.text()
    b.undo.redo()
    assert b.pending == []
    # not stuck: the page holds the current version, so a new record saves at once
    _fill(b, "刘工", "停工", day=date(2026, 11, 21))
    assert b.add_pending() and b.save_pending() == 1 and b.conflict is None
    assert [r["inspector"] for r in win.ws.inspections(b.layer, pid)] == ["王工", "刘工"]


def test_a_change_under_the_open_page_is_shown_before_a_record_is_made(main_window, demo_copy, monkeypatch):
    win = main_window
    b = _bench(win)
    pid = str(b.list_model.frame.at[2, "parcel_id"])
    b.select_parcel(pid)
    _colleague_records(str(demo_copy), pid, monkeypatch)
    _fill(b, "刘工", "在建", "已竣工")
    assert not b.add_pending() and b.pending == []  # the user first sees what changed
    assert "刚被他人修改" in b.form_message.text() and b.history_model.rowCount() == 1
    assert b.terms.at[b.checks[pid].fid, "status"] == "停工"
    _fill(b, "刘工", "在建", "已竣工")
    assert b.add_pending() and b.save_pending() == 1


def test_status_does_not_follow_to_the_next_parcel_and_undo_says_so(main_window):
    win = main_window
    b = _bench(win)
    a, c = (str(b.list_model.frame.at[i, "parcel_id"]) for i in (0, 1))
    b.select_parcel(a)
    _fill(b, "刘工", "在建", "已竣工")
    b.f_notes.setPlainText("东侧围挡")
    b.select_parcel(c)
    assert b.f_status.currentIndex() == 0 and b.f_notes.toPlainText() == ""
    assert b.f_inspector.text() == "刘工"  # the inspector stays: the same person walks on
    _fill(b, "刘工", "在建", "停工")
    assert b.add_pending()
    assert "已加入待保存" in b.form_message.text() and b.f_status.currentIndex() == 0
    b.undo.undo()
    assert b.pending == [] and "已加入待保存" not in b.form_message.text()
    assert "已撤销" in b.form_message.text() and c in b.form_message.text() and "没有待保存" in b.form_message.text()
    b.undo.redo()
    assert len(b.pending) == 1 and "已加入待保存" in b.form_message.text()


@pytest.mark.parametrize("seen, now, same", [(None, float("nan"), True), ("在建", "在建", True), ("在建", "停工", False),
                                             (1, None, False)])
def test_conflict_compares_missing_values_as_equal(seen, now, same):
    from lzt.analysis.inspections import _same

    assert _same(seen, now) is same


@pytest.mark.parametrize("size", [(1366, 768), (1600, 1000)])
def test_verdict_and_problem_columns_are_in_view(main_window, size):
    from PySide6.QtWidgets import QApplication

    from lzt.gui.panels.supervision import LIST_COLUMNS

    win = main_window
    win.resize(*size)
    b = _bench(win)
    for _ in range(5):
        QApplication.processEvents()
    view, header = b.list_view, b.list_view.horizontalHeader()
    width = view.viewport().width()
    assert width > 150, width
    for name in ("parcel_id", "verdict", "failing"):
        col = LIST_COLUMNS.index(name)
        left = header.sectionViewportPosition(col)
        assert 0 <= left and left + header.sectionSize(col) <= width, (name, left, header.sectionSize(col), width)
    failing = LIST_COLUMNS.index("failing")
    longest = max(b.list_model.frame["failing"], key=len)
    row = int(b.list_model.frame.index[b.list_model.frame["failing"] == longest][0])
    from PySide6.QtCore import Qt

    assert b.list_model.data(b.list_model.index(row, failing), Qt.ItemDataRole.ToolTipRole) == longest


def test_the_report_from_the_bench_has_a_readable_history_table(main_window, tmp_path, monkeypatch):
    """生成 PDF 报告 after an inspection: the 核查记录 table under the map is white, not black."""
    import shutil

    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftoppm, pdftotext) not installed")
    from lzt.gui.dialogs.export import save_parcel_report
    from tests.export.test_pdf_tables import Rendered, assert_background, row_of

    win = main_window
    b = _bench(win)
    pid = str(b.list_model.frame.at[0, "parcel_id"])
    b.select_parcel(pid)
    _fill(b, "刘工", "在建")
    assert b.add_pending() and b.save_pending() == 1
    out = save_parcel_report(win, win.session, pid, date(2026, 11, 1), out=str(tmp_path / "r.pdf"))
    r = Rendered(out)
    assert_background(r, row_of(r, "核查日期"), "#e8eef6", "history header")
    assert_background(r, row_of(r, "刘工"), "#ffffff", "history row")
