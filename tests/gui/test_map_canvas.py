"""The map canvas: drawing, layer order and opacity, zoom, identify/select and measure tools, a lon/lat DEM.

One window factory for all: the ``main_window`` fixture of tests/gui/conftest.py."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication


def test_opens_on_the_map_and_draws(main_window, qtbot):
    win = main_window
    assert win.tabs.currentWidget() is win.canvas
    assert win.canvas.wait_rendered()
    img = win.canvas._image
    assert img is not None and img.width() >= win.canvas.width()
    centre = img.pixelColor(img.width() // 2, img.height() // 2)
    assert centre.name() != "#f4f3ef"  # something is drawn over the background in Longgang's middle
    names = [s.name for s in win.session.layers]
    assert names[0] == "dem" and names[-1] == "complaints"
    assert win.layer_panel.tree.topLevelItemCount() == len(names)
    tree = win.layer_panel.tree
    dem = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == "dem")
    assert dem.text(0) == "dem  (栅格, 1,070 × 878 像元，30 米)"  # a raster's size, not its cell count
    assert "EPSG:4547" in " ".join(w.text() for w in win.statusBar().findChildren(type(win.coords)))


def test_layer_visibility_order_opacity(main_window):
    win = main_window
    item = win.layer_panel.tree.topLevelItem(0)  # top of the list = complaints
    assert item.data(0, Qt.ItemDataRole.UserRole) == "complaints"
    seen = []  # a later slot on the same signal still gets a live item (the tree is rebuilt after)
    win.layer_panel.tree.itemChanged.connect(lambda it, _c: seen.append(it.data(0, Qt.ItemDataRole.UserRole)))
    item.setCheckState(0, Qt.CheckState.Unchecked)
    assert seen == ["complaints"]
    assert not win.session.layer("complaints").visible
    QApplication.processEvents()  # the deferred rebuild
    top = win.layer_panel.tree.topLevelItem(0)
    assert top.data(0, Qt.ItemDataRole.UserRole) == "complaints" and top.checkState(0) == Qt.CheckState.Unchecked
    assert "complaints" not in [s.name for s in win.canvas.build_request().layers]
    win.session.set_current("poi")
    win.layer_panel.opacity.setValue(40)
    assert win.session.layer("poi").opacity == pytest.approx(0.4)
    before = [s.name for s in win.session.layers].index("poi")
    win.layer_panel._move(+1)
    assert [s.name for s in win.session.layers].index("poi") == before + 1
    win.layer_panel._remove()
    assert "poi" not in [s.name for s in win.session.layers] and win.ws.has_layer("poi")


def test_wheel_zoom_keeps_the_point_under_the_cursor_and_scale_box(main_window, qtbot):
    win = main_window
    c = win.canvas
    at = QPointF(c.width() * 0.3, c.height() * 0.6)
    before = c.to_map(at)
    c.zoom(2.0, at)
    after = c.to_map(at)
    assert np.allclose(before, after, atol=c.resolution())
    win.scale_box.setEditText("1:10000")
    win._scale_entered()
    assert c.scale() == pytest.approx(10_000, rel=1e-6)


def test_identify_and_select_tools_on_the_canvas(main_window, qtbot):
    win = main_window
    c = win.canvas
    parcels = win.ws.read_features("parcels", limit=1)
    pt = parcels.geometry.iloc[0].representative_point()
    win.session.set_extent((pt.x - 300, pt.y - 200, pt.x + 300, pt.y + 200))
    win.session.set_current("parcels")
    for s in list(win.session.layers):  # only parcels answer the click
        if s.name != "parcels":
            win.session.set_visible(s.name, False)
    win.tool_actions["identify"].trigger()
    spot = c.to_screen(pt.x, pt.y).toPoint()
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=spot)
    assert win.identify.title.text().startswith("parcels · fid")
    win.tool_actions["select"].trigger()
    a, b = c.to_screen(pt.x - 100, pt.y + 100).toPoint(), c.to_screen(pt.x + 100, pt.y - 100).toPoint()
    qtbot.mousePress(c, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(c, b)
    qtbot.mouseRelease(c, Qt.MouseButton.LeftButton, pos=b)
    got = set(win.session.selection("parcels").tolist())
    box = shapely.box(pt.x - 100, pt.y - 100, pt.x + 100, pt.y + 100)
    all_p = win.ws.read_features("parcels", bbox=box.bounds, columns=[])
    expect = set(all_p.index[shapely.intersects(np.asarray(all_p.geometry.values, dtype=object), box)].tolist())
    assert got == expect and got


def test_measure_distance(main_window, qtbot):
    win = main_window
    c = win.canvas
    win.tool_actions["measure_distance"].trigger()
    seen = []
    c.measured.connect(seen.append)
    p1, p2 = QPoint(100, 100), QPoint(400, 500)
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=p1)
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=p2)
    qtbot.mouseDClick(c, Qt.MouseButton.LeftButton, pos=p2)
    expect = np.hypot(*(np.subtract(c.to_map(QPointF(p2)), c.to_map(QPointF(p1)))))
    text = seen[-1].replace(",", "")
    value = float(text.split()[1]) * (1000 if "km" in text else 1)
    assert value == pytest.approx(expect, rel=1e-3)


def test_a_lonlat_dem_added_in_the_gui_is_drawn_and_exported_in_the_workspace_crs(main_window, tmp_path):
    import rasterio

    from lzt.gui.dialogs.export import ExportDialog
    from tests.dems import HILL, write_dem

    win = main_window
    assert win.add_files([str(write_dem(tmp_path / "n22e114.tif", "EPSG:4326", "hill"))])
    for s in win.session.layers:
        win.session.set_visible(s.name, s.name == "n22e114")
    hx, hy = HILL[:2]
    win.session.set_extent((hx - 3000, hy - 3000, hx + 3000, hy + 3000))
    assert win.canvas.wait_rendered()
    img = win.canvas._image
    top = win.canvas.to_screen(hx, hy)
    far = win.canvas.to_screen(hx - 2500, hy - 2500)  # on the DEM, 3.5 km from the hill top
    assert img.pixelColor(int(top.x()), int(top.y())) != img.pixelColor(int(far.x()), int(far.y()))
    assert img.pixelColor(int(top.x()), int(top.y())).name() != "#f4f3ef"  # not the background
    dlg = ExportDialog(win.session, "n22e114", win)
    assert not dlg.where.isEnabled() and list(dlg.formats) == ["GeoTIFF (*.tif)"]
    dlg.path.setText(str(tmp_path / "dem_out"))
    assert dlg.run() and "EPSG:4547" in dlg.summary and "双线性" in dlg.summary
    with rasterio.open(tmp_path / "dem_out.tif") as ds:
        assert ds.crs.to_epsg() == 4547


def test_box_and_polygon_selection_of_points_match_shapely(main_window):
    """Points are hit by coordinates (no point objects): the same ids as shapely finds, for a
    box and for a triangle."""
    import numpy as np
    import shapely

    win = main_window
    c = win.canvas
    c.zoom_full()
    e = win.ws.layer("complaints").extent
    cx, cy, w, h = (e[0] + e[2]) / 2, (e[1] + e[3]) / 2, e[2] - e[0], e[3] - e[1]
    pts = win.ws.read_features("complaints", columns=[])
    geoms = np.asarray(pts.geometry.values, dtype=object)
    win.session.set_current("complaints")
    for shape in (shapely.box(cx - w / 6, cy - h / 6, cx + w / 6, cy + h / 8),
                  shapely.Polygon([(cx - w / 5, cy - h / 5), (cx + w / 5, cy - h / 6), (cx, cy + h / 5)])):
        c.select_in(shape)
        expect = np.sort(pts.index.to_numpy()[shapely.intersects(geoms, shape)])
        got = win.session.selection("complaints")
        assert len(expect) > 10 and np.array_equal(got, expect)


def test_hidden_linked_view_draws_only_when_shown(main_window, qtbot):
    """The linked view's closed dock does not draw each view of the main map (two renders on 2 cores)."""
    win = main_window
    linked = win.linked.canvas
    assert not linked.isVisible()
    submitted = []
    real = linked.job.submit
    linked.job.submit = lambda *a, **k: submitted.append(a[0]) or real(*a, **k)
    win.canvas.zoom(2.0)
    assert win.canvas.wait_rendered()
    qtbot.wait(150)  # the linked canvas's coalescing timer has fired
    assert submitted == []
    win.show_compare("linked")
    assert linked.wait_rendered() and submitted


def test_stamped_points_are_squares_with_a_rim_around_each_point():
    """Against a point-by-point painting of the same squares (core 2 px, rim 1 px), including
    points just outside the image whose squares reach into it."""
    import numpy as np

    from lzt.gui.canvas.selection import HALO, LINE, stamp_points

    rng = np.random.default_rng(3)
    w, h = 90, 60
    px = np.column_stack([rng.uniform(-4, w + 4, 700), rng.uniform(-4, h + 4, 700)])
    expected = np.zeros((h, w), np.uint8)
    for x, y in np.round(px).astype(int):
        for dy in range(-3, 4):
            for dx in range(-3, 4):
                if 0 <= x + dx < w and 0 <= y + dy < h:
                    v = 2 if max(abs(dx), abs(dy)) <= 2 else 1
                    expected[y + dy, x + dx] = max(expected[y + dy, x + dx], v)
    img = stamp_points(px, w, h)
    got = np.zeros((h, w), np.uint8)
    for yy in range(h):
        for xx in range(w):
            c = img.pixelColor(xx, yy)
            if c.alpha():
                got[yy, xx] = 2 if c.rgb() == LINE.rgb() else 1 if c.rgb() == HALO.rgb() else 9
    assert (got == expected).all()


def test_a_raster_entry_gives_columns_rows_and_cell_size_a_vector_its_count(demo_path):
    from lzt.gui.panels.layer_panel import size_label
    from lzt.workspace import open_workspace

    ws = open_workspace(demo_path)
    try:
        assert size_label(ws.layer("imagery_2022")) == "2,400 × 2,400 像元，1 米"  # was 5,760,000
        assert size_label(ws.layer("dem")) == "1,070 × 878 像元，30 米"
        assert size_label(ws.layer("parcels")) == f"{ws.layer('parcels').count:,}"
    finally:
        ws.close()
