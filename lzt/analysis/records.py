"""Complaint records as plain arrays: the common first step of every complaint analysis.

``read_points`` checks the layer (exists, is a point layer, has the fields asked
for), applies an optional 诉求时间 window and returns the located records' fids,
coordinates and attribute columns aligned row for row, without materialising
geometries (the workspace's packed point cache gives the coordinates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace

TIME_FIELD = "received_at"


@dataclass
class Records:
    """Located records of a point layer: ``attrs`` is aligned with ``fid``/``x``/``y``."""

    fid: np.ndarray
    x: np.ndarray
    y: np.ndarray
    attrs: pd.DataFrame  # index 0..n-1, one row per located record

    def __len__(self) -> int:
        return len(self.fid)


def require_point_layer(ws: Workspace, layer: str) -> None:
    """``LztInputError`` unless ``layer`` is a vector layer of points."""
    info = ws.layer(layer)  # raises for an unknown layer
    if info.kind == LayerKind.RASTER or (info.geometry_type or "").lower() not in ("point", "multipoint"):
        raise LztInputError(ws.uri, f"layer {layer!r} is not a point layer "
                                    f"({info.geometry_type or info.kind}); complaint analyses need points")


def require_polygon_layer(ws: Workspace, layer: str) -> None:
    """``LztInputError`` unless ``layer`` is a vector layer of polygons."""
    info = ws.layer(layer)  # raises for an unknown layer
    if info.kind == LayerKind.RASTER or "polygon" not in (info.geometry_type or "").lower():
        raise LztInputError(ws.uri, f"layer {layer!r} is not a polygon layer "
                                    f"({info.geometry_type or info.kind}); counts per polygon need polygons")


def require_fields(ws: Workspace, layer: str, fields) -> None:
    have = ws.fields(layer)
    for f in fields:
        if f not in have:
            raise LztInputError(ws.uri, f"layer {layer!r} has no field {f!r} "
                                        f"(fields: {', '.join(have) or 'none'})")


def time_filter(ws: Workspace, layer: str, date_from: date | None, date_to: date | None):
    """The filter tree for ``date_from <= received_at < date_to + 1 day`` (both inclusive dates)."""
    from lzt.core.filters import And, Compare

    if date_from is not None and date_to is not None and date_from > date_to:
        raise LztInputError("--from", f"{date_from} is after --to {date_to}")
    terms = []
    if date_from is not None:
        terms.append(Compare(TIME_FIELD, ">=", date_from.isoformat() + "T00:00:00.000"))
    if date_to is not None:  # inclusive: up to the end of that day
        nxt = (pd.Timestamp(date_to) + pd.Timedelta(days=1)).strftime("%Y-%m-%dT00:00:00.000")
        terms.append(Compare(TIME_FIELD, "<", nxt))
    if terms and TIME_FIELD not in ws.fields(layer):
        raise LztInputError(ws.uri, f"layer {layer!r} has no {TIME_FIELD} field for --from/--to")
    return None if not terms else (terms[0] if len(terms) == 1 else And(tuple(terms)))


def read_points(ws: Workspace, layer: str, columns=(), *, date_from: date | None = None,
                date_to: date | None = None) -> Records:
    """The located records of point layer ``layer`` with ``columns``, optionally in a date window."""
    require_point_layer(ws, layer)
    columns = list(dict.fromkeys(columns))
    require_fields(ws, layer, columns)
    where = time_filter(ws, layer, date_from, date_to)
    fid, x, y = ws.point_coords(layer)
    if len(fid) > 1 and not (np.diff(fid) > 0).all():
        o = np.argsort(fid, kind="stable")
        fid, x, y = fid[o], x[o], y[o]
    if where is None and not columns:
        return Records(fid, x, y, pd.DataFrame(index=pd.RangeIndex(len(fid))))
    df = ws.read_features(layer, columns=columns, geometry=False, where=where)
    want = df.index.to_numpy()
    if len(fid) == 0:
        located = np.zeros(len(df), dtype=bool)
        pos = np.empty(0, dtype=np.int64)
    else:
        pos = np.minimum(np.searchsorted(fid, want), len(fid) - 1)
        located = fid[pos] == want
        pos = pos[located]
    attrs = pd.DataFrame(df.loc[located, columns]).reset_index(drop=True)
    return Records(fid[pos], x[pos], y[pos], attrs)


def month_floor(values: pd.Series) -> np.ndarray:
    """Months since 1970-01 (int64) of date-times; -1 where missing."""
    t = pd.to_datetime(values, errors="coerce")
    out = (t.dt.year.to_numpy(dtype=float, na_value=np.nan) - 1970) * 12 + t.dt.month.to_numpy(
        dtype=float, na_value=np.nan) - 1
    return np.where(np.isnan(out), -1, out).astype(np.int64)
