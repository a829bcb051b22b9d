"""Sunlight analysis over a workspace: read buildings, BIM models and the DEM, sample the
receivers, run the horizon test with and without the proposed models."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import shapely

from lzt.analysis.sunlight.obstacles import Obstacles, covered_by, prism_segments, read_buildings, read_models
from lzt.analysis.sunlight.receivers import Receivers, facade_receivers, point_receivers
from lzt.analysis.sunlight.rule import SunlightRule
from lzt.analysis.sunlight.run import (MAX_REACH_M, BuildingResult, ReceiverHours, building_results,
                                       compare_results, horizons, lit, receiver_hours, sun_samples,
                                       terrain_tans)
from lzt.analysis.terrain import load_terrain
from lzt.core.errors import LztInputError
from lzt.core.feedback import ensure

RESIDENTIAL = ("住宅",)
ID_FIELDS = ("building_id", "编号", "id", "name")


@dataclass
class SunlightRun:
    """Everything a front end shows: the results, the rule and what had to be left out."""

    day: date
    rule: SunlightRule
    step_min: float
    results: list
    problems: list[str] = field(default_factory=list)
    receivers: Receivers | None = None
    hours: object = None  # ReceiverHours (after the proposal when there is one)
    hours_before: object = None
    proposed: list[str] = field(default_factory=list)

    def impacted(self) -> list[BuildingResult]:
        """Neighbours that pass without the proposed models and fail with them."""
        return [r for r in self.results if r.status_before == "PASS" and r.status == "FAIL"]


def lonlat_and_convergence(crs: str, x: float, y: float) -> tuple[float, float, float]:
    """(lon, lat) of a workspace point and the meridian convergence there (degrees, grid
    north's angle east of true north)."""
    from pyproj import CRS, Proj, Transformer

    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
    try:
        gamma = float(Proj(CRS.from_user_input(crs)).get_factors(lon, lat).meridian_convergence)
    except Exception:  # a CRS pyproj cannot factor: true north = grid north
        gamma = 0.0
    return float(lon), float(lat), gamma


def resolve_models(ws, names, layer: str = "bim_models") -> list[int]:
    """BIM model fids from fids or names; unknown ones are bad input."""
    if not names:
        return []
    if not ws.has_layer(layer):
        raise LztInputError("--proposed", f"the workspace has no {layer} layer")
    table = ws.read_features(layer, columns=["name"], geometry=False)
    by_name = {str(n): int(f) for f, n in table["name"].items()}
    out = []
    for n in names:
        n = str(n).strip()
        if n in by_name:
            out.append(by_name[n])
        elif n.isdigit() and int(n) in table.index:
            out.append(int(n))
        else:
            raise LztInputError("--proposed", f"no BIM model {n!r} in {layer}")
    return out


def _where(ws, layer: str, where: str | None):
    from lzt.query.expr import parse

    fields = ws.fields(layer)
    if where:
        return parse(where, fields=fields)
    if "use" in fields:  # residential buildings by default
        return parse("use = '住宅'", fields=fields)
    return None


def _labels(gdf) -> dict:
    col = next((c for c in ID_FIELDS if c in gdf.columns), None)
    return {int(f): (str(v) if col else int(f)) for f, v in (gdf[col].items() if col else zip(gdf.index, gdf.index))}


def analyse_buildings(ws, layer: str, *, where: str | None = None, day: date, rule: SunlightRule,
                      step_min: float = 1.0, spacing: float = 1.0, proposed=(), bbox=None,
                      feedback=None) -> SunlightRun:
    """Sunlight on the façades of ``layer``'s buildings (residential by default, or ``where``);
    ``bbox`` (minx, miny, maxx, maxy): only the buildings there (the 3D view's area), when no
    proposal picks them.

    With ``proposed`` models the analysed buildings are the neighbours the proposal shades
    (at least one façade point loses an instant of sun it would otherwise face), each before
    and after; the proposal's own site (a white model under it) is not its neighbour."""
    fb = ensure(feedback)
    if not ws.has_layer(layer):
        raise LztInputError(layer, "no such layer in the workspace")
    expr = _where(ws, layer, where)
    prop = resolve_models(ws, proposed)
    problems: list[str] = []
    fb.progress(0, 4, "读取建筑")
    extent = tuple(bbox) if bbox is not None else ws.layer(layer).extent
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    if prop:
        pm = ws.read_features("bim_models", fids=prop)
        b = pm.total_bounds
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    lon, lat, gamma = lonlat_and_convergence(ws.crs, cx, cy)
    sun = sun_samples(day, rule, step_min, lat, lon, gamma)
    reach = min(MAX_REACH_M, 300.0 / sun.tan_alt_min)
    if prop:
        # candidates only: the exact shadow of the proposal picks the neighbours below
        top = float(np.nanmax(pm["height_m"].astype(float))) if "height_m" in pm else 150.0
        r = min(MAX_REACH_M, (np.nan_to_num(top, nan=150.0) + 50.0) / sun.tan_alt_min)
        area = (b[0] - r, b[1] - r, b[2] + r, b[3] + r)
    else:
        area = tuple(extent)
    targets = ws.read_features(layer, bbox=area, where=expr, columns=[c for c in ID_FIELDS
                                                                       if c in ws.fields(layer)][:1] or None)
    targets = targets[~targets.geometry.isna() & ~targets.geometry.is_empty]
    tb = targets.total_bounds if len(targets) else area
    obs_box = (tb[0] - reach, tb[1] - reach, tb[2] + reach, tb[3] + reach)
    terrain = load_terrain(ws, obs_box)
    fb.check()
    blds = read_buildings(ws, layer, obs_box, terrain)
    models = read_models(ws, obs_box, terrain)
    for f in prop:
        if f not in models:
            raise LztInputError("--proposed", f"BIM model {f} has no placed mesh in the workspace")
    obstacles = obstacles_of(blds, models)
    if obstacles.no_height:
        problems.append(f"{layer}: {len(obstacles.no_height)} 栋建筑没有高度，未计入遮挡（如 fid "
                        f"{', '.join(map(str, obstacles.no_height[:5]))}）")
    # receivers: the targets that are not shown by a BIM model (a proposal is not its own neighbour)
    base = blds["base_z"].reindex(targets.index)
    keep = ~covered_by(targets.geometry.values, {k: m for k, m in models.items() if k in prop})
    tgt = targets[keep]
    rec = facade_receivers(tgt.index.to_numpy(), tgt.geometry.values, base[keep].fillna(0.0).to_numpy(),
                           spacing=spacing, sill=rule.sill_height_m)
    rec = _outside_others(rec, blds, models, problems)
    seg_prop = obstacles.segments(only_models=prop) if prop else None
    if prop:
        fb.progress(1, 4, f"拟建方案的阴影（{len(rec)} 个候选采样点）")
        shaded = np.zeros(len(rec), dtype=bool)
        free = np.full((1, len(sun.azimuth)), -np.inf)
        for sl in receiver_batches(rec):
            part = rec.take(sl)
            hp = horizons(part, sun, seg_prop, feedback=fb)
            shaded[sl] = (lit(part, sun, free) & (sun.tan_alt[None, :] <= hp)).any(axis=1)
        rec = rec.take(np.flatnonzero(np.isin(rec.owner, np.unique(rec.owner[shaded]))))
    fb.progress(2, 4, f"计算遮挡（{len(rec)} 个采样点）")
    before, after = hours_in_batches(rec, sun, obstacles.segments(skip_models=prop), seg_prop, terrain, fb)
    labels = _labels(tgt)
    results = compare_results(rec, before, after, rule, labels) if prop else building_results(rec, before, rule,
                                                                                               labels)
    fb.progress(4, 4, "完成")
    names = [models[f].name for f in prop]
    return SunlightRun(day, rule, step_min, results, problems, rec, after or before, before if prop else None, names)


def _outside_others(rec: Receivers, blds, models, problems: list[str]) -> Receivers:
    """Drop façade points standing inside another building or a BIM model (a shared wall has
    no window), saying how many."""
    solids = list(blds.geometry.values) + [m.footprint for m in models.values()]
    if not len(rec) or not solids:
        return rec
    ids = np.concatenate([blds.index.to_numpy(dtype=np.int64), np.full(len(models), -1, dtype=np.int64)])
    pi, si = shapely.STRtree(solids).query(shapely.points(rec.x, rec.y), predicate="within")
    bad = np.zeros(len(rec), dtype=bool)
    bad[pi[ids[si] != rec.owner[pi]]] = True
    if bad.any():
        problems.append(f"{int(bad.sum())} 个立面采样点落在相邻建筑或 BIM 模型内（共墙等），未计入")
    return rec.take(np.flatnonzero(~bad))


BATCH = 20_000  # receivers per pass: (receivers × instants) horizons stay ~100 MB


def receiver_batches(rec: Receivers):
    """Slices of ``rec`` of about BATCH receivers, never splitting a building (its receivers
    are contiguous)."""
    n = len(rec)
    start = 0
    while start < n:
        end = min(n, start + BATCH)
        while 0 < end < n and rec.owner[end] == rec.owner[end - 1]:
            end += 1
        yield slice(start, end)
        start = end


def hours_in_batches(rec: Receivers, sun, segments, seg_prop, terrain,
                     fb) -> tuple[ReceiverHours, ReceiverHours | None]:
    """Receiver hours with ``segments`` (and with ``seg_prop`` added when given), in batches."""
    parts, parts_after = [], []
    for sl in receiver_batches(rec):
        part = rec.take(sl)
        fb.progress(sl.start, len(rec), f"计算遮挡（{len(rec)} 个采样点）")
        hor = horizons(part, sun, segments, feedback=fb)
        ttan = terrain_tans(part, sun, terrain)
        parts.append(receiver_hours(part, sun, hor, ttan))
        if seg_prop is not None:
            hor = np.maximum(hor, horizons(part, sun, seg_prop, feedback=fb))
            parts_after.append(receiver_hours(part, sun, hor, ttan))
    return ReceiverHours.concat(parts), (ReceiverHours.concat(parts_after) if seg_prop is not None else None)


def obstacles_of(blds, models) -> Obstacles:
    """White models not shown by a BIM model, as prisms; the BIM models as meshes."""
    under = covered_by(blds.geometry.values, models)
    obstacles = Obstacles(models=models)
    for fid, geom, top, ok in zip(blds.index, blds.geometry.values, blds["top_z"].to_numpy(), ~under):
        if not ok:
            continue
        if np.isnan(top):
            obstacles.no_height.append(int(fid))
            continue
        obstacles.buildings[int(fid)] = prism_segments(geom, top)
    return obstacles


def analyse_points(ws, layer: str, *, day: date, rule: SunlightRule, step_min: float = 1.0,
                   buildings: str | None = "buildings", proposed=(), feedback=None) -> SunlightRun:
    """Sunlight at the points of ``layer`` (z from the geometry, else ground + sill height).
    A point inside a building footprint is reported and left out."""
    fb = ensure(feedback)
    if not ws.has_layer(layer):
        raise LztInputError(layer, "no such layer in the workspace")
    pts = ws.read_features(layer)
    pts = pts[~pts.geometry.isna() & ~pts.geometry.is_empty]
    if len(pts) and not (pts.geom_type == "Point").all():
        raise LztInputError(layer, "--points needs a point layer")
    if not len(pts):
        raise LztInputError(layer, "the layer has no points")
    prop = resolve_models(ws, proposed)
    b = pts.total_bounds
    lon, lat, gamma = lonlat_and_convergence(ws.crs, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    sun = sun_samples(day, rule, step_min, lat, lon, gamma)
    reach = min(MAX_REACH_M, 300.0 / sun.tan_alt_min)
    box = (b[0] - reach, b[1] - reach, b[2] + reach, b[3] + reach)
    terrain = load_terrain(ws, box)
    geoms = np.asarray(pts.geometry.values, dtype=object)
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    z = shapely.get_z(geoms) if shapely.has_z(geoms).all() else terrain.height(x, y) + rule.sill_height_m
    models = read_models(ws, box, terrain)
    obstacles, problems = Obstacles(models=models), []
    blds = None
    if buildings and ws.has_layer(buildings):
        blds = read_buildings(ws, buildings, box, terrain)
        obstacles = obstacles_of(blds, models)
        if obstacles.no_height:
            problems.append(f"{buildings}: {len(obstacles.no_height)} 栋建筑没有高度，未计入遮挡（如 fid "
                            f"{', '.join(map(str, obstacles.no_height[:5]))}）")
    inside = np.zeros(len(pts), dtype=bool)
    solids = [g for g in ([] if blds is None else list(blds.geometry.values)) + [m.footprint for m in models.values()]]
    if solids:
        tree = shapely.STRtree(solids)
        hit, _ = tree.query(geoms, predicate="within")
        inside[np.unique(hit)] = True
    for f in pts.index[inside]:
        problems.append(f"{layer}: 点 {f} 在建筑内部，未分析")
    ok = ~inside
    rec = point_receivers(pts.index.to_numpy()[ok], x[ok], y[ok], z[ok])
    fb.progress(1, 3, f"计算遮挡（{len(rec)} 个点）")
    hor = horizons(rec, sun, obstacles.segments(skip_models=prop), feedback=fb)
    ttan = terrain_tans(rec, sun, terrain)
    before = receiver_hours(rec, sun, hor, ttan)
    after = None
    if prop:
        hp = horizons(rec, sun, obstacles.segments(only_models=prop), feedback=fb)
        after = receiver_hours(rec, sun, np.maximum(hor, hp), ttan)
    need = rule.min_hours - 1e-9
    results = []
    final = after or before
    for i in range(len(rec)):
        d = {"point": int(rec.owner[i]), "hours": round(float(final.hours[i]), 4),
             "max_continuous_hours": round(float(final.continuous[i]), 4),
             "status": "PASS" if final.hours[i] >= need else "FAIL",
             "xyz": [round(float(rec.x[i]), 3), round(float(rec.y[i]), 3), round(float(rec.z[i]), 3)]}
        if after is not None:
            d.update(hours_before=round(float(before.hours[i]), 4), hours_after=round(float(after.hours[i]), 4),
                     status_before="PASS" if before.hours[i] >= need else "FAIL")
        results.append(d)
    fb.progress(3, 3, "完成")
    return SunlightRun(day, rule, step_min, results, problems, rec, final, before if prop else None,
                       [models[f].name for f in prop if f in models])
