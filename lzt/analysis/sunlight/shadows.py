"""Shadows at one instant (阴影): each white model's shadow on the level ground at its base.

A prism h high casts, with the Sun at grid azimuth az and altitude alt, its footprint moved by
d = −h / tan(alt) · (sin az, cos az); the shadow is the footprint swept along d — the union
of the footprint, its moved copy and one quadrilateral per wall. For a convex footprint that
is the convex hull of the two copies. Slopes of the ground are not followed (the plane of the
building's base), and BIM models cast their footprint × height.
"""

from __future__ import annotations

import numpy as np
import shapely
import shapely.affinity


def shadow_polygons(footprints, heights, azimuth: float, tan_alt: float) -> np.ndarray:
    """Shadow polygon of each footprint extruded by ``heights`` (metres above its base) for the
    Sun at grid ``azimuth`` (radians) with tan(altitude) ``tan_alt`` > 0; None where a height
    is missing or not positive."""
    geoms = np.asarray(footprints, dtype=object)
    h = np.asarray(heights, dtype=float)
    out = np.full(len(geoms), None, dtype=object)
    ok = np.isfinite(h) & (h > 0) & ~shapely.is_missing(geoms)
    if not ok.any() or not tan_alt > 0:
        return out
    length = h / tan_alt
    dx, dy = -length * np.sin(azimuth), -length * np.cos(azimuth)
    idx = np.flatnonzero(ok)
    moved = np.array([shapely.affinity.translate(g, x, y) for g, x, y in zip(geoms[idx], dx[idx], dy[idx])],
                     dtype=object)
    hull = shapely.convex_hull(geoms[idx])
    convex = np.isclose(shapely.area(hull), shapely.area(geoms[idx]), rtol=1e-9, atol=1e-6)
    both = shapely.convex_hull(shapely.union(geoms[idx], moved))
    out[idx[convex]] = both[convex]
    for k in np.flatnonzero(~convex):
        i = idx[k]
        out[i] = _swept(geoms[i], dx[i], dy[i], moved[k])
    return out


def _swept(geom, dx: float, dy: float, moved):
    """The footprint swept along (dx, dy): both copies and a quadrilateral per edge."""
    parts = [geom, moved]
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        c = shapely.get_coordinates(ring)
        a, b = c[:-1], c[1:]
        quads = shapely.polygons(np.stack([a, b, b + [dx, dy], a + [dx, dy], a], axis=1))  # parallelograms
        parts.extend(quads[shapely.area(quads) > 1e-9])
    return shapely.union_all(parts)


def shadow_layer(ws, layer: str, *, where: str | None, day, hour: float, feedback=None):
    """Shadows of ``layer``'s buildings (all, or ``where``) and the placed BIM models at true
    solar time ``hour`` on ``day``: (GeoDataFrame, sun facts dict, problems)."""
    import geopandas as gpd
    import pandas as pd

    from lzt.analysis.sun import sun_position, true_solar_to_utc
    from lzt.analysis.sunlight.analyse import ID_FIELDS, lonlat_and_convergence
    from lzt.analysis.sunlight.obstacles import height_field
    from lzt.core.errors import LztInputError
    from lzt.core.feedback import ensure
    from lzt.query.expr import parse

    fb = ensure(feedback)
    if not ws.has_layer(layer):
        raise LztInputError(layer, "no such layer in the workspace")
    ext = ws.layer(layer).extent
    lon, lat, gamma = lonlat_and_convergence(ws.crs, (ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2)
    pos = sun_position(true_solar_to_utc(day, [hour], lon), lat, lon)
    alt, az = float(pos.elevation[0]), float(pos.azimuth[0])
    if alt <= 0:
        raise LztInputError("--at", f"the Sun is below the horizon at {hour:.2f} h true solar time on {day}")
    sun = {"day": day.isoformat(), "true_solar_time": hour, "altitude_deg": round(alt, 3),
           "azimuth_deg": round(az, 3), "grid_azimuth_deg": round((az - gamma) % 360.0, 3)}
    fields = ws.fields(layer)
    hf = height_field(fields)
    idf = next((c for c in ID_FIELDS if c in fields), None)
    fb.progress(0, 2, "读取建筑")
    gdf = ws.read_features(layer, where=parse(where, fields=fields) if where else None,
                           columns=[c for c in (idf, hf[0] if hf else None) if c])
    heights = (pd.to_numeric(gdf[hf[0]], errors="coerce").to_numpy(float) * hf[1]) if hf else np.full(len(gdf), np.nan)
    ids = gdf[idf].astype(str).to_numpy() if idf else gdf.index.astype(str).to_numpy()
    kinds = np.full(len(gdf), "白模", dtype=object)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    if ws.has_layer("bim_models"):
        bim = ws.read_features("bim_models", columns=["name", "placed", "base_z", "top_z"])
        bim = bim[bim["placed"].astype(bool) & ~bim.geometry.isna()]
        geoms = np.concatenate([geoms, np.asarray(bim.geometry.values, dtype=object)])
        heights = np.concatenate([heights, (bim["top_z"] - bim["base_z"]).to_numpy(float)])
        ids = np.concatenate([ids, bim["name"].astype(str).to_numpy()])
        kinds = np.concatenate([kinds, np.full(len(bim), "BIM", dtype=object)])
    fb.progress(1, 2, f"计算阴影（{len(geoms)} 栋）")
    shadows = shadow_polygons(geoms, heights, np.radians(sun["grid_azimuth_deg"]), np.tan(np.radians(alt)))
    missing = np.array([s is None for s in shadows], dtype=bool)
    problems = [f"{layer}: {int(missing.sum())} 栋建筑没有高度，没有阴影"] if missing.any() else []
    keep = ~missing
    out = gpd.GeoDataFrame({"building": ids[keep], "kind": kinds[keep], "height_m": np.round(heights[keep], 3),
                            "shadow_m": np.round(heights[keep] / np.tan(np.radians(alt)), 3)},
                           geometry=list(shadows[keep]), crs=ws.crs)
    fb.progress(2, 2, "完成")
    return out, sun, problems
