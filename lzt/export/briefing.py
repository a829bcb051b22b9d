"""The complaint briefing (民生诉求周报/月报): the numbers and words of one period, and its files.

``briefing_content`` gathers everything from one ``early_warning.warn`` run (Qt-free):
headline numbers (受理量, 环比, 同比, 办结率, 满意率), the trend and the categories, the top
communities and 小区 with their change, the warning list, repeat callers and addresses,
the hotspot and pattern cells for the maps, and short Chinese paragraphs stating the
facts. Every number names the query it comes from (``Briefing.sources``: the records and
the time window, as ``lzt stats``/``lzt warn`` would select them).

``write_briefing`` writes it as a vector PDF (``briefing_page``: the shipped font embedded,
maps through the one renderer) or as DOCX (``briefing_docx``: python-docx, editable in
WPS/Word, the same charts and maps as pictures). No personal field is read for the briefing;
addresses appear generalised (masked, no house or room numbers).

Definitions [P]: 办结率 = orders of the period with status 已办结/已回访/已归档 ÷ orders of the
period (DOMAIN.md §2.2 defines it over orders due, [M]; the demo has no due dates); 满意率 =
(满意 + 基本满意) ÷ rated orders of the period (未评价 and empty left out); 环比 = against the
previous period, 同比 = against the same period a year earlier (52 weeks or 12 months).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from layers.kinds import LayerKind
from lzt.analysis.early_warning import ALL, DISTRICT, WarnResult, warn
from lzt.analysis.emerging import COLD_PATTERNS, HOT_PATTERNS
from lzt.analysis.spacetime import PER_YEAR
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.export.briefing_model import Briefing, MapCells
from lzt.workspace.base import Workspace

CLOSED = ("已办结", "已回访", "已归档")
SATISFIED = ("满意", "基本满意")
UNRATED = ("未评价", "", None)
NAME = {"week": "周", "month": "月"}


def briefing_content(ws: Workspace, layer: str | None = None, *, period: str = "week", as_of: date | None = None,
                     street: str | None = None, cell: float = 200.0, feedback: Feedback | None = None) -> Briefing:
    """The briefing of the ``period`` ending on ``as_of`` (default: the day of the last record)."""
    fb = ensure(feedback)
    if period not in NAME:
        raise LztInputError("--period", f"unknown period {period!r}; use week or month")
    layer = layer or next((li.name for li in ws.layers() if li.kind == LayerKind.COMPLAINTS), None)
    if layer is None:
        raise LztInputError(ws.uri, "the workspace has no complaint layer")
    res = warn(ws, layer, as_of=as_of, period=period, cell=cell, street=street, feedback=fb)
    n = res.periods.n
    final, prev = n - 1, n - 2
    year = final - PER_YEAR[period]
    tot = res.totals[-1]
    this, before = int(tot[final]), int(tot[prev])
    ago = int(tot[year]) if year >= res.first_period else None
    cur = _records(ws, layer, res.fids_of(final), ["status", "satisfaction", "community", "address"])
    prv = _records(ws, layer, res.fids_of(prev), ["community", "address"])
    closed = int(cur["status"].isin(CLOSED).sum()) if "status" in cur else None
    rated = cur["satisfaction"].where(~cur["satisfaction"].isin(UNRATED)).dropna() if "satisfaction" in cur else None
    satisfied = int(rated.isin(SATISFIED).sum()) if rated is not None else None
    lab = NAME[period]
    window = f"{res.periods.start(final)} 至 {res.periods.end(final)}"
    headline = [
        ("受理量", f"{this:,}", f"件（{window}）"),
        ("环比", _pct(this, before), f"上{lab} {before:,} 件"),
        ("同比", _pct(this, ago) if ago is not None else "—", f"去年同期 {ago:,} 件" if ago is not None else "无去年同期数据"),
        ("办结率", _rate(closed, this), f"已办结 {closed:,} 件" if closed is not None else "无办理状态"),
        ("满意率", _rate(satisfied, len(rated) if rated is not None else None),
         f"已评价 {len(rated):,} 件" if rated is not None else "无满意度"),
    ]
    cats = [(c, int(res.totals[g, final]), int(res.totals[g, prev])) for g, c in enumerate(res.categories[:-1])]
    cats.sort(key=lambda r: (-r[1], r[0]))
    communities = _top_changes(cur.get("community"), prv.get("community"))
    compounds = _compound_changes(ws, layer, res, final, prev, cur, prv)
    hot = res.final_sig[-1] if res.final_sig is not None else np.zeros(len(res.locations), np.int8)
    z = res.final_z[-1] if res.final_z is not None else np.zeros(len(res.locations))
    hot_cls = np.where(hot > 0, np.where(z > 2.58, "热点（99%）", "热点（95%）"),
                       np.where(hot < 0, "冷点", "不显著"))
    keep = hot != 0
    pats = res.patterns.pattern[-1] if res.patterns is not None else np.full(len(res.locations), "无显著模式")
    pk = pats != "无显著模式"
    alerts = list(res.alerts)
    extent, base = _extent(ws, res, street)
    paragraphs = _paragraphs(res, lab, window, this, before, ago, cats, alerts, closed, satisfied, rated, street)
    where = f"--from {res.periods.start(final)} --to {res.periods.end(final)}"
    src = f"{layer} 图层 received_at ∈ [{res.periods.start(final)}, {res.periods.end(final)}]" + (
        f" 且 street = '{street}'" if street else "")
    sources = [
        ("受理量", f"{src} 的记录数（lzt stats WS {layer} --by category {where}）"),
        ("环比", f"同上，上一{lab} [{res.periods.start(prev)}, {res.periods.end(prev)}]"),
        ("同比", f"同上，去年同期 [{res.periods.start(year)}, {res.periods.end(year)}]" if year >= 0 else "无"),
        ("办结率", f"{src} 中 status ∈ {{{'、'.join(CLOSED)}}} 的记录数 ÷ 受理量"),
        ("满意率", f"{src} 中 satisfaction ∈ {{满意、基本满意}} ÷ 已评价（不含未评价、空）"),
        ("分类、社区、小区", f"{src} 按 cat_l1 / community / 住宅小区（lzt stats --by compound）计数"),
        ("热点、模式、预警", f"lzt warn WS {layer} --cell {cell:g} --period {period} --as-of {res.as_of}"),
    ]
    return Briefing(
        title=f"龙岗区民生诉求{'周' if period == 'week' else '月'}报" + (f"（{_street(street)}）" if street else ""),
        period_label=window, as_of=res.as_of, period=period, street=street, headline=headline,
        paragraphs=paragraphs, trend=[(str(res.periods.start(i)), int(tot[i])) for i in range(max(n - 12, 0), n)],
        categories=cats, communities=communities, compounds=compounds, alerts=alerts,
        callers=[a for a in alerts if a.kind == "一人多诉"], addresses=[a for a in alerts if a.kind == "重复地址"],
        hotspots=MapCells(res.locations.polygons[keep], hot_cls[keep]),
        patterns=MapCells(res.locations.polygons[pk], pats[pk].astype(str)),
        extent=extent, base_layers=base, cell_note=f"{cell:g} 米格网，Gi* 时空邻域（本{lab}及上{lab}）",
        sources=sources)


def _street(name: str) -> str:
    return name if name.endswith("街道") else name + "街道"


def _records(ws, layer: str, fids: np.ndarray, cols: list[str]) -> pd.DataFrame:
    have = [c for c in cols if c in ws.fields(layer)]
    if not len(fids) or not have:
        return pd.DataFrame(columns=have)
    return pd.DataFrame(ws.read_features(layer, fids=fids, columns=have, geometry=False)).drop(
        columns="geometry", errors="ignore")


def _top_changes(cur: pd.Series | None, prv: pd.Series | None, top: int = 10) -> list[tuple[str, int, int]]:
    if cur is None:
        return []
    a = cur.dropna().astype(str).value_counts()
    b = prv.dropna().astype(str).value_counts() if prv is not None else pd.Series(dtype=int)
    rows = [(k, int(v), int(b.get(k, 0))) for k, v in a.items()]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows[:top]


def _compound_changes(ws, layer, res: WarnResult, final, prev, cur, prv) -> list[tuple[str, int, int]]:
    """Top 小区 of the period (records assigned as ``lzt stats --by compound`` assigns them)."""
    from lzt.analysis.compounds import assign_compounds, compound_labels, read_compounds

    if not ws.has_layer("poi") or not {"category", "name"} <= set(ws.fields("poi")):
        return []
    try:
        comp = read_compounds(ws, "poi")
    except LztInputError:
        return []
    x, y = res.record_xy
    parts, addrs = [], []
    for period, frame in ((final, cur), (prev, prv)):  # both periods in one assignment
        ok = (res.record_period == period) & np.isfinite(x)
        parts.append(np.flatnonzero(ok))
        fids = res.record_fid[ok]
        addrs.append(frame["address"].reindex(fids).to_numpy(dtype=object) if "address" in frame
                     else np.full(len(fids), None, dtype=object))
    both = np.concatenate(parts)
    idx = assign_compounds(x[both], y[both], comp, address=np.concatenate(addrs))
    split = len(parts[0])
    counts = [np.bincount(i[i >= 0], minlength=len(comp)) for i in (idx[:split], idx[split:])]
    used = np.flatnonzero(counts[0])
    labels = compound_labels(comp, used)
    rows = [(str(k), int(counts[0][i]), int(counts[1][i])) for k, i in zip(labels, used)]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows[:10]


def _extent(ws, res: WarnResult, street: str | None):
    base = [n for n in ("streets", "communities", "roads") if ws.has_layer(n)]
    if street and ws.has_layer("streets") and "name" in ws.fields("streets"):
        from lzt.core.filters import Compare

        s = ws.read_features("streets", where=Compare("name", "=", street))
        if len(s):
            return tuple(float(v) for v in s.total_bounds), base
    for n in ("district", "streets"):
        if ws.has_layer(n) and ws.layer(n).extent:
            return tuple(float(v) for v in ws.layer(n).extent), base
    import shapely

    return tuple(float(v) for v in shapely.total_bounds(res.locations.polygons)), base


def _versus(a: int, b: int | None, none_text: str, words) -> str:
    """``a`` against ``b`` in words: ``words(per cent change)``, or what is said without a base."""
    if b is None:
        return none_text
    if b == 0:
        return "上期为 0" if a else "持平"
    return words((a - b) / b * 100)


def _pct(a: int, b: int | None) -> str:
    return _versus(a, b, "—", lambda v: f"{'+' if v > 0 else ''}{v:.1f}%")


def _rate(a: int | None, b: int | None) -> str:
    return "—" if a is None or not b else f"{a / b * 100:.1f}%"


def _updown(a: int, b: int | None) -> str:
    return _versus(a, b, "无同期数据",
                   lambda v: "持平" if abs(v) < 0.05 else f"{'上升' if v > 0 else '下降'} {abs(v):.1f}%")


def _paragraphs(res, lab, window, this, before, ago, cats, alerts, closed, satisfied, rated, street) -> list[str]:
    """Short sentences stating the facts, every number from the content above."""
    where = _street(street) if street else "全区"
    out = [f"本{lab}（{window}）{where}共受理民生诉求 {this:,} 件，环比{_updown(this, before)}"
           + (f"，同比{_updown(this, ago)}" if ago is not None else "") + "。"
           + (f"已办结 {closed:,} 件，办结率 {_rate(closed, this)}" if closed is not None else "")
           + (f"；已评价 {len(rated):,} 件，满意率 {_rate(satisfied, len(rated))}。" if rated is not None and len(rated)
              else "。" if closed is not None else "")]
    top = [c for c in cats if c[1] > 0][:3]
    if top:
        out.append("诉求量居前的类别：" + "；".join(f"{c}{n:,} 件（环比{_updown(n, p)}）" for c, n, p in top) + "。")
    pats = [a for a in alerts if a.kind in HOT_PATTERNS]
    if pats:
        groups: dict[tuple[str, str, str], int] = {}
        for a in pats:
            k = (a.place.split(" ")[0] if a.place and a.place != a.area else "", a.category, a.kind)
            groups[k] = groups.get(k, 0) + 1
        out.append("；".join(f"{s}{c}{k} {n} 处" for (s, c, k), n in sorted(groups.items())) + "。")
    surges = [a for a in alerts if a.kind == "异动"]
    if surges:
        out.append("异动：" + "；".join(
            f"{'全区' if a.area == DISTRICT else a.place.replace(' ', '')}{a.category}本{lab} {a.evidence['observed']} 件，"
            f"期望 {a.evidence['expected']:g} 件" for a in surges[:5]) + (f"等 {len(surges)} 处" if len(surges) > 5 else "")
            + "。")
    people = {k: sum(a.kind == k for a in alerts) for k in ("多人同诉", "一人多诉", "重复地址", "敏感词")}
    said = [f"{k} {v} 起" for k, v in people.items() if v]
    if said:
        out.append("需关注：" + "，".join(said) + "（来电人信息已脱敏，仅以工单编号追溯）。")
    red = sum(a.level == "红" for a in alerts)
    out.append(f"本{lab}共生成预警 {len(alerts)} 条，其中红色 {red} 条、橙色 {sum(a.level == '橙' for a in alerts)} 条、"
               f"黄色 {sum(a.level == '黄' for a in alerts)} 条。")
    if res.patterns is not None:
        fading = int((res.patterns.pattern[-1] == "减弱热点").sum())
        if fading:
            out.append(f"全部诉求的时空模式中，减弱热点 {fading} 个格网，持续热点 "
                       f"{int((res.patterns.pattern[-1] == '持续热点').sum())} 个格网。")
    return out


def write_briefing(ws: Workspace, out: str | Path, layer: str | None = None, *, period: str = "week",
                   as_of: date | None = None, street: str | None = None, cell: float = 200.0,
                   feedback: Feedback | None = None) -> Path:
    """Write the briefing to ``out`` (.pdf or .docx), whole or not at all."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise LztInputError(out, "the briefing is a .pdf or a .docx file")
    if not out.parent.is_dir():
        raise LztInputError(out, "the folder does not exist")
    fb = ensure(feedback)
    content = briefing_content(ws, layer, period=period, as_of=as_of, street=street, cell=cell, feedback=fb)
    fb.check()
    if suffix == ".pdf":
        from lzt.export.briefing_page import write_pdf

        write_pdf(out, content, ws)
    else:
        from lzt.export.briefing_docx import write_docx

        write_docx(out, content, ws)
    return out


__all__ = ["Briefing", "briefing_content", "write_briefing", "ALL", "COLD_PATTERNS", "HOT_PATTERNS"]
