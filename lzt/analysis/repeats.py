"""Repeat complaints (重复诉求): the same category within a distance and a number of days.

Rule [P] (DOMAIN.md has no official definition): record B *repeats* an earlier record
A when both have the same category at ``level``, their points lie at most
``distance`` metres apart and B was received at most ``days`` × 24 h after A.
Both limits are inclusive (exactly 50 m and exactly 30 days count). "Earlier"
orders by 诉求时间, then by feature id for equal times. Records chained by the
rule form one *cluster* (connected components: A~B and B~C put A, B, C together
even when A and C are further apart). Records without a time, a category or a
location take no part.

Default level: the finest category level the layer has (cat_l3, else cat_l2,
else cat_l1): the more specific the category, the more likely two records are
about the same problem. Candidates come from a grid hash over (category, time
bucket of ``days``, x and y cells of ``distance``), see ``neighbours``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from lzt.analysis.neighbours import connected_components, grid_self_pairs
from lzt.analysis.records import TIME_FIELD, read_points
from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace

LEVELS = ("cat_l3", "cat_l2", "cat_l1")
_DAY_MS = 86_400_000
_EPS_M = 1e-6  # distances within a micrometre of the limit count as on it (float rounding)


@dataclass
class RepeatResult:
    """Per record (aligned with the input arrays) and a summary."""

    repeat: np.ndarray  # bool: an earlier record of the same category lies within the limits
    prev: np.ndarray  # int64 row index of the latest such earlier record, -1 if none
    cluster: np.ndarray  # int64 cluster id (1, 2, ... in order of first record), 0 if none
    cluster_size: np.ndarray  # int64, 1 for records outside any cluster
    pairs: int  # matching record pairs
    summary: dict = field(default_factory=dict)


def default_level(fields) -> str:
    """The finest category level among ``fields`` (cat_l3 > cat_l2 > cat_l1)."""
    for lv in LEVELS:
        if lv in fields:
            return lv
    raise LztInputError(None, "the layer has no category field (cat_l1/cat_l2/cat_l3)")


def find_repeats(x: np.ndarray, y: np.ndarray, t_ms: np.ndarray, category: np.ndarray, *,
                 distance: float = 50.0, days: float = 30.0, order_key: np.ndarray | None = None
                 ) -> RepeatResult:
    """Repeat complaints among records given as arrays.

    ``t_ms``: int64 milliseconds (any epoch), ``category``: int codes, -1 or a missing
    time (``np.iinfo(np.int64).min``) leaves a record out. ``order_key`` breaks
    ties of equal times (default: the row index).
    """
    if not (distance > 0) or not np.isfinite(distance):
        raise LztInputError("--distance", f"must be a positive number of metres, got {distance!r}")
    if not (days >= 0) or not np.isfinite(days):
        raise LztInputError("--days", f"must be a number of days >= 0, got {days!r}")
    n = len(x)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    t_ms = np.asarray(t_ms, dtype=np.int64)
    category = np.asarray(category, dtype=np.int64)
    tie = np.arange(n, dtype=np.int64) if order_key is None else np.asarray(order_key, dtype=np.int64)
    ok = (category >= 0) & (t_ms != np.iinfo(np.int64).min) & np.isfinite(x) & np.isfinite(y)
    idx = np.flatnonzero(ok)
    # rank = position in time order (then tie key): "earlier" is simply the smaller rank
    o = idx[np.lexsort((tie[idx], t_ms[idx]))]
    rank = np.full(n, -1, dtype=np.int64)
    rank[o] = np.arange(len(o))
    window = int(round(days * _DAY_MS))
    lim = distance + _EPS_M
    # buckets no shorter than the window (and than a day, so the grid stays coarse)
    tb = t_ms[o] // max(window, _DAY_MS)
    cells = np.column_stack([category[o], tb, np.floor(x[o] / lim).astype(np.int64),
                             np.floor(y[o] / lim).astype(np.int64)])
    xs, ys, ts = x[o], y[o], t_ms[o]
    ea, lb = [], []  # (earlier, later) in rank space
    for a, b in grid_self_pairs(cells, [False, True, True, True]):
        dt = np.abs(ts[a] - ts[b])
        keep = (dt <= window) & (np.hypot(xs[a] - xs[b], ys[a] - ys[b]) <= lim)
        a, b = a[keep], b[keep]
        ea.append(np.minimum(a, b))
        lb.append(np.maximum(a, b))
    e = np.concatenate(ea) if ea else np.empty(0, np.int64)
    late = np.concatenate(lb) if lb else np.empty(0, np.int64)
    m = len(o)
    prev_r = np.full(m, -1, dtype=np.int64)
    np.maximum.at(prev_r, late, e)  # the latest earlier match (largest rank below)
    lab = connected_components(m, e, late)
    size = np.bincount(lab, minlength=m)
    in_cluster = size[lab] >= 2
    roots = np.flatnonzero((size >= 2) & (lab == np.arange(m)))  # ranks of each cluster's first record
    cid_of_root = np.zeros(m, dtype=np.int64)
    cid_of_root[roots] = np.arange(1, len(roots) + 1)

    repeat = np.zeros(n, dtype=bool)
    prev = np.full(n, -1, dtype=np.int64)
    cluster = np.zeros(n, dtype=np.int64)
    csize = np.ones(n, dtype=np.int64)
    repeat[o] = prev_r >= 0
    prev[o] = np.where(prev_r >= 0, o[np.maximum(prev_r, 0)], -1)
    cluster[o] = np.where(in_cluster, cid_of_root[lab], 0)
    csize[o] = np.where(in_cluster, size[lab], 1)
    return RepeatResult(repeat=repeat, prev=prev, cluster=cluster, cluster_size=csize, pairs=len(e),
                        summary={"records": int(n), "considered": int(m)})


def repeats_for_layer(ws: Workspace, layer: str, *, distance: float = 50.0, days: float = 30.0,
                      level: str | None = None, date_from: date | None = None,
                      date_to: date | None = None, top: int = 10):
    """Repeat complaints of a workspace layer: (per-record GeoDataFrame-ready frame, summary).

    The frame has one row per located record: fid, received_at, category, repeat,
    prev_fid, cluster, cluster_size, x, y. The summary counts records, repeats
    and clusters, per category, and lists the ``top`` largest clusters (no
    personal fields).
    """
    fields = ws.fields(layer)
    level = level or default_level(fields)
    if level not in LEVELS:
        raise LztInputError("--level", f"unknown category level {level!r}; use one of {', '.join(LEVELS)}")
    extra = [c for c in ("community", "street") if c in fields]
    rec = read_points(ws, layer, [TIME_FIELD, level, *extra], date_from=date_from, date_to=date_to)
    t = pd.to_datetime(rec.attrs[TIME_FIELD], errors="coerce")
    t_ms = t.to_numpy(dtype="datetime64[ms]").astype(np.int64)  # NaT -> int64 min
    cat_codes, cat_names = pd.factorize(rec.attrs[level], use_na_sentinel=True)
    res = find_repeats(rec.x, rec.y, t_ms, cat_codes, distance=distance, days=days, order_key=rec.fid)
    fid = rec.fid
    frame = pd.DataFrame({
        "fid": fid, TIME_FIELD: t, "category": rec.attrs[level].to_numpy(),
        "repeat": res.repeat,
        "prev_fid": pd.arrays.IntegerArray(np.where(res.prev >= 0, fid[np.maximum(res.prev, 0)], 0),
                                           res.prev < 0),
        "cluster": pd.arrays.IntegerArray(res.cluster, res.cluster == 0),
        "cluster_size": res.cluster_size, "x": rec.x, "y": rec.y})
    for c in extra:
        frame[c] = rec.attrs[c].to_numpy()
    summary = _summary(frame, res, level, distance, days, top)
    return frame, summary


def _summary(frame: pd.DataFrame, res: RepeatResult, level: str, distance: float, days: float,
             top: int) -> dict:
    considered = res.summary["considered"]
    repeats = int(res.repeat.sum())
    inc = frame[frame["cluster"].notna()]
    clusters = []
    if len(inc):
        g = inc.groupby("cluster", sort=False)
        agg = pd.DataFrame({"size": g.size(), "category": g["category"].first(),
                            "first": g[TIME_FIELD].min(), "last": g[TIME_FIELD].max(),
                            "x": g["x"].mean(), "y": g["y"].mean()})
        agg = agg.reset_index().sort_values(["size", "cluster"], ascending=[False, True]).head(top)
        if "community" in inc.columns:  # the most frequent community, of the clusters listed only
            shown = inc[inc["cluster"].isin(agg["cluster"])].groupby("cluster", sort=False)["community"]
            mode = shown.agg(lambda s: s.mode().iloc[0] if s.notna().any() else None)
            agg["community"] = agg["cluster"].map(mode)
        for r in agg.to_dict("records"):
            item = {"cluster": int(r["cluster"]), "size": int(r["size"]), "category": r["category"],
                    "first": r["first"].isoformat(sep=" "), "last": r["last"].isoformat(sep=" "),
                    "x": round(float(r["x"]), 2), "y": round(float(r["y"]), 2)}
            if "community" in r:
                item["community"] = r["community"]
            clusters.append(item)
    by_cat = (frame.assign(n=1).groupby("category", dropna=True)
              .agg(records=("n", "size"), repeats=("repeat", "sum")).reset_index())
    by_cat = by_cat.sort_values(["repeats", "category"], ascending=[False, True])
    return {
        "rule": {"level": level, "distance_m": distance, "days": days, "inclusive": True},
        "records": res.summary["records"], "considered": considered, "repeats": repeats,
        "repeat_share": round(repeats / considered, 4) if considered else 0.0,
        "pairs": res.pairs, "clusters": int(frame["cluster"].nunique()),
        "records_in_clusters": int(len(inc)),
        "by_category": [{"key": str(r["category"]), "records": int(r["records"]), "repeats": int(r["repeats"])}
                        for r in by_cat.to_dict("records")],
        "largest_clusters": clusters,
    }
