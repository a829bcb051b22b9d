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


# -- the reading of IfcMapConversion.Scale -------------------------------------------------------

from bim_import.georef import decide_scale, plausible_size  # noqa: E402
from lzt.core.errors import LztInputError  # noqa: E402
from tests.ifc_models import scale_model  # noqa: E402


@pytest.mark.parametrize("scale, prior", [(0.001, "includes_unit_conversion"), (None, "excludes_unit_conversion"),
                                          (1.0, "excludes_unit_conversion")])
def test_millimetre_project_prior_reading(tmp_path, scale, prior):
    g, _ = read_georef(ifcopenshell.open(str(scale_model(tmp_path / "m.ifc", scale=scale))))
    assert (g.project_unit_m, g.map_unit_m, g.scale) == (0.001, 1.0, scale or 1.0)
    assert g.scale_reading == prior


@pytest.mark.parametrize("scale, reading", [(0.001, "includes_unit_conversion"), (None, "excludes_unit_conversion"),
                                            (1.0, "excludes_unit_conversion")])
def test_the_plausible_reading_keeps_a_20_m_building_20_m(tmp_path, scale, reading):
    g, _ = read_georef(ifcopenshell.open(str(scale_model(tmp_path / "m.ifc", scale=scale))))
    used, warnings = decide_scale(g, 20.0, 7.2, "m.ifc")
    assert used.scale_reading == reading and used.applied_scale == pytest.approx(1.0)
    # one local metre along x is one map metre (computed from the rotation, not the reading)
    e = used.apply(np.array([[0, 0, 0], [20, 0, 0]], dtype=float))
    assert np.hypot(*(e[1, :2] - e[0, :2])) == pytest.approx(20.0)
    # the two readings disagree (mm project, metre map): the warning gives both sizes
    assert len(warnings) == 1 and "20.0 m wide" in warnings[0] and ("0.02 m" in warnings[0] or "2e+04 m" in warnings[0])


def test_neither_reading_plausible_is_refused(tmp_path):
    g, _ = read_georef(ifcopenshell.open(str(scale_model(tmp_path / "m.ifc", scale=1e-6))))
    with pytest.raises(LztInputError, match="neither is a plausible building") as e:
        decide_scale(g, 20.0, 7.2, "m.ifc")
    assert "\n" not in str(e.value)


def test_metre_project_with_a_millimetre_scale_is_refused(tmp_path):
    g, _ = read_georef(ifcopenshell.open(str(scale_model(tmp_path / "m.ifc", unit="METRE", scale=0.001))))
    assert g.scale_reading == "units_agree"
    with pytest.raises(LztInputError, match="0.02 m wide"):
        decide_scale(g, 20.0, 7.2, "m.ifc")


def test_readings_agree_in_a_metre_project(real_data):
    g, _ = read_georef(_open(real_data, "Duplex_A_20110907_georeferenced.ifc"))
    used, warnings = decide_scale(g, 20.0, 7.0, "duplex")
    assert used.scale_reading == "units_agree" and warnings == []


def test_buildingsmart_example_reads_scale_after_unit_conversion(real_data):
    """geographic-referencing.ifc: millimetre project, metre CRS, Scale omitted (IFC 4.3 reading)."""
    g, _ = read_georef(_open(real_data, "geographic-referencing.ifc"))
    assert (g.project_unit_m, g.map_unit_m, g.scale) == (0.001, 1.0, 1.0)
    used, warnings = decide_scale(g, 20.0, 8.0, "geographic-referencing.ifc")
    assert used.scale_reading == "excludes_unit_conversion" and used.applied_scale == 1.0
    assert "2e+04 m wide" in warnings[0]  # the other reading: the building 1000 times too big


@pytest.mark.parametrize("extent, height, ok", [(20, 10, True), (0.02, 10, False), (20000, 10, False),
                                                (2, 300, False), (3000, 4, False), (8, 200, True), (300, 1, True)])
def test_plausible_sizes(extent, height, ok):
    assert plausible_size(extent, height) is ok


def test_user_placement_in_lon_lat_keeps_metres():
    g = user_georef((114.25, 22.72), 0.0, "EPSG:4490")
    out = g.apply(np.array([[0.0, 0.0, 0.0], [100.0, 0.0, 0.0]]))
    lon, lat = Transformer.from_crs(g.crs, "EPSG:4490", always_xy=True).transform(out[:, 0], out[:, 1])
    assert (lon[0], lat[0]) == pytest.approx((114.25, 22.72), abs=1e-9)
    from pyproj import Geod

    assert Geod(ellps="GRS80").inv(lon[0], lat[0], lon[1], lat[1])[2] == pytest.approx(100.0, abs=0.01)
