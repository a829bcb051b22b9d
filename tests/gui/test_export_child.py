"""Export a layer writes in a child process: the rows, masking and refusals are as before."""

from __future__ import annotations

import pyogrio
import pytest


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


def crash_mid_write(path: str, out: str, crs, layer: str, fb) -> str:
    """In the export child: write the temporary dataset (as export_features does before it moves
    it over ``out``) and a journal beside it, then die as a crashed process does (SIGKILL)."""
    import os
    import signal
    from pathlib import Path

    from lzt.export.layer_job import load_frame

    target = Path(out)
    tmp = target.parent / f".{target.stem}.lzt-tmp{target.suffix.lower()}"
    pyogrio.write_dataframe(load_frame(Path(path)), tmp, layer=layer)
    Path(str(tmp) + "-journal").write_bytes(b"\0" * 512)
    os.kill(os.getpid(), signal.SIGKILL)
    return out


def test_a_crashed_export_child_leaves_no_partial_file(main_window, tmp_path, monkeypatch):
    import lzt.export.layer_job as job
    from lzt.gui.dialogs.export import ExportDialog

    monkeypatch.setattr(job, "write_saved_frame", crash_mid_write)  # pickled by name: the child runs it
    win = main_window
    dlg = ExportDialog(win.session, "complaints", win)
    folder = tmp_path / "out"
    folder.mkdir()
    dlg.path.setText(str(folder / "crash.gpkg"))
    dlg.where.setText("channel = 'i深圳'")
    with pytest.raises(RuntimeError, match="ended without a result"):  # run_task re-raises what is not input
        dlg.run()
    assert sorted(p.name for p in folder.iterdir()) == []  # neither the output nor its temporary parts
