"""lzt.ingest.point_coords against lzt.ingest.geometry on the shapely points they stand for."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError
from lzt.ingest import geometry as geom_ops
from lzt.ingest import point_coords


def _lonlat(n: int = 500, seed: int = 1):
    rng = np.random.default_rng(seed)
    xy = np.column_stack([rng.uniform(114.0, 114.4, n), rng.uniform(22.5, 22.8, n)])
    xy[::17] = np.nan
    pts = np.full(n, None, dtype=object)
    ok = np.isfinite(xy).all(axis=1)
    pts[ok] = shapely.points(xy[ok])
    return xy, pts


def _as_xy(geoms):
    out = np.full((len(geoms), 2), np.nan)
    ok = ~shapely.is_missing(geoms)
    out[ok] = shapely.get_coordinates(geoms[ok])
    return out


@pytest.mark.parametrize("src", ["EPSG:4326", "EPSG:4490"])
def test_reproject_matches_the_geometry_path(src):
    xy, pts = _lonlat()
    s, d = crsmod.parse_crs(src), crsmod.parse_crs("EPSG:4547")
    got, outside = point_coords.reproject(xy, s, d, "t.csv")
    want, outside_want = geom_ops.reproject(pts, s, d, "t.csv")
    assert outside == outside_want
    assert np.array_equal(got, _as_xy(want), equal_nan=True)


def test_projected_source_and_area_of_use_errors_match():
    xy, pts = _lonlat(50)
    d = crsmod.parse_crs("EPSG:4547")
    xy_p, _ = point_coords.reproject(xy, crsmod.parse_crs("EPSG:4326"), d, "t")
    back, _ = point_coords.reproject(xy_p, d, crsmod.parse_crs("EPSG:4326"), "t")
    assert np.allclose(back, xy, equal_nan=True, atol=1e-9)
    paris = np.array([[2.35, 48.85], [2.36, 48.86]])
    with pytest.raises(LztInputError, match="area of use"):
        point_coords.reproject(paris, crsmod.parse_crs("EPSG:4326"), d, "paris.csv")
    with pytest.raises(LztInputError, match="area of use"):
        geom_ops.reproject(shapely.points(paris), crsmod.parse_crs("EPSG:4326"), d, "paris.csv")


@pytest.mark.parametrize("coords", ["gcj02", "bd09"])
def test_china_offsets_and_summary_match(coords):
    xy, pts = _lonlat()
    got = point_coords.convert_china_offsets(xy, coords, "t")
    want = geom_ops.convert_china_offsets(pts, coords, "t")
    assert np.array_equal(got, _as_xy(want), equal_nan=True)
    assert point_coords.offset_summary(xy, got) == geom_ops.offset_summary(pts, want)


def test_points_and_bounds():
    xy, pts = _lonlat(40)
    assert np.array_equal(point_coords.bounds(xy), shapely.total_bounds(pts[~shapely.is_missing(pts)]))
    made = point_coords.points(xy)
    assert (shapely.is_missing(made) == shapely.is_missing(pts)).all()
    assert shapely.equals_exact(made[~shapely.is_missing(pts)], pts[~shapely.is_missing(pts)], 0).all()
    assert np.isnan(point_coords.bounds(np.full((3, 2), np.nan))).all()


def test_reproject_of_rows_all_located_matches_the_geometry_path():
    xy, pts = _lonlat(400, seed=3)
    ok = np.isfinite(xy).all(axis=1)
    xy, pts = xy[ok], pts[ok]
    s, d = crsmod.parse_crs("EPSG:4326"), crsmod.parse_crs("EPSG:4547")
    got, outside = point_coords.reproject(xy, s, d, "t.csv")
    want, outside_want = geom_ops.reproject(pts, s, d, "t.csv")
    assert outside == outside_want
    assert np.array_equal(got, _as_xy(want))


@pytest.mark.parametrize("xy", [[[2.35, 48.85], [2.36, 48.86]], [[114.1, 95.0], [114.2, 22.6]],
                                [[114.1, 22.6], [2.36, 48.86], [np.nan, np.nan]]])
def test_area_of_use_answers_match_the_geometry_path(xy):
    xy = np.array(xy, dtype=float)
    pts = np.array([None if np.isnan(p).any() else shapely.Point(p) for p in xy], dtype=object)
    s, d = crsmod.parse_crs("EPSG:4326"), crsmod.parse_crs("EPSG:4547")
    answers = []
    for run in (lambda: point_coords.reproject(xy, s, d, "t.csv")[1],
                lambda: geom_ops.reproject(pts, s, d, "t.csv")[1]):
        try:
            answers.append(run())
        except LztInputError as exc:
            answers.append(str(exc))
    assert answers[0] == answers[1]
