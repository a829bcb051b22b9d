"""The opening view kept from the last session (lzt.render.view_cache): shown at once when nothing
changed, replaced by the drawn map, which is the same picture; not shown once a layer changed."""

from __future__ import annotations

import sqlite3

import numpy as np


def _open(path, qtbot):
    from lzt.gui.app import make_app, open_main_window

    make_app("zh_CN")
    win = open_main_window(path)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    return win


def _pixels(img) -> np.ndarray:
    from PySide6.QtGui import QImage

    img = img.convertToFormat(QImage.Format.Format_ARGB32)
    return np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine()).copy()


def _first_session(path, qtbot):
    """Open, draw the opening view to the end, wait for it to be kept, close: (picture, kept files)."""
    from lzt.render import view_cache

    win = _open(path, qtbot)
    win.show()
    assert win.canvas.wait_rendered()
    drawn = win.canvas._image.copy()
    qtbot.waitUntil(lambda: len(list(view_cache.cache_dir().glob("*.png"))) == 1, timeout=10_000)
    win.close()
    return drawn, list(view_cache.cache_dir().glob("*.png"))


def test_the_opening_view_is_shown_from_the_last_session_then_drawn_identically(qtbot, demo_copy):
    drawn, kept = _first_session(demo_copy, qtbot)
    win = _open(demo_copy, qtbot)
    seen = []  # (complete?, picture) at each early picture
    win.canvas.partly_rendered.connect(lambda s: seen.append((win.canvas._complete, win.canvas._image.copy(), s)))
    win.show()
    assert win.canvas.wait_rendered()
    # one early picture: the kept one (no picture of the layers at hand over it), not marked complete
    assert len(seen) == 1 and seen[0][0] is False and seen[0][2] == 0.0
    assert np.array_equal(_pixels(seen[0][1]), _pixels(drawn))
    # the drawn map replaces it, the same pixels; nothing new is kept for the same view
    assert win.canvas._complete and np.array_equal(_pixels(win.canvas._image), _pixels(drawn))
    assert list(kept[0].parent.glob("*.png")) == kept
    win.close()


def test_a_changed_layer_or_style_shows_no_kept_picture(qtbot, demo_copy):
    from lzt.render import view_cache

    _first_session(demo_copy, qtbot)
    con = sqlite3.connect(demo_copy)  # what an edit by another program leaves (QGIS and GDAL set last_change)
    with con:
        con.execute("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 second') "
                    "WHERE table_name = 'parcels'")
    con.close()
    win = _open(demo_copy, qtbot)
    win.show()
    req = win.canvas.build_request()
    assert view_cache.load(view_cache.view_key(win.ws, req)) is None
    assert win.canvas.wait_rendered()
    assert win.canvas._kept_extent is None
    qtbot.waitUntil(lambda: len(list(view_cache.cache_dir().glob("*.png"))) == 2, timeout=10_000)
    # a style change is another picture too
    from dataclasses import replace

    snaps = tuple(replace(s, style=replace(s.style, opacity=0.5)) if s.name == "parcels" else s for s in req.layers)
    assert view_cache.view_key(win.ws, replace(req, layers=snaps)) != view_cache.view_key(win.ws, req)
    win.close()


def test_service_layers_are_not_kept(demo_copy):
    from dataclasses import replace

    from lzt.render import view_cache
    from lzt.render.request import make_request
    from lzt.workspace import open_workspace

    ws = open_workspace(demo_copy)
    try:
        req = make_request(ws, ws.layer("parcels").extent, 300, 200, layers=["parcels"])
        assert view_cache.view_key(ws, req) is not None
        svc = replace(req, layers=(replace(req.layers[0], kind="service"),))
        assert view_cache.view_key(ws, svc) is None
    finally:
        ws.close()


def test_a_failed_rename_leaves_no_temporary_picture(qapp, tmp_path, monkeypatch):
    import os

    from PySide6.QtGui import QImage

    from lzt.render import view_cache

    monkeypatch.setenv("LZT_VIEW_CACHE", str(tmp_path))
    img = QImage(8, 8, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)

    def refuse(a, b):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    assert not view_cache.save("k" * 64, img)
    assert list(tmp_path.iterdir()) == []
