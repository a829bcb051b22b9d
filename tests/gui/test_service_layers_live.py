"""A saved vector service on the map: the canvas's render thread never fetches (its features
come in a fetch thread and the map is drawn again as they land), a server that fails is one
line in the status bar, and 从工作空间删除服务 (after confirming) forgets the service: it
leaves the map, the workspace view and ``lzt layers``. Real pygeoapi on localhost."""

from __future__ import annotations

import json
import threading

import pytest

from lzt.services import catalog
from lzt.services import features as fs
from tests.services import servers


class Recording:
    """The real HTTP getter, recording which thread asked for which URL."""

    def __init__(self):
        self.calls: list[tuple[str, str]] = []

    def __call__(self, url, params=None):
        self.calls.append((threading.current_thread().name, url))
        return fs.urllib_get(url, params, timeout=10.0)


def test_service_features_come_in_the_background_and_the_service_can_be_deleted(
        qtbot, demo_copy, tmp_path, monkeypatch, capsys):
    pytest.importorskip("pygeoapi")
    from PySide6.QtWidgets import QMessageBox

    from lzt.cli.main import main
    from lzt.gui.app import make_app, open_main_window
    from lzt.workspace import open_workspace

    feats = servers.parcels()  # 2,400: the map reads them box by box
    (tmp_path / "srv").mkdir()
    srv = servers.start_pygeoapi(tmp_path / "srv", {"p": servers.write_collection(tmp_path / "p.geojson", feats)})
    ws = open_workspace(str(demo_copy))
    try:
        local = [i.name for i in ws.layers()]
        catalog.add(ws, catalog.ServiceRecord(name="在线", type="ogcapi", url=srv.url, layer="p"))
    finally:
        ws.close()
    get = Recording()
    monkeypatch.setattr("lzt.services.saved.map_getter", lambda: get)
    try:
        make_app("zh_CN")
        win = open_main_window(demo_copy)
        qtbot.addWidget(win)
        win.resize(1200, 800)
        from lzt.core import crs as crsmod

        # a view over a small part of the service's parcels, from the start
        view = crsmod.transformer("EPSG:4326", win.session.ws.crs).transform_bounds(114.21, 22.69, 114.225, 22.70)
        win.session.set_extent(view)
        win.show()
        qtbot.waitExposed(win)
        sl = win.session.ws.service("在线")
        qtbot.waitUntil(lambda: sl.state == "open", timeout=60_000)
        qtbot.waitUntil(lambda: len(sl.frame()) > 0 and win.canvas.wait_rendered(), timeout=60_000)
        # the features came in the fetch thread, never in the render thread (opening asks for a count)
        items = [(t, u) for t, u in get.calls if "/items" in u]
        assert any(t.startswith("lzt-fetch-") for t, _ in items), items
        assert not any(t.startswith("lzt-render") for t, _ in get.calls), get.calls
        names = {f["properties"]["name"] for f in feats}
        got = set(sl.frame()["name"])
        assert got <= names and 0 < len(got) < len(names)  # the view's box (widened), not the whole layer
        assert set(win.session.ws.read_features("在线", bbox=view)["name"]) <= got

        srv.stop()  # the server fails: the map says so in one line, and keeps what it drew
        e = win.session.extent
        win.session.set_extent((e[0] + 20_000, e[1], e[2] + 20_000, e[3]))
        qtbot.waitUntil(lambda: "cannot reach the service" in win.statusBar().currentMessage(), timeout=60_000)
        msg = win.statusBar().currentMessage()
        assert msg.startswith("在线: ") and "\n" not in msg and set(sl.frame()["name"]) == got

        # deleting asks first; declined, nothing changes
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
        assert not win.layer_panel.delete_service("在线")
        assert "在线" in [s.name for s in win.session.layers] and catalog.find(win.session.ws, "在线")
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        assert win.layer_panel.delete_service("在线")
        assert "在线" not in [s.name for s in win.session.layers] and not win.session.ws.has_layer("在线")
        assert "在线" not in win.session.off_map() and catalog.find(win.session.ws, "在线") is None
        tree = win.layer_panel.tree
        assert not any(tree.topLevelItem(i).text(0).startswith("在线 ") for i in range(tree.topLevelItemCount()))
        win.close()
    finally:
        srv.stop()
    capsys.readouterr()
    assert main(["layers", str(demo_copy), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in listed] == local  # the workspace's own layers all kept, the service gone


def test_a_service_taken_off_the_map_stays_saved_like_a_local_layer(qtbot, demo_copy, tmp_path, errors):
    """从地图移除 keeps a service as it keeps a local layer: in the workspace, to put back."""
    from lzt.gui.app import make_app, open_main_window
    from lzt.workspace import open_workspace

    ws = open_workspace(str(demo_copy))
    try:
        catalog.add(ws, catalog.ServiceRecord(name="停机", type="ogcapi", url=f"http://127.0.0.1:{servers.free_port()}/",
                                              layer="p"))
    finally:
        ws.close()
    make_app("zh_CN")
    win = open_main_window(demo_copy)
    qtbot.addWidget(win)
    local = next(s.name for s in win.session.layers if s.name != "停机")
    for name in ("停机", local):
        win.session.remove(name)
        assert name in win.session.off_map() and name not in [s.name for s in win.session.layers]
    assert catalog.find(win.session.ws, "停机") is not None
    win.session.show("停机")
    assert "停机" in [s.name for s in win.session.layers]
    assert not win.layer_panel.delete_service(local, confirm=False)  # a local layer is not a service: kept
    assert win.session.ws.has_layer(local) and len(errors) == 1 and "停机" not in errors[0]
    win.close()
