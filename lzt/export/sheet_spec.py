"""Map-sheet specifications and page layout, pure (no Qt, no workspace).

A ``SheetSpec`` says what the user asked for (paper, scale, where, layers, title ...);
``plan_layout`` turns it into millimetre boxes on the page; ``resolve_view`` fixes the scale
and the ground extent of the map frame so that 1:N is exact: the frame's ground size is its
paper size times N.

Standard sheet division (DOMAIN.md §4.2, GB/T 20257.1 practice): 50 cm x 50 cm sheets at
1:500 / 1:1000 / 1:2000 (250 / 500 / 1000 m on the ground), numbered by the south-west
corner in km, northing (X) first: ``"2513.50-525.25"`` (1:500, two decimals),
``"2513.5-525.0"`` (1:1000 and 1:2000, one decimal). The easting is written without a
zone prefix (EPSG:4547 style) [P].
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from lzt.core.errors import LztInputError

Bounds = tuple[float, float, float, float]

#: ISO 216 paper sizes, portrait (width, height) in mm.
PAPERS: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "A2": (420.0, 594.0),
                                          "A1": (594.0, 841.0), "A0": (841.0, 1189.0)}
#: Ground side of a 50 cm standard sheet per scale, metres.
STANDARD_SHEETS: dict[int, float] = {500: 250.0, 1000: 500.0, 2000: 1000.0}
STANDARD_FRAME_MM = 500.0
FORMATS = ("pdf", "png", "svg")


@dataclass(frozen=True)
class SheetSpec:
    """What one sheet shows. Exactly one of ``center``, ``extent``, ``feature``, ``sheet_no``
    may be given (none: the layers' full extent)."""

    paper: str = "A3"
    landscape: bool = False
    scale: float | None = None
    center: tuple[float, float] | None = None
    extent: Bounds | None = None
    feature: tuple[str, str] | None = None  # (layer, id or name)
    layers: tuple[str, ...] | None = None
    title: str | None = None
    dpi: float = 300.0
    sheet_no: str | None = None
    producer: str = "龙政图 lzt"
    date: str | None = None  # ISO date; default today
    overview: bool = True
    stamp: str | None = "内部用图"
    margin_ratio: float = 0.05  # ground margin around --extent/--feature when the scale is chosen
    # the map as the screen shows it (the GUI fills these from the session): per-layer opacity
    # on top of the style's, per-layer attribute filters (lzt.core.filters, e.g. the dashboard's
    # time window), and notes that say so on the sheet
    opacity: tuple[tuple[str, float], ...] = ()
    filters: tuple[tuple[str, object], ...] = ()
    notes: tuple[str, ...] = ()
    profile: tuple[tuple[float, float], ...] | None = None  # a line (workspace CRS): its 纵断面 under the map

    def validated(self) -> SheetSpec:
        paper = str(self.paper).upper()
        if paper not in PAPERS:
            raise LztInputError("--paper", f"unknown paper {self.paper!r} (use {', '.join(PAPERS)})")
        if self.scale is not None and not (math.isfinite(self.scale) and self.scale > 0):
            raise LztInputError("--scale", f"expected a positive scale denominator, got {self.scale!r}")
        if not (30 <= self.dpi <= 1200):
            raise LztInputError("--dpi", f"expected 30 to 1200, got {self.dpi:g}")
        given = [n for n, v in (("--center", self.center), ("--extent", self.extent),
                                ("--feature", self.feature), ("--sheet-no", self.sheet_no)) if v is not None]
        if len(given) > 1:
            raise LztInputError(given[1], f"give only one of --center, --extent, --feature, --sheet-no "
                                          f"(got {' and '.join(given)})")
        if self.profile is not None:
            pts = [tuple(map(float, p)) for p in self.profile]
            if len(pts) < 2 or not all(math.isfinite(v) for p in pts for v in p) or len(set(pts)) < 2:
                raise LztInputError("--profile", "the profile line needs two or more distinct x,y points")
            if self.sheet_no is not None:
                raise LztInputError("--profile", "standard sheets (--sheet-no) have no room for a profile; "
                                                 "use --extent or --center")
        for name, o in self.opacity:
            if not (0.0 <= float(o) <= 1.0):
                raise LztInputError("--opacity", f"layer {name!r}: opacity {o!r} is not between 0 and 1")
        if self.extent is not None:
            e = self.extent
            if not all(math.isfinite(v) for v in e) or e[2] <= e[0] or e[3] <= e[1]:
                raise LztInputError("--extent", f"expected MINX,MINY,MAXX,MAXY with MIN < MAX, got {e}")
        return replace(self, paper=paper)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Layout:
    """Boxes on the page in mm from the top-left corner."""

    page_w: float
    page_h: float
    frame: Box  # the map (inner neat line)
    title: Box
    panel: Box  # legend and overview
    footer: Box  # scale bar, notes
    band: float  # room for grid labels around the frame
    panel_side: str  # "right" or "bottom"
    sizes: dict = field(default_factory=dict)  # font sizes in mm by role
    profile: Box | None = None  # the elevation profile, under the map frame


def page_size(paper: str, landscape: bool) -> tuple[float, float]:
    w, h = PAPERS[paper]
    return (h, w) if landscape else (w, h)


def plan_layout(spec: SheetSpec, frame_mm: tuple[float, float] | None = None) -> Layout:
    """Page boxes for ``spec``. ``frame_mm`` fixes the frame size (standard sheets)."""
    pw, ph = page_size(spec.paper, spec.landscape)
    k = math.sqrt(pw * ph / (297.0 * 420.0))  # 1 on A3
    margin = 10.0 * max(0.8, min(k, 1.6))
    band = 6.0 * max(0.9, min(k, 1.4))
    sizes = {"title": 8.0 * max(0.75, min(k, 1.8)), "text": 2.6 * max(0.9, min(k, 1.5)),
             "small": 2.1 * max(0.9, min(k, 1.4)), "legend_head": 3.0 * max(0.9, min(k, 1.5))}
    title_h = sizes["title"] * 1.9
    footer_h = 16.0 * max(0.9, min(k, 1.5))
    right_panel = pw > ph * 0.9 and frame_mm is None
    inner = Box(margin, margin + title_h, pw - 2 * margin, ph - 2 * margin - title_h - footer_h)
    if right_panel:
        panel_w = min(max(0.24 * inner.w, 50.0), 130.0)
        fw, fh = inner.w - panel_w - 2 * band - 4, inner.h - 2 * band
        frame = Box(inner.x + band, inner.y + band, fw, fh)
        panel = Box(frame.right + band + 4, inner.y, panel_w, inner.h)
        side = "right"
    else:
        panel_h = min(max(0.2 * inner.h, 45.0), 120.0)
        fw, fh = inner.w - 2 * band, inner.h - panel_h - 2 * band - 2
        if frame_mm is not None:
            fw, fh = frame_mm
            if fw > inner.w - 2 * band or fh > inner.h - 2 * band - 30:
                raise LztInputError("--paper", f"a {fw:g} x {fh:g} mm frame does not fit on {spec.paper}; "
                                               "use --paper A1 or A0")
            panel_h = max(30.0, inner.h - fh - 2 * band - 2)
        frame = Box(inner.x + (inner.w - fw) / 2, inner.y + band, fw, fh)
        panel = Box(inner.x, frame.bottom + band + 2, inner.w, inner.bottom - frame.bottom - band - 2)
        side = "bottom"
    title = Box(margin, margin, pw - 2 * margin, title_h)
    footer = Box(margin, ph - margin - footer_h, pw - 2 * margin, footer_h)
    profile = None
    if spec.profile is not None and frame_mm is None:  # the map gives up its lower part to the profile
        ph_mm = min(max(0.3 * frame.h, 50.0), 110.0)
        gap = band + 3.0
        frame = Box(frame.x, frame.y, frame.w, frame.h - ph_mm - gap)
        profile = Box(frame.x - band, frame.bottom + gap, frame.w + 2 * band, ph_mm)
    return Layout(pw, ph, frame, title, panel, footer, band, side, sizes, profile)


def nice_scale(required: float) -> int:
    """The smallest round scale denominator >= ``required`` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8
    times a power of ten: 1:500, 1:2000, 1:2.5万, 1:15万 ...)."""
    if required <= 1:
        return 1
    exp = 10 ** math.floor(math.log10(required))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * exp >= required * (1 - 1e-9):
            return int(round(m * exp))
    return int(10 * exp)


def extent_at_scale(center: tuple[float, float], scale: float, frame: Box) -> Bounds:
    """The ground extent of ``frame`` (mm) at 1:``scale`` around ``center``."""
    gw, gh = frame.w * scale / 1000.0, frame.h * scale / 1000.0
    cx, cy = center
    return (cx - gw / 2, cy - gh / 2, cx + gw / 2, cy + gh / 2)


def fit_scale(extent: Bounds, frame: Box, margin_ratio: float = 0.05) -> int:
    """The nice scale at which ``extent`` (plus a margin) fits in ``frame``."""
    w = (extent[2] - extent[0]) * (1 + 2 * margin_ratio)
    h = (extent[3] - extent[1]) * (1 + 2 * margin_ratio)
    need = max(w / (frame.w / 1000.0), h / (frame.h / 1000.0), 1.0)
    return nice_scale(need)


# -- standard sheet numbers ----------------------------------------------------------
_SHEET_NO = re.compile(r"^\s*(\d+(?:\.(\d+))?)\s*-\s*(\d+(?:\.(\d+))?)\s*$")


def sheet_number(east: float, north: float, scale: int) -> str:
    """The number of the standard sheet containing (east, north) at 1:``scale`` (DOMAIN.md
    §4.2 oracle: ``X0 = floor(N/s)*s``, ``Y0 = floor(E/s)*s``, km, X first)."""
    if scale not in STANDARD_SHEETS:
        raise LztInputError("--scale", f"standard sheets exist for 1:{', 1:'.join(map(str, STANDARD_SHEETS))}")
    s = STANDARD_SHEETS[scale]
    d = 2 if scale == 500 else 1
    x0 = math.floor(north / s) * s
    y0 = math.floor(east / s) * s
    return f"{x0 / 1000:.{d}f}-{y0 / 1000:.{d}f}"


def adjoining_sheets(sheet_no: str, scale: float | None = None) -> tuple[tuple[str, str, str], ...]:
    """The 接图表: the numbers of the 3 x 3 sheets around ``sheet_no`` (rows north to south,
    columns west to east; the sheet itself in the middle)."""
    sc, (east, north, _, _) = parse_sheet_number(sheet_no, scale)
    s = STANDARD_SHEETS[sc]
    return tuple(tuple(sheet_number(east + dc * s + s / 2, north + dr * s + s / 2, sc) for dc in (-1, 0, 1))
                 for dr in (1, 0, -1))


def parse_sheet_number(text: str, scale: float | None = None) -> tuple[int, Bounds]:
    """(scale, ground extent minx, miny, maxx, maxy) of a standard sheet number.

    Two decimals mean 1:500; one decimal means 1:1000 unless ``scale`` says 1:2000. The
    south-west corner must lie on that scale's sheet grid.
    """
    m = _SHEET_NO.match(str(text))
    if not m:
        raise LztInputError("--sheet-no", f"expected X-Y in km with the south-west corner, e.g. "
                                          f"2513.50-525.25, got {text!r}")
    decimals = max(len(m.group(2) or ""), len(m.group(4) or ""))
    if scale is not None:
        sc = int(round(scale))
        if sc not in STANDARD_SHEETS:
            raise LztInputError("--scale", f"standard sheets are 1:500, 1:1000 or 1:2000, not 1:{sc}")
    else:
        sc = 500 if decimals >= 2 else 1000
    north = float(m.group(1)) * 1000.0
    east = float(m.group(3)) * 1000.0
    s = STANDARD_SHEETS[sc]
    for v, axis in ((north, "X"), (east, "Y")):
        if abs(v / s - round(v / s)) > 1e-6:
            raise LztInputError("--sheet-no", f"{text}: {axis} = {v / 1000:g} km is not on the 1:{sc} sheet grid "
                                              f"({s / 1000:g} km)")
    return sc, (east, north, east + s, north + s)


def grid_step(ground_width: float, target_lines: int = 6) -> float:
    """A 1-2-2.5-5 step giving about ``target_lines`` grid lines across ``ground_width``."""
    raw = ground_width / max(target_lines, 1)
    exp = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * exp >= raw:
            return m * exp
    return 10 * exp


def scale_bar_length(scale: float, max_mm: float) -> tuple[float, int]:
    """(ground metres, segments) of a 1-2-5 scale bar at most ``max_mm`` long on paper."""
    max_ground = max_mm * scale / 1000.0
    exp = 10 ** math.floor(math.log10(max_ground))
    best = exp
    for m in (1, 2, 5, 10):
        if m * exp <= max_ground:
            best = m * exp
    segs = 5 if str(int(best / exp) if best >= exp else 1)[0] == "5" else 4
    return best, segs
