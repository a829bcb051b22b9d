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


def test_kept_pictures_are_the_user_s_alone_and_bounded(qapp, tmp_path, monkeypatch):
    """The folder 0700 and each picture 0600 (a picture of complaint layers shows where they are),
    also when the folder was made before; the newest KEEP kept, within MAX_BYTES, none older than
    MAX_AGE_DAYS."""
    import os
    import time

    from PySide6.QtGui import QImage

    from lzt.render import view_cache

    folder = tmp_path / "views"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    monkeypatch.setenv("LZT_VIEW_CACHE", str(folder))
    img = QImage(64, 64, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0xFF336699)
    assert view_cache.save("a" * 64, img)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / f"{'a' * 64}.png").stat().st_mode & 0o777 == 0o600
    old = folder / f"{'b' * 64}.png"
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 40 * 86400,) * 2)
    big = folder / f"{'c' * 64}.png"
    big.write_bytes(b"x" * 100_000)
    os.utime(big, (time.time() - 60,) * 2)
    monkeypatch.setattr(view_cache, "MAX_BYTES", 50_000)
    assert view_cache.save("d" * 64, img)
    assert sorted(p.name[0] for p in folder.glob("*.png")) == ["a", "d"]  # too old; over the bytes


def test_a_kept_picture_of_complaints_has_their_labels_masked(qapp, demo_copy, tmp_path, monkeypatch):
    """The picture kept is the map as drawn: labels of a personal layer masked (the unmasked
    drawing of the same view has other pixels)."""
    from dataclasses import replace

    from lzt.render import request as rq
    from lzt.render import view_cache
    from lzt.render.api import render_image
    from lzt.render.style import LabelStyle, styles_for
    from lzt.workspace import open_workspace

    monkeypatch.setenv("LZT_VIEW_CACHE", str(tmp_path / "views"))
    ws = open_workspace(demo_copy)
    try:
        c = ws.read_features("complaints", columns=["citizen_name"])
        p = c.geometry[c["citizen_name"].str.len() >= 3].iloc[0]
        extent = (p.x - 150, p.y - 100, p.x + 150, p.y + 100)
        style = replace(styles_for(ws, ["complaints"])["complaints"], labels=LabelStyle("citizen_name", size=4.0))
        masked, _ = render_image(ws, extent, 600, 400, ["complaints"], {"complaints": style})
        req = rq.make_request(ws, extent, 600, 400, layers=["complaints"], styles={"complaints": style})
        assert req.layers[0].personal and view_cache.save(view_cache.view_key(ws, req), masked)
        kept = view_cache.load(view_cache.view_key(ws, req))
        monkeypatch.setattr("lzt.workspace.personal.layer_is_personal", lambda info: False)
        plain, _ = render_image(ws, extent, 600, 400, ["complaints"], {"complaints": style})
        assert np.array_equal(_pixels(kept), _pixels(masked)) and _pixels(masked).min() < 128  # drawn
        assert not np.array_equal(_pixels(plain), _pixels(masked))  # names drawn there, masked here
    finally:
        ws.close()
