"""Downloading a vector service into the workspace: the importer's path, one transaction,
GCJ-02 corrected, compared with importing the served file itself."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError
from lzt.ingest import ImportOptions, import_paths
from lzt.services import features as fs
from lzt.services.download import download


def _src(kind, url, layer="parcels", coords=None):
    return fs.FeatureSource(fs.ServiceSpec(layer, kind, url, layer, coords=coords), fs.urllib_get)


@pytest.fixture(params=["ogcapi", "wfs"])
def server_url(request, pygeoapi_server, wfs_server):
    return request.param, (pygeoapi_server.url if request.param == "ogcapi" else wfs_server.url)


def test_download_all_equals_importing_the_file(ws, server_url, service_data):
    kind, url = server_url
    r = download(ws, _src(kind, url), layer="remote")
    import_paths(ws, [service_data["wgs84"]], ImportOptions(layer="local"))
    a = ws.read_features("remote").set_index("name").sort_index()
    b = ws.read_features("local").set_index("name").sort_index()
    assert r.count == len(b) == 2400 and list(a.index) == list(b.index)
    assert np.allclose(a["area"], b["area"]) and (a["floors"] == b["floors"]).all()
    assert shapely.equals_exact(np.asarray(a.geometry.values), np.asarray(b.geometry.values), 1e-3).all()
    assert ws.layer("remote").details["import"]["extra"]["service"]["url"] == url


def test_download_extent_and_where(ws, server_url, service_data):
    kind, url = server_url
    extent = crsmod.transformer("EPSG:4326", ws.crs).transform_bounds(114.21, 22.69, 114.23, 22.70)
    r = download(ws, _src(kind, url), extent=extent, where="kind IN ('park', 'school') AND area >= 1300",
                 layer="part")
    got = set(ws.read_features("part")["name"])
    box = shapely.box(*extent)
    want = set()
    tr = crsmod.transformer("EPSG:4326", ws.crs)
    for f in service_data["feats"]:
        g = shapely.transform(shapely.geometry.shape(f["geometry"]), lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))
        p = f["properties"]
        if shapely.intersects(g, box) and p["kind"] in ("park", "school") and p["area"] >= 1300:
            want.add(p["name"])
    assert got == want and len(want) > 5
    assert r.extra["service"]["server_filter"] == ("applied" if kind == "wfs" else "ignored")


def test_gcj02_download_is_corrected(ws, server_url):
    kind, url = server_url
    download(ws, _src(kind, url), layer="plain")
    download(ws, _src(kind, url, "parcels_gcj", coords="gcj02"), layer="shifted")
    a = ws.read_features("plain").set_index("name").sort_index()
    b = ws.read_features("shifted").set_index("name").sort_index()
    d = shapely.hausdorff_distance(np.asarray(a.geometry.values), np.asarray(b.geometry.values))
    assert len(a) == len(b) == 2400 and d.max() < 1.0


def test_existing_layer_and_bad_where_leave_the_workspace_unchanged(ws, pygeoapi_server):
    src = _src("ogcapi", pygeoapi_server.url)
    with pytest.raises(LztInputError, match="no_such_field|unknown field|no field"):
        download(ws, src, layer="p", where="no_such_field = 1")
    assert not ws.has_layer("p")
    download(ws, src, layer="p", where="floors = 3")
    n = ws.layer("p").count
    with pytest.raises(LztInputError, match="already exists"):
        download(ws, src, layer="p")
    assert ws.layer("p").count == n
    r = download(ws, src, layer="p", replace=True, where="floors = 4")
    assert r.status == "replaced" and set(ws.read_features("p")["floors"]) == {4}
