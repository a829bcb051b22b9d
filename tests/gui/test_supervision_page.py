"""The land-supervision page: records with undo and conflicts, nearby complaints masked.

One window factory for all: the ``main_window`` fixture of tests/gui/conftest.py."""

from __future__ import annotations

import numpy as np
import shapely


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
    assert b.wait_complaints()  # read in a worker
    df = b.complaints_model.frame
    geom = b.terms.loc[b.checks[pid].fid].geometry
    pts = win.ws.read_features("complaints", bbox=geom.buffer(500).bounds, columns=[])
    expect = int((shapely.distance(np.asarray(pts.geometry.values, dtype=object), geom) <= 500).sum())
    assert len(df) == min(expect, 500)
    assert str(expect) in b.complaints_summary.text()


def test_another_parcel_never_shows_the_last_parcels_complaints(main_window):
    b = main_window.bench
    main_window.show_view("supervision")
    b.distance.setValue(500)
    first = str(b.list_model.frame.at[0, "parcel_id"])
    b.select_parcel(first)
    assert b.wait_complaints() and len(b.complaints_model.frame)
    second = str(b.list_model.frame.at[1, "parcel_id"])
    b.select_parcel(second)  # its complaints are read in a worker: until then, nothing of the first's
    assert len(b.complaints_model.frame) == 0 and "正在读取" in b.complaints_summary.text()
    assert b.wait_complaints()
    assert "正在读取" not in b.complaints_summary.text()
