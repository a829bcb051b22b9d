"""A raster service added from the File menu's dialog against a real MapProxy: saved in the
workspace, drawn under the layers progressively (the canvas never waits for tiles), each
block of the source pattern where the source says; a dead server is a dialog and failed
tiles one status-bar line, with the map still drawing."""

from __future__ import annotations

import numpy as np
import pytest

from tests.services.servers import MAPSERV, free_port
from tests.services.tileservers import ORTHO

VIEW = (525_500.0, 2_512_500.0, 526_500.0, 2_513_500.0)


@pytest.fixture(scope="module")
def mapproxy_url(tmp_path_factory):
    pytest.importorskip("mapproxy")
    if MAPSERV is None:
        pytest.skip("MapServer's CGI (Debian cgi-mapserver) is not installed; .ci/run installs it")
    from tests.services.tileservers import start_mapproxy

    srv = start_mapproxy(tmp_path_factory.mktemp("gui-mapproxy"), "unused")
    yield srv.url
    srv.stop()


@pytest.fixture(autouse=True)
def private_tile_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LZT_TILE_CACHE", str(tmp_path / "tiles"))


def canvas_rgb(win, x: float, y: float) -> tuple[int, int, int] | None:
    img = win.canvas._image
    if img is None or win.canvas._image_extent != tuple(win.canvas.view_extent()):
        return None
    p = win.canvas.to_screen(x, y)
    ratio = img.devicePixelRatio()
    c = img.pixelColor(int(p.x() * ratio), int(p.y() * ratio))
    return c.red(), c.green(), c.blue()


def test_add_a_wmts_from_the_dialog_and_see_it_fill_in(main_window, qtbot, mapproxy_url, errors):
    from lzt.gui.dialogs.raster_service import RasterServiceDialog
    from lzt.services import catalog

    win = main_window
    dialog = RasterServiceDialog(win)
    qtbot.addWidget(dialog)
    assert dialog.layer.count() == 12  # 天地图 presets: 6 layers x (_c, _w)
    dialog.kind.setCurrentIndex(dialog.kind.findData("wmts"))
    dialog.url.setText(mapproxy_url + "/service")
    dialog.layer.setEditText("ortho")
    dialog.matrix_set.setText("tdt_c")
    dialog.name.setText("正射影像服务")
    rec = dialog.record()
    assert (rec.type, rec.layer, rec.matrix_set, rec.key_env) == ("wmts", "ortho", "tdt_c", "")
    # nothing else drawn over it: hide the workspace's own layers
    for s in list(win.session.layers):
        win.session.set_visible(s.name, False)
    assert win.add_raster_service(rec)
    assert not errors
    assert win.session.current == "正射影像服务"
    assert catalog.find(win.ws, "正射影像服务").type == "wmts"  # saved in the workspace, as the CLI does
    win.session.set_extent(VIEW)
    assert win.canvas.wait_rendered()
    # tiles land in the background; each asks for a new picture: the block centres fill in
    centres = [(ORTHO.x0 + (i + 0.5) * ORTHO.block, ORTHO.y0 + (j + 0.5) * ORTHO.block)
               for i in range(3, 7) for j in range(3, 7)]
    want = [tuple(int(v) for v in ORTHO.colour_at(x, y)) for x, y in centres]

    def filled():
        return [canvas_rgb(win, x, y) for x, y in centres] == want

    qtbot.waitUntil(filled, timeout=60_000)

    # the 3D view's ground texture: the same service, reprojected, drawn by a waiting (worker) render
    from lzt.gui.view3d.scene import _base_map_texture

    x, y = centres[5]
    half = ORTHO.block * 2
    tex = _base_map_texture(win.session.ws, (x - half, y - half, x + half, y + half), 400, ["正射影像服务"])
    rgb = np.asarray(tex.to_array()).reshape(400, 400, -1)[:, :, :3]
    assert tuple(int(v) for v in rgb[200, 200]) == want[5]


def test_a_dead_service_is_a_dialog_and_failed_tiles_one_status_line(main_window, qtbot, errors):
    from lzt.services.catalog import ServiceRecord

    win = main_window
    dead = f"http://127.0.0.1:{free_port()}"
    assert not win.add_raster_service(ServiceRecord("死服务", "wmts", dead + "/wmts"))
    assert len(errors) == 1 and "127.0.0.1" in errors[0]
    assert "死服务" not in [s.name for s in win.session.layers]
    # an XYZ template opens without asking the server; its tiles then fail, said once
    assert win.add_raster_service(ServiceRecord("死瓦片", "xyz", dead + "/{z}/{x}/{y}.png"))
    win.session.set_extent(VIEW)
    assert win.canvas.wait_rendered()
    qtbot.waitUntil(lambda: "死瓦片" in win.statusBar().currentMessage(), timeout=60_000)
    msg = win.statusBar().currentMessage()
    assert "\n" not in msg and "tiles failed" in msg
    win.canvas.refresh()
    assert win.canvas.wait_rendered()  # the map keeps drawing
    assert np.isfinite(win.canvas.scale())
