"""CRS parsing and naming."""

from __future__ import annotations

import pytest

from lzt.core import crs
from lzt.core.errors import LztInputError


@pytest.mark.parametrize("value", ["EPSG:4547", "4547", "epsg:4547"])
def test_epsg_forms(value):
    assert crs.crs_string(crs.parse_crs(value)) == "EPSG:4547"


def test_prj_file(real_data):
    c = crs.parse_crs(real_data / "vector" / "coutwildrnp.prj")
    assert c.is_geographic and crs.crs_string(c) == "EPSG:4326"


@pytest.mark.parametrize("bad", ["EPSG:999999", "not a crs", "+proj=nonsense"])
def test_bad_crs_is_one_line_input_error(bad):
    with pytest.raises(LztInputError) as e:
        crs.parse_crs(bad, source="--src-crs")
    assert "\n" not in str(e.value) and "--src-crs" in str(e.value)


def test_workspace_crs_must_be_projected_metres():
    crs.require_projected_metres(crs.parse_crs("EPSG:4547"))
    for bad in ("EPSG:4326", "EPSG:4490", "EPSG:2249"):  # 2249: US survey feet
        with pytest.raises(LztInputError):
            crs.require_projected_metres(crs.parse_crs(bad))


def test_transformer():
    x, y = crs.reproject_xy([114.2468], [22.7205], "EPSG:4326", "EPSG:4547")
    assert x[0] == pytest.approx(525354.413, abs=1e-3) and y[0] == pytest.approx(2513606.263, abs=1e-3)
    assert crs.transformer("EPSG:4326", "EPSG:4547") is crs.transformer("4326", "EPSG:4547")
    assert crs.looks_like_lonlat(114, 22, 115, 23) and not crs.looks_like_lonlat(5e5, 2.5e6, 5.1e5, 2.6e6)
