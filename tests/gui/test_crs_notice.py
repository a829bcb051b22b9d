"""The add-layer path says which system lon/lat are believed to be in and applies it on one click."""

from __future__ import annotations

import re

import pytest
import shapely
from PySide6.QtWidgets import QDialog

from lzt.gui.dialogs.crs_notice import CrsNoticeDialog
from tests import crs_fixtures as fx


@pytest.fixture
def datav(main_window, tmp_path):
    return fx.datav_geojson(main_window.ws, tmp_path / "440307.json")


def _answer(monkeypatch, code):
    shown = []

    def fake_exec(self):
        shown.append(self)
        return code

    monkeypatch.setattr(CrsNoticeDialog, "exec", fake_exec)
    return shown


def test_apply_reimports_with_the_believed_system(main_window, datav, monkeypatch, errors):
    shown = _answer(monkeypatch, QDialog.DialogCode.Accepted)
    assert main_window.add_files([str(datav)])
    assert len(shown) == 1 and not errors
    dlg = shown[0]
    assert dlg.choices()[0][1] == "gcj02" and "GCJ-02" in dlg.apply_button.text()
    assert "440307.json" in dlg.texts[0] and re.search(r"位置约偏 59\d m", dlg.texts[0])
    imported = main_window.ws.layer("l_440307").details["import"]
    assert imported["coords"] == "gcj02" and imported["crs_verdict"]["flag"] is None
    stored = main_window.ws.read_features("l_440307", columns=[]).geometry.iloc[0]
    district = main_window.ws.read_features("district", columns=[]).geometry.iloc[0]
    assert shapely.hausdorff_distance(stored, district) < 10  # in place, up to the fixture's noise
    assert "l_440307" in [layer.name for layer in main_window.session.layers]


def test_keep_leaves_the_data_as_imported(main_window, datav, monkeypatch):
    shown = _answer(monkeypatch, QDialog.DialogCode.Rejected)
    assert main_window.add_files([str(datav)])
    assert len(shown) == 1
    imported = main_window.ws.layer("l_440307").details["import"]
    assert imported["coords"] == "wgs84" and imported["crs_verdict"]["flag"] == "--coords gcj02"


def test_no_notice_when_nothing_is_in_doubt(main_window, tmp_path, monkeypatch):
    shown = _answer(monkeypatch, QDialog.DialogCode.Accepted)
    path = fx.wgs84_roads_geojson(main_window.ws, tmp_path / "roads_wgs.geojson")
    assert main_window.add_files([str(path)]) and shown == []
    assert main_window.ws.layer("roads_wgs").details["import"]["crs_verdict"]["datum"] == "wgs84"
