"""The parcel supervision report (宗地批后监管核查报告): per parcel, its contract terms, the
check results with their numbers, a map of the parcel, its buildings and the complaints nearby,
a summary of those complaints (no personal data) and the inspection history. This module
gathers the content (Qt-free); ``lzt.export.report_page`` lays it out as a vector PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path


from layers.kinds import LayerKind
from lzt.analysis import supervision as sv
from lzt.analysis.supervision import RULE_ZH, STATUS_ZH
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.workspace.base import Workspace
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

NEARBY_M = 300.0
PRODUCER = "龙岗区规划和自然资源局 · 龙政图 lzt"


def parcel_report(ws: Workspace, parcel_id: str | list[str], out: str | Path, *, as_of: date | None = None,
                  layer: str | None = None, producer: str = PRODUCER, feedback: Feedback | None = None) -> Path:
    """Write the report of one parcel (or several, each from a new page) to ``out`` (PDF).

    Written to a temporary file and moved into place: a failure leaves no partial PDF.
    """
    from lzt.export.report_page import write_reports

    fb = ensure(feedback)
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise LztInputError(out, "the report is a PDF: give a .pdf file name")
    if not out.parent.is_dir():
        raise LztInputError(out, "the folder does not exist")
    ids = [parcel_id] if isinstance(parcel_id, str) else list(parcel_id)
    if not ids:
        raise LztInputError(out, "no parcel to report on")
    as_of = as_of or date.today()
    layer = sv.supervision_layer(ws, layer)
    reports = []
    for i, pid in enumerate(ids):
        fb.check()
        fb.progress(i, 2 * len(ids), f"核查 {pid}")
        (check,) = sv.run_checks(ws, layer=layer, parcel=pid, as_of=as_of)
        reports.append(report_content(ws, layer, check, as_of))

    def check_cancel(i: int) -> None:
        fb.check()
        fb.progress(len(ids) + i, 2 * len(ids), f"排版 {ids[i]}")

    title = f"宗地批后监管核查报告 {ids[0]}" + (f" 等 {len(ids)} 宗" if len(ids) > 1 else "")
    write_reports(out, reports, ws, title=title, footer=f"{producer}  {as_of}", check=check_cancel)
    fb.progress(2 * len(ids), 2 * len(ids), "报告完成")
    return out


def report_content(ws: Workspace, layer: str, check: sv.ParcelCheck, as_of: date):
    """The words and numbers of one parcel's report."""
    from layers.supervision import LABELS
    from lzt.export.report_page import ParcelReport

    terms = ws.read_features(layer, fids=[check.fid]).iloc[0]
    items = [(lab, fmt(terms.get(f))) for f, lab in LABELS.items() if f != "version"]
    geom = terms.geometry
    nearby = None if geom is None or geom.is_empty else sv.nearby_complaints(ws, geom, NEARBY_M)
    by = nearby["cat_l1"].value_counts().head(8) if nearby is not None and "cat_l1" in nearby else pd.Series(dtype=int)
    names = [n for n in ("dem", "parcels", layer, "roads", "bim_models") if ws.has_layer(n)]
    names += [li.name for li in ws.layers() if li.kind == LayerKind.COMPLAINTS][:1]
    history = [(h["inspected_on"], h["inspector"], h["result"],
                (h["notes"] or "") + (f"（照片 {len(h['photos'])} 张）" if h["photos"] else ""))
               for h in ws.inspections(layer, check.parcel_id)]
    from lzt.analysis.imagery import before_after

    pair = before_after(ws, geom, terms.get("actual_start"))
    return ParcelReport(
        imagery=[(a.layer, a.acquired) for a in pair] if pair else [],
        parcel_id=check.parcel_id, project=str(terms.get("project") or ""), as_of=as_of.isoformat(),
        verdict=STATUS_ZH[check.worst], terms=[(k, v) for k, v in items if v],
        results=[(RULE_ZH[r.rule], STATUS_ZH[r.status], fmt(r.value), fmt(r.limit), r.detail) for r in check.results],
        models=list(check.models), geometry=geom, map_layers=names, nearby_m=NEARBY_M,
        nearby_count=None if nearby is None else len(nearby),
        nearby_by_category=[(str(k), int(v)) for k, v in by.items()], history=history)


def fmt(v) -> str:
    """A value as the report prints it (dates as dates, trailing zeros dropped)."""
    if v is None or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)
