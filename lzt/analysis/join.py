"""Complaint counts joined onto any polygon layer (for choropleths), and saving analysis results.

``join_counts`` returns the polygon layer's features with all their attributes
plus ``count`` (records in or on the polygon), ``per_km2`` and, with a category
level, one ``n_<category>`` column per category (the 60 largest; the rest in
``n_（其余）``). Polygons without a record are kept with 0.

``save_result`` writes an analysis result as a workspace layer. It replaces an
earlier analysis result of the same name but refuses to overwrite any other
layer (imported data is never lost to a mistyped ``--out``).
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.kinds import LayerKind
from lzt.analysis.overlay import point_polygon_pairs
from lzt.analysis.records import read_points
from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace
from lzt.workspace.personal import lineage

MAX_CATEGORY_COLUMNS = 60
OTHER = "（其余）"


def join_counts(ws: Workspace, layer: str, polygons: str, *, level: str | None = None, date_from: date | None = None,
                date_to: date | None = None) -> gpd.GeoDataFrame:
    """The features of ``polygons`` with complaint counts (optionally per category at ``level``)."""
    info = ws.layer(polygons)
    if info.kind == LayerKind.RASTER or "polygon" not in (info.geometry_type or "").lower():
        raise LztInputError(ws.uri, f"layer {polygons!r} is not a polygon layer ({info.geometry_type or info.kind})")
    rec = read_points(ws, layer, [level] if level else [], date_from=date_from, date_to=date_to)
    poly = ws.read_features(polygons)
    geoms = np.asarray(poly.geometry.values, dtype=object)
    pt, pg = point_polygon_pairs(rec.x, rec.y, geoms)
    out = poly.reset_index(drop=True)
    clash = [c for c in out.columns if c != out.geometry.name and (c in ("count", "per_km2")
                                                                   or str(c).startswith("n_"))]
    out = out.rename(columns={c: f"{c}_src" for c in clash})
    out["count"] = np.bincount(pg, minlength=len(poly)).astype(np.int64)
    area = shapely.area(geoms)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["per_km2"] = np.where(area > 0, out["count"] / (area / 1e6), np.nan).round(3)
    if level:
        cats = pd.Series(rec.attrs[level].to_numpy(dtype=object)[pt]).fillna("（空）").astype(str)
        top = cats.value_counts()
        keep = list(top.index[:MAX_CATEGORY_COLUMNS])
        col = cats.where(cats.isin(keep), OTHER)
        codes, names = pd.factorize(col)
        table = np.bincount(pg * len(names) + codes, minlength=len(poly) * len(names)).reshape(len(poly), -1)
        where = {n: i for i, n in enumerate(names)}
        for name in keep + ([OTHER] if OTHER in where else []):
            out[f"n_{name}"] = table[:, where[name]].astype(np.int64)
    return out


def save_result(ws: Workspace, name: str, gdf: gpd.GeoDataFrame | None = None, *, analysis: str, params: dict,
                raster: tuple[bytes, dict] | None = None, protect=(), rows_of=()) -> None:
    """Store an analysis result as layer ``name`` (vector ``gdf`` or ``raster`` = (bytes, facts)).

    Replaces an earlier analysis result; refuses other existing layers and the layers in ``protect``.
    ``rows_of`` names the layers whose records the rows of ``gdf`` are: their lineage is
    recorded, so a result carrying complaint records stays personal (``lzt.workspace.personal``).
    """
    if name in protect:
        raise LztInputError("--out", f"{name!r} is an input of this analysis; choose another name")
    replace = False
    if ws.has_layer(name):
        if "analysis" not in (ws.layer(name).details or {}):
            raise LztInputError("--out", f"layer {name!r} already exists and is not an analysis result; "
                                         "choose another name")
        replace = True
    details = {"analysis": analysis, "params": params}
    if rows_of and raster is None:
        details = lineage(ws, rows_of, details)
    source = f"lzt analysis {analysis}"
    if raster is not None:
        data, facts = raster
        ws.write_raster(name, data, info={**facts, **details}, source=source, replace=replace)
    else:
        ws.write_layer(name, gdf, kind=LayerKind.ANALYSIS, source=source, details=details, replace=replace)
