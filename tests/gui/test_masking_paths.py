"""Issue 19.1: query results and every layer derived from complaints stay masked in the
desktop client (table, identify, export, map labels), and unmasking stays the audited right."""

from __future__ import annotations

import pandas as pd
import pyogrio
import pytest

from lzt.analysis.masking import mask_frame
from lzt.gui.panels.query import RESULT
from lzt.workspace.personal import layer_is_personal

PERSONAL = ("citizen_name", "citizen_phone", "citizen_id")


def _run_city_management_query(win) -> int:
    q = win.query
    q.layer.setCurrentText("complaints")
    q.predicate.setCurrentText("无（仅属性）")
    q.where.setText("cat_l1 = '城市管理'")
    return q.run()


def _shown_rows(model, rows: int) -> pd.DataFrame:
    return pd.DataFrame([[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(rows)],
                        columns=model.columns, index=[int(f) for f in model.fids[:rows]])


def _assert_masked(ws, layer: str, shown: pd.DataFrame) -> int:
    """No raw personal value of a row appears anywhere in that row as shown; returns how many
    rows had their caller's name in the text (the case that leaked)."""
    raw = ws.read_features(layer, fids=list(shown.index), geometry=False)
    expect = mask_frame(raw)
    named = 0
    for fid, row in shown.iterrows():
        values = [v for v in raw.loc[fid, list(PERSONAL)] if isinstance(v, str) and v]
        cells = " ".join(str(v) for v in row.tolist())
        assert not [v for v in values if v in cells], (fid, cells)
        assert row["content"] == expect.loc[fid, "content"]
        named += raw.loc[fid, "citizen_name"] in raw.loc[fid, "content"]
    return named


def test_a_query_result_is_masked_in_the_table_identify_and_map(main_window):
    win = main_window
    n = _run_city_management_query(win)
    ws = win.ws
    info = ws.layer(RESULT)
    assert n > 500 and info.kind == "analysis" and info.details["personal_from"] == ["complaints"]
    assert layer_is_personal(info)
    win.show_table(RESULT)
    m = win.table.model
    assert m.layer == RESULT
    assert _assert_masked(ws, RESULT, _shown_rows(m, 500)) > 3
    fid = int(m.fids[0])
    values = win.identify.show_feature(RESULT, fid)
    raw = ws.read_features(RESULT, fids=[fid], geometry=False).iloc[0]
    assert values["citizen_phone"] != raw["citizen_phone"] and "****" in values["citizen_phone"]
    assert raw["citizen_name"] not in " ".join(str(v) for v in values.values())
    snap = {s.name: s for s in win.canvas.build_request().layers}[RESULT]
    assert snap.personal and set(snap.personal_columns) == set(PERSONAL)  # the painter masks its labels


def test_kept_results_stay_personal_and_so_do_queries_of_them(main_window):
    win = main_window
    _run_city_management_query(win)
    assert win.query.keep_as("城管诉求") == "城管诉求"
    ws = win.ws
    assert not ws.has_layer(RESULT)
    kept = ws.layer("城管诉求")
    assert kept.kind == "vector" and kept.details["personal_from"] == ["complaints"]
    win.show_table("城管诉求")
    assert _assert_masked(ws, "城管诉求", _shown_rows(win.table.model, 300)) > 0
    q = win.query
    q.layer.setCurrentText("城管诉求")
    q.where.setText("status = '已办结'")
    assert q.run() > 0
    assert ws.layer(RESULT).details["personal_from"] == ["complaints"]  # the original, not the copy
    assert ws.layer(RESULT).details["derived_from"] == ["城管诉求"]


def test_exporting_a_query_result_is_masked_and_unmasking_is_the_audited_right(main_window, tmp_path, errors,
                                                                               monkeypatch):
    from PySide6.QtWidgets import QPushButton

    from lzt.gui.settings import settings
    from lzt.gui.dialogs.export import ExportDialog

    win = main_window
    _run_city_management_query(win)
    opened = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: opened.append((self.layer, self.unmasked.isEnabled())))
    next(b for b in win.query.findChildren(QPushButton) if b.text() == "导出…").click()
    assert opened == [(RESULT, False)]  # 导出… opens the export of the result, no unmasking without the right
    dlg = ExportDialog(win.session, RESULT, win)
    assert not dlg.unmasked.isEnabled()  # no unmask right: the box stays off for derived layers too
    out = tmp_path / "result.csv"
    dlg.path.setText(str(out))
    assert dlg.run()
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype=str).set_index("fid")
    raw = win.ws.read_features(RESULT, geometry=False)
    for col in PERSONAL:
        assert not set(raw[col].dropna()) & set(frame[col].dropna()), col
    named = raw[[n in c for n, c in zip(raw["citizen_name"], raw["content"])]]
    assert len(named) and not any(n in text for n, text in zip(named["citizen_name"], frame.loc[
        [str(f) for f in named.index], "content"]))
    assert win.ws.audit_entries() == []

    settings().setValue("unmask_right", "true")
    dlg = ExportDialog(win.session, RESULT, win)
    assert dlg.unmasked.isEnabled()
    dlg.unmasked.setChecked(True)
    raw_out = tmp_path / "raw.gpkg"
    dlg.path.setText(str(raw_out))
    assert dlg.run()
    got = pyogrio.read_dataframe(raw_out)
    assert sorted(got["citizen_phone"]) == sorted(raw["citizen_phone"])
    (entry,) = win.ws.audit_entries("export_unmasked")
    assert entry["detail"]["layer"] == RESULT and entry["detail"]["rows"] == len(raw)


def test_the_style_editor_classes_and_legend_show_no_personal_data(main_window):
    from lzt.gui.dialogs.style_editor import StyleEditor

    win = main_window
    _run_city_management_query(win)
    ed = StyleEditor(win.session, RESULT, win)
    items = [ed.cat_field.itemText(i) for i in range(ed.cat_field.count())]
    assert "cat_l1" in items and not set(items) & set(PERSONAL), items
    ed.cat_field.setCurrentText("content")  # free text as classes: shown masked
    assert ed.classify() > 0
    shown = " ".join(str(c.value) for c in ed._categories)
    raw = win.ws.read_features(RESULT, columns=["citizen_name", "content"], geometry=False)
    named = raw[[n in c for n, c in zip(raw["citizen_name"], raw["content"])]]
    assert len(named) and not any(n in shown for n in named["citizen_name"])


@pytest.fixture(autouse=True)
def _no_unmask_right_left_behind():
    yield
    from lzt.gui.settings import settings

    settings().remove("unmask_right")
