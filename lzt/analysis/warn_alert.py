"""The warning record ``Alert`` (``lzt warn --json``'s contract) and what the alert builders
share: the recent records the caller and place rules read (``read_recent``), the examined
period's records with their order ids and places (``AlertContext``), evidence formats."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

EXAMPLES = 5


@dataclass
class Alert:
    """One warning. ``to_json`` is the ``lzt warn --json`` contract; the rest serves maps and lists."""

    area: str
    category: str
    kind: str
    level: str
    evidence: dict
    first_seen: str
    orders: list[str]
    geometry: object = None  # shapely, workspace CRS: the area(s) behind the alert
    fids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    place: str = ""  # 街道/社区 the records lie in (for lists and the briefing)

    def summary(self) -> str:
        """The evidence in a few words (Chinese)."""
        e = self.evidence
        if self.kind == "异动":
            return f"{e['observed']} 件，期望 {e['expected']:g}，p={e['probability']:g}"
        if self.kind == "一人多诉":
            return f"同一来电人 {e['days']} 天内 {e['orders']} 件"
        if self.kind == "多人同诉":
            return f"{e['callers']} 位来电人 {e['days']:g} 天内、{e['metres']:g} 米内（{e['matter']}）"
        if self.kind == "重复地址":
            return f"{e['address']} {e['days']} 天内 {e['orders']} 件"
        if self.kind == "敏感词":
            return "、".join(f"{w}×{n}" for w, n in e["words"].items())
        return f"z={e['z']:g}，本期 {e['count']} 件，上期 {e['previous']} 件，趋势 z={e['trend_z']:g}"

    def to_json(self) -> dict:
        return {"area": self.area, "category": self.category, "kind": self.kind, "level": self.level,
                "evidence": self.evidence, "first_seen": self.first_seen, "orders": list(self.orders)}


def read_recent(ws, layer, fields, cat_field, fine_field, as_of, days, fid, t_ms, loc, x, y) -> pd.DataFrame:
    """The records of the last ``days`` days with what the people rules read (no geometry)."""
    want = [c for c in ("order_id", "citizen_phone", "address", "community", "street") if c in fields]
    end = (pd.Timestamp(as_of) + pd.Timedelta(days=1)).value // 1_000_000
    lo = end - days * 86_400_000
    sel = np.flatnonzero((t_ms >= lo) & (t_ms < end))
    r = ws.read_features(layer, fids=fid[sel], columns=list(dict.fromkeys([cat_field, fine_field, *want])),
                         geometry=False)
    pos = np.searchsorted(fid, r.index.to_numpy())
    r = pd.DataFrame(r.drop(columns="geometry", errors="ignore"))
    return r.assign(_loc=loc[pos], _x=x[pos], _y=y[pos], _t=t_ms[pos], _cat=r[cat_field], _fine=r[fine_field])


class AlertContext:
    """What the alert builders share."""

    def __init__(self, **kw):
        self.__dict__.update(kw)
        r = self.recent
        self.recent_period = self.periods.index(r["_t"].to_numpy()) if len(r) else np.empty(0, np.int64)
        r["_period"] = self.recent_period
        self._r_fid = r.index.to_numpy(dtype=np.int64)
        self._r_t = r["_t"].to_numpy()
        self._r_order = (r["order_id"].astype(object).where(r["order_id"].notna(), None).to_numpy()
                         if "order_id" in r else self._r_fid.astype(str))
        self._r_order = np.array([str(o) if o is not None else str(f) for o, f in zip(self._r_order, self._r_fid)],
                                 dtype=object)
        self._r_places = []
        for c, suffixes in (("street", ("街道",)), ("community", ("社区", "村"))):
            if c in r:
                labels = sorted(set(r[c].dropna().astype(str)))
                codes = pd.Categorical(r[c].astype(object).where(r[c].notna(), None), categories=labels).codes
                self._r_places.append((codes.astype(np.int64), labels, suffixes))
        f = self.record_period == self.final  # the examined period's records, kept apart once
        self._f_fid, self._f_cat, self._f_loc = self.record_fid[f], self.record_cat[f], self.record_loc[f]

    def records(self, locs: np.ndarray | None, cat: int | None) -> np.ndarray:
        """Fids of the examined period's records of category ``cat`` (None: any) in ``locs`` (None: anywhere)."""
        m = np.ones(len(self._f_fid), dtype=bool)
        if cat is not None:
            m &= self._f_cat == cat
        if locs is not None:
            m &= np.isin(self._f_loc, locs)
        return self._f_fid[m]

    def _positions(self, fids: np.ndarray) -> np.ndarray:
        """Rows of the recent frame holding ``fids`` (those it has)."""
        if not len(self._r_fid):
            return np.empty(0, np.int64)
        pos = np.minimum(np.searchsorted(self._r_fid, fids), len(self._r_fid) - 1)
        return pos[self._r_fid[pos] == fids]

    def orders(self, fids: np.ndarray) -> list[str]:
        """Example order ids: the latest ``EXAMPLES`` of ``fids``."""
        pos = self._positions(np.asarray(fids, dtype=np.int64))
        if not len(pos):
            return [str(f) for f in np.sort(fids)[-EXAMPLES:]]
        pos = pos[np.lexsort((self._r_fid[pos], self._r_t[pos]))][-EXAMPLES:]
        return [str(self._r_order[i]) for i in pos]

    def place(self, fids: np.ndarray, area: str) -> str:
        """街道 社区 most of the records lie in (from the records' own fields; ties: first by name)."""
        pos = self._positions(np.asarray(fids, dtype=np.int64))
        parts = []
        for codes, labels, suffixes in self._r_places:
            c = codes[pos]
            c = c[c >= 0]
            if len(c):
                n = np.bincount(c, minlength=len(labels))
                name = labels[int(np.flatnonzero(n == n.max())[0])]
                parts.append(name if name.endswith(suffixes) else name + suffixes[0])
        return " ".join(parts) or area

    def date(self, i: int) -> str:
        return self.periods.start(max(i, 0)).isoformat()

    def geometry(self, locs) -> object:
        g = self.locations.polygons[np.asarray(locs, dtype=np.int64)]
        return g[0] if len(g) == 1 else shapely.union_all(g)


def probability(p: float) -> float:
    """A probability as the evidence shows it (3 significant digits)."""
    return float(f"{float(p):.3g}")


def day_of(ms) -> str:
    return pd.Timestamp(int(ms), unit="ms").date().isoformat()
