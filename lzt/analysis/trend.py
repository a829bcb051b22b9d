"""Month-on-month trend (环比) of complaint counts, optionally per category or street.

Every month of the span is listed, zero months included: the span is the
``date_from``..``date_to`` window when given, else the first to the last month
with a record. ``change`` is this month's count minus the previous month's;
``pct`` is that change in per cent of the previous month (None for the first
month and after a month with no record). Records without a valid 诉求时间 are
left out; with a grouping, records whose group field is empty count under "（空）".
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from lzt.analysis.records import TIME_FIELD, month_floor, require_fields, time_filter
from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace

GROUPS = {"category": "cat_l1", "street": "street", "community": "community"}
EMPTY = "（空）"


def month_label(m: np.ndarray) -> list[str]:
    """Months since 1970-01 -> 'YYYY-MM'."""
    m = np.asarray(m, dtype=np.int64)
    return [f"{1970 + v // 12:04d}-{v % 12 + 1:02d}" for v in m.tolist()]


def monthly_counts(months: np.ndarray, groups: np.ndarray | None = None, *, first: int | None = None,
                   last: int | None = None) -> tuple[np.ndarray, list, np.ndarray]:
    """(month numbers, group labels, counts[group, month]) over a continuous month span.

    ``months``: months since 1970-01, -1 for none (left out).
    """
    ok = months >= 0
    m = months[ok]
    if len(m) == 0 and (first is None or last is None):
        return np.empty(0, np.int64), [], np.zeros((0, 0), np.int64)
    first = int(m.min()) if first is None else first
    last = max(int(m.max()), first) if last is None else last
    span = np.arange(first, last + 1, dtype=np.int64)
    inside = (m >= first) & (m <= last)
    if groups is None:
        codes, labels = np.zeros(len(m), dtype=np.int64), [None]
    else:
        g = pd.Series(np.asarray(groups, dtype=object)[ok]).fillna(EMPTY).astype(str)
        codes, uniq = pd.factorize(g)
        labels = list(uniq)
    codes, m = codes[inside], m[inside]
    counts = np.bincount(codes * len(span) + (m - first), minlength=len(labels) * len(span))
    return span, labels, counts.reshape(len(labels), len(span))


def trend_rows(span: np.ndarray, labels: list, counts: np.ndarray) -> list[dict]:
    """[{month, [key,] count, change, pct}], groups by total descending, months ascending."""
    prev = np.concatenate([np.full((counts.shape[0], 1), -1), counts[:, :-1]], axis=1)
    change = counts - prev
    order = sorted(range(len(labels)), key=lambda i: (-int(counts[i].sum()), str(labels[i])))
    names = month_label(span)
    rows = []
    for gi in order:  # one iteration per group (tens), not per record
        for j, name in enumerate(names):
            p = int(prev[gi, j])
            row = {"month": name}
            if labels[gi] is not None:
                row["key"] = labels[gi]
            row["count"] = int(counts[gi, j])
            row["change"] = None if p < 0 else int(change[gi, j])
            row["pct"] = None if p <= 0 else round(100.0 * change[gi, j] / p, 1)
            rows.append(row)
    return rows


def monthly_trend(ws: Workspace, layer: str, *, by: str | None = None, level: str | None = None,
                  date_from: date | None = None, date_to: date | None = None) -> list[dict]:
    """Counts per month (per ``by`` group: category, street or community) with change and per cent.

    ``level`` chooses the category level for ``by="category"`` (default cat_l1, 一级分类).
    """
    if by is not None and by not in GROUPS:
        raise LztInputError("--by", f"unknown grouping {by!r}; use one of {', '.join(GROUPS)}")
    field = None if by is None else (level or GROUPS[by]) if by == "category" else GROUPS[by]
    if level is not None and by != "category":
        raise LztInputError("--level", "a category level needs --by category")
    ws.layer(layer)
    require_fields(ws, layer, [TIME_FIELD] + ([field] if field else []))
    where = time_filter(ws, layer, date_from, date_to)
    df = ws.read_features(layer, columns=[TIME_FIELD] + ([field] if field else []), geometry=False, where=where)
    months = month_floor(df[TIME_FIELD])
    first = None if date_from is None else (date_from.year - 1970) * 12 + date_from.month - 1
    last = None if date_to is None else (date_to.year - 1970) * 12 + date_to.month - 1
    span, labels, counts = monthly_counts(months, None if field is None else df[field].to_numpy(),
                                          first=first, last=last)
    return trend_rows(span, labels, counts)
