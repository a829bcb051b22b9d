"""What each level of a building holds, read from its triangles: floor, mezzanine, rooftop
structure, or nothing that counts.

A level's floor is what it holds: its floor slabs, its spaces and the area its walls of full
storey height enclose (to their outer face, as 建筑面积 is measured), and it counts only where
building of full storey height stands over it: anything whose underside is above the floor and
whose top is at least ``MIN_STOREY_HEIGHT`` above it (a slab, roof, ceiling or beam; gaps up to
``2 * COVER_CLOSE`` between them bridged, as between roof beams). Parapets, railings and roof
build-ups are lower, so a roof level holding only them is not a floor; an open terrace has
nothing above it. Slabs belong to the level their top or bottom face is at; floor slabs at no
level's height are intermediate floors (mezzanines).

A counted level is a *storey* unless it is a mezzanine (a level without its own storey, or one
through which most of the storey below rises) or a rooftop structure (the topmost levels, each
under a quarter of the floor below: stair and lift rooms, GB 50016-2014 A.0.2 [M]); mezzanines
and rooftop structures count in the floor area, not in the number of storeys.

Floors are shapely polygons (unions of their elements' triangles). What stands above each
level is gathered on a raster of the plan (10 cm cells for a building up to 200 m long, grown
by one cell so that a floor under a roof of its own outline is wholly covered): the union of
every triangle above a level is what costs (shapely needs a minute for the 10^5 overlapping
triangles of a large model), and a raster takes them in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

MIN_STOREY_HEIGHT = 2.2  # m: GB/T 50353-2013 full-area height [M]; lower has no room for a floor [P]
FLOOR_CLEAR = 0.2  # m: a cover starts above the floor's own build-up [P]
COVER_CLOSE = 1.0  # m: gaps in the cover up to twice this are bridged (roof beams, purlins) [P]
SLAB_TOL = 0.5  # m: a slab within this of a level's elevation belongs to that level [P]
MIN_FLOOR_M2 = 1.0  # a level's floor smaller than this is not a floor [P]
MEZZANINE_VOID = 0.5  # share of the storey below open through a level that makes it a mezzanine [P]
ROOFTOP_SHARE = 0.25  # topmost levels under this share of the floor below are rooftop structures [M]
WALL_GAP = 0.05  # m: wall joints this wide are closed before looking for enclosures [P]
CELL_M, MAX_CELLS = 0.1, 2000  # cover raster: cell, and the most cells along a side [P]

WALLS = {"IfcWall", "IfcWallStandardCase", "IfcWallElementedCase", "IfcCurtainWall"}
NOT_COVER = {"IfcSpace", "IfcFurnishingElement", "IfcOpeningElement", "IfcRailing", "IfcVirtualElement"}
NOT_FLOOR_SLAB_TYPES = {"ROOF", "LANDING"}
NOT_FLOOR_SLAB_PARENTS = {"IfcRoof", "IfcStair", "IfcRamp"}
SOURCES = ("slabs", "spaces", "enclosed_walls")


@dataclass
class ElementFacts:
    """What the IFC file says about one tessellated element."""

    ifc_class: str
    storey: int | None  # index into the storeys, by spatial structure
    floor_slab: bool = False  # an IfcSlab that can be a floor (not a roof, landing or stair part)


@dataclass
class Level:
    """One level: its elevation, what it holds, and whether and how it counts."""

    name: str
    elevation_m: float
    storey: int | None  # index of its IfcBuildingStorey (None: an intermediate floor or no storey)
    qto_m2: float | None = None
    areas: dict[str, float] = field(default_factory=dict)  # source -> m² with building above
    source: str | None = None  # what its area was taken from ("qto_storey" or slabs+spaces+...)
    area_m2: float = 0.0
    kind: str = "not_a_floor"  # storey | mezzanine | rooftop | not_a_floor | below_reference
    why: str = ""
    intermediate: bool = False  # floor slabs at no storey's height

    def row(self) -> dict:
        out = {"storey": self.name, "elevation_m": round(self.elevation_m, 3), "gfa_m2": round(self.area_m2, 3),
               "from": self.source, "kind": self.kind}
        if self.areas:
            out["estimates_m2"] = {k: round(v, 3) for k, v in self.areas.items()}
        if self.why:
            out["why"] = self.why
        return out


def _per_element(ufunc, n: int, element: np.ndarray, values: np.ndarray, empty: float) -> np.ndarray:
    """``ufunc`` (np.minimum/np.maximum) of ``values`` per element (``empty`` for none): by runs of
    equal elements when ``element`` is sorted (as a tessellation's faces are), else ``ufunc.at``."""
    out = np.full(n, empty)
    if len(element) and np.all(element[1:] >= element[:-1]):
        starts = np.flatnonzero(np.r_[True, element[1:] != element[:-1]])
        out[element[starts]] = ufunc.reduceat(values, starts)
    else:
        ufunc.at(out, element, values)
    return out


def _same_rows(rows: np.ndarray) -> np.ndarray:
    """For each row (float64 coordinates) a number shared exactly by the rows of the same bytes:
    64-bit hashes of the rows sorted (not the rows themselves, ~5x dearer), checked row by row
    against the first of their hash; on a collision the rows themselves are sorted."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    words = rows.view(np.uint64)
    h = words[:, 0].copy()
    with np.errstate(over="ignore"):
        for k in range(1, words.shape[1]):
            h = (h * np.uint64(0x100000001B3)) ^ words[:, k] ^ (h >> np.uint64(29))
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    if np.array_equal(words[first[inverse]], words):
        return inverse
    return np.unique(rows.view(np.dtype((np.void, rows.itemsize * rows.shape[1]))).ravel(),
                     return_inverse=True)[1].ravel()


class _Plan:
    """The triangles projected on a raster of the plan: masks, unions, areas."""

    def __init__(self, tess, facts: list[ElementFacts]):
        tri = tess.vertices[tess.faces]
        a2 = np.abs((tri[:, 1, 0] - tri[:, 0, 0]) * (tri[:, 2, 1] - tri[:, 0, 1])
                    - (tri[:, 2, 0] - tri[:, 0, 0]) * (tri[:, 1, 1] - tri[:, 0, 1]))
        flat = a2 > 1e-8  # triangles with a projection (vertical faces have none)
        n = len(facts)
        face_zmin, face_zmax = tri[:, :, 2].min(axis=1), tri[:, :, 2].max(axis=1)
        self.el_zmin, self.el_zmax = _per_element(np.minimum, n, tess.face_element, face_zmin, np.inf), \
            _per_element(np.maximum, n, tess.face_element, face_zmax, -np.inf)
        tri, self.element = tri[flat], tess.face_element[flat]
        self.zmin, self.zmax = face_zmin[flat], face_zmax[flat]
        self.xy = xy = tri[:, :, :2]
        classes = np.array([f.ifc_class for f in facts], dtype=object)
        self.cover = ~np.isin(classes, list(NOT_COVER))[self.element] if n else np.zeros(0, dtype=bool)
        lo, hi = (xy.reshape(-1, 2).min(axis=0), xy.reshape(-1, 2).max(axis=0)) if len(xy) else (np.zeros(2),) * 2
        self.cell = max(CELL_M, float((hi - lo).max()) / MAX_CELLS)
        pad = (COVER_CLOSE + 2 * self.cell)
        self.x0, self.y1 = lo[0] - pad, hi[1] + pad
        self.shape = (int(np.ceil((hi[1] - lo[1] + 2 * pad) / self.cell)),
                      int(np.ceil((hi[0] - lo[0] + 2 * pad) / self.cell)))
        # each triangle's number among the distinct ones (same coordinates in the same order): a
        # storey repeated up a tower projects to the very triangles of the one below
        self.tri_id = _same_rows(np.ascontiguousarray(xy).reshape(len(xy), 6))
        self._unions: dict = {}  # triangles' bytes (or ("enclosure", bytes)) -> shapely geometry

    @property
    def transform(self):
        from affine import Affine

        return Affine(self.cell, 0.0, self.x0, 0.0, -self.cell, self.y1)

    def empty(self) -> np.ndarray:
        return np.zeros(self.shape, dtype=np.uint8)

    def triangles(self, mask: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Cells whose centre lies in any triangle of ``mask`` set to 1 (into ``out`` when given).

        Scanlines: each triangle's span on each row of cell centres; a row's cells are covered up
        to the furthest end of the spans begun so far (linear in rows and cells, not in cells per triangle).
        """
        out = self.empty() if out is None else out
        tri = self.xy[mask]
        if not len(tri):
            return out
        rows, cols = self.shape
        u = (tri[:, :, 0] - self.x0) / self.cell - 0.5  # cell centre (r, c) is at u = c, v = r
        v = (self.y1 - tri[:, :, 1]) / self.cell - 0.5
        r0 = np.clip(np.ceil(v.min(axis=1)), 0, rows).astype(np.int64)
        r1 = np.clip(np.floor(v.max(axis=1)), -1, rows - 1).astype(np.int64)
        h = np.maximum(r1 - r0 + 1, 0)
        idx = np.repeat(np.arange(len(tri)), h)
        if not len(idx):
            return out
        rr = r0[idx] + (np.arange(len(idx)) - np.repeat(np.cumsum(h) - h, h))
        lo = np.full(len(idx), np.inf)
        hi = np.full(len(idx), -np.inf)
        for a, b in ((0, 1), (1, 2), (2, 0)):
            ua, va, du, dv = u[:, a], v[:, a], u[:, b] - u[:, a], v[:, b] - v[:, a]  # per triangle, then per span
            lo_v, hi_v = np.minimum(va, v[:, b]), np.maximum(va, v[:, b])
            lo_v[dv == 0] = np.inf  # a horizontal edge crosses no row
            ia, iv = ua[idx], va[idx]
            crosses = (lo_v[idx] <= rr) & (rr <= hi_v[idx])
            with np.errstate(divide="ignore", invalid="ignore"):
                x = ia + (rr - iv) * du[idx] / dv[idx]
            np.minimum(lo, x, out=lo, where=crosses)
            np.maximum(hi, x, out=hi, where=crosses)
        cs = np.clip(np.ceil(lo - 1e-9), 0, cols).astype(np.int64)
        ce = np.clip(np.floor(hi + 1e-9), -1, cols - 1).astype(np.int64)
        ok = ce >= cs
        if not ok.any():
            return out
        rr, cs, ce = rr[ok], cs[ok], ce[ok]
        top, band = int(rr.min()), int(rr.max() - rr.min() + 1)  # only the rows touched
        # a cell is covered when the spans starting at or before it reach it: per row, a running
        # maximum of the span ends written at the span starts (the furthest end per start)
        key = (rr - top) * cols + cs
        order = np.lexsort((ce, key))
        key, end = key[order], ce[order]
        last = np.r_[key[1:] != key[:-1], True]
        dtype = np.int16 if cols < 2 ** 15 else np.int32
        ends = np.full(band * cols, -1, dtype=dtype)
        ends[key[last]] = end[last]
        reach = np.maximum.accumulate(ends.reshape(band, cols), axis=1)
        out[top:top + band] |= (reach >= np.arange(cols, dtype=dtype)).view(np.uint8)
        return out

    def burn(self, geoms, all_touched: bool = False) -> np.ndarray:
        """Cells whose centre lies in any of the shapely ``geoms`` (or that they touch)."""
        from rasterio import features

        geoms = [g for g in geoms if not g.is_empty]
        if not geoms:
            return self.empty()
        return features.rasterize(((g, 1) for g in geoms), out_shape=self.shape, dtype=np.uint8,
                                  transform=self.transform, all_touched=all_touched)

    def uncovered(self, geoms, above: np.ndarray):
        """The cells the ``geoms`` touch outside ``above``, as a polygon (empty when all are covered;
        None when none is: nothing stands over them at all, as over a roof)."""
        x0, y0, x1, y1 = shapely.total_bounds(geoms)
        c0, c1 = int((x0 - self.x0) // self.cell), int((x1 - self.x0) // self.cell) + 1
        r0, r1 = int((self.y1 - y1) // self.cell), int((self.y1 - y0) // self.cell) + 1
        window = above[max(r0, 0):r1, max(c0, 0):c1]
        if window.all():  # the usual case: the floor lies under a roof
            return shapely.Polygon()
        if not window.any():
            return None
        return self.polygon(self.burn(geoms, all_touched=True).astype(bool) & ~above)

    def polygon(self, mask: np.ndarray):
        """The cells of ``mask`` as a shapely (Multi)Polygon."""
        from rasterio import features

        if not mask.any():
            return shapely.Polygon()
        parts = [shapely.geometry.shape(g) for g, _ in features.shapes(mask.astype(np.uint8), mask=mask.astype(bool),
                                                                       transform=self.transform)]
        return shapely.union_all(parts)

    def union(self, mask: np.ndarray):
        """The union of the triangles of ``mask`` as a shapely geometry (for a few elements).

        The same triangles (the same coordinates, in the same order: the floor plate of every storey
        of a tower) give the same geometry, united once."""
        xy = self.xy[mask]
        key = xy.tobytes()
        if key not in self._unions:
            polys = shapely.polygons(np.concatenate([xy, xy[:, :1]], axis=1))
            try:
                self._unions[key] = shapely.union_all(polys)  # ten times faster than on a grid
            except shapely.errors.GEOSException:  # nearly coincident edges: snap to a millimetre grid
                self._unions[key] = shapely.union_all(polys, grid_size=0.001)
        return self._unions[key]

    def enclosure(self, mask: np.ndarray):
        """``_enclosure`` of the union of the triangles of ``mask`` (the same triangles: made once)."""
        key = ("enclosure", self.xy[mask].tobytes())
        if key not in self._unions:
            self._unions[key] = _enclosure(self.union(mask))
        return self._unions[key]

    def of(self, elements: list[int]) -> np.ndarray:
        """Triangle mask of the given elements."""
        chosen = np.zeros(len(self.el_zmin), dtype=bool)
        chosen[np.asarray(elements, dtype=np.int64)] = True
        return chosen[self.element]

    def close(self, mask: np.ndarray, radius_m: float) -> np.ndarray:
        """Morphological closing with a square of half-side ``radius_m`` (bridges narrow gaps)."""
        r = int(round(radius_m / self.cell))
        return _erode(_dilate(mask, r), r) if r > 0 else mask


def _dilate(mask: np.ndarray, r: int) -> np.ndarray:
    """Binary dilation by a (2r+1)² square: separable, each axis a sliding OR over 2r+1 cells built
    by doubling (a window of w cells ORed with itself shifted by up to w), ~log2(2r+1) passes."""
    out = mask.astype(bool)
    if r <= 0:
        return out
    n, m = out.shape
    b = np.zeros((n + 2 * r, m), dtype=bool)  # rows: r empty ones before, r after
    b[r:r + n] = out
    width, span = 1, 2 * r + 1  # b[i] = OR of the original b[i .. i + width - 1]
    while width < span:
        s = min(width, span - width)
        b[:-s] |= b[s:]
        width += s
    c = np.zeros((n, m + 2 * r), dtype=bool)  # then the columns, the same way
    c[:, r:r + m] = b[:n]  # b[j] = OR of out[j - r .. j + r], clipped to the raster
    width = 1
    while width < span:
        s = min(width, span - width)
        c[:, :-s] |= c[:, s:]
        width += s
    return c[:, :m]


def _erode(mask: np.ndarray, r: int) -> np.ndarray:
    return ~_dilate(~mask.astype(bool), r)


def _enclosure(walls):
    """The areas walls enclose (holes of their union filled), joints up to WALL_GAP closed."""
    if walls.is_empty:
        return shapely.Polygon()
    closed = walls.buffer(WALL_GAP, join_style="mitre")
    filled = shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(closed)
                                if p.geom_type == "Polygon"])
    if filled.area <= 1.5 * closed.area:  # walls that enclose nothing
        return shapely.Polygon()
    return filled.buffer(-WALL_GAP, join_style="mitre")  # back to the walls' outer faces


def _level_of(zmin: float, zmax: float, elevations: list[float]) -> int | None:
    """The level a slab spanning zmin..zmax belongs to: the one nearest its top within SLAB_TOL."""
    best, dist = None, np.inf
    for i, e in enumerate(elevations):
        if zmin - SLAB_TOL <= e <= zmax + SLAB_TOL and abs(zmax - e) < dist:
            best, dist = i, abs(zmax - e)
    return best


def _near_level(z: float, elevations: list[float]) -> int | None:
    near = [(abs(z - e), i) for i, e in enumerate(elevations) if abs(z - e) <= SLAB_TOL]
    return min(near)[1] if near else None


def analyse_levels(tess, facts: list[ElementFacts], storeys, base_z: float,
                   space_qto: dict[int, float] | None = None) -> list[Level]:
    """Every level (storeys, then intermediate floors) with its kind, floor area and source.

    ``storeys`` are ``Storey`` values (elevation in local metres, None when unknown: taken
    as ``base_z``); ``facts`` has one entry per tessellated element; ``space_qto`` is the
    area quantity of the spaces without geometry, per storey index.
    """
    space_qto = space_qto or {}
    plan = _Plan(tess, facts)
    levels = [Level(s.name, base_z if s.elevation_m is None else float(s.elevation_m), i,
                    qto_m2=s.gross_floor_area_m2) for i, s in enumerate(storeys)]
    if not levels:
        levels = [Level("(no storey)", base_z, None)]
    elevations = [lv.elevation_m for lv in levels]
    held: dict[int, dict[str, list[int]]] = {}  # level -> source -> elements
    loose: list[int] = []  # floor slabs at no level's height
    for k, f in enumerate(facts):
        zmin, zmax = plan.el_zmin[k], plan.el_zmax[k]
        if not np.isfinite(zmin):
            continue
        if f.floor_slab:
            i = _level_of(zmin, zmax, elevations)
            if i is None:
                loose.append(k)
            else:
                held.setdefault(i, {}).setdefault("slabs", []).append(k)
        elif f.ifc_class == "IfcSpace" or f.ifc_class in WALLS:
            i = f.storey if f.storey is not None else _near_level(zmin, elevations)
            if i is None:
                continue
            if f.ifc_class == "IfcSpace":
                held.setdefault(i, {}).setdefault("spaces", []).append(k)
            elif zmax >= elevations[i] + MIN_STOREY_HEIGHT:  # walls of full storey height only
                held.setdefault(i, {}).setdefault("walls", []).append(k)
    for g in _intermediate(plan, loose, levels, base_z):
        held[len(levels)] = {"slabs": g[1]}
        levels.append(Level(f"mezzanine +{g[0]:.2f} m (in {g[2]})", g[0], None, intermediate=True))

    floors: dict[int, object] = {}  # counted level -> its floor (shapely)
    cover, above = plan.empty(), np.zeros(plan.shape, dtype=bool)
    covered_cells, covered_m2, cover_version = 0, 0.0, 0
    cuts: dict[tuple, tuple] = {}  # (what was found, cover) -> (cut, floor, the found geometries)
    burnt = np.zeros(int(plan.tri_id.max()) + 1 if len(plan.tri_id) else 0, dtype=bool)  # by distinct triangle
    for i in sorted(range(len(levels)), key=lambda j: -levels[j].elevation_m):  # top down: the cover grows
        lv = levels[i]
        e = lv.elevation_m
        # a triangle already burnt (or its very twin) adds no cell: only the others are burnt, and the
        # closing is made again only when the cover gained cells
        new = plan.cover & ~burnt[plan.tri_id] & (plan.zmin >= e + FLOOR_CLEAR) & (plan.zmax >= e + MIN_STOREY_HEIGHT)
        if new.any():
            plan.triangles(new, out=cover)
            burnt[plan.tri_id[new]] = True
            if (n_cells := int(np.count_nonzero(cover))) != covered_cells:
                covered_cells = n_cells
                above = _dilate(plan.close(cover, COVER_CLOSE), 1)
                cover_version += 1
                covered_m2 = float(np.count_nonzero(above)) * plan.cell ** 2
        if e < base_z - 0.05:
            lv.kind, lv.why = "below_reference", "below the reference level (±0.00)"
            continue
        h = held.get(i, {})
        found = {}
        if "slabs" in h:
            found["slabs"] = plan.union(plan.of(h["slabs"]))
        if "spaces" in h:
            found["spaces"] = plan.union(plan.of(h["spaces"]))
        if "walls" in h:
            enclosed = plan.enclosure(plan.of(h["walls"]))
            if not enclosed.is_empty:
                found["enclosed_walls"] = enclosed
        # the same geometries (``_Plan``'s, made once) under the same cover: the same cut and floor
        key = (tuple((k, id(g)) for k, g in found.items()), cover_version)
        if key not in cuts:
            # the cells of the floor not under the cover, whole: the floor minus them is the floor under it
            uncovered = plan.uncovered(list(found.values()), above) if found else shapely.Polygon()
            if uncovered is None:  # every cell they touch is uncovered: nothing of them is under cover
                cut = {k: shapely.Polygon() for k in found}
            else:
                cut = {k: g if uncovered.is_empty else shapely.difference(g, uncovered) for k, g in found.items()}
            parts = list(cut.values())
            floor = shapely.Polygon() if not parts else parts[0] if len(parts) == 1 else shapely.union_all(parts)
            cuts[key] = (cut, floor, tuple(found.values()))  # holding the geometries keeps their ids theirs
        cut, floor, _ = cuts[key]
        lv.areas = {k: float(g.area) for k, g in cut.items()}
        floor_m2 = float(floor.area)
        if lv.storey in space_qto and covered_m2 > 0:  # spaces known only by their area quantity
            lv.areas["spaces"] = lv.areas.get("spaces", 0.0) + space_qto[lv.storey]
            if not found:
                floor_m2 = space_qto[lv.storey]
        if lv.qto_m2 and covered_m2 >= 0.5 * lv.qto_m2:
            lv.areas = {"qto_storey": float(lv.qto_m2)} | lv.areas
            lv.source, lv.area_m2 = "qto_storey", float(lv.qto_m2)
        elif floor_m2 >= MIN_FLOOR_M2:
            lv.source = "+".join(k for k in SOURCES if lv.areas.get(k, 0.0) > 0)
            lv.area_m2 = floor_m2
        else:
            has_floor = bool(lv.qto_m2) or bool(found) or lv.storey in space_qto
            lv.why = ("nothing of full storey height above its floor (a roof, terrace or parapets only)"
                      if has_floor else "no slab, space, storey quantity or walls enclosing a room")
            continue
        lv.kind = "mezzanine" if lv.intermediate else "storey"
        floors[i] = floor if not floor.is_empty else plan.polygon(above)
    _merge_coincident(levels, floors)
    _mark_partial(plan, levels, floors)
    return levels


def _merge_coincident(levels: list[Level], floors: dict[int, object]) -> None:
    """Levels within SLAB_TOL of a lower counted one (a structural and an architectural level of
    one floor) count only the floor the lower one does not already hold."""
    counted = sorted(floors, key=lambda i: levels[i].elevation_m)
    for k, i in enumerate(counted):
        lv = levels[i]
        first = next((j for j in counted[:k] if lv.elevation_m - levels[j].elevation_m <= SLAB_TOL
                      and levels[j].kind != "not_a_floor"), None)
        if first is None or lv.source == "qto_storey" or levels[first].source == "qto_storey":
            continue
        extra = shapely.difference(floors[i], floors[first])
        if extra.area < MIN_FLOOR_M2:
            lv.kind, lv.area_m2, lv.source = "not_a_floor", 0.0, None
            lv.why = f"the same floor as {levels[first].name}"
            del floors[i]
        else:
            floors[first] = shapely.union_all([floors[first], floors[i]])
            levels[first].area_m2 += extra.area
            lv.kind, lv.area_m2, lv.source = "not_a_floor", 0.0, None
            lv.why = f"the same floor as {levels[first].name}; its {extra.area:.0f} m² beyond it counted there"
            del floors[i]


def _intermediate(plan: _Plan, loose: list[int], levels: list[Level], base_z: float):
    """Floor slabs at no level's height, grouped by top: (elevation, elements, host level name)."""
    tops = sorted((plan.el_zmax[k], k) for k in loose if plan.el_zmax[k] >= base_z + MIN_STOREY_HEIGHT)
    groups: list[list[int]] = []
    last = None
    for z, k in tops:
        if last is None or z - last > SLAB_TOL:
            groups.append([])
        groups[-1].append(k)
        last = z
    out = []
    for g in groups:
        z = float(max(plan.el_zmax[k] for k in g))
        below = [lv for lv in levels if lv.elevation_m <= z - MIN_STOREY_HEIGHT]
        if not below or plan.union(plan.of(g)).area < MIN_FLOOR_M2:
            continue  # no room under it, or too small for a floor: a step, a platform, a plate
        out.append((z, g, max(below, key=lambda lv: lv.elevation_m).name))
    return out


def _mark_partial(plan: _Plan, levels: list[Level], floors: dict[int, object]) -> None:
    """Storey levels that are mezzanines (the storey below rises through them) or rooftop structures."""
    counted = sorted(floors, key=lambda i: levels[i].elevation_m)
    for k, i in enumerate(counted):
        lv = levels[i]
        lower = [j for j in counted[:k] if levels[j].kind == "storey"]
        if lv.kind != "storey" or not lower or floors[i].area >= MEZZANINE_VOID * floors[lower[-1]].area:
            continue  # a level half the size of the storey below or more cannot leave most of it open
        e = lv.elevation_m
        plane = _dilate(plan.triangles(plan.cover & (plan.zmax >= e - SLAB_TOL) & (plan.zmin <= e + SLAB_TOL)), 1)
        base = plan.burn([floors[lower[-1]]]).astype(bool)
        void = np.count_nonzero(base & ~plane) / max(1, np.count_nonzero(base))
        if void > MEZZANINE_VOID:
            lv.kind = "mezzanine"
            lv.why = f"{void:.0%} of the storey below is open through this level"
    storeys = [levels[i] for i in counted if levels[i].kind == "storey"]
    for upper in range(len(storeys) - 1, 0, -1):  # from the top down, while the levels stay small
        lv, below = storeys[upper], storeys[upper - 1]
        if lv.area_m2 >= ROOFTOP_SHARE * below.area_m2:
            break
        lv.kind = "rooftop"
        lv.why = f"a rooftop structure: {lv.area_m2:.0f} m² on a floor of {below.area_m2:.0f} m²"
