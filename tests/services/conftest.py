"""Session-wide real servers: pygeoapi (OGC API - Features) and MapServer (WFS 2.0)."""

from __future__ import annotations

import pytest

from tests.services import servers


@pytest.fixture(scope="session")
def service_data(tmp_path_factory):
    root = tmp_path_factory.mktemp("service-data")
    feats = servers.parcels()
    return {"feats": feats,
            "wgs84": servers.write_collection(root / "parcels.geojson", feats),
            "gcj02": servers.write_collection(root / "parcels_gcj.geojson", servers.gcj02(feats)),
            "bd09": servers.write_collection(root / "parcels_bd.geojson", servers.gcj02(feats, "bd09"))}


@pytest.fixture(scope="session")
def pygeoapi_server(tmp_path_factory, service_data):
    pytest.importorskip("pygeoapi")
    srv = servers.start_pygeoapi(tmp_path_factory.mktemp("pygeoapi"),
                                 {"parcels": service_data["wgs84"], "parcels_gcj": service_data["gcj02"],
                                  "parcels_bd": service_data["bd09"]})
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def wfs_server(tmp_path_factory, service_data):
    if servers.MAPSERV is None:
        pytest.skip("MapServer's CGI (Debian cgi-mapserver) is not installed; .ci/run installs it")
    srv = servers.start_mapserver(tmp_path_factory.mktemp("mapserver"),
                                  {"parcels": service_data["wgs84"], "parcels_gcj": service_data["gcj02"]})
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def pygeoapi_postgis_server(tmp_path_factory, service_data, postgis_cluster):
    """pygeoapi's PostgreSQL provider over the parcels in the test PostGIS cluster: a server
    that really filters by CQL2."""
    pytest.importorskip("pygeoapi")
    pytest.importorskip("geoalchemy2")
    servers.load_postgis(postgis_cluster.url(), "svc_parcels", service_data["feats"])
    conn = {"host": "127.0.0.1", "port": postgis_cluster.port, "dbname": "lzt_test", "user": "postgres",
            "password": "", "search_path": ["public"]}
    srv = servers.start_pygeoapi(tmp_path_factory.mktemp("pygeoapi-pg"), {},
                                 postgres={"parcels": (conn, "svc_parcels")})
    yield srv
    srv.stop()


#: the 天地图 front's valid key in the tests (a value no other file holds, so a scan can find it)
TDT_KEY = "lztTestKey9f3c1d2e8b7a"


@pytest.fixture(scope="session")
def mapproxy_server(tmp_path_factory):
    """MapProxy (WMTS, WMS, TMS) over MapServer rendering the generated GeoTIFFs."""
    pytest.importorskip("mapproxy")
    if servers.MAPSERV is None:
        pytest.skip("MapServer's CGI (Debian cgi-mapserver) is not installed; .ci/run installs it")
    from tests.services.tileservers import start_mapproxy

    srv = start_mapproxy(tmp_path_factory.mktemp("mapproxy"), TDT_KEY)
    yield srv
    srv.stop()
