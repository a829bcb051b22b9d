"""Axis order: CRS names in every spelling, lat/lon-first CRSs, and the GeoJSON check."""

import numpy as np
import shapely

from lzt.services import axes


def test_epsg_of_every_spelling():
    assert axes.epsg_of("urn:ogc:def:crs:EPSG::4490") == 4490
    assert axes.epsg_of("http://www.opengis.net/def/crs/EPSG/0/4547") == 4547
    assert axes.epsg_of("EPSG:3857") == 3857
    assert axes.epsg_of("urn:x-ogc:def:crs:EPSG:6.9:4326") == 4326
    assert axes.epsg_of("http://www.opengis.net/gml/srs/epsg.xml#4326") == 4326
    assert axes.epsg_of("http://www.opengis.net/def/crs/OGC/1.3/CRS84") == 4326
    assert axes.epsg_of("not a crs") is None


def test_lat_lon_first_crs_boxes_are_swapped():
    # EPSG:4326 and 4490 are latitude first, and so is CGCS2000 / 3-degree GK CM 114E
    # (northing first); Web Mercator is x first.
    for code in (4326, 4490, 4547):
        assert axes.north_first(code)
        assert axes.bbox_in_axis_order((114.2, 22.6, 114.3, 22.7), code) == (22.6, 114.2, 22.7, 114.3)
    assert not axes.north_first(3857)
    assert axes.bbox_in_axis_order((1, 2, 3, 4), 3857) == (1, 2, 3, 4)


def test_settle_order_swaps_lat_lon_answers_only():
    box = (114.2, 22.6, 114.3, 22.7)
    lonlat = np.array([shapely.Point(114.25, 22.65), shapely.box(114.21, 22.61, 114.22, 22.62)], dtype=object)
    same, swapped = axes.settle_order(lonlat, box)
    assert not swapped and all(a.equals(b) for a, b in zip(same, lonlat))
    latlon = axes.swap_xy(lonlat)
    back, swapped = axes.settle_order(latlon, box)
    assert swapped and all(a.equals(b) for a, b in zip(back, lonlat))
