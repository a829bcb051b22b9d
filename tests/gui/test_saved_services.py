"""Saved vector services at start-up: the window opens without waiting for them (a server
that never answers stays "connecting" while the window keeps handling events), a live one
opens in the background and draws, a dead one is listed as unavailable with the reason, and
重新连接 retries it once the server is up. Real pygeoapi servers on localhost."""

from __future__ import annotations

import socket

import pytest

from lzt.services import catalog
from tests.services import servers


@pytest.fixture
def hanging_server():
    """A port that takes connections and never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    yield s, f"http://127.0.0.1:{s.getsockname()[1]}/"
    s.close()


def _state(win, name):
    return win.session.ws.layer(name).details["service"]["state"]


def _panel_text(win, name):
    tree = win.layer_panel.tree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return next(i.text(0) for i in items if i.text(0).startswith(name + " "))


def test_saved_services_open_in_the_background(qtbot, demo_copy, tmp_path, hanging_server, monkeypatch):
    pytest.importorskip("pygeoapi")
    from lzt.gui.app import make_app, open_main_window
    from lzt.gui.service_opener import service_opener
    from lzt.workspace import open_workspace

    feats = servers.parcels(10, 10)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    live = servers.start_pygeoapi(tmp_path / "a", {"p": servers.write_collection(tmp_path / "p.geojson", feats)})
    dead_port = servers.free_port()
    hang_sock, hang_url = hanging_server
    ws = open_workspace(str(demo_copy))
    try:
        for name, url in (("在线", live.url), ("停机", f"http://127.0.0.1:{dead_port}/"), ("无响应", hang_url)):
            catalog.add(ws, catalog.ServiceRecord(name=name, type="ogcapi", url=url, layer="p"))
    finally:
        ws.close()
    later = None
    try:
        make_app("zh_CN")
        win = open_main_window(demo_copy)
        qtbot.addWidget(win)
        failures = []
        service_opener(win.session).failed.connect(lambda n, why: failures.append(n))
        # listed at once, nothing asked of any server yet
        names = [s.name for s in win.session.layers]
        assert {"在线", "停机", "无响应"} <= set(names)
        assert {_state(win, n) for n in ("在线", "停机", "无响应")} <= {"pending", "opening"}
        win.show()
        qtbot.waitExposed(win)
        qtbot.waitUntil(lambda: failures == ["停机"] and "100" in _panel_text(win, "在线"), timeout=60_000)
        assert win.session.ws.layer("在线").count == 100
        info = win.session.ws.layer("停机")
        assert "cannot reach the service" in info.details["service"]["error"]
        assert "不可用" in _panel_text(win, "停机")
        # the server that never answers: still connecting, and the window handles events meanwhile
        ticks = []
        from PySide6.QtCore import QTimer

        QTimer.singleShot(50, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: bool(ticks), timeout=5_000)
        assert _state(win, "无响应") == "opening" and "正在连接" in _panel_text(win, "无响应")
        assert win.canvas.wait_rendered()
        hang_sock.close()  # the connection is reset: unavailable, said in one line
        qtbot.waitUntil(lambda: "无响应" in failures, timeout=30_000)
        assert _state(win, "无响应") == "unavailable" and "不可用" in _panel_text(win, "无响应")

        # 重新连接 once the server is up: open, features read like a local layer's
        monkeypatch.setattr(servers, "free_port", lambda: dead_port)
        later = servers.start_pygeoapi(tmp_path / "b", {"p": servers.write_collection(tmp_path / "q.geojson", feats)})
        assert service_opener(win.session).open("停机")
        qtbot.waitUntil(lambda: "100" in _panel_text(win, "停机"), timeout=60_000)
        assert _state(win, "停机") == "open" and win.session.ws.layer("停机").details["service"]["error"] is None
        got = win.session.ws.read_features("停机")
        assert len(got) == 100 and sorted(got["name"]) == sorted(f["properties"]["name"] for f in feats)
        win.close()
    finally:
        live.stop()
        if later is not None:
            later.stop()
