"""The GUI's BIM import: the files' own location, or a place typed or clicked on the map that
overrides it; a summary of what happened, and a retry for models outside the workspace's region."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

pytest.importorskip("ifcopenshell")

from tests.ifc_models import REVIT_FLOOR, revit_parapet_model  # noqa: E402


def test_revit_site_outside_the_region_is_placed_by_a_click_on_the_map(main_window, qtbot, tmp_path, errors):
    win = main_window
    before = win.ws.layer("bim_models").count  # the demo's own models
    ifc = revit_parapet_model(tmp_path / "revit.ifc")  # located at Revit's default site, Boston
    assert win.add_files([str(ifc)])
    dlg = win.bim_import.dialog
    assert dlg.isVisible() and dlg.own.isChecked() and not dlg.place.isEnabled()
    dlg.accept()  # the file's own location: refused, with the reason and an offer to place it
    failed = [r for r in win.bim_import.results if r.status == "failed"]
    assert len(failed) == 1 and failed[0].outside_area and "area of use" in failed[0].error
    assert errors and "失败 1 个" in errors[-1]
    assert win.ws.layer("bim_models").count == before

    dlg = win.bim_import.place_outside(failed)
    assert dlg.user.isChecked() and dlg.place.isEnabled()
    dlg.start_pick()
    assert not dlg.isVisible()
    at = QPoint(win.canvas.width() // 2, win.canvas.height() // 2)
    qtbot.mouseClick(win.canvas, Qt.MouseButton.LeftButton, pos=at)
    assert dlg.isVisible()
    x, y = win.canvas.to_map(QPointF(at))
    assert float(dlg.x.text()) == pytest.approx(x, abs=1e-3) and float(dlg.y.text()) == pytest.approx(y, abs=1e-3)
    assert dlg.crs.currentText() == win.ws.crs
    dlg.rotation.setValue(90.0)
    dlg.accept()
    (res,) = win.bim_import.results
    assert res.status == "imported" and res.georef_source == "user"
    assert any("IfcSite" in w and "overridden" in w for w in res.warnings)
    # the plan's centre (25, 17.5) turned 90° about the picked origin
    cx, cy = REVIT_FLOOR[0] / 2, REVIT_FLOOR[1] / 2
    assert res.centroid == pytest.approx([round(x, 3) - cy, round(y, 3) + cx], abs=0.05)
    assert win.ws.layer("bim_models").count == before + 1
    rows = win.ws.read_features("bim_models")
    row = rows[rows["source"] == str(ifc.resolve())].iloc[0]
    assert json.loads(row["georef"])["kind"] == "user"
    assert row.geometry.area == pytest.approx(REVIT_FLOOR[0] * REVIT_FLOOR[1], rel=0.01)
    assert "bim_models" in [layer.name for layer in win.session.layers]


def test_typed_placement_is_checked_before_the_import(main_window, tmp_path, errors):
    win = main_window
    ifc = tmp_path / "revit.txt"  # an IFC under another name goes to the BIM import all the same
    ifc.write_bytes(revit_parapet_model(tmp_path / "revit.ifc").read_bytes())
    win.add_files([str(ifc)])
    dlg = win.bim_import.dialog
    dlg.user.setChecked(True)
    dlg.x.setText("52万")
    dlg.y.setText("2512000")
    dlg.accept()
    assert dlg.isVisible() and errors and "X、Y" in errors[-1]  # refused in the dialog, nothing imported
    dlg.x.setText("521000")
    dlg.crs.setCurrentText("EPSG:99999")
    dlg.accept()
    assert dlg.isVisible() and "EPSG:99999" in errors[-1]
    dlg.crs.setCurrentText("EPSG:4547")
    dlg.accept()
    assert not dlg.isVisible()
    (res,) = win.bim_import.results
    assert res.warnings[0].startswith("this is an IFC file, named .txt")
    assert res.status == "imported" and res.centroid == pytest.approx(
        [521000 + REVIT_FLOOR[0] / 2, 2512000 + REVIT_FLOOR[1] / 2], abs=0.05)
    assert np.isclose(res.gfa_m2, 2 * REVIT_FLOOR[0] * REVIT_FLOOR[1] + 24.0, rtol=1e-3)
