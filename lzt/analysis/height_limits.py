"""Height-limit zones (控高): polygons that cap building heights, either as an absolute
elevation of the top (绝对高程, the DEM's height datum, e.g. 1985国家高程基准) or as a height
above the ground (相对地面). Checked against the white models and the BIM models, with the
DEM for the ground under each (see structures.py).

A structure is bound by every zone its footprint overlaps (by area); the binding zone is the
one leaving it the least height above its ground. Exactly the limit passes; over it within
the supervision height tolerance is WARN.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.workspace.base import Workspace

DEFAULT_LAYER = "height_limits"
LIMIT_FIELDS = ("height_limit_m", "limit_m", "控高", "限高", "控制高度", "height_max")
REFERENCE_FIELDS = ("reference", "height_reference", "高度基准", "基准")
NAME_FIELDS = ("zone_id", "name", "名称", "编号")
ABSOLUTE_WORDS = ("absolute", "elevation", "绝对", "海拔", "高程")
GROUND_WORDS = ("ground", "above_ground", "relative", "相对", "地面")
HEIGHT_TOLERANCE_M = 0.01
REFERENCE_ZH = {"absolute": "绝对高程", "ground": "相对地面"}


def parse_reference(value, where: str) -> str:
    """``absolute`` or ``ground`` from a zone's reference value (English or Chinese); empty
    means above ground."""
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip().lower()
    if not text or any(w in text for w in GROUND_WORDS):
        return "ground"
    if any(w in text for w in ABSOLUTE_WORDS):
        return "absolute"
    raise LztInputError(where, f"height reference {value!r} is neither 绝对高程 (absolute) nor 相对地面 (ground)")


def zones_layer(ws: Workspace, layer: str | None = None) -> str | None:
    """The height-limit zone layer: ``layer`` (checked), else ``height_limits``, else the only
    polygon layer with a limit field (``height_limit_m``, 控高, 限高 …); None when there is none."""
    if layer is not None:
        if not ws.has_layer(layer):
            raise LztInputError(ws.uri, f"has no layer {layer!r}")
        if not any(f in ws.fields(layer) for f in LIMIT_FIELDS):
            raise LztInputError(layer, f"has no height-limit field (one of {', '.join(LIMIT_FIELDS[:5])})")
        return layer
    if ws.has_layer(DEFAULT_LAYER):
        return DEFAULT_LAYER
    found = [i.name for i in ws.layers() if i.kind in ("vector",) and "Polygon" in str(i.geometry_type or "")
             and any(f in ws.fields(i.name) for f in LIMIT_FIELDS[:5])]
    return found[0] if len(found) == 1 else None


def read_zones(ws: Workspace, layer: str, *, bbox=None) -> gpd.GeoDataFrame:
    """The zones of ``layer``: zone (name), limit_m, reference (absolute | ground), geometry.
    A zone without a positive limit is bad input naming the layer and the zone."""
    fields = ws.fields(layer)
    lf = next(f for f in LIMIT_FIELDS if f in fields)
    rf = next((f for f in REFERENCE_FIELDS if f in fields), None)
    nf = next((f for f in NAME_FIELDS if f in fields), None)
    z = ws.read_features(layer, bbox=tuple(bbox) if bbox is not None else None, columns=[c for c in (lf, rf, nf) if c])
    if z.empty:
        return gpd.GeoDataFrame({"zone_fid": [], "zone": [], "limit_m": [], "reference": []}, geometry=[], crs=ws.crs)
    z = z[~z.geometry.isna() & ~z.geometry.is_empty]
    names = [str(v) for v in z[nf]] if nf else [f"{layer}#{f}" for f in z.index]
    limit = pd.to_numeric(z[lf], errors="coerce").to_numpy(float)
    bad = ~(limit > 0)
    if bad.any():
        raise LztInputError(layer, f"zone {names[int(np.argmax(bad))]} has no usable height limit in {lf!r}")
    ref = [parse_reference(v, f"{layer} zone {n}") for v, n in zip(z[rf] if rf else [None] * len(z), names)]
    return gpd.GeoDataFrame({"zone_fid": z.index.astype(int), "zone": names, "limit_m": limit, "reference": ref},
                            geometry=z.geometry.values, crs=ws.crs)


@dataclass(frozen=True)
class HeightCheck:
    """One structure against the zone that binds it."""

    kind: str  # building | bim
    layer: str
    fid: int
    id: str
    zone: str
    reference: str  # absolute | ground
    limit_m: float  # as the zone states it (an elevation or a height)
    ground_z: float | None  # DEM under the structure
    height_m: float | None  # above its ground
    top_z: float | None  # absolute elevation of its top
    allowed_height_m: float | None  # the limit as a height above this structure's ground
    margin_m: float | None  # allowed - height (negative: over the limit)
    status: str  # PASS | WARN | FAIL | NO_DATA
    detail: str
    zones: int = 1  # how many zones the footprint overlaps

    def to_json(self) -> dict:
        def clean(v):
            if isinstance(v, float):
                return None if math.isnan(v) else round(v, 3)
            return v
        return {k: clean(v) for k, v in asdict(self).items()}


def allowed_heights(limit_m, reference, ground_z) -> np.ndarray:
    """The zone limit as a height above the ground: the limit itself for ``ground`` zones,
    limit − ground elevation for ``absolute`` ones (NaN when the ground is unknown)."""
    limit, ground = np.asarray(limit_m, float), np.asarray(ground_z, float)
    return np.where(np.asarray(reference) == "absolute", limit - ground, limit)


def _float(v) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def check_height_limits(ws: Workspace, *, zones: str | None = None, buildings: str | None = "buildings",
                        bim: str | None = "bim_models", tolerance_m: float | None = None,
                        feedback: Feedback | None = None) -> list[HeightCheck]:
    """Every white model and BIM model overlapping a height-limit zone, against its binding
    zone (see the module docstring); sorted worst first (FAIL, WARN, NO_DATA, PASS; by margin)."""
    from lzt.analysis.structures import read_structures

    fb = ensure(feedback)
    layer = zones_layer(ws, zones)
    if layer is None:
        raise LztInputError(ws.uri, f"has no height-limit zone layer (name one with --zones, or import one as "
                                    f"{DEFAULT_LAYER!r} with a height_limit_m field)")
    if tolerance_m is None:  # the supervision height tolerance (its default: 0.01 m, DOMAIN §1.5)
        tolerance_m = float((ws.get_setting("supervision_tolerances") or {}).get("height_m", HEIGHT_TOLERANCE_M))
    tol = float(tolerance_m)
    fb.progress(0, 3, "读取控高分区")
    zs = read_zones(ws, layer)
    if zs.empty:
        return []
    fb.progress(1, 3, "读取建筑与 BIM 模型")
    st = read_structures(ws, bbox=tuple(zs.total_bounds), buildings=buildings, bim=bim,
                         near=shapely.union_all(np.asarray(zs.geometry.values, dtype=object)))
    if st.empty:
        return []
    fb.progress(2, 3, "核对控高")
    geoms = np.asarray(st.geometry.values, dtype=object)
    zg = np.asarray(zs.geometry.values, dtype=object)
    si, zi = shapely.STRtree(zg).query(geoms, predicate="intersects")
    overlap = shapely.area(shapely.intersection(geoms[si], zg[zi])) > 1e-6
    si, zi = si[overlap], zi[overlap]
    ground = st["ground_z"].to_numpy(float)[si]
    allowed = allowed_heights(zs["limit_m"].to_numpy(float)[zi], zs["reference"].to_numpy()[zi], ground)
    # the binding zone per structure: least allowed height (unknown ones last)
    order = np.lexsort((np.where(np.isnan(allowed), np.inf, allowed), si))
    si, zi, allowed = si[order], zi[order], allowed[order]
    first = np.r_[True, si[1:] != si[:-1]]
    counts = np.bincount(si, minlength=len(st))
    kinds, layers, fids, ids = (st[c].to_numpy() for c in ("kind", "layer", "fid", "id"))
    hs, gs = st["height_m"].to_numpy(float), st["ground_z"].to_numpy(float)
    znames, zrefs, zlims = zs["zone"].to_numpy(), zs["reference"].to_numpy(), zs["limit_m"].to_numpy(float)
    out = []
    for s, z, a in zip(si[first], zi[first], allowed[first]):
        h, g = float(hs[s]), float(gs[s])
        ref, lim = str(zrefs[z]), float(zlims[z])
        label = f"{'BIM 模型' if kinds[s] == 'bim' else '建筑'} {ids[s]}"
        zone = f"控高区 {znames[z]}（{REFERENCE_ZH[ref]} {lim:g} m）"
        if not np.isfinite(h):
            status, margin, detail = "NO_DATA", math.nan, f"{label} 没有高度，无法核对{zone}"
        elif not np.isfinite(a):
            status, margin, detail = "NO_DATA", math.nan, f"{label} 处没有地面高程（DEM），无法核对{zone}"
        else:
            margin = a - h
            status = "FAIL" if margin < -tol else "WARN" if margin < 0 else "PASS"
            top = f"顶部高程 {g + h:.2f} m" if ref == "absolute" else f"高 {h:.2f} m"
            detail = {"FAIL": f"{label} {top}，超出{zone} {-margin:.2f} m",
                      "WARN": f"{label} {top}，在{zone}的几何容差内",
                      "PASS": f"{label} {top}，低于{zone} {margin:.2f} m"}[status]
        out.append(HeightCheck(str(kinds[s]), str(layers[s]), int(fids[s]), str(ids[s]), str(znames[z]), ref,
                               lim, _float(g), _float(h), _float(g + h), _float(a), _float(margin), status, detail,
                               int(counts[s])))
    rank = {"FAIL": 0, "WARN": 1, "NO_DATA": 2, "PASS": 3}
    out.sort(key=lambda c: (rank[c.status], c.margin_m if c.margin_m is not None else 0.0, c.kind, c.id))
    fb.progress(3, 3, "控高核对完成")
    return out


def zone_allowed_at(ws: Workspace, footprints, *, zones: str | None = None) -> list[tuple[float, str] | None]:
    """For each footprint: (allowed height above its ground, zone name) of its binding zone,
    or None outside every zone (or when the workspace has no zone layer / the ground is unknown
    under an absolute zone). The supervision height rule uses this."""
    geoms = np.asarray(footprints, dtype=object)
    layer = zones_layer(ws, zones)
    if layer is None or not len(geoms):
        return [None] * len(geoms)
    from lzt.analysis.terrain import ground_heights

    zs = read_zones(ws, layer, bbox=tuple(shapely.total_bounds(geoms)))
    if zs.empty:
        return [None] * len(geoms)
    zg = np.asarray(zs.geometry.values, dtype=object)
    pts = shapely.point_on_surface(geoms)
    ground = ground_heights(ws, shapely.get_x(pts), shapely.get_y(pts))
    si, zi = shapely.STRtree(zg).query(geoms, predicate="intersects")
    keep = shapely.area(shapely.intersection(geoms[si], zg[zi])) > 1e-6
    si, zi = si[keep], zi[keep]
    allowed = allowed_heights(zs["limit_m"].to_numpy(float)[zi], zs["reference"].to_numpy()[zi], ground[si])
    out: list[tuple[float, str] | None] = [None] * len(geoms)
    for s, z, a in zip(si, zi, allowed):
        if np.isfinite(a) and (out[s] is None or a < out[s][0]):
            out[s] = (float(a), str(zs["zone"].iloc[z]))
    return out
