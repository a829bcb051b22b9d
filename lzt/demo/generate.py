"""The Longgang demo data, generated offline and deterministically (same seed, same bytes).

Everything is built in EPSG:4547 from ``resources/demo/longgang_recipe.json``: a
hand-made district outline of ~388 km² around the 11 real street centroids,
streets as a Voronoi tiling of it, 111 communities nested in the streets, a
road network (expressways along recipe paths, main roads between street
centres, local grids), parcels cut from the blocks between roads and split
recursively to realistic sizes, points of interest clustered on residential
and commercial parcels, and a DEM with Longgang's hills. All geometry work is
vectorised with shapely 2; loops run over streets, communities or split rounds,
never over parcels or points.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

CRS = "EPSG:4547"
SCALES = {"small": {"parcels": 20_000, "poi": 100_000, "dem_res": 30.0},
          "district": {"parcels": 100_000, "poi": 1_000_000, "dem_res": 10.0}}


def recipe() -> dict:
    """The demo recipe (street names, codes, roads, land-use mix, hills)."""
    text = resources.files("resources.demo").joinpath("longgang_recipe.json").read_text("utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class DemoData:
    district: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    communities: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    parcels: gpd.GeoDataFrame
    poi: gpd.GeoDataFrame
    dem_tif: bytes

    def layers(self) -> list[tuple[str, gpd.GeoDataFrame]]:
        return [("district", self.district), ("streets", self.streets), ("communities", self.communities),
                ("roads", self.roads), ("parcels", self.parcels), ("poi", self.poi)]


def generate(scale: str = "small", seed: int = 20261125, on_parcels=None) -> DemoData:
    """Generate the demo at ``scale`` ("small" or "district"). ``on_parcels(parcels)`` is called
    as soon as the parcels exist (the builder starts the IFC writers on them), before the POIs."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    cfg, r = SCALES[scale], recipe()
    rng = np.random.default_rng(seed)
    district = _district(r, rng)
    streets = _streets(r, district)
    communities = _communities(r, streets, rng)
    dem, dem_transform = _dem(r, cfg["dem_res"], rng)
    roads = _roads(r, district, streets, communities, rng)
    parcels = _parcels(r, district, roads, communities, cfg["parcels"], dem, dem_transform, rng)
    if on_parcels is not None:
        on_parcels(parcels)
    poi = _poi(r, parcels, roads, communities, cfg["poi"], rng)
    return DemoData(
        district=gpd.GeoDataFrame({"name": [r["district"]["name"]], "code": [r["district"]["code"]],
                                   "area_km2": [round(district.area / 1e6, 2)]}, geometry=[district], crs=CRS),
        streets=streets, communities=communities, roads=roads, parcels=parcels, poi=poi,
        dem_tif=_dem_tif(dem, dem_transform))


# -- district and administrative units --------------------------------------------------
def _district(r: dict, rng) -> shapely.Polygon:
    """An irregular outline around the street centroids, ~388 km², inside the real extent."""
    minx, miny, maxx, maxy = r["district"]["extent_4547"]
    extent = shapely.box(minx, miny, maxx, maxy)
    cents = np.array([s["centroid"] for s in r["streets"]], dtype=float)
    # lobes around the centroids plus a wobbly core, smoothed
    radius = rng.uniform(5200, 6400, len(cents))
    blob = shapely.union_all(shapely.buffer(shapely.points(cents), radius, quad_segs=6))
    blob = blob.buffer(1800, quad_segs=4).buffer(-1800, quad_segs=4)
    target = r["district"]["area_km2"] * 1e6
    c = shapely.Point(r["district"]["centroid_4547"])
    for _ in range(30):  # scale about the centroid until the clipped area is right
        clipped = blob.intersection(extent)
        ratio = target / clipped.area
        if abs(ratio - 1) < 0.002:
            break
        blob = shapely.affinity.scale(blob, np.sqrt(ratio), np.sqrt(ratio), origin=c)
    outline = clipped.simplify(250)
    if outline.geom_type != "Polygon":
        outline = max(shapely.get_parts(outline), key=lambda g: g.area)
    # jitter vertices a little so the boundary is not all arcs
    coords = np.asarray(outline.exterior.coords)[:-1]
    coords += rng.normal(0, 120, coords.shape)
    coords[:, 0] = np.clip(coords[:, 0], minx, maxx)
    coords[:, 1] = np.clip(coords[:, 1], miny, maxy)
    poly = shapely.make_valid(shapely.Polygon(coords))
    if poly.geom_type != "Polygon":
        poly = max(shapely.get_parts(poly), key=lambda g: g.area)
    return shapely.Polygon(poly.exterior)


def _voronoi_cells(seeds: np.ndarray, area) -> np.ndarray:
    """Voronoi cells of ``seeds`` clipped to ``area``, in the order of the seeds."""
    pts = shapely.points(seeds)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=area))
    tree = shapely.STRtree(cells)
    idx = tree.query(pts, predicate="intersects")
    order = np.full(len(seeds), -1)
    order[idx[0]] = idx[1]
    return shapely.intersection(cells[order], area)


def _largest_polygon(g):
    g = shapely.make_valid(g)
    parts = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon"]
    return max(parts, key=lambda p: p.area) if parts else None


def _streets(r: dict, district) -> gpd.GeoDataFrame:
    cents = np.array([s["centroid"] for s in r["streets"]], dtype=float)
    cells = _voronoi_cells(cents, district)
    return gpd.GeoDataFrame({
        "name": [s["name"] for s in r["streets"]], "name_en": [s["name_en"] for s in r["streets"]],
        "code": [s["code"] for s in r["streets"]],
        "area_km2": np.round(shapely.area(cells) / 1e6, 3)}, geometry=cells, crs=CRS)


def _sample_in(poly, n: int, rng) -> np.ndarray:
    """n random points inside ``poly`` (rejection sampling, vectorised)."""
    minx, miny, maxx, maxy = poly.bounds
    out = np.empty((0, 2))
    shapely.prepare(poly)
    while len(out) < n:
        cand = np.column_stack([rng.uniform(minx, maxx, 4 * n), rng.uniform(miny, maxy, 4 * n)])
        out = np.vstack([out, cand[shapely.contains_xy(poly, cand[:, 0], cand[:, 1])]])
    return out[:n]


def _communities(r: dict, streets: gpd.GeoDataFrame, rng) -> gpd.GeoDataFrame:
    rows, geoms = [], []
    total_pop = r["population"]
    for s, street in zip(r["streets"], streets.geometry.values):
        names = s["communities"]
        seeds = _sample_in(street, len(names), rng)
        # relax the seeds once (Lloyd) for evenly sized communities
        cells = _voronoi_cells(seeds, street)
        seeds = np.column_stack([shapely.get_x(shapely.centroid(cells)), shapely.get_y(shapely.centroid(cells))])
        cells = _voronoi_cells(seeds, street)
        for i, (name, cell) in enumerate(zip(names, cells)):
            rows.append({"name": name, "street": s["name"], "code": f"{s['code']}{i + 1:03d}"})
            geoms.append(cell)
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs=CRS)
    weights = rng.lognormal(0, 0.45, len(gdf))
    gdf["population"] = np.round(weights / weights.sum() * total_pop).astype(np.int64)
    gdf["area_km2"] = np.round(gdf.area / 1e6, 3)
    return gdf


# -- terrain ----------------------------------------------------------------------------
def _smooth(a: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian smoothing (periodic) through the FFT: numpy only."""
    fy = np.fft.fftfreq(a.shape[0])[:, None]
    fx = np.fft.rfftfreq(a.shape[1])[None, :]
    return np.fft.irfft2(np.fft.rfft2(a) * np.exp(-2 * (np.pi * sigma) ** 2 * (fx ** 2 + fy ** 2)), s=a.shape)


def _dem(r: dict, res: float, rng):
    minx, miny, maxx, maxy = r["district"]["extent_4547"]
    minx, miny = np.floor(minx / res) * res - res * 10, np.floor(miny / res) * res - res * 10
    maxx, maxy = np.ceil(maxx / res) * res + res * 10, np.ceil(maxy / res) * res + res * 10
    w, h = int(round((maxx - minx) / res)), int(round((maxy - miny) / res))
    xs = minx + (np.arange(w) + 0.5) * res
    ys = maxy - (np.arange(h) + 0.5) * res
    X, Y = np.meshgrid(xs, ys)
    z = 35.0 + 0.0009 * (X - minx)  # a gentle rise to the east
    for hill in r["hills"]:
        cx, cy = hill["center"]
        z += hill["height_m"] * np.exp(-((X - cx) ** 2 + (Y - cy) ** 2) / (2 * hill["sigma_m"] ** 2))
    # fractal detail: smoothed noise at three wavelengths, stronger on the hills
    coarse = np.zeros((h, w))
    for wavelength, amp in ((1500, 40.0), (500, 15.0), (150, 5.0)):
        sigma = wavelength / res / 2
        noise = _smooth(rng.standard_normal((h, w)), sigma)
        coarse += amp * noise / (noise.std() + 1e-12)
    z += coarse * (0.3 + z / 400)
    z = np.maximum(z, 2.0).astype(np.float32)
    return z, (minx, maxy, res)


def _dem_tif(z: np.ndarray, transform) -> bytes:
    from rasterio.io import MemoryFile
    from rasterio.transform import from_origin

    minx, maxy, res = transform
    with MemoryFile() as mem:
        with mem.open(driver="GTiff", width=z.shape[1], height=z.shape[0], count=1, dtype="float32",
                      crs=CRS, transform=from_origin(minx, maxy, res, res), nodata=-9999.0,
                      compress="deflate", predictor=3, tiled=True, blockxsize=256, blockysize=256) as ds:
            ds.write(z, 1)
            ds.update_tags(source="lzt demo (synthetic terrain)", vertical_datum="1985国家高程基准 (synthetic)")
        return bytes(mem.read())


def _dem_sample(dem, transform, x, y) -> np.ndarray:
    minx, maxy, res = transform
    col = np.clip(((x - minx) / res).astype(int), 0, dem.shape[1] - 1)
    row = np.clip(((maxy - y) / res).astype(int), 0, dem.shape[0] - 1)
    return dem[row, col]


# -- roads ------------------------------------------------------------------------------
def _roads(r: dict, district, streets, communities, rng) -> gpd.GeoDataFrame:
    names, classes, widths, geoms = [], [], [], []

    def add(geom, name, cls, width):
        g = shapely.intersection(geom, district)
        for part in shapely.get_parts(shapely.line_merge(g) if g.geom_type == "MultiLineString" else g):
            if part.geom_type == "LineString" and part.length > 50:
                names.append(name), classes.append(cls), widths.append(width), geoms.append(part)

    for e in r["expressways"]:
        line = shapely.LineString(e["path"])
        cls = "快速路" if e["name"].endswith("快速") else "高速公路"
        add(shapely.segmentize(line, 400), e["name"], cls, float(e["width_m"]))
    # main roads: a minimum spanning tree over street centres plus the nearest extra links
    cents = np.array([s["centroid"] for s in r["streets"]], dtype=float)
    d = np.hypot(cents[:, None, 0] - cents[None, :, 0], cents[:, None, 1] - cents[None, :, 1])
    edges = _mst(d) + _extra_edges(d, 6)
    for k, (i, j) in enumerate(edges):
        a, b = cents[i], cents[j]
        mid = (a + b) / 2 + rng.normal(0, 600, 2)
        line = shapely.LineString([a, (a + mid) / 2 + rng.normal(0, 200, 2), mid,
                                   (mid + b) / 2 + rng.normal(0, 200, 2), b])
        add(line, r["main_roads"][k % len(r["main_roads"])], "主干路", 40.0)
    # local grids per community: secondary roads every ~500 m, branch roads in between
    stems, suffixes = r["road_stems"], r["road_suffixes"]
    k = 0
    for comm in communities.itertuples():
        poly = comm.geometry
        angle = rng.uniform(0, np.pi / 2)
        spacing = rng.uniform(380, 560)
        c = np.asarray(poly.centroid.coords[0])
        extent = np.hypot(*(np.asarray(poly.bounds[2:]) - np.asarray(poly.bounds[:2])))
        n = int(extent / spacing) + 2
        offs = (np.arange(-n, n + 1) * spacing)
        u, v = np.array([np.cos(angle), np.sin(angle)]), np.array([-np.sin(angle), np.cos(angle)])
        for axis, other in ((u, v), (v, u)):
            starts = c + offs[:, None] * other - extent * axis
            ends = c + offs[:, None] * other + extent * axis
            lines = shapely.linestrings(np.stack([starts, ends], axis=1))
            for j, line in enumerate(lines):
                minor = j % 2 == 1
                name = f"{stems[k % len(stems)]}{suffixes[(k // len(stems)) % len(suffixes)]}"
                k += 1
                add(line.intersection(poly), name, "支路" if minor else "次干路", 12.0 if minor else 24.0)
    return gpd.GeoDataFrame({"name": names, "road_class": classes, "width_m": widths},
                            geometry=geoms, crs=CRS)


def _mst(d: np.ndarray) -> list[tuple[int, int]]:
    n = len(d)
    inside, edges = {0}, []
    while len(inside) < n:
        best = min(((d[i, j], i, j) for i in inside for j in range(n) if j not in inside))
        edges.append((best[1], best[2]))
        inside.add(best[2])
    return edges


def _extra_edges(d: np.ndarray, k: int) -> list[tuple[int, int]]:
    pairs = sorted((d[i, j], i, j) for i in range(len(d)) for j in range(i + 1, len(d)))
    return [(i, j) for _, i, j in pairs[len(d) - 1: len(d) - 1 + k]]


# -- parcels ----------------------------------------------------------------------------
def _parcels(r: dict, district, roads, communities, target: int, dem, dem_transform, rng) -> gpd.GeoDataFrame:
    corridors = shapely.union_all(shapely.buffer(roads.geometry.values, roads["width_m"].to_numpy() / 2,
                                                 cap_style="flat", quad_segs=2))
    blocks = shapely.get_parts(shapely.difference(district, corridors))
    blocks = blocks[shapely.area(blocks) > 400]
    # median parcel size so that the count lands a little above the target (the recursive
    # split leaves ~1.7x as many parcels as usable/median suggests: measured at both scales)
    usable = shapely.area(blocks).sum()
    median = usable / (target * 1.12) * 1.6
    polys = blocks
    limit = rng.lognormal(np.log(median), 0.55, len(polys))
    for _ in range(40):
        big = shapely.area(polys) > limit
        if not big.any():
            break
        a, b = _split(polys[big], rng)
        keep_a, keep_b = shapely.area(a) > 1, shapely.area(b) > 1
        polys = np.concatenate([polys[~big], a[keep_a], b[keep_b]])
        limit = np.concatenate([limit[~big],
                                rng.lognormal(np.log(median), 0.55, int(keep_a.sum() + keep_b.sum()))])
    polys = shapely.make_valid(polys)
    polys = np.array([g if g.geom_type == "Polygon" else _largest_polygon(g) for g in polys], dtype=object)
    polys = polys[np.array([g is not None for g in polys])]
    polys = polys[shapely.area(polys) >= 300]
    # parcel order: by community then position, so ids read naturally
    cx, cy = shapely.get_x(shapely.centroid(polys)), shapely.get_y(shapely.centroid(polys))
    comm_idx = _locate(cx, cy, communities)
    ok = comm_idx >= 0
    polys, cx, cy, comm_idx = polys[ok], cx[ok], cy[ok], comm_idx[ok]
    order = np.lexsort((np.round(cx, -2), -np.round(cy, -2), comm_idx))
    polys, cx, cy, comm_idx = polys[order], cx[order], cy[order], comm_idx[order]
    area = shapely.area(polys)
    codes, names = _landuse(r, cx, cy, area, _dem_sample(dem, dem_transform, cx, cy), rng)
    comm = communities.iloc[comm_idx]
    street_codes = comm["code"].str[6:9].to_numpy()
    seq = pd.Series(np.ones(len(polys), dtype=int)).groupby(comm_idx).cumsum().to_numpy()
    ids = np.char.add(np.char.add(np.char.add("LG-", street_codes.astype(str)),
                                  np.char.add(np.char.zfill(comm["code"].str[-3:].to_numpy().astype(str), 2), "-")),
                      np.char.zfill(seq.astype(str), 5))
    return gpd.GeoDataFrame({
        "parcel_id": ids, "landuse_code": codes, "landuse_name": names,
        "landuse_scheme": r["landuse_scheme"], "area_m2": np.round(area, 1),
        "street": comm["street"].to_numpy(), "community": comm["name"].to_numpy()},
        geometry=polys, crs=CRS)


def _split(polys: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """Cut each polygon across its long axis at 35–65 % of its length."""
    rect = shapely.oriented_envelope(polys)
    rect = np.where(shapely.get_type_id(rect) == 3, rect, shapely.envelope(shapely.buffer(polys, 0.01)))
    xy, owner = shapely.get_coordinates(shapely.get_exterior_ring(rect), return_index=True)
    first = np.searchsorted(owner, np.arange(len(polys)))
    coords = np.stack([xy[first], xy[first + 1], xy[first + 2]], axis=1)
    e1, e2 = coords[:, 1] - coords[:, 0], coords[:, 2] - coords[:, 1]
    long_is_e1 = np.hypot(*e1.T) >= np.hypot(*e2.T)
    axis = np.where(long_is_e1[:, None], e1, e2)
    across = np.where(long_is_e1[:, None], e2, e1)
    t = rng.uniform(0.35, 0.65, len(polys))[:, None]
    start = coords[:, 0]
    cut = start + axis * t
    big = 2.0
    half = np.stack([start - axis * big - across * big, cut - across * big, cut + across * (1 + big),
                     start - axis * big + across * (1 + big)], axis=1)
    half = shapely.polygons(np.concatenate([half, half[:, :1]], axis=1))
    return shapely.intersection(polys, half), shapely.difference(polys, half)


def _locate(x: np.ndarray, y: np.ndarray, polys: gpd.GeoDataFrame) -> np.ndarray:
    from lzt.analysis.overlay import point_polygon_pairs

    pt, pg = point_polygon_pairs(x, y, np.asarray(polys.geometry.values, dtype=object))
    out = np.full(len(x), -1)
    out[pt[::-1]] = pg[::-1]  # first polygon wins on shared boundaries
    return out


def _landuse(r: dict, x, y, area, elev, rng) -> tuple[np.ndarray, np.ndarray]:
    table = r["landuse"]
    codes = np.array([t["code"] for t in table])
    names = dict((t["code"], t["name"]) for t in table)
    base = np.array([t["weight"] for t in table], dtype=float)
    # smooth zoning fields: industrial belts, commercial cores around street centres
    cents = np.array([s["centroid"] for s in r["streets"]], dtype=float)
    dmin = np.min(np.hypot(x[:, None] - cents[None, :, 0], y[:, None] - cents[None, :, 1]), axis=1)
    core = np.exp(-(dmin / 1800) ** 2)
    belt = 0.5 + 0.5 * np.sin(x / 2300.0 + 1.3) * np.cos(y / 2900.0 - 0.4)
    w = np.tile(base, (len(x), 1))
    col = {c: i for i, c in enumerate(codes)}
    for c in ("B1", "B2", "A1"):
        w[:, col[c]] *= 1 + 4 * core
    for c in ("M1", "M2", "W1"):
        w[:, col[c]] *= 0.2 + 2.5 * belt * (1 - core)
    for c in ("R2", "R3", "A33"):
        w[:, col[c]] *= 0.6 + 0.8 * (1 - belt)
    hill = np.clip((elev - 90) / 120, 0, 1)  # hillsides become green land
    w[:, col["G1"]] *= 1 + 30 * hill
    w[:, col["G2"]] *= 1 + 10 * hill
    big = area > 30_000
    w[big, col["M1"]] *= 2.5
    w[big, col["A33"]] *= 0.3
    cum = np.cumsum(w, axis=1)
    pick = (cum < rng.uniform(0, 1, len(x))[:, None] * cum[:, -1:]).sum(axis=1)
    chosen = codes[np.minimum(pick, len(codes) - 1)]
    return chosen, np.array([names[c] for c in chosen])


# -- points of interest -----------------------------------------------------------------
def _poi(r: dict, parcels: gpd.GeoDataFrame, roads: gpd.GeoDataFrame, communities: gpd.GeoDataFrame,
         n: int, rng) -> gpd.GeoDataFrame:
    cats = r["poi_categories"]
    lu = parcels["landuse_code"].to_numpy().astype(str)
    family = np.where(np.isin(lu, ["A33", "A5"]), lu, np.char.rstrip(lu, "0123456789"))
    density = pd.Series(family).map({"R": 6.0, "B": 9.0, "A": 2.0, "A33": 1.0, "A5": 1.0, "M": 1.2,
                                     "W": 0.4, "S": 0.6, "U": 0.1, "G": 0.15}).fillna(0.2).to_numpy()
    area = parcels["area_m2"].to_numpy()
    # activity concentrates around community centres of varying pull
    pc = shapely.centroid(np.asarray(parcels.geometry.values, dtype=object))
    px, py = shapely.get_x(pc), shapely.get_y(pc)
    cc = shapely.centroid(np.asarray(communities.geometry.values, dtype=object))
    pull = rng.lognormal(0, 0.9, len(cc))
    hot = np.zeros(len(px))
    for cxi, cyi, pi in zip(shapely.get_x(cc), shapely.get_y(cc), pull):
        hot += pi * np.exp(-((px - cxi) ** 2 + (py - cyi) ** 2) / (2 * 700.0 ** 2))
    weight = density * np.sqrt(area) * (0.05 + hot) * rng.lognormal(0, 0.5, len(area))
    n_road = n // 10
    owner = rng.choice(len(parcels), size=n - n_road, p=weight / weight.sum())
    geoms = np.asarray(parcels.geometry.values, dtype=object)
    b = shapely.bounds(geoms)[owner]
    x = np.empty(len(owner))
    y = np.empty(len(owner))
    todo = np.arange(len(owner))
    for _ in range(30):  # rejection sampling inside each point's parcel, vectorised
        if not len(todo):
            break
        cx = rng.uniform(b[todo, 0], b[todo, 2])
        cy = rng.uniform(b[todo, 1], b[todo, 3])
        ok = shapely.contains_xy(geoms[owner[todo]], cx, cy)
        x[todo[ok]], y[todo[ok]] = cx[ok], cy[ok]
        todo = todo[~ok]
    if len(todo):  # thin slivers: use a point on the surface
        rp = shapely.point_on_surface(geoms[owner[todo]])
        x[todo], y[todo] = shapely.get_x(rp), shapely.get_y(rp)
    fam = family[owner]
    cat = np.empty(len(owner), dtype=object)
    for f, options in cats.items():
        sel = fam == f
        cat[sel] = np.array(options, dtype=object)[rng.integers(0, len(options), sel.sum())]
    cat[pd.isna(cat)] = "餐饮"
    # bus stops and shops along main and secondary roads
    main = roads[roads["road_class"].isin(["主干路", "次干路"])]
    lines = np.asarray(main.geometry.values, dtype=object)
    li = rng.choice(len(lines), size=n_road, p=shapely.length(lines) / shapely.length(lines).sum())
    on = shapely.line_interpolate_point(lines[li], rng.uniform(0, 1, n_road), normalized=True)
    rx = shapely.get_x(on) + rng.normal(0, 12, n_road)
    ry = shapely.get_y(on) + rng.normal(0, 12, n_road)
    rcat = np.where(rng.random(n_road) < 0.6, "公交站", "便利店").astype(object)
    stems, sfx = r["compound_stems"], r["compound_suffixes"]
    street = np.concatenate([parcels["street"].to_numpy()[owner], np.full(n_road, None)])
    community = np.concatenate([parcels["community"].to_numpy()[owner], np.full(n_road, None)])
    allcat = np.concatenate([cat, rcat])
    k = np.arange(len(allcat))
    stem = np.array(stems, dtype=object)[k % len(stems)]
    suffix = np.array(sfx, dtype=object)[(k // len(stems)) % len(sfx)]
    name = np.where(allcat == "住宅小区", stem + suffix,
                    np.where(allcat == "公交站", stem + "站", stem + allcat + (k % 97).astype(str)))
    gdf = gpd.GeoDataFrame({"name": name, "category": allcat, "street": street, "community": community},
                           geometry=shapely.points(np.concatenate([x, rx]), np.concatenate([y, ry])), crs=CRS)
    # road points take the street and community they fall in
    miss = np.flatnonzero(gdf["street"].isna().to_numpy())
    where = _locate(gdf.geometry.x.to_numpy()[miss], gdf.geometry.y.to_numpy()[miss], communities)
    hit = where >= 0
    gdf.loc[gdf.index[miss[hit]], "street"] = communities["street"].to_numpy()[where[hit]]
    gdf.loc[gdf.index[miss[hit]], "community"] = communities["name"].to_numpy()[where[hit]]
    return gdf

