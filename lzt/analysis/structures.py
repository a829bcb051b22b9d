"""Buildings as solids for height checks and profiles: the white models (footprint × height)
and the BIM models (footprint, height from the BIM import), each standing on the DEM.

A structure's ground is the DEM under a point inside its footprint (as the sunlight engine
and the 3D view place them); its height is above that ground (a BIM model's height is from
its ±0.00, taken as the outdoor grade, DOMAIN §1.5 (3)); its top is ground + height.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lzt.analysis.sunlight.obstacles import height_field
from lzt.analysis.terrain import ground_heights
from lzt.workspace.base import Workspace

ID_FIELDS = ("building_id", "编号", "name", "名称", "id")
COLUMNS = ["kind", "layer", "fid", "id", "height_m", "ground_z", "top_z", "geometry"]
KIND_ZH = {"building": "建筑", "bim": "BIM 模型"}


def _ids(gdf, fields) -> list[str]:
    col = next((c for c in ID_FIELDS if c in fields), None)
    return [str(v) for v in gdf[col]] if col else [str(f) for f in gdf.index]


def covered(footprints: np.ndarray, models: np.ndarray, share: float) -> np.ndarray:
    """Boolean per footprint: at least ``share`` of its area under the ``models``' footprints
    (only the pairs whose boxes meet are intersected)."""
    hit = np.zeros(len(footprints), dtype=bool)
    if not len(footprints) or not len(models):
        return hit
    fi, mi = shapely.STRtree(models).query(footprints, predicate="intersects")
    if not len(fi):
        return hit
    under = np.bincount(fi, weights=shapely.area(shapely.intersection(footprints[fi], models[mi])),
                        minlength=len(footprints))  # model footprints do not overlap each other
    return under >= share * np.maximum(shapely.area(footprints), 1e-9)


def read_structures(ws: Workspace, *, bbox=None, buildings: str | None = "buildings", bim: str | None = "bim_models",
                    dem: str | None = None, covered_share: float = 0.5, near=None) -> gpd.GeoDataFrame:
    """White models of ``buildings`` and placed BIM models of ``bim`` touching ``bbox`` (all when
    None), one row each: kind (building | bim), layer, fid, id, height_m (NaN when unknown),
    ground_z (NaN without a DEM value), top_z. A white model at least ``covered_share`` under a
    BIM model's footprint is left out: the model stands for it. With ``near`` (a geometry) only
    the structures touching it are kept."""
    if near is not None:
        shapely.prepare(near)  # many footprints are tested against it
    parts = []
    models = None
    if bim and ws.has_layer(bim):
        cols = [c for c in ("name", "height_m", "placed") if c in ws.fields(bim)]
        models = ws.read_features(bim, bbox=tuple(bbox) if bbox is not None else None, columns=cols)
        if not models.empty:
            if "placed" in models:
                models = models[models["placed"].astype(object).map(lambda v: v not in (0, False, "0")).astype(bool)]
            models = models[~models.geometry.isna() & ~models.geometry.is_empty]
        if models.empty:  # nothing in the box (possibly read as a plain, geometry-less frame)
            models = gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=ws.crs)
        h = pd.to_numeric(models.get("height_m", pd.Series(np.nan, index=models.index)), errors="coerce")
        parts.append(pd.DataFrame({"kind": "bim", "layer": bim, "fid": models.index.astype(int),
                                   "id": _ids(models, models.columns), "height_m": h.to_numpy(float),
                                   "geometry": models.geometry.values}))
    if buildings and ws.has_layer(buildings):
        fields = ws.fields(buildings)
        hf = height_field(fields)
        cols = [c for c in ((hf[0],) if hf else ()) + ID_FIELDS if c in fields][:2]
        b = ws.read_features(buildings, bbox=tuple(bbox) if bbox is not None else None, columns=cols or None)
        if not b.empty:
            b = b[~b.geometry.isna() & ~b.geometry.is_empty]
        if b.empty:
            b = gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=ws.crs)
        if near is not None and len(b):
            b = b[shapely.intersects(np.asarray(b.geometry.values, dtype=object), near)]
        if models is not None and len(models) and len(b):
            b = b[~covered(np.asarray(b.geometry.values, dtype=object),
                           np.asarray(models.geometry.values, dtype=object), covered_share)]
        h = (pd.to_numeric(b[hf[0]], errors="coerce").to_numpy(float) * hf[1]) if hf else np.full(len(b), np.nan)
        parts.append(pd.DataFrame({"kind": "building", "layer": buildings, "fid": b.index.astype(int),
                                   "id": _ids(b, fields), "height_m": h, "geometry": b.geometry.values}))
    parts = [p for p in parts if len(p)]
    if not parts:
        return gpd.GeoDataFrame({c: [] for c in COLUMNS[:-1]}, geometry=[], crs=ws.crs)
    df = pd.concat(parts, ignore_index=True)
    if near is not None and "bim" in set(df["kind"]):
        df = df[shapely.intersects(np.asarray(df["geometry"].values, dtype=object), near)].reset_index(drop=True)
    h = df["height_m"].to_numpy(float, copy=True)
    h[~(h > 0)] = np.nan
    pts = shapely.point_on_surface(np.asarray(df["geometry"].values, dtype=object))
    ground = ground_heights(ws, shapely.get_x(pts), shapely.get_y(pts), layer=dem)
    df = df.assign(height_m=h, ground_z=ground, top_z=ground + h)
    return gpd.GeoDataFrame(df[COLUMNS], geometry="geometry", crs=ws.crs)
