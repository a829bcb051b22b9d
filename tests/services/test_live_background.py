"""A vector service drawn by a live view (a map's render thread) never waits on its server:
``ensure`` returns at once, the features are fetched in their own thread and the view's
listener is called when they have landed, or when the server failed, with the reason in one
line. Real servers on localhost (pygeoapi; a port that takes connections and never answers)."""

from __future__ import annotations

import socket
import threading

import pytest

from lzt.core import crs as crsmod
from lzt.render.service_raster import vector_service_error
from lzt.services import features as fs
from lzt.services.background import set_live
from lzt.services.live import ServiceLayer, WithServices
from tests.services import servers


def _box(lon0, lat0, lon1, lat1):
    return crsmod.transformer("EPSG:4326", "EPSG:4547").transform_bounds(lon0, lat0, lon1, lat1)


@pytest.fixture
def live_thread():
    """This thread drawing live: yields the event the listener sets."""
    landed = threading.Event()
    set_live(landed.set)
    yield landed
    set_live(None)


def test_a_live_draw_gets_the_features_in_the_background(ws, pygeoapi_server, live_thread):
    spec = fs.ServiceSpec("remote", "ogcapi", pygeoapi_server.url, "parcels")
    sl = ServiceLayer(fs.FeatureSource(spec, fs.urllib_get), ws.crs, strict=False)
    w = WithServices(ws, [sl])
    box = _box(114.21, 22.69, 114.23, 22.70)
    first = w.read_features("remote", bbox=box)  # returns what is here: nothing yet
    assert len(first) == 0 and (sl.fetching() or live_thread.is_set())
    assert live_thread.wait(60) and not sl.fetching() and sl.error is None
    got = w.read_features("remote", bbox=box)
    # the same features a waiting (strict) layer reads for the box
    strict = WithServices(ws, [ServiceLayer(fs.FeatureSource(spec, fs.urllib_get), ws.crs)])
    ref = strict.read_features("remote", bbox=box)
    assert len(ref) > 0 and sorted(got["name"]) == sorted(ref["name"])
    live_thread.clear()
    w.read_features("remote", bbox=_box(114.212, 22.692, 114.228, 22.698))  # covered: no new fetch
    assert not sl.fetching() and not live_thread.is_set()


class Switch:
    """The real HTTP getter; once ``to`` is set, requests go to that base URL instead."""

    def __init__(self, base: str):
        self.base, self.to = base.rstrip("/"), None

    def __call__(self, url, params=None):
        if self.to is not None:
            url = url.replace(self.base, self.to.rstrip("/"))
        return fs.urllib_get(url, params, timeout=30.0)


def test_a_hanging_then_failing_server_never_blocks_the_live_draw(ws, tmp_path, live_thread):
    pytest.importorskip("pygeoapi")
    srv = servers.start_pygeoapi(tmp_path, {"p": servers.write_collection(tmp_path / "p.geojson",
                                                                       servers.parcels(10, 10))})
    hang = socket.socket()
    hang.bind(("127.0.0.1", 0))
    hang.listen(4)
    try:
        get = Switch(srv.url)
        sl = ServiceLayer(fs.FeatureSource(fs.ServiceSpec("remote", "ogcapi", srv.url, "p"), get), ws.crs,
                          strict=False)
        sl.RETRY_SECONDS = 0.0
        w = WithServices(ws, [sl])
        box = _box(114.20, 22.68, 114.21, 22.69)
        # a server that takes the connection and never answers: the draw returns at once
        get.to = f"http://127.0.0.1:{hang.getsockname()[1]}"
        assert len(w.read_features("remote", bbox=box)) == 0
        assert sl.fetching() and not live_thread.is_set()  # the server holds the fetch, not the draw
        assert w.layer("remote").details["service"]["fetching"]
        hang.close()  # the connection is reset: the view is told, the reason in one line
        assert live_thread.wait(60) and not sl.fetching()
        assert sl.error and "\n" not in sl.error
        assert vector_service_error(w, "remote") == sl.error  # the map's error line for the layer
        assert w.layer("remote").details["service"]["error"] == sl.error
        # the server back: the next draw fetches, the error is gone
        get.to, _ = None, live_thread.clear()
        assert len(w.read_features("remote", bbox=box)) == 0
        assert live_thread.wait(60) and sl.error is None and vector_service_error(w, "remote") == ""
        assert len(w.read_features("remote", bbox=box)) > 0
    finally:
        hang.close()
        srv.stop()
    # the server gone: a view elsewhere keeps what it had and says why the rest is missing
    live_thread.clear()
    had = len(sl.frame())
    w.read_features("remote", bbox=_box(114.26, 22.72, 114.27, 22.73))
    assert live_thread.wait(60) and "cannot reach the service" in sl.error and len(sl.frame()) == had


def test_without_a_live_thread_reads_wait_and_a_strict_layer_raises(ws, tmp_path):
    pytest.importorskip("pygeoapi")
    srv = servers.start_pygeoapi(tmp_path, {"p": servers.write_collection(tmp_path / "p.geojson",
                                                                       servers.parcels(10, 10))})
    try:
        spec = fs.ServiceSpec("remote", "ogcapi", srv.url, "p")
        sl = ServiceLayer(fs.FeatureSource(spec, fs.urllib_get), ws.crs, strict=False)
        assert len(WithServices(ws, [sl]).read_features("remote")) == 100  # a sheet, the command line
        strict = ServiceLayer(fs.FeatureSource(spec, fs.urllib_get), ws.crs)
    finally:
        srv.stop()
    from lzt.core.errors import LztInputError

    with pytest.raises(LztInputError, match="cannot reach the service"):
        WithServices(ws, [strict]).read_features("remote")
