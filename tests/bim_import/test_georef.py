"""IFC georeferencing against the facts SOURCES.md states for the real files."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer

ifcopenshell = pytest.importorskip("ifcopenshell")

from bim_import.georef import read_georef, user_georef  # noqa: E402


def _open(real_data, name):
    return ifcopenshell.open(str(real_data / "ifc" / name))


def _lonlat(g, xyz=(0.0, 0.0, 0.0)):
    e = g.apply(np.array([xyz], dtype=float))[0]
    return Transformer.from_crs(g.crs, "EPSG:4326", always_xy=True).transform(e[0], e[1])


def test_ifc4_map_conversion_in_millimetre_model(real_data):
    g, found = read_georef(_open(real_data, "geographic-referencing.ifc"))
    assert (g.kind, g.crs) == ("map_conversion", "EPSG:25832")
    assert g.rotation_deg == pytest.approx(74.3, abs=0.05)
    assert _lonlat(g) == pytest.approx((8.43370, 49.09556), abs=2e-5)
    assert [f.kind for f in found] == ["map_conversion", "site_latlon"]
    # one local metre along x moves one map metre along the rotated axis (not 1000)
    e = g.apply(np.array([[0, 0, 0], [1, 0, 0]], dtype=float))
    assert np.hypot(*(e[1, :2] - e[0, :2])) == pytest.approx(1.0)


def test_ifc2x3_epset_on_site_wins_over_stale_latlon(real_data):
    g, found = read_georef(_open(real_data, "Duplex_A_20110907_georeferenced.ifc"))
    assert (g.kind, g.crs) == ("epset_map_conversion", "EPSG:9897")
    assert g.rotation_deg == pytest.approx(71.0, abs=0.05)
    assert _lonlat(g) == pytest.approx((6.1220, 49.6292), abs=5e-4)
    assert "site_latlon" in [f.kind for f in found]  # the stale Chicago location is seen, not used


def test_unknown_crs_is_not_guessed(real_data):
    g, _ = read_georef(_open(real_data, "geolocation-mapconversion-angle.ifc"))
    assert g.kind == "map_conversion" and g.crs is None and not g.placed
    assert g.rotation_deg == pytest.approx(-30.0) and "not an EPSG code" in g.note


def test_site_latlon(real_data):
    g, _ = read_georef(_open(real_data, "AC20-FZK-Haus.ifc"))
    assert g.kind == "site_latlon" and g.placed
    assert _lonlat(g) == pytest.approx((8.436539, 49.100435), abs=1e-6)


@pytest.mark.parametrize("name", ["IfcOpenHouse_IFC4.ifc", "ISSUE_021_Mini Project.ifc"])
def test_no_georeferencing_means_unplaced(real_data, name):
    g, found = read_georef(_open(real_data, name))
    assert g.kind == "none" and not g.placed and found == []


def test_user_placement():
    g = user_georef((525000.0, 2513000.0, 50.0), 90.0, "EPSG:4547")
    out = g.apply(np.array([[10.0, 0.0, 3.0]]))
    np.testing.assert_allclose(out, [[525000.0, 2513010.0, 53.0]], atol=1e-9)
