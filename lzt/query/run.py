"""Spatial queries through the workspace's spatial index.

A query narrows the candidates with the R-tree (bbox, distance box, the boxes
of another layer's features), filters attributes in SQL (the expression
language compiles to parameters), materialises only the candidate rows and
columns asked for, and applies the exact predicate with shapely (vectorised,
STRtree for another layer).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.query import expr as exprmod
from lzt.workspace.base import Bounds
from lzt.workspace.base import Workspace
from lzt.core.lazy import lazy_module

gpd = lazy_module("geopandas")
shapely = lazy_module("shapely")

LAYER_PREDICATES = ("intersects", "within", "contains")


@dataclass(frozen=True)
class QuerySpec:
    """One query. Every given constraint must hold (they are AND-ed)."""

    layer: str
    bbox: Bounds | None = None
    intersects: str | None = None  # another layer
    within: str | None = None
    contains: str | None = None
    other_where: str | None = None  # subset of that other layer
    dwithin: tuple[float, float, float] | None = None  # x, y, metres
    nearest: tuple[float, float, int] | None = None  # x, y, k
    where: str | None = None  # CQL2 text
    columns: tuple[str, ...] | None = None
    limit: int | None = None


@dataclass
class QueryResult:
    features: gpd.GeoDataFrame  # index: fid; "distance" column for nearest
    seconds: float

    @property
    def count(self) -> int:
        return len(self.features)


def run_query(ws: Workspace, spec: QuerySpec) -> QueryResult:
    """Run ``spec`` against workspace ``ws``."""
    t0 = time.perf_counter()
    # The layer's catalogue row only where it is needed (nearest): every read below checks that
    # the layer exists and is a vector layer itself, and on PostGIS each ask is a round trip.
    info = ws.layer(spec.layer) if spec.nearest is not None else None
    if info is not None and info.kind == LayerKind.RASTER:
        raise LztInputError(ws.uri, f"layer {spec.layer!r} is a raster; queries need a vector layer")
    attr, spatial = _parse_where(ws, spec.layer, spec.where, "--where")
    for name, value in (("--bbox", spec.bbox), ("--dwithin", spec.dwithin), ("--nearest", spec.nearest)):
        if value is not None and not all(math.isfinite(v) for v in value):
            raise LztInputError(name, "coordinates must be finite numbers")
    if spec.dwithin is not None and spec.dwithin[2] < 0:
        raise LztInputError("--dwithin", "the distance must not be negative")
    if spec.nearest is not None and int(spec.nearest[2]) < 1:
        raise LztInputError("--nearest", "K must be at least 1")

    # Exact geometric tests to apply after reading, and the boxes that bound them.
    tests: list[tuple[str, object, float | None]] = []
    boxes: list[Bounds] = []
    if spec.bbox is not None:
        minx, miny, maxx, maxy = spec.bbox
        if minx > maxx or miny > maxy:
            raise LztInputError("--bbox", "expected MINX,MINY,MAXX,MAXY with MIN <= MAX")
        tests.append(("intersects", shapely.box(*spec.bbox), None))
        boxes.append(spec.bbox)
    if spec.dwithin is not None:
        x, y, d = spec.dwithin
        tests.append(("dwithin", shapely.Point(x, y), d))
        boxes.append((x - d, y - d, x + d, y + d))
    for term in spatial:
        tests.append((term.op, term.geometry, term.distance))
        if term.op != "disjoint":
            gb = shapely.bounds(term.geometry)
            pad = term.distance or 0.0
            boxes.append((gb[0] - pad, gb[1] - pad, gb[2] + pad, gb[3] + pad))
    bbox = _intersect_boxes(boxes) if boxes else None
    if boxes and bbox is None:
        return QueryResult(_empty(ws, spec), time.perf_counter() - t0)

    # Another layer: candidates through the R-tree with its features' boxes.
    others = [(p, getattr(spec, p)) for p in LAYER_PREDICATES if getattr(spec, p)]
    if len(others) > 1:
        raise LztInputError("lzt query", "give only one of --intersects, --within, --contains")
    fids = None
    other_tree = None
    if others:
        pred, other = others[0]
        og = _other_geometries(ws, other, spec.other_where)
        if bbox is not None:
            og = og[shapely.intersects(og, shapely.box(*bbox))] if pred != "within" else og
        if len(og) == 0:
            return QueryResult(_empty(ws, spec), time.perf_counter() - t0)
        fids = ws.fids_in_bboxes(spec.layer, shapely.bounds(og))
        other_tree = (pred, shapely.STRtree(og))

    columns = list(spec.columns) if spec.columns else None
    if spec.nearest is not None:
        gdf = _nearest(ws, spec, info, attr, bbox, fids, tests, other_tree, columns)
    else:
        gdf = ws.read_features(spec.layer, fids=fids, bbox=bbox, where=attr, columns=columns)
        gdf = _exact(gdf, tests, other_tree)
        if spec.limit is not None:
            gdf = gdf.iloc[: spec.limit]
    return QueryResult(gdf, time.perf_counter() - t0)


def _parse_where(ws, layer: str, text: str | None, source: str):
    if not text:
        return None, []
    e = exprmod.parse(text, fields=ws.fields(layer), source=source)
    attr, spatial = exprmod.split_spatial(e)
    return attr, spatial


def _other_geometries(ws, layer: str, where: str | None) -> np.ndarray:
    ws.layer(layer)
    attr, spatial = _parse_where(ws, layer, where, "--other-where")
    g = ws.read_features(layer, where=attr, columns=[])
    g = _exact(g, [(s.op, s.geometry, s.distance) for s in spatial], None)
    geoms = np.asarray(g.geometry.values, dtype=object)
    keep = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    return geoms[keep]


def _exact(gdf: gpd.GeoDataFrame, tests, other_tree) -> gpd.GeoDataFrame:
    if not tests and other_tree is None or len(gdf) == 0:
        return gdf
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    keep = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    for op, g, d in tests:
        shapely.prepare(g)
        if op == "dwithin":
            keep &= shapely.dwithin(geoms, g, d)
        else:
            keep &= getattr(shapely, op)(geoms, g)  # intersects, within ... (the parser's names)
    if other_tree is not None and keep.any():
        pred, tree = other_tree
        idx = np.flatnonzero(keep)
        hit = np.unique(tree.query(geoms[idx], predicate=pred)[0])
        mask = np.zeros(len(idx), dtype=bool)
        mask[hit] = True
        keep[idx] = mask
    return gdf if keep.all() else gdf[keep]  # (a window's rows usually all pass: no copy then)


def _nearest(ws, spec, info, attr, bbox, fids, tests, other_tree, columns) -> gpd.GeoDataFrame:
    x, y, k = spec.nearest[0], spec.nearest[1], int(spec.nearest[2])
    if info.count == 0 or info.extent is None:
        return _empty(ws, spec)
    ex = info.extent
    width, height = max(ex[2] - ex[0], 1.0), max(ex[3] - ex[1], 1.0)
    density = info.count / (width * height)
    r = max(1.0, math.sqrt(4 * k / (density * math.pi)))
    far = math.hypot(max(abs(x - ex[0]), abs(x - ex[2])), max(abs(y - ex[1]), abs(y - ex[3])))
    point = shapely.Point(x, y)
    while True:
        box = (x - r, y - r, x + r, y + r)
        if bbox is not None:
            box = _intersect_boxes([box, bbox])
        gdf = (ws.read_features(spec.layer, fids=fids, bbox=box, where=attr, columns=columns)
               if box is not None else _empty(ws, spec))
        gdf = _exact(gdf, tests, other_tree)
        dist = shapely.distance(np.asarray(gdf.geometry.values, dtype=object), point)
        order = np.argsort(dist, kind="stable")
        if (len(order) >= k and dist[order[k - 1]] <= r) or r > far:
            top = order[:k]
            out = gdf.iloc[top].copy()
            out["distance"] = dist[top]
            return out
        r *= 2.0


def _intersect_boxes(boxes: list[Bounds]) -> Bounds | None:
    minx = max(b[0] for b in boxes)
    miny = max(b[1] for b in boxes)
    maxx = min(b[2] for b in boxes)
    maxy = min(b[3] for b in boxes)
    if minx > maxx or miny > maxy:
        return None
    return (minx, miny, maxx, maxy)


def _empty(ws, spec) -> gpd.GeoDataFrame:
    return ws.read_features(spec.layer, columns=list(spec.columns) if spec.columns else None, limit=0)
