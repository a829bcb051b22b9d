"""Shadows at one instant against the brute-force ray cast: a ground point is in a shadow
polygon exactly when its ray to the Sun hits the prism (away from the outline)."""

import numpy as np
import pytest
import shapely

from lzt.analysis.sunlight.shadows import shadow_polygons
from tests.analysis.sunlight.brute import blocked

SHAPES = {
    "box": shapely.box(0, 0, 30, 12),
    "L": shapely.Polygon([(0, 0), (40, 0), (40, 10), (10, 10), (10, 40), (0, 40)]),
    "courtyard": shapely.Polygon([(0, 0), (50, 0), (50, 50), (0, 50)], [[(15, 15), (35, 15), (35, 35), (15, 35)]]),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
@pytest.mark.parametrize("az_deg, alt_deg", [(135.0, 20.0), (180.0, 45.0), (230.0, 12.0)])
def test_shadow_polygon_matches_a_ray_cast(name, az_deg, alt_deg):
    fp, h = SHAPES[name], 24.0
    az, ta = np.radians(az_deg), np.tan(np.radians(alt_deg))
    (sh,) = shadow_polygons([fp], [h], az, ta)
    assert sh.is_valid and sh.contains(fp.buffer(-0.01))
    rng = np.random.default_rng(1)
    b = sh.buffer(20).bounds
    pts = np.column_stack([rng.uniform(b[0], b[2], 400), rng.uniform(b[1], b[3], 400)])
    inside = shapely.contains_xy(sh, pts[:, 0], pts[:, 1])
    far = shapely.distance(sh.boundary, shapely.points(pts)) > 0.1  # the ray cast steps 2 cm
    on_ground = ~shapely.contains_xy(fp, pts[:, 0], pts[:, 1])
    ref = np.array([blocked(x, y, 0.0, np.array([az]), np.array([ta]), [(fp, h)], start=0.0)[0] for x, y in pts])
    sel = far & on_ground
    assert sel.sum() > 200
    assert (inside[sel] == ref[sel]).all()


def test_missing_heights_cast_nothing():
    out = shadow_polygons([shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6)], [np.nan, 0.0], 3.0, 0.5)
    assert out.tolist() == [None, None]
