"""Complaint statistics: counts by a record's own field, or by the polygon each record falls in."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from lzt.analysis.overlay import point_polygon_pairs
from lzt.core.errors import LztInputError

BY_FIELDS = {"street": "street", "community": "community", "category": "cat_l1", "status": "status",
             "month": "received_at"}
UNASSIGNED = "（未落入任何面）"


def _time_filter(ws, layer: str, date_from: date | None, date_to: date | None):
    from lzt.core.filters import And, Compare

    terms = []
    if date_from is not None:
        terms.append(Compare("received_at", ">=", date_from.isoformat() + "T00:00:00.000"))
    if date_to is not None:  # inclusive: up to the end of that day
        nxt = (pd.Timestamp(date_to) + pd.Timedelta(days=1)).strftime("%Y-%m-%dT00:00:00.000")
        terms.append(Compare("received_at", "<", nxt))
    if terms and "received_at" not in ws.fields(layer):
        raise LztInputError(ws.uri, f"layer {layer!r} has no received_at field for --from/--to")
    return None if not terms else (terms[0] if len(terms) == 1 else And(tuple(terms)))


def stats_by_field(ws, layer: str, by: str, *, date_from=None, date_to=None, top: int | None = None
                   ) -> list[dict]:
    """[{key, count}] by one of the record's fields (category = 一级分类; month from 诉求时间)."""
    if by not in BY_FIELDS:
        raise LztInputError("--by", f"unknown grouping {by!r}; use one of {', '.join(BY_FIELDS)}")
    field = BY_FIELDS[by]
    if field not in ws.fields(layer):
        raise LztInputError(ws.uri, f"layer {layer!r} has no field {field!r} to group by {by}")
    counted = ws.count_values(layer, field, where=_time_filter(ws, layer, date_from, date_to),
                              prefix=7 if by == "month" else None)  # one GROUP BY in the database
    merged: dict[str, int] = {}
    for k, v in counted.items():
        key = "（空）" if k is None or (by == "month" and not str(k)[:4].isdigit()) else str(k)
        merged[key] = merged.get(key, 0) + int(v)
    rows = [{"key": k, "count": v} for k, v in merged.items()]
    rows.sort(key=lambda r: (-r["count"], r["key"]))
    return rows[:top] if top else rows


def stats_by_polygons(ws, layer: str, polygons: str, key: str | None = None, *, date_from=None,
                      date_to=None, top: int | None = None) -> list[dict]:
    """[{key, count}] per polygon of ``polygons`` (all of them, with 0), plus the unassigned."""
    if key is None:
        key = next((c for c in ("name", "名称") if c in ws.fields(polygons)), None)
    poly = ws.read_features(polygons, columns=[key] if key else [])
    keys = poly[key].astype(str).to_numpy() if key else poly.index.astype(str).to_numpy()
    where = _time_filter(ws, layer, date_from, date_to)
    if where is None:
        _, x, y = ws.point_coords(layer)
    else:
        pts = ws.read_features(layer, columns=[], where=where)
        g = pts.geometry
        ok = g.notna() & ~g.is_empty
        x, y = g[ok].x.to_numpy(), g[ok].y.to_numpy()
    pt, pg = point_polygon_pairs(x, y, np.asarray(poly.geometry.values, dtype=object))
    counts = np.bincount(pg, minlength=len(poly))
    assigned = np.zeros(len(x), dtype=bool)
    assigned[pt] = True
    rows = [{"key": k, "count": int(c)} for k, c in zip(keys, counts)]
    rows.sort(key=lambda r: (-r["count"], r["key"]))
    if top:
        rows = rows[:top]
    if (~assigned).any():
        rows.append({"key": UNASSIGNED, "count": int((~assigned).sum())})
    return rows
