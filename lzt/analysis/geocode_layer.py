"""``lzt geocode``: the addresses of a layer's records placed by the gazetteer.

Each record's address (``field``) is geocoded (``lzt.search.geocode``); a ``street``/``街道`` and
``community``/``社区`` column of the layer, when there is one, fills the levels the address leaves
out. The result per record: level, location, confidence and the reason it is unplaced or
coarser than the address. ``out`` stores the records (all their columns) at their new location
as a new layer, unplaced ones without a geometry, with ``geo_level``, ``geo_confidence``,
``geo_reason`` and ``location_source = geocoded:<level>``; it carries the source's lineage, so a
complaint layer's copy stays personal. Addresses leave the workspace masked (``masking``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lzt.analysis.masking import mask_layer_rows
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.search.gazetteer import gazetteer
from lzt.search.geocode import Geocoder
from lzt.workspace.base import Workspace
from lzt.workspace.personal import lineage

#: record columns used as context, by level: the first present is used
CONTEXT = {"street": ("street", "街道", "所属街道"), "community": ("community", "社区", "所属社区")}
LEVEL_ORDER = ("门牌", "小区", "道路", "社区", "街道", "未定位")


@dataclass
class GeocodeReport:
    layer: str
    field: str
    out: str | None
    context: dict[str, str] = field(default_factory=dict)
    records: list[dict] = field(default_factory=list)

    @property
    def levels(self) -> dict[str, int]:
        n = Counter(r["level"] or "未定位" for r in self.records)
        return {lv: n.get(lv, 0) for lv in LEVEL_ORDER}

    def to_json(self) -> dict:
        placed = [r for r in self.records if r["level"] is not None]
        return {"layer": self.layer, "field": self.field, "out": self.out, "context": self.context,
                "count": len(self.records), "placed": len(placed), "levels": self.levels,
                "unplaced": [{"fid": r["fid"], "address": r["address"], "reason": r["reason"]}
                             for r in self.records if r["level"] is None],
                "records": self.records}


def geocode_layer(ws: Workspace, layer: str, field_name: str, *, out: str | None = None,
                  feedback: Feedback | None = None) -> GeocodeReport:
    """Geocode the ``field_name`` addresses of ``layer``; store them as layer ``out`` if given."""
    fb = ensure(feedback)
    info = ws.layer(layer)
    if info.kind == "raster":
        raise LztInputError(layer, "is a raster layer; geocoding needs a layer of records with an address field")
    fields = ws.fields(layer)
    if field_name not in fields:
        raise LztInputError(f"--field {field_name}", f"layer {layer!r} has no such field (fields: {', '.join(fields)})")
    if out is not None and ws.has_layer(out):
        raise LztInputError(f"--out {out}", f"layer {out!r} already exists in {ws.uri}; choose another name")
    context = {lv: next(c for c in names if c in fields) for lv, names in CONTEXT.items()
               if any(c in fields for c in names)}
    context = {lv: c for lv, c in context.items() if c != field_name}
    df = ws.read_features(layer, columns=[field_name, *context.values()], geometry=False)
    gz = gazetteer(ws)
    coder = Geocoder(ws, gz)
    addr = df[field_name].to_numpy(dtype=object)
    street = df[context["street"]].to_numpy(dtype=object) if "street" in context else np.full(len(df), None)
    comm = df[context["community"]].to_numpy(dtype=object) if "community" in context else np.full(len(df), None)
    report = GeocodeReport(layer, field_name, out, context)
    memo: dict[tuple, object] = {}
    n = len(df)
    for i, fid in enumerate(df.index.tolist()):
        if i % 500 == 0:
            fb.check()
            fb.progress(i, n, "地址匹配")
        key = (_s(addr[i]), _s(street[i]), _s(comm[i]))
        g = memo.get(key)
        if g is None:
            g = memo[key] = coder.geocode(key[0], street=key[1], community=key[2])
        report.records.append({"fid": int(fid), "address": key[0],
                               "level": g.level, "confidence": g.confidence, "x": g.x, "y": g.y,
                               "matched": g.matched, "reason": g.reason, "location_source": g.location_source})
    fb.progress(n, n, "地址匹配")
    # addresses and the reasons quoting them leave masked (a caller's number written in the address)
    shown = pd.DataFrame({field_name: [r["address"] for r in report.records],
                          "geo_reason": [r["reason"] for r in report.records],
                          "geo_matched": [r["matched"] for r in report.records]}, index=df.index)
    shown = mask_layer_rows(ws, layer, shown)
    for r, a, why, m in zip(report.records, shown[field_name], shown["geo_reason"], shown["geo_matched"]):
        r["address"] = a if isinstance(a, str) else None
        r["reason"], r["matched"] = (why if isinstance(why, str) else ""), (m if isinstance(m, str) else "")
    if out is not None:
        _store(ws, layer, out, report, fb)
    return report


def locate_addresses(ws: Workspace, addresses: list, streets: list, communities: list) -> list:
    """(level, x, y) or None for each address (with its record's street and community): the
    complaint importer's hook (``ImportOptions.locate``)."""
    coder = Geocoder(ws, gazetteer(ws))
    out, memo = [], {}
    for a, s, c in zip(addresses, streets, communities):
        key = (_s(a), _s(s), _s(c))
        if key not in memo:
            g = coder.geocode(key[0], street=key[1], community=key[2])
            memo[key] = None if g.level is None else (g.level, g.x, g.y)
        out.append(memo[key])
    return out


def _s(v) -> str | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip() else str(v)


def _store(ws: Workspace, layer: str, out: str, report: GeocodeReport, fb: Feedback) -> None:
    rows = ws.read_features(layer, geometry=False)
    by_fid = {r["fid"]: r for r in report.records}
    recs = [by_fid[int(f)] for f in rows.index]
    x = np.array([np.nan if r["x"] is None else r["x"] for r in recs], dtype=float)
    y = np.array([np.nan if r["y"] is None else r["y"] for r in recs], dtype=float)
    geoms = np.where(np.isnan(x), None, shapely.points(np.nan_to_num(x), np.nan_to_num(y)))
    data = pd.DataFrame(rows).drop(columns=[c for c in ("geo_level", "geo_confidence", "geo_reason")
                                            if c in rows.columns])
    data["geo_level"] = [r["level"] for r in recs]
    data["geo_confidence"] = [float(r["confidence"]) for r in recs]
    data["geo_reason"] = [r["reason"] or None for r in recs]
    data["location_source"] = [r["location_source"] for r in recs]
    data["src_fid"] = rows.index.to_numpy(dtype=np.int64)
    gdf = gpd.GeoDataFrame(data.reset_index(drop=True), geometry=gpd.GeoSeries(geoms, crs=ws.crs), crs=ws.crs)
    kind = ws.layer(layer).kind
    ws.write_layer(out, gdf, kind=kind, source=f"geocode {layer}.{report.field}",
                   details=lineage(ws, [layer], {"geocoded_from": f"{layer}.{report.field}"}), feedback=fb)
