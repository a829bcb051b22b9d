"""Atlases (图集): one sheet per feature of a coverage layer, as one multi-page PDF or one
file per sheet in a folder. Each sheet frames its feature (at the spec's scale, or a fitted
one), outlines it in red and carries the feature's name in its title."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import shapely

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.export.sheet import SheetPlan, _open_page, check_writable, draw_sheet, output_format, plan_sheet
from lzt.export.sheet_spec import SheetSpec
from lzt.render.pdf import PdfPages
from lzt.workspace.base import Workspace

NAME_FIELDS = ("name", "名称", "parcel_id", "code", "order_id")


def coverage_features(ws: Workspace, layer: str, where: str | None = None):
    """The coverage features (GeoDataFrame indexed by fid, with a ``_name`` column)."""
    from lzt.query.run import QuerySpec, run_query

    info = ws.layer(layer)
    if info.kind == LayerKind.RASTER:
        raise LztInputError("--coverage", f"layer {layer!r} is a raster layer; use a polygon layer")
    feats = run_query(ws, QuerySpec(layer=layer, where=where)).features
    feats = feats[~(feats.geometry.isna() | feats.geometry.is_empty)]
    if feats.empty:
        raise LztInputError("--coverage", f"layer {layer!r} has no features"
                                          + (f" matching {where!r}" if where else ""))
    name_field = next((f for f in NAME_FIELDS if f in feats.columns), None)
    from lzt.analysis.masking import mask_layer_rows

    feats = mask_layer_rows(ws, layer, feats).copy()  # page titles of a personal layer: masked
    feats["_name"] = feats[name_field].astype(str) if name_field else [str(i) for i in feats.index]
    return feats


def atlas_plans(ws: Workspace, spec: SheetSpec, coverage: str, where: str | None = None) -> list[SheetPlan]:
    """One sheet plan per coverage feature (framed on it, outlined, named in the title)."""
    if spec.center or spec.extent or spec.feature or spec.sheet_no:
        raise LztInputError("--coverage", "an atlas frames each coverage feature itself; "
                                          "do not give --center, --extent, --feature or --sheet-no")
    feats = coverage_features(ws, coverage, where)
    plans = []
    for geom, name in zip(feats.geometry.values, feats["_name"]):
        b = shapely.bounds(geom)
        title = f"{spec.title}——{name}" if spec.title else str(name)
        plan = plan_sheet(ws, replace(spec, extent=tuple(map(float, b)), title=title))
        plans.append(replace(plan, highlight=geom))
    return plans


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._") or "sheet"


def render_atlas(ws: Workspace, spec: SheetSpec, coverage: str, out: str | Path, *, where: str | None = None,
                 fmt: str = "pdf", feedback: Feedback | None = None, today: str | None = None) -> list[Path]:
    """Write the atlas: ``out`` ending in .pdf -> one multi-page PDF; otherwise ``out`` is a
    folder receiving one ``.{fmt}`` file per sheet. Nothing is left behind on error or cancel."""
    fb = ensure(feedback)
    out = Path(out)
    single = out.suffix.lower() == ".pdf"
    if out.suffix.lower() in (".png", ".svg") and not out.is_dir():
        raise LztInputError(out, "an atlas is one .pdf or a folder: for one PNG or SVG per sheet give a folder "
                                 f"and --format {out.suffix.lower()[1:]}")
    if single:
        check_writable(out)
    else:
        fmt = output_format(f"x.{fmt}", "--format")
        if out.exists() and not out.is_dir():
            raise LztInputError(out, "exists and is not a folder (give OUT.pdf or a folder)")
        parent = out.parent
        if not parent.is_dir() or not os.access(parent, os.W_OK):
            raise LztInputError(out, f"folder {parent} does not exist or is not writable")
    plans = atlas_plans(ws, spec, coverage, where)
    n = len(plans)
    if single:
        first = plans[0].layout
        with PdfPages(out, (first.page_w, first.page_h), dpi=plans[0].spec.dpi,
                      title=spec.title or f"{coverage} 图集") as doc:
            for i, plan in enumerate(plans):
                fb.check()
                fb.progress(i, n, f"图集 {plan.title}")
                if i:
                    doc.new_page()
                draw_sheet(doc.painter, ws, plan, doc.dpi, today=today)
        fb.progress(n, n, "图集")
        return [out]
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=str(out.parent)))
    written: list[Path] = []
    try:
        names = []
        for i, plan in enumerate(plans):
            fb.check()
            fb.progress(i, n, f"图集 {plan.title}")
            fname = f"{i + 1:03d}_{_safe(plan.title)}.{fmt}"
            with _open_page(tmpdir / fname, fmt, plan, plan.title) as page:
                draw_sheet(page.painter, ws, plan, page.dpi, today=today)
            names.append(fname)
        out.mkdir(exist_ok=True)
        for fname in names:
            os.replace(tmpdir / fname, out / fname)
            written.append(out / fname)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    fb.progress(n, n, "图集")
    return written
