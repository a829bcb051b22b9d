"""Service layers as layers: queries, identify-style reads and counts through the same
workspace calls as local layers, with bbox paging as the view moves, against real servers."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from lzt.core import crs as crsmod
from lzt.ingest import ImportOptions, import_paths
from lzt.query.run import QuerySpec, run_query
from lzt.services import features as fs
from lzt.services.live import ServiceLayer, WithServices


class Counting:
    """The real HTTP getter, counting its requests."""

    def __init__(self):
        self.calls = 0

    def __call__(self, url, params=None):
        self.calls += 1
        return fs.urllib_get(url, params)


@pytest.fixture(params=["ogcapi", "wfs"])
def live(request, ws, pygeoapi_server, wfs_server, service_data):
    url = pygeoapi_server.url if request.param == "ogcapi" else wfs_server.url
    get = Counting()
    src = fs.FeatureSource(fs.ServiceSpec("remote", request.param, url, "parcels"), get)
    import_paths(ws, [service_data["wgs84"]], ImportOptions(layer="local"))
    return WithServices(ws, [ServiceLayer(src, ws.crs)]), get


def _box(lon0, lat0, lon1, lat1):
    return crsmod.transformer("EPSG:4326", "EPSG:4547").transform_bounds(lon0, lat0, lon1, lat1)


def test_the_service_is_listed_as_a_layer(live):
    w, _ = live
    info = w.layer("remote")
    # the count is the server's: MapServer caps its RESULTTYPE=hits answer at wfs_maxfeatures (800)
    assert info.kind == "service" and info.count == (2400 if info.details["service"]["type"] == "ogcapi" else 800)
    assert "local" in [i.name for i in w.layers()]
    assert w.fields("remote") == {"service_id": "TEXT", "name": "TEXT", "kind": "TEXT", "area": "REAL",
                                  "floors": "INTEGER"}


def test_query_on_a_service_layer_equals_the_same_query_on_the_local_copy(live):
    w, _ = live
    box = _box(114.21, 22.69, 114.24, 22.71)
    for where in ("kind = 'park' AND floors BETWEEN 5 AND 20", "name LIKE '地块1%'", "area > 1500"):
        a = run_query(w, QuerySpec(layer="remote", bbox=box, where=where)).features
        b = run_query(w, QuerySpec(layer="local", bbox=box, where=where)).features
        assert sorted(a["name"]) == sorted(b["name"]) and len(b) > 0, where
    near = run_query(w, QuerySpec(layer="remote", dwithin=(*shapely.box(*box).centroid.coords[0], 300.0),
                                  where="floors < 10")).features
    near_local = run_query(w, QuerySpec(layer="local", dwithin=(*shapely.box(*box).centroid.coords[0], 300.0),
                                        where="floors < 10")).features
    assert sorted(near["name"]) == sorted(near_local["name"])


def test_identify_by_fid_and_stable_fids_as_the_view_moves(live):
    w, get = live
    first = w.read_features("remote", bbox=_box(114.21, 22.69, 114.22, 22.70))
    calls = get.calls
    again = w.read_features("remote", bbox=_box(114.2105, 22.6905, 114.2195, 22.6995))  # a small pan: covered
    assert get.calls == calls
    assert set(again.index) <= set(first.index)
    moved = w.read_features("remote", bbox=_box(114.26, 22.72, 114.27, 22.73))  # far away: fetched
    assert get.calls > calls and not set(moved.index) & set(first.index)
    fid = int(first.index[0])
    one = w.read_features("remote", fids=[fid])
    assert one["name"].iloc[0] == first.loc[fid, "name"]
    assert one.geometry.iloc[0].equals(first.geometry.loc[fid])


def test_counts_and_table_reads(live):
    w, _ = live
    counts = w.count_values("remote", "kind")
    assert counts == w.count_values("local", "kind")
    table = w.read_features("remote", columns=["name", "floors"], geometry=False)
    assert list(table.columns) == ["name", "floors"] and len(table) == 2400
    assert np.array_equal(np.sort(table["floors"].to_numpy(int)),
                          np.sort(w.read_features("local", columns=["floors"], geometry=False)["floors"].to_numpy(int)))
