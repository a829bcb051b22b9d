"""The dashboard's hotspot layer is drawn by its Gi* class (hot reds, cold blues, faint where not
significant), and its legend lists those classes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from lzt.analysis.hotspots import HOT99, HOTSPOT_CLASSES, NOT_SIGNIFICANT, Z99
from lzt.render.api import render_image


def test_hotspot_layer_is_styled_by_its_class_with_a_legend(main_window):
    win = main_window
    win.show_view("dashboard")
    assert win.dashboard.wait_idle()
    name = win.dashboard.make_hotspots()
    assert name and name in [s.name for s in win.session.layers]
    grid = win.ws.read_features(name)
    assert set(grid["hotspot"]) >= {HOT99, NOT_SIGNIFICANT}
    assert (grid.loc[grid["hotspot"] == HOT99, "gi_z"] > Z99).all()

    # the legend under the layer in the tree: the Gi* classes with their colours
    tree = win.layer_panel.tree
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == name)
    labels = [item.child(i).text(0) for i in range(item.childCount())]
    assert labels == list(HOTSPOT_CLASSES)

    # on the map: a hot cell is red, a cell that is not significant stays pale; they differ
    def colour_of(cls: str):
        cell = grid[grid["hotspot"] == cls].geometry.iloc[0]
        b = cell.buffer(-cell.area ** 0.5 * 0.3).bounds  # inside the cell, away from its outline
        img, _ = render_image(win.ws, b, 8, 8, layers=[name])
        c = img.pixelColor(4, 4)
        return np.array([c.red(), c.green(), c.blue()])

    hot, faint = colour_of(HOT99), colour_of(NOT_SIGNIFICANT)
    assert hot[0] > 150 and hot[0] - hot[2] > 80, hot  # red
    assert faint.min() > 200, faint  # pale, the map shows through
    assert np.abs(hot - faint).max() > 80
