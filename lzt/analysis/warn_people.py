"""The caller and place rules' alerts of 苗头预警: 一人多诉, 多人同诉, 重复地址 (``callers``) and
敏感词, over the recent records (``warn_alert.read_recent``); no personal data in an alert."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely

from lzt.analysis import callers as cl
from lzt.analysis.surges import upper_tail
from lzt.analysis.warn_alert import Alert, AlertContext, day_of

def people_alerts(ctx: AlertContext, notes: list[str]) -> list[Alert]:
    r = ctx.recent
    out: list[Alert] = []
    if not len(r):
        return out
    as_of_ms = int(ctx.periods.edges[-1])
    in_final = (ctx.recent_period == ctx.final)
    fids = r.index.to_numpy()
    t = r["_t"].to_numpy()
    cats = r["_cat"].astype(object).where(r["_cat"].notna(), None).to_numpy()
    fine = r["_fine"].astype(object).where(r["_fine"].notna(), None).to_numpy()
    locs = r["_loc"].to_numpy()

    def area_of(idx):
        lc = locs[idx]
        lc = lc[lc >= 0]
        if not len(lc):
            return "（未落图）", None
        vals, cnt = np.unique(lc, return_counts=True)
        best = vals[cnt == cnt.max()].min()
        return str(ctx.locations.ids[best]), ctx.locations.polygons[best]

    def top_category(idx):
        v = pd.Series(cats[idx], dtype=object).dropna().astype(str)
        if not len(v):
            return "（空）"
        c = v.value_counts()
        return sorted(c[c == c.max()].index)[0]

    phones = r["citizen_phone"] if "citizen_phone" in r else None
    keys = None
    if phones is None or not phones.notna().any():
        notes.append("图层没有诉求人电话，未做一人多诉、多人同诉")
    else:
        keys, masked = cl.caller_keys(phones, cl.caller_secret(ctx.ws))
        if masked:
            notes.append("诉求人电话已脱敏，无法区分来电人：未做一人多诉、多人同诉")
            keys = None
    day = 86_400_000
    if keys is not None:
        rc = ctx.rules["repeat_caller"]
        window = t >= as_of_ms - int(rc["days"]) * day
        k = np.where(window, keys, -1)
        for key in cl.groups_with_at_least(k, int(rc["orders"])):
            idx = np.flatnonzero(k == key)
            if not in_final[idx].any():
                continue
            n = len(idx)
            area, geom = area_of(idx)
            by_cat = pd.Series(cats[idx], dtype=object).fillna("（空）").astype(str).value_counts()
            lvl = "红" if n >= 3 * int(rc["orders"]) else "橙" if n >= 2 * int(rc["orders"]) else "黄"
            out.append(Alert(area=area, category=top_category(idx), kind="一人多诉", level=lvl,
                             evidence={"orders": n, "days": int(rc["days"]), "categories": {
                                 str(c): int(v) for c, v in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0]))}},
                             first_seen=day_of(t[idx].min()), orders=ctx.orders(fids[idx]), geometry=geom,
                             fids=fids[idx]))
        out += _group_alerts(ctx, r, keys, t, cats, fine, in_final, area_of, locs)
    ra = ctx.rules["repeat_address"]
    if "address" in r:
        addr = cl.normalise_address(r["address"]).to_numpy()
        window = (t >= as_of_ms - int(ra["days"]) * day) & (addr != "")
        comm = r["community"].fillna("").astype(str).to_numpy() if "community" in r else np.full(len(r), "")
        # one address = the same text in the same 社区 (names like 幸福花园 repeat across a district),
        # one matter = the same finest category
        combo = pd.Series([f"{a}\x00{m}\x00{c}" if w and c is not None else None
                           for a, m, c, w in zip(addr, comm, fine, window)], dtype=object)
        codes, _ = pd.factorize(combo, use_na_sentinel=True)
        address = r["address"].to_numpy()
        for code in cl.groups_with_at_least(codes, int(ra["orders"])):
            idx = np.flatnonzero(codes == code)
            if not in_final[idx].any():
                continue
            area, geom = area_of(idx)
            n = len(idx)
            out.append(Alert(area=area, category=str(cats[idx[0]]), kind="重复地址",
                             level="橙" if n >= 2 * int(ra["orders"]) else "黄",
                             evidence={"orders": n, "days": int(ra["days"]), "address": str(cl.generalise_address(address[idx[:1]]).iloc[0] or "")},
                             first_seen=day_of(t[idx].min()), orders=ctx.orders(fids[idx]), geometry=geom,
                             fids=fids[idx]))
    return out


def _group_alerts(ctx, r, keys, t, cats, fine, in_final, area_of, locs) -> list[Alert]:
    """多人同诉: records of one (finest) category chained within the distance and the days; a chain
    warns when some window of that many days in it holds enough distinct callers."""
    from lzt.analysis.repeats import find_repeats

    gc = ctx.rules["group_complaint"]
    need, span_ms = int(gc["callers"]), int(math.ceil(float(gc["days"]) * 86_400_000))
    lookback = int(ctx.periods.edges[-2]) - span_ms
    use = (t >= lookback) & np.isfinite(r["_x"].to_numpy()) & (keys >= 0)
    idx = np.flatnonzero(use)
    if len(idx) < need:
        return []
    cat_codes, _ = pd.factorize(pd.Series(fine[idx], dtype=object), use_na_sentinel=True)
    res = find_repeats(r["_x"].to_numpy()[idx], r["_y"].to_numpy()[idx], t[idx], cat_codes,
                       distance=float(gc["metres"]), days=float(gc["days"]), order_key=r.index.to_numpy()[idx])
    out = []
    fids = r.index.to_numpy()
    sizes = np.bincount(res.cluster)

    def locs_of(window):
        lc = locs[window]
        return np.unique(lc[lc >= 0])

    for c in np.flatnonzero(sizes >= need):
        if c == 0:
            continue
        members = idx[res.cluster == c]
        if len(np.unique(keys[members])) < need or not in_final[members].any():
            continue
        members = members[np.argsort(t[members], kind="stable")]
        best, best_lo, best_hi, lo = 0, 0, 0, 0
        for hi in range(len(members)):  # the window of ``days`` with the most distinct callers
            while t[members[hi]] - t[members[lo]] > span_ms:
                lo += 1
            n = len(np.unique(keys[members[lo:hi + 1]]))
            if n > best:
                best, best_lo, best_hi = n, lo, hi
        if best < need:
            continue
        window = members[best_lo:best_hi + 1]
        area, _ = area_of(window)
        lc, g = locs_of(window), ctx.categories.index(str(cats[window[0]])) if str(cats[window[0]]) in \
            ctx.categories[:-1] else -1
        expected = float(ctx.daily_rate[g, lc].max()) * float(gc["days"]) if g >= 0 and len(lc) else 0.0
        if expected > 0 and upper_tail(np.array([len(window)]), np.array([expected]),
                                       np.array([expected]))[0] >= float(gc["alpha"]):
            continue  # usual for this place: a busy compound, not a group complaint
        pts = np.column_stack([r["_x"].to_numpy()[window], r["_y"].to_numpy()[window]])
        out.append(Alert(area=area, category=str(cats[window[0]]), kind="多人同诉",
                         level="红" if best >= 2 * need else "橙",
                         evidence={"callers": int(best), "orders": int(len(window)), "metres": float(gc["metres"]),
                                   "days": float(gc["days"]), "matter": str(fine[window[0]]),
                                   "expected": round(expected, 2), "chain_orders": int(len(members))},
                         first_seen=day_of(t[window].min()), orders=ctx.orders(fids[window]),
                         geometry=shapely.convex_hull(shapely.multipoints(pts)).buffer(float(gc["metres"]) / 4),
                         fids=fids[window]))
    return out


def sensitive_alerts(ctx: AlertContext, rf: pd.DataFrame) -> tuple[np.ndarray, list[Alert]]:
    words, red = list(ctx.rules["sensitive_words"]), set(ctx.rules["red_words"])
    text_cols = [c for c in ("title", "content") if c in ctx.ws.fields(ctx.layer)]
    if not text_cols or not len(rf) or not words:
        return np.empty(0, np.int64), []
    rf = rf.join(pd.DataFrame(ctx.ws.read_features(ctx.layer, fids=rf.index.to_numpy(), columns=text_cols,
                                                   geometry=False)).drop(columns="geometry", errors="ignore"))
    texts = None
    for c in ("title", "content"):
        if c in rf:
            col = rf[c].fillna("").astype(str)
            texts = col if texts is None else texts + " " + col
    if texts is None or not len(rf) or not words:
        return np.empty(0, np.int64), []
    found = cl.find_words(texts.tolist(), words)
    hit = np.array([bool(f) for f in found])
    if not hit.any():
        return np.empty(0, np.int64), []
    sub = rf[hit]
    sub_words = [f for f, h in zip(found, hit) if h]
    locs = sub["_loc"].to_numpy()
    cats = sub["_cat"].astype(object).where(sub["_cat"].notna(), "（空）").astype(str).to_numpy()
    out = []
    for (lc, cat), grp in pd.DataFrame({"loc": locs, "cat": cats, "i": np.arange(len(sub))}).groupby(
            ["loc", "cat"], sort=True):
        ii = grp["i"].to_numpy()
        counts: dict[str, int] = {}
        for i in ii:
            for w in sub_words[i]:
                counts[w] = counts.get(w, 0) + 1
        fids = sub.index.to_numpy()[ii]
        geom = ctx.locations.polygons[lc] if lc >= 0 else None
        out.append(Alert(area=str(ctx.locations.ids[lc]) if lc >= 0 else "（未落图）", category=str(cat),
                         kind="敏感词", level="红" if red & set(counts) or len(ii) >= 2 else "橙",
                         evidence={"orders": int(len(ii)), "words": dict(sorted(counts.items()))},
                         first_seen=day_of(sub["_t"].to_numpy()[ii].min()), orders=ctx.orders(fids),
                         geometry=geom, fids=fids))
    return sub.index.to_numpy(), out
