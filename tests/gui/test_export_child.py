"""Export a layer writes in a child process: the rows, masking and refusals are as before."""

from __future__ import annotations

import pyogrio


def test_export_in_the_child_writes_the_masked_rows(main_window, tmp_path, errors):
    from lzt.gui.dialogs.export import ExportDialog

    win = main_window
    dlg = ExportDialog(win.session, "complaints", win)
    out = tmp_path / "all.gpkg"
    dlg.path.setText(str(out))
    dlg.where.setText("channel = 'i深圳'")
    assert dlg.run(), errors
    got = pyogrio.read_dataframe(out)
    raw = win.ws.read_features("complaints", geometry=False)
    raw = raw[raw["channel"] == "i深圳"]
    assert 0 < len(got) == dlg.result_count == len(raw)
    assert not set(got["citizen_phone"]) & set(raw["citizen_phone"])  # masked
    assert not list(tmp_path.glob(".*lzt-tmp*"))


def test_export_over_the_open_workspace_is_refused_in_one_line(main_window, errors):
    from lzt.gui.dialogs.export import ExportDialog

    win = main_window
    before = [li.name for li in win.ws.layers()]
    dlg = ExportDialog(win.session, "complaints", win)
    dlg.path.setText(str(win.ws.uri))
    assert not dlg.run()
    assert len(errors) == 1 and "\n" not in errors[0] and "demo.gpkg" in errors[0]
    assert [li.name for li in win.ws.layers()] == before and win.ws.integrity_check() == "ok"
