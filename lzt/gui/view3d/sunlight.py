"""Sunlight (日照) in the 3D view: the engine's façade hours as coloured points, their colour
classes and legend, and the buildings' shadows on the ground for one instant.

The hours come from the sunlight engine itself (``analyse_buildings``, the same run as
``lzt sunlight``), for the residential buildings around the view's centre or, with a
proposed BIM model, for the neighbours it shades (hours before and after). No Qt here:
meshes for the widget to draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely

from lzt.analysis.sunlight.rule import SunlightRule

AREA_HALF_M = 250.0  # the analysed area around the view's centre without a proposal
STEP_MIN = 1.0  # the engine's defaults (as ``lzt sunlight``)
SPACING_M = 1.0
PATCH_HEIGHT_M = 3.0  # a façade patch: the ground storey, whose sill the rule measures
PATCH_OUT_M = 0.25  # patches stand this far in front of their wall (no z-fighting)
SHADOW_LIFT_M = 0.4  # shadows drawn this far above the terrain (no z-fighting)

#: class colours: below the rule in reds (darker = fewer hours), at or above it in greens
BELOW_COLOURS = ("#7f0000", "#d7301f", "#fc8d59")
ABOVE_COLOURS = ("#d9ef8b", "#91cf60", "#1a9850")


def class_edges(min_hours: float) -> np.ndarray:
    """Upper edges (hours) of the colour classes: three below the rule's minimum (thirds of
    it), then [min, min+1), [min+1, min+2), ≥ min+2."""
    m = float(min_hours)
    return np.array([m / 3, 2 * m / 3, m, m + 1.0, m + 2.0])


def hours_class(hours, min_hours: float) -> np.ndarray:
    """Colour class (0..5) of each hours value; classes 0–2 are below the rule (red)."""
    need = float(min_hours) - 1e-9  # as the engine's PASS test
    h = np.asarray(hours, dtype=float)
    cls = np.searchsorted(class_edges(min_hours)[:2], h, side="right")  # 0, 1, 2 below
    above = h >= need
    cls = np.where(above, 3 + np.searchsorted(class_edges(min_hours)[3:], h, side="right"), cls)
    return cls.astype(np.int64)


def class_colours() -> list[str]:
    """Colour of each class, in class order."""
    return [*BELOW_COLOURS, *ABOVE_COLOURS]


def legend(min_hours: float) -> list[tuple[str, str]]:
    """(colour, label) per class for the legend, hours as h:mm."""
    e = class_edges(min_hours)
    lo = [0.0, *e[:-1]]
    rows = [(c, f"{_hm(a)}–{_hm(b)}") for c, a, b in zip(class_colours()[:-1], lo, e)]
    rows.append((class_colours()[-1], f"≥ {_hm(e[-1])}"))
    return rows


def _hm(h: float) -> str:
    m = int(round(h * 60))
    return f"{m // 60}:{m % 60:02d}"


@dataclass
class FacadeSunlight:
    """One run of the engine for the view: the run and which model is the proposal."""

    run: object  # SunlightRun
    proposed_fid: int | None
    area: tuple[float, float, float, float]

    def hours(self, with_proposal: bool = True) -> np.ndarray:
        """Per receiver hours: after the proposal (``with_proposal``) or before it."""
        if not with_proposal and self.run.hours_before is not None:
            return np.asarray(self.run.hours_before.hours)
        return np.asarray(self.run.hours.hours)


def analyse_view(ws, centre_xy, *, proposed_fid: int | None = None, layer: str = "buildings",
                 half: float = AREA_HALF_M, feedback=None) -> FacadeSunlight:
    """Run the engine for the view: the residential buildings within ``half`` m of
    ``centre_xy`` (workspace CRS), or, with ``proposed_fid``, the neighbours that model shades."""
    from lzt.analysis.sunlight.analyse import analyse_buildings
    from lzt.analysis.sunlight.rule import rule_of

    rule = rule_of(ws)
    day = standard_day(rule)
    cx, cy = centre_xy
    area = (cx - half, cy - half, cx + half, cy + half)
    run = analyse_buildings(ws, layer, day=day, rule=rule, step_min=STEP_MIN, spacing=SPACING_M,
                            proposed=[proposed_fid] if proposed_fid is not None else (),
                            bbox=None if proposed_fid is not None else area, feedback=feedback)
    return FacadeSunlight(run, proposed_fid, area)


def standard_day(rule: SunlightRule, year: int | None = None) -> date:
    """The rule's standard day (大寒 or 冬至) of ``year`` (default: this year)."""
    from lzt.analysis.sun import solar_term_date

    return solar_term_date(rule.standard_day, year or date.today().year)


def receiver_mesh(scene, fs: FacadeSunlight, with_proposal: bool = True):
    """The receivers as façade patches in the scene's local coordinates: one quad per receiver
    on its wall, as wide as the receiver spacing and one storey high (the ground storey the
    rule measures), with cell data ``hours``, ``hours_class``, ``owner`` (building fid) and
    ``x``, ``y`` (the receiver in workspace coordinates)."""
    import pyvista as pv

    from lzt.gui.view3d.scene import _terrain_z

    rec = fs.run.receivers
    if rec is None or not len(rec):
        return None
    x0, y0 = scene.origin
    n = len(rec)
    tx, ty = -rec.ny * SPACING_M / 2, rec.nx * SPACING_M / 2  # along the wall
    cx, cy = rec.x - x0 + rec.nx * PATCH_OUT_M, rec.y - y0 + rec.ny * PATCH_OUT_M
    # on the drawn terrain, as the extruded buildings stand (its lowest point under each building)
    ground = _terrain_z(_terrain_grid(scene), scene.bounds, rec.x, rec.y)
    owners, inv = np.unique(rec.owner, return_inverse=True)
    base = np.full(len(owners), np.inf)
    np.minimum.at(base, inv, ground)
    lo = base[inv] - 0.3
    hi = lo + PATCH_HEIGHT_M
    pts = np.concatenate([np.column_stack([cx - tx, cy - ty, lo]), np.column_stack([cx + tx, cy + ty, lo]),
                          np.column_stack([cx + tx, cy + ty, hi]), np.column_stack([cx - tx, cy - ty, hi])])
    i = np.arange(n)
    faces = np.column_stack([np.full(n, 4), i, i + n, i + 2 * n, i + 3 * n]).ravel()
    mesh = pv.PolyData(pts, faces)
    h = fs.hours(with_proposal)
    mesh.cell_data["hours"] = h
    mesh.cell_data["hours_class"] = hours_class(h, fs.run.rule.min_hours)
    mesh.cell_data["owner"] = np.asarray(rec.owner, dtype=np.int64)
    mesh.cell_data["x"] = np.asarray(rec.x, dtype=float)
    mesh.cell_data["y"] = np.asarray(rec.y, dtype=float)
    return mesh


def sun_at(ws, xy, day: date, hour: float) -> tuple[float, float]:
    """(altitude, grid azimuth) in degrees of the Sun at true solar time ``hour`` over ``xy``."""
    from lzt.analysis.sun import sun_position, true_solar_to_utc
    from lzt.analysis.sunlight.analyse import lonlat_and_convergence

    lon, lat, gamma = lonlat_and_convergence(ws.crs, float(xy[0]), float(xy[1]))
    pos = sun_position(true_solar_to_utc(day, [hour], lon), lat, lon)
    return float(pos.elevation[0]), float((pos.azimuth[0] - gamma) % 360.0)


def shadow_mesh(ws, scene, area, altitude: float, grid_azimuth: float, *, hidden_models=(),
                layer: str = "buildings"):
    """The shadows (engine's ``shadow_polygons``) of the white models in ``area`` and the
    placed BIM models (less ``hidden_models``) for the Sun at ``altitude``/``grid_azimuth``
    (degrees), draped on the scene's terrain; None when the Sun is down or nothing casts."""
    import pandas as pd
    import pyvista as pv

    from lzt.analysis.sunlight.obstacles import height_field
    from lzt.analysis.sunlight.shadows import shadow_polygons
    from lzt.gui.view3d.scene import _terrain_z

    if altitude <= 0:
        return None
    tan_alt = float(np.tan(np.radians(altitude)))
    reach = min(2000.0, 150.0 / tan_alt)
    x0, y0, x1, y1 = area
    box = (x0 - reach, y0 - reach, x1 + reach, y1 + reach)
    geoms, heights = [], []
    bim = None
    if ws.has_layer("bim_models"):
        bim = ws.read_features("bim_models", bbox=box, columns=["placed", "base_z", "top_z"])
        bim = bim[bim["placed"].astype(bool) & ~bim.geometry.isna()]
    hf = height_field(ws.fields(layer)) if ws.has_layer(layer) else None
    if hf is not None:
        gdf = ws.read_features(layer, bbox=box, columns=[hf[0]])
        g = np.asarray(gdf.geometry.values, dtype=object)
        h = pd.to_numeric(gdf[hf[0]], errors="coerce").to_numpy(float) * hf[1]
        if bim is not None and len(bim) and len(g):  # a site shown by a BIM model: the engine's rule
            from lzt.analysis.sunlight.obstacles import covered_by

            under = covered_by(g, {int(f): _Footprint(p) for f, p in bim.geometry.items()})
            g, h = g[~under], h[~under]
        geoms.append(g)
        heights.append(h)
    if bim is not None:
        bim = bim[~bim.index.isin(list(hidden_models))]
        geoms.append(np.asarray(bim.geometry.values, dtype=object))
        heights.append((bim["top_z"] - bim["base_z"]).to_numpy(float))
    if not geoms:
        return None
    shadows = shadow_polygons(np.concatenate(geoms), np.concatenate(heights), np.radians(grid_azimuth), tan_alt)
    shadows = [s for s in shadows if s is not None]
    if not shadows:
        return None
    union = shapely.union_all(shapely.make_valid(np.asarray(shadows, dtype=object)))
    union = shapely.intersection(union, shapely.box(*scene.bounds))
    tri = shapely.get_parts(shapely.constrained_delaunay_triangles(union))
    if not len(tri):
        return None
    xy = shapely.get_coordinates(shapely.get_exterior_ring(tri)).reshape(-1, 4, 2)[:, :3].reshape(-1, 2)
    z = _terrain_z(_terrain_grid(scene), scene.bounds, xy[:, 0], xy[:, 1]) + SHADOW_LIFT_M
    pts = np.column_stack([xy - scene.origin, z])
    faces = np.column_stack([np.full(len(tri), 3), np.arange(len(xy)).reshape(-1, 3)]).ravel()
    return pv.PolyData(pts, faces)


@dataclass
class _Footprint:
    """A BIM model's footprint, as ``covered_by`` reads it."""

    footprint: object


def _terrain_grid(scene) -> np.ndarray | None:
    """The drawn terrain's heights as a (ny, nx) grid, row 0 north (as ``dem_heights``)."""
    t = scene.terrain
    if t is None:
        return None
    rows, cols, _ = t.dimensions  # built from (ny, nx) arrays, points in Fortran order
    return np.asarray(t.points[:, 2]).reshape((rows, cols), order="F")
