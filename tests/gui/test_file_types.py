"""The add-layer dialog offers what the format table reads: MapInfo TAB and GML (absent from the
hand-written filter before the table) are offered and imported through the GUI like the rest."""

from __future__ import annotations

import pyogrio
from PySide6.QtWidgets import QFileDialog


def test_tab_and_gml_from_the_add_layer_dialog(main_window, tmp_path, monkeypatch, errors):
    streets = main_window.ws.read_layer("streets")
    written = {"街道_tab": tmp_path / "街道_tab.tab", "街道_gml": tmp_path / "街道_gml.gml"}
    pyogrio.write_dataframe(streets, written["街道_tab"], driver="MapInfo File")
    pyogrio.write_dataframe(streets, written["街道_gml"], driver="GML")
    offered = []

    def choose(parent, title, folder, file_filter):
        offered.append(file_filter)
        return [str(p) for p in written.values()], file_filter.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", choose)
    main_window.layer_panel._choose_files()
    first = offered[0].split(";;")[0]
    assert "*.tab" in first and "*.gml" in first and "*.mif" in first and "*.xls" in first
    assert not errors
    for name in written:
        info = main_window.ws.layer(name)
        assert info.count == len(streets) == 11
        assert info.extent is not None and abs(info.extent[0] - streets.total_bounds[0]) < 0.05  # TAB: 1 cm grid
