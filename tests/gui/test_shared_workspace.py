"""The desktop client on a shared PostGIS workspace: the same map as from the GeoPackage it came from."""

from __future__ import annotations

from lzt.cli.main import main


def test_gui_draws_a_pushed_workspace_like_the_geopackage(demo_path, pg_url, tmp_path, capsys):
    from PySide6.QtGui import QImage

    assert main(["push", str(demo_path), pg_url]) == 0
    shots = []
    for ws in (str(demo_path), pg_url):
        out = tmp_path / f"shot{len(shots)}.png"
        assert main(["gui", ws, "--screenshot", str(out), "--size", "1400x900"]) == 0
        shots.append(QImage(str(out)))
    assert (shots[1].width(), shots[1].height()) == (1400, 900)
    body = [s.copy(0, 0, 1400, 860) for s in shots]  # the status bar below shows the drawing time
    assert body[0] == body[1]  # the same map, layer tree and panels, pixel for pixel


def test_open_shared_dialog_opens_the_url(main_window, pg_url, monkeypatch, errors):
    from PySide6.QtWidgets import QInputDialog

    from lzt.workspace import create_workspace
    from tests.conftest import longgang_points

    ws = create_workspace(pg_url)
    ws.write_layer("共享点", longgang_points(20))
    ws.close()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (pg_url, True))
    main_window.open_shared_dialog()
    other = main_window._others[-1]
    try:
        assert other.ws.uri == pg_url and [i.name for i in other.ws.layers()] == ["共享点"]
    finally:
        other.close()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("postgresql://u@127.0.0.1:1/none", True))
    main_window.open_shared_dialog()
    assert errors and "cannot connect" in errors[-1]
