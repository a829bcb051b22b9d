"""Dialogs: export (masked by default), add files with progress, the style editor, sheet and atlas.

One window factory for all: the ``main_window`` fixture of tests/gui/conftest.py."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage


def test_export_dialog_masks_by_default(main_window, tmp_path, errors):
    from lzt.gui.dialogs.export import ExportDialog

    win = main_window
    win.session.select("complaints", [1, 2, 3])
    dlg = ExportDialog(win.session, "complaints", win)
    out = tmp_path / "out.csv"
    dlg.path.setText(str(out))
    dlg.only_selected.setChecked(True)
    assert not dlg.unmasked.isEnabled()  # no unmask right by default
    assert dlg.run() and dlg.result_count == 3
    text = out.read_text(encoding="utf-8-sig")
    assert "****" in text
    raw = win.ws.read_features("complaints", fids=[1], geometry=False)["citizen_phone"].iloc[0]
    assert raw not in text
    shp = ExportDialog(win.session, "complaints", win)
    shp.path.setText(str(tmp_path / "c.shp"))
    shp.only_selected.setChecked(True)
    assert shp.run() and "citizen_name→citizen_na" in shp.summary  # the DBF's 10-byte names, told
    bad = ExportDialog(win.session, "complaints", win)
    bad.path.setText(str(tmp_path / "no_such_dir" / "x.gpkg"))
    assert not bad.run() and errors


def test_add_files_imports_with_progress_and_reports_bad_files(main_window, tmp_path, errors):
    win = main_window
    bad = tmp_path / "broken.geojson"
    bad.write_text("{ not json", encoding="utf-8")
    before = [li.name for li in win.ws.layers()]
    assert not win.add_files([str(bad)])
    assert errors and "broken.geojson" in errors[-1]
    assert [li.name for li in win.ws.layers()] == before
    from tests.conftest import longgang_points

    good = tmp_path / "学校.geojson"
    longgang_points(50).to_crs("EPSG:4326").to_file(good, driver="GeoJSON")
    assert win.add_files([str(good)])
    assert win.ws.layer("学校").count == 50
    assert len(win.ws.layers()) == len(before) + 1 and len(win.session.layers) == len(before) + 1


def test_style_editor_every_renderer_type_saves_into_the_workspace(main_window):
    from lzt.gui.dialogs.style_editor import StyleEditor
    from lzt.gui.panels.layer_panel import legend_entries
    from lzt.render import style as st

    win = main_window
    ed = StyleEditor(win.session, "parcels", win)
    ed.kind.setCurrentIndex(ed.kind.findData("categorized"))
    ed.cat_field.setCurrentText("landuse_name")
    n = ed.classify()
    names = win.ws.read_features("parcels", columns=["landuse_name"], geometry=False)["landuse_name"]
    assert n == min(names.nunique(), 60)
    ed.save()
    saved = st.load_styles(win.ws)["parcels"]
    assert isinstance(saved.renderer, st.CategorizedRenderer) and saved.renderer.field == "landuse_name"
    assert [c.value for c in saved.renderer.categories][:3] == list(names.value_counts().index[:3])
    assert len(legend_entries(saved)) >= 3

    ed = StyleEditor(win.session, "communities", win)
    win.ws.write_layer("counts", win.ws.read_features("communities").assign(n=range(111)), replace=True)
    ed = StyleEditor(win.session, "counts", win)
    ed.kind.setCurrentIndex(ed.kind.findData("graduated"))
    ed.grad_field.setCurrentText("n")
    ed.grad_k.setValue(4)
    style = ed.build()
    assert isinstance(style.renderer, st.GraduatedRenderer) and len(style.renderer.classes) == 4
    ed.kind.setCurrentIndex(ed.kind.findData("ramp"))
    ed.ramp_field.setCurrentText("n")
    assert isinstance(ed.build().renderer, st.RampRenderer)
    ed.kind.setCurrentIndex(ed.kind.findData("single"))
    ed.opacity.setValue(50)
    ed.min_scale.setValue(50_000)
    ed.label_field.setCurrentIndex(ed.label_field.findData("name"))
    ed.save()
    s = st.load_styles(win.ws)["counts"]
    assert s.opacity == 0.5 and s.min_scale == 50_000 and s.labels.field == "name"

    ed = StyleEditor(win.session, "complaints", win)
    assert ed.kind.findData("heatmap") >= 0
    ed.kind.setCurrentIndex(ed.kind.findData("heatmap"))
    ed.radius.setValue(2.0)
    ed.save()
    assert st.load_styles(win.ws)["complaints"].renderer.radius == 2.0
    ed = StyleEditor(win.session, "dem", win)
    assert ed.kind.count() == 1 and ed.kind.currentData() == "raster"
    ed.hillshade.setChecked(False)
    ed.save()
    assert st.load_styles(win.ws)["dem"].renderer.hillshade is False
    ed = StyleEditor(win.session, "dem", win)
    ed.restore_default()
    assert "dem" not in st.load_styles(win.ws)


def test_a_style_save_updates_the_legend_and_the_map_only(main_window, qtbot):
    """Saving a style redraws the map and makes that layer's legend again; the layer list, the
    attribute table and the query panel are not rebuilt (the whole layer panel was, with every
    layer's record and style, on each save: part of a 259 ms gap on the district)."""
    from lzt.gui.dialogs.style_editor import StyleEditor
    from lzt.gui.panels.layer_panel import legend_entries

    win = main_window
    win.show_table("parcels")
    model = win.table.model
    panel = win.layer_panel
    items = {panel._name(panel.tree.topLevelItem(i)): panel.tree.topLevelItem(i)
             for i in range(panel.tree.topLevelItemCount())}
    other = items["roads"]
    other_children = [other.child(i).text(0) for i in range(other.childCount())]
    lists = []
    win.session.layers_changed.connect(lambda **_: lists.append(1))
    renders = []
    win.canvas.rendered.connect(lambda s: renders.append(s))
    parcels = win.ws.layer("parcels").extent
    win.session.set_extent(tuple(parcels))
    assert win.canvas.wait_rendered(60_000)
    before = _pixels(win.canvas)
    ed = StyleEditor(win.session, "parcels", win)
    ed.kind.setCurrentIndex(ed.kind.findData("categorized"))
    ed.cat_field.setCurrentText("landuse_name")
    ed.classify()
    renders.clear()
    ed.save()
    item = next(panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount())
                if panel._name(panel.tree.topLevelItem(i)) == "parcels")
    assert item is items["parcels"]  # the same item: the tree was not rebuilt
    want = [t for t, _c in legend_entries(ed.result_style)]
    assert len(want) >= 3 and [item.child(i).text(0) for i in range(item.childCount())] == want
    assert [other.child(i).text(0) for i in range(other.childCount())] == other_children
    assert lists == [] and win.table.model is model  # no layer list event: the table kept its model
    qtbot.waitUntil(lambda: len(renders) > 0, timeout=60_000)  # the map drew the new style:
    assert win.canvas.wait_rendered(60_000)
    after = _pixels(win.canvas)
    changed = (np.abs(after.astype(int) - before).max(axis=2) > 8).mean()
    colours = [QColor(c) for _t, c in legend_entries(ed.result_style) if c]
    shown = [_share(after, c) for c in colours]
    assert changed > 0.05  # the parcels, drawn again in other colours
    assert sum(a > 0.0005 and _share(before, c) < a / 4 for a, c in zip(shown, colours)) >= 3  # the categories'


def _pixels(canvas) -> np.ndarray:
    """The canvas as the user sees it: (h, w, 3) RGB."""
    img = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    return arr[:, :img.width() * 3].reshape(img.height(), img.width(), 3).copy()


def _share(px: np.ndarray, colour) -> float:
    """The share of pixels within a few levels of ``colour`` (its fill, drawn opaque or not)."""
    want = np.array([colour.red(), colour.green(), colour.blue()])
    return float((np.abs(px.astype(int) - want).max(axis=2) <= 6).mean())


def test_sheet_and_atlas_dialogs_preview_and_export(main_window, tmp_path, errors):
    import subprocess

    from lzt.gui.dialogs.sheet import SheetDialog

    win = main_window
    win.canvas.set_scale(50_000)
    dlg = SheetDialog(win.session, win.canvas, win)
    dlg.update_preview()
    assert dlg.wait_preview() and not dlg.preview.pixmap().isNull()
    dlg.title.setText("龙岗区测试专题图")
    dlg.scale.setValue(50_000)
    dlg.out.setText(str(tmp_path / "sheet.pdf"))
    assert dlg.run()
    text = subprocess.run(["pdftotext", str(tmp_path / "sheet.pdf"), "-"], capture_output=True, text=True).stdout
    assert "龙岗区测试专题图" in "".join(text.split())
    atlas = SheetDialog(win.session, win.canvas, win, atlas=True)
    atlas.coverage.setCurrentText("streets")
    atlas.where.setText("name IN ('龙城', '坂田')")
    atlas.dpi.setValue(72)
    atlas.out.setText(str(tmp_path / "atlas.pdf"))
    assert atlas.run()
    info = subprocess.run(["pdfinfo", str(tmp_path / "atlas.pdf")], capture_output=True, text=True).stdout
    assert [line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")] == ["2"]
    bad = SheetDialog(win.session, win.canvas, win)
    bad.out.setText(str(tmp_path / "nowhere" / "x.pdf"))
    assert not bad.run() and errors
