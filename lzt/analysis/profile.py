"""Elevation profile along a line (纵断面): the DEM ground sampled along it, the buildings and BIM
models it cuts (as blocks from their ground to their top) and the height-limit zones it
crosses (their cap as an elevation).

Ground values come straight from the DEM's pixels in the raster's own CRS (bilinear between
pixel centres, nodata left out: NaN where the DEM has nothing), at half the DEM's pixel size
(or ``step`` m) and at every vertex of the line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely

from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace

MAX_SAMPLES = 4000


@dataclass(frozen=True)
class ProfileCut:
    """A structure crossed by the line, from ``start_m`` to ``end_m`` along it."""

    kind: str  # building | bim
    id: str
    start_m: float
    end_m: float
    ground_z: float | None
    height_m: float | None
    top_z: float | None


@dataclass(frozen=True)
class ProfileZone:
    """A height-limit zone crossed by the line; its cap as an elevation is ``limit_m`` for
    absolute zones, ground + ``limit_m`` for zones above the ground."""

    zone: str
    reference: str  # absolute | ground
    limit_m: float
    start_m: float
    end_m: float


@dataclass
class ElevationProfile:
    """Samples along the line (distance, x, y, ground) and what it crosses."""

    length_m: float
    distance: np.ndarray
    x: np.ndarray
    y: np.ndarray
    ground: np.ndarray  # NaN where the DEM has no value
    cuts: list[ProfileCut] = field(default_factory=list)
    zones: list[ProfileZone] = field(default_factory=list)
    dem: str | None = None
    crs: str = ""

    def ground_at(self, d) -> np.ndarray:
        """Ground elevation at distances ``d`` along the line (linear between samples)."""
        return np.interp(np.asarray(d, float), self.distance, self.ground)

    def to_json(self) -> dict:
        def num(v):
            return None if v is None or not math.isfinite(v) else round(float(v), 3)
        return {"length_m": num(self.length_m), "dem": self.dem, "crs": self.crs,
                "samples": [{"d": num(d), "x": round(float(x), 3), "y": round(float(y), 3), "z": num(z)}
                            for d, x, y, z in zip(self.distance, self.x, self.y, self.ground)],
                "buildings": [{"kind": c.kind, "id": c.id, "start_m": num(c.start_m), "end_m": num(c.end_m),
                               "ground_z": num(c.ground_z), "height_m": num(c.height_m), "top_z": num(c.top_z)}
                              for c in self.cuts],
                "zones": [{"zone": z.zone, "reference": z.reference, "limit_m": num(z.limit_m),
                           "start_m": num(z.start_m), "end_m": num(z.end_m)} for z in self.zones]}


def parse_line(text: str, where: str = "--line") -> shapely.LineString:
    """A line from ``"x,y x,y ..."`` (workspace CRS) or WKT; bad text is bad input."""
    text = (text or "").strip()
    try:
        if text[:10].upper().startswith("LINESTRING"):
            line = shapely.from_wkt(text)
        else:
            pts = [tuple(float(v) for v in p.split(",")) for p in text.replace(";", " ").split()]
            if any(len(p) != 2 for p in pts):
                raise ValueError("each point is x,y")
            if len(pts) < 2:
                raise ValueError("the line needs two or more points")
            line = shapely.LineString(pts)
    except (ValueError, shapely.errors.GEOSException) as e:
        raise LztInputError(where, f"cannot read the line {text[:60]!r}: {e}") from None
    if line.is_empty or line.length <= 0 or not all(map(math.isfinite, line.bounds)):
        raise LztInputError(where, "the line needs two distinct points")
    return line


def _stations(line, step: float) -> np.ndarray:
    """Distances along ``line``: every ``step`` m, every vertex and the end."""
    coords = shapely.get_coordinates(line)
    seg = np.hypot(*np.diff(coords, axis=0).T)
    verts = np.r_[0.0, np.cumsum(seg)]
    return np.unique(np.r_[np.arange(0.0, line.length, step), verts, line.length])


def _intervals(line, geoms) -> list[list[tuple[float, float]]]:
    """Per polygon: the (start, end) distances along ``line`` of the parts inside it, segment by
    segment (so a line that doubles back still measures along itself)."""
    coords = shapely.get_coordinates(line)
    out: list[list[tuple[float, float]]] = [[] for _ in geoms]
    if not len(geoms):
        return out
    tree = shapely.STRtree(geoms)
    offset = 0.0
    for a, b in zip(coords[:-1], coords[1:]):
        seg = shapely.LineString([a, b])
        length = seg.length
        for g in tree.query(seg, predicate="intersects"):
            inter = shapely.intersection(seg, geoms[g])
            for part in shapely.get_parts(inter):
                if part.geom_type != "LineString" or part.length <= 0:
                    continue
                ends = shapely.get_coordinates(part)[[0, -1]]
                ds = np.hypot(ends[:, 0] - a[0], ends[:, 1] - a[1])
                out[g].append((offset + float(ds.min()), offset + float(ds.max())))
        offset += length
    return out


def elevation_profile(ws: Workspace, line, *, step: float | None = None, buildings: str | None = "buildings",
                      bim: str | None = "bim_models", zones: str | None = None,
                      dem: str | None = None) -> ElevationProfile:
    """The profile of ``line`` (workspace CRS): ground every ``step`` m (default half the DEM's
    pixel, at most ``MAX_SAMPLES`` samples), the structures it cuts and the 控高 zones it crosses."""
    from lzt.analysis.height_limits import read_zones, zones_layer
    from lzt.analysis.structures import read_structures
    from lzt.analysis.terrain import ground_heights, terrain_layer

    if isinstance(line, str):
        line = parse_line(line)
    if line.geom_type != "LineString" or line.length <= 0:
        raise LztInputError("--line", "the profile needs a line of two or more distinct points")
    dem = dem or terrain_layer(ws)
    if step is None:
        step = 5.0
        if dem is not None:
            from layers.raster import RasterInfo, pixel_size_in

            d = ws.layer(dem).details or {}
            try:
                step = pixel_size_in(RasterInfo(**{k: d[k] for k in RasterInfo.__dataclass_fields__ if k in d}),
                                     ws.crs) / 2
            except (TypeError, KeyError, ValueError):
                pass
    if not step > 0:
        raise LztInputError("--step", f"the sampling step must be positive, not {step!r}")
    step = max(float(step), line.length / MAX_SAMPLES)
    d = _stations(line, step)
    pts = shapely.line_interpolate_point(line, d)
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    z = ground_heights(ws, x, y, layer=dem)
    bbox = line.buffer(1.0).bounds
    st = read_structures(ws, bbox=bbox, buildings=buildings, bim=bim, dem=dem, near=line)
    cuts = []
    if len(st):
        geoms = np.asarray(st.geometry.values, dtype=object)
        for i, spans in enumerate(_intervals(line, geoms)):
            r = st.iloc[i]
            for a, b in spans:
                g, h = float(r["ground_z"]), float(r["height_m"])
                cuts.append(ProfileCut(str(r["kind"]), str(r["id"]), a, b, g if math.isfinite(g) else None,
                                       h if math.isfinite(h) else None,
                                       g + h if math.isfinite(g + h) else None))
    cuts.sort(key=lambda c: (c.start_m, c.end_m))
    found = []
    layer = zones_layer(ws, zones)
    if layer is not None:
        zs = read_zones(ws, layer, bbox=bbox)
        for i, spans in enumerate(_intervals(line, np.asarray(zs.geometry.values, dtype=object))):
            for a, b in spans:
                found.append(ProfileZone(str(zs["zone"].iloc[i]), str(zs["reference"].iloc[i]),
                                         float(zs["limit_m"].iloc[i]), a, b))
    found.sort(key=lambda s: (s.start_m, s.end_m))
    return ElevationProfile(float(line.length), d, x, y, z, cuts, found, dem, str(ws.crs))
