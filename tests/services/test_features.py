"""Vector services read from real servers on localhost: pygeoapi (OGC API - Features) and
MapServer (WFS 2.0), compared with the GeoJSON file they serve."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from lzt.query.expr import parse
from lzt.services import features as fs

BOX = (114.21, 22.69, 114.23, 22.70)  # lon/lat


def _ids(gdf):
    """Feature ids by their unique name (地块N); MapServer's GeoJSON output carries no ids."""
    return gdf["name"].astype(str).str[2:] if len(gdf) else gdf.index.astype(str)


def _expected(feats, box=None, keep=lambda p: True):
    """Ids of the served features whose geometry meets ``box`` and whose properties pass."""
    out = {}
    for f in feats:
        g = shapely.geometry.shape(f["geometry"])
        if (box is None or g.intersects(shapely.box(*box))) and keep(f["properties"]):
            out[str(f["id"])] = g
    return out


@pytest.fixture(params=["ogcapi", "wfs-geojson", "wfs-gml"])
def source(request, pygeoapi_server, wfs_server):
    if request.param == "ogcapi":
        return fs.FeatureSource(fs.ServiceSpec("p", "ogcapi", pygeoapi_server.url, "parcels"), fs.urllib_get)
    src = fs.FeatureSource(fs.ServiceSpec("p", "wfs", wfs_server.url, "parcels"), fs.urllib_get)
    if request.param == "wfs-gml":
        src.format = None  # the WFS 2.0 default: GML 3.2 in the CRS's own (lat/lon) axis order
    return src


def test_fields_come_from_the_service(source):
    assert source.fields == {"name": "TEXT", "kind": "TEXT", "area": "REAL", "floors": "INTEGER"}


def test_all_features_over_several_pages(source, service_data):
    # pygeoapi caps pages at 500 items, MapServer at 800: 2400 features need several pages.
    got = source.fetch(None)
    want = _expected(service_data["feats"])
    assert got.pages >= 3
    assert len(got.gdf) == len(want) and set(_ids(got.gdf)) == set(want)


def test_box_gives_the_same_features_and_coordinates_x_first(source, service_data):
    got = source.fetch(BOX).gdf
    want = _expected(service_data["feats"], BOX)
    ids = _ids(got)
    assert set(ids) == set(want)
    for i, g in zip(ids, got.geometry):
        assert g.equals_exact(want[i], 1e-6), i  # lon first, whatever the wire order


def test_filter_is_applied_and_said_how(source, service_data):
    where = parse("kind = 'park' AND floors > 10", fields=source.all_fields)
    got = source.fetch(BOX, where)
    want = _expected(service_data["feats"], BOX, lambda p: p["kind"] == "park" and p["floors"] > 10)
    assert set(_ids(got.gdf)) == set(want) and len(want) > 0
    if source.spec.type == "wfs":
        assert got.server_filter == "applied"  # FES 2.0 through MapServer
    else:
        # pygeoapi's GeoJSON provider takes filter= and ignores it: caught, filtered here, not sent again
        assert got.server_filter == "ignored" and not source.send_filter
        assert source.fetch(BOX, where).server_filter == "none"


def test_limit_stops_paging(source):
    got = source.fetch(None, limit=30)
    assert len(got.gdf) == 30 and got.truncated


@pytest.mark.parametrize("system,layer", [("gcj02", "parcels_gcj"), ("bd09", "parcels_bd")])
def test_offset_service_lands_on_the_wgs84_one_within_a_metre(pygeoapi_server, wfs_server, system, layer):
    for url, typ in ((pygeoapi_server.url, "ogcapi"), (wfs_server.url, "wfs")):
        if typ == "wfs" and system == "bd09":
            continue  # MapServer serves the GCJ-02 copy only
        plain = fs.FeatureSource(fs.ServiceSpec("p", typ, url, "parcels"), fs.urllib_get)
        gcj = fs.FeatureSource(fs.ServiceSpec("g", typ, url, layer, coords=system), fs.urllib_get)
        a = fs.to_workspace(plain.fetch(BOX), "EPSG:4547", None, "p")
        b_box = gcj.request_box(_box_4547(BOX), "EPSG:4547")
        b = fs.to_workspace(gcj.fetch(b_box), "EPSG:4547", system, "g")
        a = a.set_index(_ids(a))
        b = b.set_index(_ids(b))
        common = a.index.intersection(b.index)
        assert len(common) == len(a), typ  # the shifted box still finds every parcel
        d = shapely.hausdorff_distance(np.asarray(a.loc[common].geometry.values),
                                       np.asarray(b.loc[common].geometry.values))
        assert d.max() < 1.0, (typ, d.max())


def _box_4547(box):
    from lzt.core import crs as crsmod

    return crsmod.transformer("EPSG:4326", "EPSG:4547").transform_bounds(*box)


def test_dead_server_is_one_clear_line():
    from lzt.core.errors import LztInputError
    from tests.services.servers import free_port

    with pytest.raises(LztInputError, match="cannot reach the service"):
        fs.FeatureSource(fs.ServiceSpec("x", "ogcapi", f"http://127.0.0.1:{free_port()}/", "parcels"),
                         fs.urllib_get)


def test_unknown_layer_names_what_the_server_offers(pygeoapi_server, wfs_server):
    from lzt.core.errors import LztInputError

    with pytest.raises(LztInputError, match="parcels_gcj"):
        fs.FeatureSource(fs.ServiceSpec("x", "ogcapi", pygeoapi_server.url, "nope"), fs.urllib_get)
    with pytest.raises(LztInputError, match="ms:parcels"):
        fs.FeatureSource(fs.ServiceSpec("x", "wfs", wfs_server.url, "nope"), fs.urllib_get)


def test_cql2_passes_through_to_a_server_that_filters(pygeoapi_postgis_server, service_data):
    """pygeoapi's PostgreSQL provider applies the CQL2 text in SQL: fewer features on the wire,
    the same answer as the independent filter."""
    src = fs.FeatureSource(fs.ServiceSpec("p", "ogcapi", pygeoapi_postgis_server.url, "parcels"), fs.urllib_get)
    assert src.filters
    for text, keep, how in (
            ("kind = 'park' AND floors > 10", lambda p: p["kind"] == "park" and p["floors"] > 10, "applied"),
            ("name LIKE '地块5%' OR area BETWEEN 1200 AND 1210",
             lambda p: p["name"].startswith("地块5") or 1200 <= p["area"] <= 1210, "applied"),
            # pygeofilter's parser refuses NOT (...): HTTP 400, fetched again unfiltered and filtered here
            ("kind IN ('school', 'industry') AND NOT floors < 15",
             lambda p: p["kind"] in ("school", "industry") and not p["floors"] < 15, "refused")):
        src.send_filter = True
        got = src.fetch(BOX, parse(text, fields=src.all_fields))
        want = _expected(service_data["feats"], BOX, keep)
        assert want and set(_ids(got.gdf)) == set(want), text
        assert got.server_filter == how, text
        if how == "applied":
            assert got.matched == len(want)  # filtered on the server: only these crossed the wire


@pytest.mark.parametrize("epsg,fmt", [(4547, None), (4547, "geojson"), (3857, None), (4326, None)])
def test_wfs_in_other_crs_lands_where_pyproj_puts_it(wfs_server, service_data, epsg, fmt):
    """GML in EPSG:4547 is northing first, in 3857 easting first, in 4326 latitude first:
    each read back x-first equals pyproj's own transform of the served lon/lat."""
    from lzt.core import crs as crsmod

    src = fs.FeatureSource(fs.ServiceSpec("p", "wfs", wfs_server.url, "parcels"), fs.urllib_get)
    src.epsg, src.crs = epsg, f"EPSG:{epsg}"
    if fmt is None:
        src.format = None
    box = crsmod.transformer("EPSG:4326", src.crs).transform_bounds(*BOX)
    got = src.fetch(box)
    want = _expected(service_data["feats"], BOX)
    ids = _ids(got.gdf)
    assert set(want) <= set(ids)
    tr = crsmod.transformer("EPSG:4326", src.crs)
    for i, g in zip(ids, got.gdf.geometry):
        if i in want:
            ring = np.asarray(want[i].exterior.coords)
            x, y = tr.transform(ring[:, 0], ring[:, 1])
            assert np.allclose(np.asarray(g.exterior.coords), np.column_stack([x, y]), atol=0.01 if epsg != 4326 else 1e-7)


def test_a_403_is_one_clear_line(tmp_path):
    from lzt.core.errors import LztInputError
    from tests.services.servers import start_forbidding

    srv = start_forbidding(tmp_path)
    try:
        for typ in ("wfs", "ogcapi"):
            with pytest.raises(LztInputError, match="HTTP 403") as err:
                fs.FeatureSource(fs.ServiceSpec("x", typ, srv.url, "parcels"), fs.urllib_get)
            assert "\n" not in str(err.value) and "?" not in str(err.value)  # one line, no query string
    finally:
        srv.stop()
