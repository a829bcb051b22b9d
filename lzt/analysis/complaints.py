"""Complaint statistics: counts by a record's own field, or by the polygon each record falls in.

``field_counts_layer`` is the saved form of a ``--by`` count: one point per key at the
mean position of its located records (for graduated symbols on the map; the
workspace keeps vector layers, and a point per group is the least surprising
geometry for a table of counts). Records without a location still count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from lzt.analysis.overlay import point_polygon_pairs
from lzt.analysis.polygon_cache import layer_polygon_set
from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

BY_FIELDS = {"street": "street", "community": "community", "category": "cat_l1", "status": "status",
             "month": "received_at", "subcategory": "cat_l2", "channel": "channel"}


@dataclass
class PolygonCounts:
    """Counts per polygon (``rows``: [{key, count}], every polygon, largest first) and the number
    of records that fell in none (kept out of ``rows``, which are the contract's list)."""

    rows: list[dict] = field(default_factory=list)
    unassigned: int = 0


def _time_filter(ws, layer: str, date_from: date | None, date_to: date | None):
    from lzt.analysis.records import time_filter

    return time_filter(ws, layer, date_from, date_to)


def stats_by_field(ws: Workspace, layer: str, by: str, *, date_from=None, date_to=None, top: int | None = None,
                   where=None) -> list[dict]:
    """[{key, count}] by one of the record's fields (category = 一级分类, subcategory = 二级分类;
    month from 诉求时间), of the records in the date window that ``where`` (a filter tree) keeps."""
    if by not in BY_FIELDS:
        raise LztInputError("--by", f"unknown grouping {by!r}; use one of {', '.join(BY_FIELDS)}")
    field = BY_FIELDS[by]
    if field not in ws.fields(layer):
        raise LztInputError(ws.uri, f"layer {layer!r} has no field {field!r} to group by {by}")
    window = _time_filter(ws, layer, date_from, date_to)
    if where is not None:
        from lzt.core.filters import And

        window = where if window is None else And((window, where))
    counted = ws.count_values(layer, field, where=window,
                              prefix=7 if by == "month" else None)  # one GROUP BY in the database
    merged: dict[str, int] = {}
    for k, v in counted.items():
        key = "（空）" if k is None or (by == "month" and not str(k)[:4].isdigit()) else str(k)
        merged[key] = merged.get(key, 0) + int(v)
    rows = [{"key": k, "count": v} for k, v in merged.items()]
    rows.sort(key=lambda r: (-r["count"], r["key"]))
    return rows[:top] if top else rows


def stats_by_polygons(ws: Workspace, layer: str, polygons: str, key: str | None = None, *, date_from=None,
                      date_to=None, top: int | None = None) -> PolygonCounts:
    """Counts per polygon of ``polygons`` (all of them, with 0), and the records in none."""
    from lzt.analysis.records import require_point_layer, require_polygon_layer

    require_point_layer(ws, layer)
    require_polygon_layer(ws, polygons)
    if key is None:
        key = next((c for c in ("name", "名称") if c in ws.fields(polygons)), None)
    elif key not in ws.fields(polygons):
        raise LztInputError("--key", f"layer {polygons!r} has no field {key!r}")
    fids, geoms = layer_polygon_set(ws, polygons)  # geoms: RaggedPolygons or shapely
    if key:
        attrs = ws.read_features(polygons, columns=[key], geometry=False)
        if not np.array_equal(attrs.index.to_numpy(), fids):  # changed in between: read both at once
            attrs = ws.read_features(polygons, columns=[key])
            fids, geoms = attrs.index.to_numpy(), np.asarray(attrs.geometry.values, dtype=object)
        from lzt.analysis.masking import mask_layer_rows

        # the names of a personal polygon layer's features are shown as any way out shows them
        keys = mask_layer_rows(ws, polygons, attrs)[key].astype(str).to_numpy()
    else:
        keys = fids.astype(str)
    where = _time_filter(ws, layer, date_from, date_to)
    if where is None:
        _, x, y = ws.point_coords(layer)
    else:
        pts = ws.read_features(layer, columns=[], where=where)
        g = pts.geometry
        ok = g.notna() & ~g.is_empty
        x, y = g[ok].x.to_numpy(), g[ok].y.to_numpy()
    pt, pg = point_polygon_pairs(x, y, geoms)
    counts = np.bincount(pg, minlength=len(geoms))
    assigned = np.zeros(len(x), dtype=bool)
    assigned[pt] = True
    rows = [{"key": k, "count": int(c)} for k, c in zip(keys, counts)]
    rows.sort(key=lambda r: (-r["count"], r["key"]))
    return PolygonCounts(rows[:top] if top else rows, int((~assigned).sum()))


def field_counts_layer(ws: Workspace, layer: str, by: str, *, date_from=None, date_to=None):
    """GeoDataFrame (key, count, located) per ``by`` group, at the mean position of its records."""
    import geopandas as gpd
    import shapely

    from lzt.analysis.records import require_point_layer

    if by not in BY_FIELDS:
        raise LztInputError("--by", f"unknown grouping {by!r}; use one of {', '.join(BY_FIELDS)}")
    require_point_layer(ws, layer)
    field = BY_FIELDS[by]
    if field not in ws.fields(layer):
        raise LztInputError(ws.uri, f"layer {layer!r} has no field {field!r} to group by {by}")
    df = ws.read_features(layer, columns=[field], where=_time_filter(ws, layer, date_from, date_to))
    values = df[field]
    if by == "month":
        values = pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m")
    key = values.astype(object).where(values.notna(), "（空）").astype(str).to_numpy()
    g = np.asarray(df.geometry.values, dtype=object)
    ok = ~shapely.is_missing(g) & ~shapely.is_empty(g)
    x = np.where(ok, shapely.get_x(np.where(ok, g, None)), np.nan)
    y = np.where(ok, shapely.get_y(np.where(ok, g, None)), np.nan)
    frame = pd.DataFrame({"key": key, "x": x, "y": y, "one": 1, "located": ok.astype(np.int64)})
    agg = frame.groupby("key").agg(count=("one", "size"), located=("located", "sum"), x=("x", "mean"),
                                   y=("y", "mean")).reset_index()
    agg = agg.sort_values(["count", "key"], ascending=[False, True], kind="stable").reset_index(drop=True)
    pts = shapely.points(agg["x"].to_numpy(), agg["y"].to_numpy())
    pts = np.where(agg["located"].to_numpy() > 0, pts, None)
    return gpd.GeoDataFrame({"key": agg["key"], "count": agg["count"].astype(np.int64),
                             "located": agg["located"].astype(np.int64)}, geometry=pts, crs=ws.crs)
