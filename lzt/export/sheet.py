"""Map sheets (出图): a true-scale map frame with the elements a Chinese thematic sheet carries.

``plan_sheet`` resolves a ``SheetSpec`` against a workspace (scale, ground extent, layers,
title); ``draw_sheet`` draws one page onto any QPainter (device pixels); ``render_sheet``
writes a PDF (vector, text selectable, the shipped CJK font embedded), PNG or SVG file
atomically. The map itself is drawn by ``lzt.render`` exactly as on the canvas.

Elements: title, map frame (inner and outer neat lines) at 1:N, coordinate grid with labelled
ticks in the workspace CRS (E along the top and bottom, N along the sides), legend from the
styles, graphic and numeric scale, north arrow (grid north; the convergence in Longgang is
about 0.14° at the east edge: Δλ·sin φ, not drawn), CRS note from the CRS, producer and date, an optional
overview inset, sheet number for standard sheets, and a 内部用图 stamp [P, DOMAIN.md §4.1].
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

import shapely

from layers.kinds import LayerKind
from lzt.core.crs_note import crs_note_zh, vertical_name_zh
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.export.sheet_spec import (STANDARD_FRAME_MM, Bounds, Layout, SheetSpec, adjoining_sheets, extent_at_scale,
                                   fit_scale, grid_step, parse_sheet_number, plan_layout, scale_bar_length)
from lzt.render.cache import source_for
from lzt.render.painter import PaintResult
from lzt.render.pdf import ImagePage, PdfPages, SvgPage
from lzt.export.sheet_page import SheetPage, draw_sheet_page
from lzt.workspace.base import Workspace


@dataclass(frozen=True)
class SheetPlan:
    spec: SheetSpec
    layout: Layout
    scale: float
    extent: Bounds  # ground extent of the map frame
    layers: tuple[str, ...]
    title: str
    highlight: object | None = None  # shapely geometry outlined on the map
    sheet_no: str | None = None
    profile: object | None = None  # ElevationProfile of spec.profile, drawn under the map


def find_feature(ws: Workspace, layer: str, ident: str):
    """(fid, geometry, name) of feature ``ident`` of ``layer``: a feature id, else a value of
    an id/name/code field."""
    info = ws.layer(layer)
    if info.kind == LayerKind.RASTER:
        raise LztInputError("--feature", f"layer {layer!r} is a raster layer")
    fields = ws.fields(layer)
    name_field = next((f for f in ("name", "名称", "parcel_id", "code", "order_id") if f in fields), None)
    gdf = None
    if str(ident).isdigit():
        gdf = ws.read_features(layer, fids=[int(ident)], columns=[name_field] if name_field else [])
    if gdf is None or gdf.empty:
        from lzt.core.filters import Compare

        for f in ("name", "名称", "parcel_id", "code", "order_id", "id"):
            if f in fields and fields[f] == "TEXT":
                gdf = ws.read_features(layer, where=Compare(f, "=", str(ident)), limit=1,
                                       columns=[name_field] if name_field else [])
                if not gdf.empty:
                    break
    if gdf is None or gdf.empty or gdf.geometry.values[0] is None:
        raise LztInputError("--feature", f"layer {layer!r} has no feature {ident!r} (give a feature id, "
                                         "or a name/code value)")
    if name_field:  # the sheet's title: masked when the layer is personal
        from lzt.analysis.masking import mask_layer_rows

        gdf = mask_layer_rows(ws, layer, gdf)
    name = str(gdf[name_field].values[0]) if name_field else str(gdf.index[0])
    return int(gdf.index[0]), gdf.geometry.values[0], name


def plan_sheet(ws: Workspace, spec: SheetSpec) -> SheetPlan:
    """Resolve the scale, frame extent, layers and title of ``spec`` for ``ws``."""
    spec = spec.validated()
    names = list(spec.layers) if spec.layers else [i.name for i in ws.layers()]
    for n in names:
        ws.layer(n)  # LztInputError naming the workspace and the layer
    highlight = None
    sheet_no = None
    title = spec.title
    if spec.sheet_no:
        scale, ext = parse_sheet_number(spec.sheet_no, spec.scale)
        layout = plan_layout(spec, (STANDARD_FRAME_MM, STANDARD_FRAME_MM))
        sheet_no = spec.sheet_no.strip()
        title = title or f"{sheet_no}"
        return SheetPlan(spec, layout, float(scale), ext, tuple(names), title, None, sheet_no)
    layout = plan_layout(spec)
    frame = layout.frame
    target: Bounds | None = None
    center = spec.center
    if spec.feature:
        _, geom, fname = find_feature(ws, *spec.feature)
        highlight = geom
        b = shapely.bounds(geom)
        target = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
        title = title or fname
    elif spec.extent:
        target = tuple(map(float, spec.extent))  # type: ignore[assignment]
    elif spec.profile is not None and center is None:  # frame the profile's line
        b = shapely.LineString(spec.profile).bounds
        target = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
    elif center is None:
        src = source_for(ws)
        target = src.union_extent(names)
        if target is None:
            raise LztInputError(ws.uri, "the chosen layers are empty; nothing to map")
    if target is not None:
        if target[2] - target[0] < 1 and target[3] - target[1] < 1:  # a point feature
            target = (target[0] - 50, target[1] - 50, target[2] + 50, target[3] + 50)
        scale = float(spec.scale) if spec.scale else float(fit_scale(target, frame, spec.margin_ratio))
        center = ((target[0] + target[2]) / 2, (target[1] + target[3]) / 2)
    else:
        scale = float(spec.scale) if spec.scale else 10000.0
    ext = extent_at_scale(center, scale, frame)  # type: ignore[arg-type]
    profile = None
    if spec.profile is not None:
        from lzt.analysis.profile import elevation_profile

        profile = elevation_profile(ws, shapely.LineString(spec.profile))
    return SheetPlan(spec, layout, scale, ext, tuple(names), title or "专题图", highlight, sheet_no, profile)


def sheet_page(ws: Workspace, plan: SheetPlan, today: str | None = None) -> SheetPage:
    """The plain-values page the renderer draws for ``plan``."""
    L = plan.layout
    e = plan.extent
    standard = plan.sheet_no is not None
    crs_line = crs_note_zh(ws.crs)
    heights = sorted({vertical_name_zh(d) for n in plan.layers if ws.layer(n).kind == LayerKind.RASTER
                      and (d := (ws.layer(n).details or {}).get("vertical_datum"))})
    if heights:  # only what the rasters declare; a DEM silent about its datum gets no note
        crs_line += "；" + "、".join(heights)
    date = plan.spec.date or today or _dt.date.today().isoformat()
    try:
        d = _dt.date.fromisoformat(date)
        date_txt = f"{d.year}年{d.month}月{d.day}日"
    except ValueError:
        date_txt = date
    notes = (*plan.spec.notes, f"坐标系：{crs_line}", f"制图单位：{plan.spec.producer}　　制图日期：{date_txt}",
             f"数据来源：工作空间 {Path(ws.uri).name}")
    box = lambda b: (b.x, b.y, b.w, b.h)  # noqa: E731
    return SheetPage(
        page_w=L.page_w, page_h=L.page_h, frame=box(L.frame), title_box=box(L.title), panel=box(L.panel),
        footer=box(L.footer), band=L.band, panel_side=L.panel_side, extent=e, scale=plan.scale,
        layers=plan.layers, title=plan.title, notes=notes, sheet_no=plan.sheet_no, stamp=plan.spec.stamp,
        overview=plan.spec.overview, highlight=plan.highlight,
        grid_step=plan.scale / 10.0 if standard else grid_step(e[2] - e[0], 5),  # 10 cm on standard sheets
        grid_crosses=standard, scalebar=scale_bar_length(plan.scale, min(80.0, L.footer.w * 0.3)),
        sizes=dict(L.sizes), adjoining=adjoining_sheets(plan.sheet_no, plan.scale) if standard else None,
        opacity={n: float(o) for n, o in plan.spec.opacity if n in plan.layers},
        filters={n: f for n, f in plan.spec.filters if n in plan.layers and f is not None},
        profile=plan.profile, profile_box=box(L.profile) if L.profile is not None else None)


def draw_sheet(painter, ws, plan: SheetPlan, dpi: float, *, today: str | None = None) -> PaintResult:
    """Draw one sheet page onto ``painter`` (device pixels at ``dpi``)."""
    return draw_sheet_page(painter, ws, sheet_page(ws, plan, today), dpi)


# -- files ----------------------------------------------------------------------------------
def output_format(out: str | Path, option: str = "OUT") -> str:
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in ("pdf", "png", "svg"):
        raise LztInputError(out if option == "OUT" else option,
                            f"unknown output format {suffix or '(none)'!r}: use .pdf, .png or .svg")
    return suffix


def check_writable(out: str | Path) -> Path:
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise LztInputError(out, f"folder {parent} does not exist")
    import os

    if not os.access(parent, os.W_OK):
        raise LztInputError(out, f"folder {parent} is not writable")
    if out.is_dir():
        raise LztInputError(out, "is a folder; give a file name ending in .pdf, .png or .svg")
    return out


def render_sheet(ws: Workspace, spec: SheetSpec, out: str | Path, *, feedback: Feedback | None = None,
                 today: str | None = None) -> SheetPlan:
    """Write one sheet to ``out`` (.pdf vector, .png raster at ``spec.dpi``, .svg), atomically."""
    fb = ensure(feedback)
    fmt = output_format(out)
    out = check_writable(out)
    plan = plan_sheet(ws, spec)
    fb.progress(0, 1, "出图")
    page = _open_page(out, fmt, plan, title=plan.title)
    with page:
        draw_sheet(page.painter, ws, plan, page.dpi, today=today)
        fb.check()
    fb.progress(1, 1, "出图")
    return plan


def _open_page(out: Path, fmt: str, plan: SheetPlan, title: str):
    size = (plan.layout.page_w, plan.layout.page_h)
    if fmt == "pdf":
        return PdfPages(out, size, dpi=plan.spec.dpi, title=title)
    if fmt == "svg":
        return SvgPage(out, size, dpi=96.0, title=title)
    return ImagePage(out, size, dpi=plan.spec.dpi)


__all__ = ["SheetPlan", "plan_sheet", "draw_sheet", "render_sheet", "find_feature", "output_format",
           "check_writable"]
