"""Points in polygons against geopandas' sjoin as the independent answer."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from lzt.analysis import overlay
from lzt.analysis.overlay import point_polygon_pairs
from lzt.analysis.ragged import RaggedPolygons


@pytest.fixture(params=["shapely", "ragged"])
def count_points_in_polygons(request):
    """The kernel on shapely polygons, and on the same polygons as ragged arrays (packed caches:
    convex quadrilaterals tested in numpy, the rest by GEOS built on demand)."""
    if request.param == "shapely":
        return overlay.count_points_in_polygons

    def count(x, y, polys):
        ragged = RaggedPolygons.from_geometries(np.asarray(polys, dtype=object))
        assert ragged is not None
        ragged._geoms = None  # as read from a packed cache: nothing built yet
        return overlay.count_points_in_polygons(x, y, ragged)
    return count


def _sjoin_counts(x, y, polys):
    pts = gpd.GeoDataFrame(geometry=shapely.points(x, y))
    j = gpd.sjoin(pts, gpd.GeoDataFrame(geometry=polys), predicate="intersects")
    return np.bincount(j["index_right"].to_numpy(), minlength=len(polys))


@pytest.mark.parametrize("kind", ["large", "small"])
def test_counts_equal_sjoin(kind, count_points_in_polygons):
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 10_000, 200_000)
    y = rng.uniform(0, 8_000, 200_000)
    if kind == "large":  # community-like: Voronoi cells with many vertices, one with a hole
        seeds = shapely.multipoints(rng.uniform(0, 10_000, (40, 2)))
        area = shapely.box(0, 0, 10_000, 8_000)
        polys = shapely.intersection(shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=area)), area)
        polys = shapely.segmentize(polys, 40)
        polys[0] = polys[0].difference(polys[0].centroid.buffer(200))
    else:  # parcel-like, overlapping boxes and a multipolygon
        ox, oy = rng.uniform(0, 9_900, 5000), rng.uniform(0, 7_900, 5000)
        s = rng.uniform(10, 120, 5000)
        polys = shapely.box(ox, oy, ox + s, oy + s)
        polys[1] = shapely.MultiPolygon([polys[1], shapely.box(9000, 100, 9100, 200)])
    got = count_points_in_polygons(x, y, polys)
    np.testing.assert_array_equal(got, _sjoin_counts(x, y, polys))


def test_boundary_points_count_like_intersects(count_points_in_polygons):
    polys = np.array([shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)])
    x = np.array([10.0, 5.0, 15.0, 25.0, 0.0])
    y = np.array([5.0, 5.0, 5.0, 5.0, 0.0])
    np.testing.assert_array_equal(count_points_in_polygons(x, y, polys), [3, 2])


def test_missing_and_empty_polygons_and_no_points(count_points_in_polygons):
    polys = np.array([None, shapely.Polygon(), shapely.box(0, 0, 1, 1)], dtype=object)
    assert count_points_in_polygons(np.array([0.5]), np.array([0.5]), polys).tolist() == [0, 0, 1]
    pt, pg = point_polygon_pairs(np.empty(0), np.empty(0), polys)
    assert len(pt) == len(pg) == 0


def test_rotated_parcels_with_points_on_their_edges_and_corners_equal_sjoin(count_points_in_polygons):
    """Parcel-like rotated quadrilaterals sharing edges; points on vertices and edge midpoints too."""
    rng = np.random.default_rng(11)
    gx, gy = np.meshgrid(np.arange(60) * 50.0, np.arange(40) * 50.0)
    corners = np.stack([gx, gy], -1) + rng.uniform(-12, 12, (40, 60, 2))  # a jittered shared grid
    quads = [shapely.Polygon([corners[j, i], corners[j, i + 1], corners[j + 1, i + 1], corners[j + 1, i]])
             for j in range(39) for i in range(59)]
    polys = np.array(quads, dtype=object)
    xy = np.concatenate([rng.uniform(-20, 3000, (150_000, 2)), corners[::3, ::3].reshape(-1, 2),
                         ((corners[:, 1:] + corners[:, :-1]) / 2)[::2, ::2].reshape(-1, 2)])
    x, y = xy[:, 0].copy(), xy[:, 1].copy()
    np.testing.assert_array_equal(count_points_in_polygons(x, y, polys), _sjoin_counts(x, y, polys))


def test_small_polygons_with_holes_and_parts_and_points_on_their_rings_equal_sjoin(
        count_points_in_polygons):
    """The parcel path on awkward shapes: courtyards (holes), two-part parcels, and points exactly
    on outer and inner rings, on vertices and inside the holes; sjoin's intersects decides."""
    rng = np.random.default_rng(5)
    ox, oy = rng.uniform(0, 4_900, 3000), rng.uniform(0, 3_900, 3000)
    s = rng.uniform(20, 80, 3000)
    polys = shapely.box(ox, oy, ox + s, oy + s)
    for i in range(0, 3000, 3):  # a courtyard in every third parcel
        polys[i] = shapely.Polygon(polys[i].exterior.coords,
                                   [shapely.box(ox[i] + s[i] / 4, oy[i] + s[i] / 4, ox[i] + s[i] / 2, oy[i] + s[i] / 2)
                                    .exterior.coords])
    for i in range(1, 3000, 7):  # a second part beside it
        polys[i] = shapely.MultiPolygon([polys[i], shapely.box(ox[i] + s[i] + 5, oy[i], ox[i] + 2 * s[i], oy[i] + s[i])])
    ring_pts = shapely.get_coordinates(shapely.segmentize(polys[:600], 7.0))  # on every ring, vertices too
    hole_centres = np.column_stack([ox[:600:3] + 3 * s[:600:3] / 8, oy[:600:3] + 3 * s[:600:3] / 8])
    xy = np.concatenate([rng.uniform(0, 5_000, (150_000, 2)), ring_pts, hole_centres])
    x, y = xy[:, 0].copy(), xy[:, 1].copy()
    got = count_points_in_polygons(x, y, polys)
    np.testing.assert_array_equal(got, _sjoin_counts(x, y, polys))
    assert got[0] > 0 and got.sum() > len(ring_pts) // 2  # the ring points were counted


def test_quadrilaterals_in_numpy_decide_as_geos_on_and_beside_their_edges(count_points_in_polygons):
    """District-sized coordinates; convex quadrilaterals both ways round, concave darts, a bow-tie,
    quads with three collinear or two equal vertices, triangles. Points on vertices, on edges (as
    interpolated, so within rounding of the line), a hair either side of edges, and random ones:
    every count as GEOS's intersects says (the numpy test must send the unsure pairs to GEOS)."""
    rng = np.random.default_rng(23)
    ox, oy = 500_000 + rng.uniform(0, 4_000, 1500), 2_500_000 + rng.uniform(0, 3_000, 1500)
    polys = []
    for i, (a, b) in enumerate(zip(ox, oy)):
        r = rng.uniform(10, 60, 4)
        ang = np.sort(rng.uniform(0, 2 * np.pi, 4))
        pts = np.column_stack([a + r * np.cos(ang), b + r * np.sin(ang)])
        kind = i % 8
        if kind == 1:
            pts = pts[::-1]  # clockwise
        elif kind == 2:
            pts[2] = (pts[0] + pts[2]) / 2 * 0.2 + pts[0] * 0.8  # a dart: concave
        elif kind == 3:
            pts = pts[[0, 2, 1, 3]]  # a bow-tie (invalid, GEOS still answers)
        elif kind == 4:
            pts[2] = (pts[1] + pts[3]) / 2  # three collinear vertices (nearly)
        elif kind == 5:
            pts[2] = pts[1]  # two equal vertices
        elif kind == 6:
            pts = pts[:3]  # a triangle
        polys.append(shapely.Polygon(pts))
    polys = np.array(polys, dtype=object)
    x, y = _edge_probes(polys, rng, (ox.min() - 60, oy.min() - 60, ox.max() + 60, oy.max() + 60))
    want = np.bincount(shapely.STRtree(polys).query(shapely.points(x, y), predicate="intersects")[1],
                       minlength=len(polys))
    np.testing.assert_array_equal(count_points_in_polygons(x, y, polys), want)
    assert want.sum() > 10_000


def test_ragged_polygons_bounds_take_and_quad_table():
    polys = np.array([shapely.box(0, 0, 2, 1), shapely.Polygon(), None,
                      shapely.Polygon([(0, 0), (0, 3), (3, 3), (3, 0)]),  # clockwise
                      shapely.Polygon([(0, 0), (4, 0), (1, 1), (0, 4)])], dtype=object)  # concave
    r = RaggedPolygons.from_geometries(polys)
    want = shapely.bounds(polys)
    got = r.bounds()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(got[~np.isnan(got)], want[~np.isnan(want)])
    assert r.nonempty().tolist() == [True, False, False, True, True]
    sub = r.take(np.array([4, 0]))
    assert shapely.equals(shapely.from_ragged_array(sub.gtype, sub.coords, sub.offsets), polys[[4, 0]]).all()
    ok, _, _ = r._quad_table()
    assert ok.tolist() == [True, False, False, True, False]
    # bounds of one-ring polygons come from their vertex columns, the others from all coordinates
    mixed = np.array([shapely.Polygon([(0, 0), (5, 1), (2, 4)]), polys[0].union(shapely.box(3, 3, 4, 6)),
                      shapely.Polygon(shapely.box(0, 0, 9, 9).exterior.coords, [shapely.box(1, 1, 2, 2).exterior.coords]),
                      shapely.MultiPolygon([shapely.box(0, 0, 1, 1)]), shapely.Polygon(),
                      shapely.segmentize(shapely.box(-3, -2, 1, 7), 0.5)], dtype=object)
    np.testing.assert_array_equal(RaggedPolygons.from_geometries(mixed).bounds()[[0, 1, 2, 3, 5]],
                                  shapely.bounds(mixed)[[0, 1, 2, 3, 5]])


def test_an_empty_polygon_among_multipolygons_counts_as_nothing(count_points_in_polygons):
    """shapely writes a part without rings for it in the ragged arrays; building GEOS polygons from
    such parts crashed the interpreter, so the ragged form drops them (the geometry stays, empty)."""
    polys = np.array([shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)]),
                      shapely.Polygon(), shapely.box(0.5, 0, 2.5, 1),
                      shapely.Polygon([(0, 0), (1, 0), (0.5, 0.2), (1, 1), (0, 1)])], dtype=object)
    x = np.array([0.5, 2.5, 1.5, 0.9, 0.5])
    y = np.array([0.5, 0.5, 0.5, 0.5, 0.05])
    np.testing.assert_array_equal(count_points_in_polygons(x, y, polys), _sjoin_counts(x, y, polys))


def _regular(cx, cy, r, n, phase=0.0, cw=False):
    ang = phase + np.arange(n) * 2 * np.pi / n
    pts = np.column_stack([cx + r * np.cos(ang), cy + r * np.sin(ang)])
    return shapely.Polygon(pts[::-1] if cw else pts)


def test_convex_rings_of_3_to_12_vertices_decide_as_geos(count_points_in_polygons):
    """Triangles to 12-gons both ways round (tested in numpy when ragged), a 13-gon, pentagrams
    (every turn the same way, twice round: not convex), rings with a hole and one-ring multipolygon
    parts. Points on vertices, on edges, a hair either side of edges, and random ones."""
    rng = np.random.default_rng(31)
    polys = []
    for i in range(1200):
        cx, cy = 500_000 + rng.uniform(0, 3_000), 2_500_000 + rng.uniform(0, 2_000)
        r, n = rng.uniform(8, 50), 3 + i % 11  # 3 .. 13 vertices
        p = _regular(cx, cy, r, n, rng.uniform(0, 6.3), cw=bool(i % 2))
        if i % 37 == 0:  # a pentagram: five vertices, visited two apart
            p = shapely.Polygon(shapely.get_coordinates(_regular(cx, cy, r, 5))[[0, 2, 4, 1, 3]])
        elif i % 41 == 0:
            p = shapely.Polygon(p.exterior.coords, [_regular(cx, cy, r / 3, 4).exterior.coords])
        polys.append(p)
    polys = np.array(polys, dtype=object)
    polys[5] = shapely.MultiPolygon([polys[5], _regular(497_000, 2_497_000, 20, 5)])  # mixed: multipolygons
    x, y = _edge_probes(polys, rng, (496_900, 2_496_900, 503_100, 2_502_100))
    want = np.bincount(shapely.STRtree(polys).query(shapely.points(x, y), predicate="intersects")[1],
                       minlength=len(polys))
    np.testing.assert_array_equal(count_points_in_polygons(x, y, polys), want)
    ragged = RaggedPolygons.from_geometries(polys)
    tested, _, _ = ragged._quad_table()
    n_vertices = np.array([len(shapely.get_coordinates(p)) - 1 for p in polys])
    simple = np.array([shapely.get_num_interior_rings(p) == 0 if p.geom_type == "Polygon" else
                       (len(p.geoms) == 1) for p in polys])
    assert not tested[::37].any() and not tested[::41].any() and not tested[n_vertices > 12].any()
    assert tested[simple & (n_vertices <= 12) & (np.arange(len(polys)) % 37 != 0)].all()


def test_points_on_the_extreme_envelope_sides_and_few_points_among_many_parcels(count_points_in_polygons):
    """The small-polygon path's integer sort keys quantise y: points exactly on each envelope's
    bottom and top, on the highest and lowest y of all, and a handful of points among many parcels
    (few index bits, many strips)."""
    rng = np.random.default_rng(9)
    ox, oy = rng.uniform(0, 5_000, 4000), rng.uniform(0, 5_000, 4000)
    s = rng.uniform(5, 30, 4000)
    polys = shapely.box(ox, oy, ox + s, oy + s)
    top = oy + s
    x = np.concatenate([ox + s / 2, ox + s / 3, [ox[top.argmax()] + 1], rng.uniform(0, 5_000, 20_000)])
    y = np.concatenate([oy, top, [top.max()], rng.uniform(0, 5_000, 20_000)])
    np.testing.assert_array_equal(count_points_in_polygons(x, y, polys), _sjoin_counts(x, y, polys))
    few = [0, 4000, 8000]
    np.testing.assert_array_equal(count_points_in_polygons(x[few], y[few], polys),
                                  _sjoin_counts(x[few], y[few], polys))


def test_polygons_with_z_count_as_their_plan_view(count_points_in_polygons):
    """PolygonZ (an imported shapefile's parcels): the kernel is 2D, as sjoin. The ragged arrays
    once kept x, y, z rows and read them as x, y pairs: the first ring's "vertices" below made a
    convex diamond of other numbers, and a point inside the square was counted out."""
    rng = np.random.default_rng(5)
    square = shapely.Polygon([(0, 0, -10), (10, 0, 20), (10, 10, 0), (0, 10, 5)])
    ox, oy = rng.uniform(100, 1000, 2000), rng.uniform(100, 1000, 2000)
    polys = np.array([square, *shapely.force_3d(shapely.box(ox, oy, ox + 8, oy + 8), 1.0)], dtype=object)
    x = np.concatenate([[8.0, 2.0, -5.0, 5.0, 9.0, -8.0], rng.uniform(100, 1000, 50_000)])
    y = np.concatenate([[2.0, 8.0, 10.0, 5.0, 1.0, 12.0], rng.uniform(100, 1000, 50_000)])
    np.testing.assert_array_equal(count_points_in_polygons(x, y, polys), _sjoin_counts(x, y, polys))
    ragged = RaggedPolygons.from_geometries(polys)
    np.testing.assert_array_equal(ragged.bounds(), shapely.bounds(polys))


def _edge_probes(polys, rng, box) -> tuple[np.ndarray, np.ndarray]:
    """Points where a point-in-polygon test is hardest: every vertex, a point on every edge and
    one a hair (1e-12 of the edge) either side of it, plus 100,000 uniform in ``box``."""
    coords = shapely.get_coordinates(polys)
    t = rng.uniform(0, 1, len(coords) - 1)[:, None]
    on_edges = coords[:-1] * (1 - t) + coords[1:] * t
    normal = np.roll(coords[1:] - coords[:-1], 1, axis=1) * np.array([1, -1])
    hair = on_edges + normal * 1e-12 * rng.choice([-1, 1], (len(t), 1))
    x0, y0, x1, y1 = box
    xy = np.concatenate([coords, on_edges, hair,
                         np.column_stack([rng.uniform(x0, x1, 100_000), rng.uniform(y0, y1, 100_000)])])
    return xy[:, 0].copy(), xy[:, 1].copy()
