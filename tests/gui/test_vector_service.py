"""Adding an OGC API - Features collection from a real pygeoapi on localhost (File menu
dialog), drawing it, identifying a feature, its table and query, and downloading it."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPointF

from lzt.core import crs as crsmod
from lzt.query.run import QuerySpec, run_query
from tests.services import servers


@pytest.fixture(scope="module")
def pygeoapi_url(tmp_path_factory):
    pytest.importorskip("pygeoapi")
    root = tmp_path_factory.mktemp("gui-pygeoapi")
    feats = servers.parcels(20, 20)
    srv = servers.start_pygeoapi(root, {"parcels": servers.write_collection(root / "p.geojson", feats)})
    yield srv.url, feats
    srv.stop()


def test_add_identify_table_query_download(main_window, qtbot, pygeoapi_url, errors):
    from lzt.gui.dialogs.vector_service import VectorServiceDialog

    url, feats = pygeoapi_url
    win = main_window
    dialog = VectorServiceDialog(win)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(0)
    dialog.url.setText(url)
    assert dialog.connect_service()
    assert dialog.layer.count() == 1 and dialog.name.text() == "parcels"
    dialog.name.setText("远程地块")
    spec = dialog.spec()
    assert (spec.type, spec.layer) == ("ogcapi", "parcels")

    assert win.add_vector_service(spec)
    assert "远程地块" in [s.name for s in win.session.layers] and win.session.current == "远程地块"
    from lzt.services import catalog

    saved = catalog.find(win.ws, "远程地块")  # saved in the workspace, as lzt service add does
    assert (saved.type, saved.url, saved.layer) == ("ogcapi", url, "parcels")

    # Draw it: zoom to one parcel, its middle is painted.
    tr = crsmod.transformer("EPSG:4326", win.ws.crs)
    ring = np.array(feats[42]["geometry"]["coordinates"][0])
    x, y = tr.transform(ring[:, 0], ring[:, 1])
    parcel = shapely.Polygon(np.column_stack([x, y]))
    win.session.set_extent(parcel.buffer(200).bounds)
    live = win.session.ws.service("远程地块")  # fetched in its own thread, then drawn again
    qtbot.waitUntil(lambda: len(live.frame()) and not live.fetching() and win.canvas.wait_rendered(), timeout=60_000)
    win.canvas.resize(win.canvas.size())
    cx, cy = parcel.centroid.coords[0]
    at = win.canvas.to_screen(cx, cy)
    hit = win.canvas.identify_at(QPointF(at))
    assert hit is not None and hit[0] == "远程地块"
    got = win.session.ws.read_features("远程地块", fids=[hit[1]])
    assert got["name"].iloc[0] == feats[42]["properties"]["name"]

    # Table and query, as on a local layer.
    win.show_table("远程地块")
    assert win.table.model.rowCount() == 400
    q = run_query(win.session.ws, QuerySpec(layer="远程地块", where="kind = 'park'"))
    assert len(q.features) == sum(f["properties"]["kind"] == "park" for f in feats)

    # Download the whole layer into the workspace: a real layer afterwards.
    assert not win.download_service_layer("远程地块")  # asks first: no answer (stubbed), no download
    assert errors == ["将服务图层 远程地块 下载为工作空间图层："] and not win.ws.has_layer("远程地块_download")
    errors.clear()
    from lzt.gui.dialogs.vector_service import download_service_layer

    assert download_service_layer(win, "远程地块", whole=True)
    assert win.ws.has_layer("远程地块_download") and win.ws.layer("远程地块_download").count == 400
    assert not errors


def test_a_dead_server_is_a_dialog_and_the_map_keeps_working(main_window, errors):
    from lzt.services.features import ServiceSpec

    win = main_window
    spec = ServiceSpec("x", "ogcapi", f"http://127.0.0.1:{servers.free_port()}/", "parcels")
    assert not win.add_vector_service(spec)
    assert len(errors) == 1 and "cannot reach the service" in errors[0]
    assert "x" not in [s.name for s in win.session.layers]
    from lzt.services import catalog

    assert catalog.find(win.ws, "x") is None  # nothing saved for a service that never opened
    assert win.canvas.wait_rendered()


def test_a_server_that_dies_after_adding_leaves_the_map_drawing(main_window, qtbot, tmp_path, errors):
    from lzt.services.features import ServiceSpec

    win = main_window
    feats = servers.parcels(10, 10)
    srv = servers.start_pygeoapi(tmp_path, {"p": servers.write_collection(tmp_path / "p.geojson", feats)})
    try:
        assert win.add_vector_service(ServiceSpec("远程", "ogcapi", srv.url, "p"))
    finally:
        srv.stop()
    said: list[str] = []  # the status bar's messages (one shown for 15 s may expire on a slow machine)
    win.statusBar().messageChanged.connect(said.append)
    tr = crsmod.transformer("EPSG:4326", win.ws.crs)
    win.session.set_extent(tr.transform_bounds(114.20, 22.68, 114.21, 22.69))
    assert win.canvas.wait_rendered()  # the other layers are drawn; the service is noted, not fatal
    live = win.session.ws.service("远程")
    # the fetch fails in its own thread, then asks for a new picture, which tells the user: wait
    # for that line (the failed fetch alone can come before the picture after it, and a picture
    # drawn before the failure is complete too)
    qtbot.waitUntil(lambda: live.error is not None and any(m.startswith("远程: ") for m in said)
                    and win.canvas.wait_rendered(), timeout=60_000)
    info = win.session.ws.layer("远程")
    assert "cannot reach the service" in info.details["service"]["error"] and not errors
    win.canvas.refresh()  # a later picture (the error is still there) says nothing again
    assert win.canvas.wait_rendered()
    about = [m for m in said if m.startswith("远程: ")]
    assert len(about) == 1 and "\n" not in about[0], said  # said once, in one line
