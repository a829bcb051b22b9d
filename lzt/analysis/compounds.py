"""Complaints per residential compound (小区): which compound each record belongs to, and top-N.

Compounds are the POIs of category 住宅小区 in a point layer (default ``poi``,
fields ``category`` and ``name``). A record is assigned in two steps [P]:

1. if its 地址 (``address``) is exactly a compound's name (as in exports with a
   小区名称 column, and in the demo), to the *nearest compound of that name*
   within ``name_distance`` (1 km): names repeat across a district
   (幸福花园 …), the location settles which one is meant;
2. otherwise (free-text address, no match, or no compound of that name nearby),
   to the nearest compound POI within ``distance`` (100 m), or to none.

Step 2 alone mislabels records where compounds are dense (the nearest POI
is not always the record's compound); step 1 alone misses free-text
addresses. Counts are per compound POI; a name shared by several counted POIs
is shown with its 社区 (and, if still ambiguous, its fid) so keys stay unique.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lzt.analysis.records import read_points, require_fields, require_point_layer
from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace

COMPOUND_CATEGORY = "住宅小区"
_SHIFT = 1.0e7  # metres between name groups in the shifted search space (≫ any district)


@dataclass
class Compounds:
    fid: np.ndarray
    x: np.ndarray
    y: np.ndarray
    name: np.ndarray  # object
    community: np.ndarray  # object, None where unknown

    def __len__(self) -> int:
        return len(self.fid)


def read_compounds(ws: Workspace, poi_layer: str = "poi", category: str = COMPOUND_CATEGORY) -> Compounds:
    """The compound POIs (category == ``category``) of a point layer."""
    from lzt.core.filters import Compare

    require_point_layer(ws, poi_layer)
    require_fields(ws, poi_layer, ["category", "name"])
    cols = ["name"] + (["community"] if "community" in ws.fields(poi_layer) else [])
    df = ws.read_features(poi_layer, columns=cols, where=Compare("category", "=", category))
    g = np.asarray(df.geometry.values, dtype=object)
    ok = ~shapely.is_missing(g) & ~shapely.is_empty(g)
    df, g = df[ok], g[ok]
    if len(df) == 0:
        raise LztInputError(ws.uri, f"layer {poi_layer!r} has no {category} points to match compounds to")
    comm = df["community"].to_numpy(dtype=object) if "community" in df else np.full(len(df), None, object)
    return Compounds(fid=df.index.to_numpy(), x=shapely.get_x(g), y=shapely.get_y(g),
                     name=df["name"].to_numpy(dtype=object), community=comm)


def _nearest(qx, qy, px, py, max_distance: float) -> np.ndarray:
    """Index of the nearest of points (px, py) within ``max_distance`` of each query, else -1."""
    out = np.full(len(qx), -1, dtype=np.int64)
    if len(qx) == 0 or len(px) == 0:
        return out
    tree = shapely.STRtree(shapely.points(px, py))
    (qi, pi) = tree.query_nearest(shapely.points(qx, qy), max_distance=max_distance, all_matches=False)
    out[qi] = pi
    return out


def assign_compounds(x: np.ndarray, y: np.ndarray, comp: Compounds, *, distance: float = 100.0,
                     address: np.ndarray | None = None, name_distance: float = 1000.0) -> np.ndarray:
    """Index into ``comp`` of each record's compound, -1 for none (see the module notes)."""
    if not (distance > 0) or not (name_distance >= 0):
        raise LztInputError("--within", f"must be a positive distance in metres, got {distance!r}")
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    out = np.full(len(x), -1, dtype=np.int64)
    if address is not None and len(x):
        names = pd.Index(pd.unique(pd.Series(comp.name, dtype=object).dropna()))
        addr = pd.Series(np.asarray(address, dtype=object)).str.strip()
        rc = names.get_indexer(addr)  # -1 where the address is no compound name
        pc = names.get_indexer(pd.Series(comp.name, dtype=object))
        has = np.flatnonzero(rc >= 0)
        if len(has):
            found = _nearest(x[has] + rc[has] * _SHIFT, y[has], comp.x + pc * _SHIFT, comp.y, name_distance)
            out[has] = found
    rest = np.flatnonzero(out < 0)
    out[rest] = _nearest(x[rest], y[rest], comp.x, comp.y, distance)
    return out


def compound_labels(comp: Compounds, used: np.ndarray) -> np.ndarray:
    """Unique display keys for the compounds ``used`` (indices): name, then 社区, then fid."""
    name = pd.Series(comp.name[used], dtype=object).fillna("（无名）").astype(str)
    comm = pd.Series(comp.community[used], dtype=object)
    label = name.copy()
    dup = name.duplicated(keep=False)
    label[dup] = name[dup] + "（" + comm[dup].fillna("?").astype(str) + "）"
    dup = label.duplicated(keep=False)
    label[dup] = label[dup] + " #" + pd.Series(comp.fid[used]).astype(str)[dup]
    return label.to_numpy(dtype=object)


def compound_counts(ws: Workspace, layer: str, *, poi_layer: str = "poi", distance: float = 100.0,
                    name_distance: float = 1000.0, use_address: bool = True,
                    date_from: date | None = None, date_to: date | None = None
                    ) -> tuple[gpd.GeoDataFrame, int]:
    """Compounds with at least one record: (key, name, community, poi_fid, count, POI point), and unmatched.

    Sorted by count descending, then key.
    """
    cols = ["address"] if use_address and "address" in ws.fields(layer) else []
    rec = read_points(ws, layer, cols, date_from=date_from, date_to=date_to)
    comp = read_compounds(ws, poi_layer)
    idx = assign_compounds(rec.x, rec.y, comp, distance=distance, name_distance=name_distance,
                           address=rec.attrs["address"].to_numpy() if cols else None)
    counts = np.bincount(idx[idx >= 0], minlength=len(comp))
    used = np.flatnonzero(counts)
    gdf = gpd.GeoDataFrame({
        "key": compound_labels(comp, used), "name": comp.name[used], "community": comp.community[used],
        "poi_fid": comp.fid[used], "count": counts[used].astype(np.int64),
    }, geometry=shapely.points(comp.x[used], comp.y[used]), crs=ws.crs)
    gdf = gdf.sort_values(["count", "key"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return gdf, int((idx < 0).sum())


def stats_by_compound(ws: Workspace, layer: str, *, top: int | None = None, **kw):
    """Counts per compound, largest first (``PolygonCounts``: ``unassigned`` = records near none)."""
    from lzt.analysis.complaints import PolygonCounts

    gdf, unmatched = compound_counts(ws, layer, **kw)
    rows = [{"key": k, "count": int(c)} for k, c in zip(gdf["key"], gdf["count"])]
    return PolygonCounts(rows[:top] if top else rows, unmatched)
