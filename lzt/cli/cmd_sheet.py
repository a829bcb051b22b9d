"""lzt sheet WS OUT.(pdf|png|svg) [--paper A4|A3|A1|A0] [--landscape] [--scale N]
[--center X,Y | --extent MINX,MINY,MAXX,MAXY | --feature LAYER:ID] [--layers L1,L2,...]
[--title TEXT] [--dpi 300] [--sheet-no X-Y]"""

from __future__ import annotations

import sys


def add_sheet_options(p) -> None:
    """Options shared by ``lzt sheet`` and ``lzt atlas``."""
    p.add_argument("--paper", help="paper: A4, A3, A2, A1 or A0 (default A3; A1 with --sheet-no)")
    p.add_argument("--landscape", action="store_true", help="landscape instead of portrait")
    p.add_argument("--scale", help="scale denominator N of 1:N (default: fit the map to the frame)")
    p.add_argument("--layers", help="layers to draw, comma-separated (default: all, in draw order)")
    p.add_argument("--title", help="sheet title (default from the feature or 专题图)")
    p.add_argument("--dpi", default="300", help="resolution for PNG, and of the PDF's device (default 300)")
    p.add_argument("--producer", default="龙政图 lzt", help="制图单位 printed on the sheet")
    p.add_argument("--date", help="制图日期 printed on the sheet (YYYY-MM-DD, default today)")
    p.add_argument("--no-overview", action="store_true", help="leave out the overview inset")
    p.add_argument("--approval-no", help="the sheet's own 审图号, printed with the notes (e.g. 粤S(2026)123号)")


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("out", metavar="OUT", help="output file: .pdf (vector), .png or .svg")
    add_sheet_options(p)
    p.add_argument("--center", help="map centre X,Y in the workspace CRS")
    p.add_argument("--extent", help="map extent MINX,MINY,MAXX,MAXY in the workspace CRS")
    p.add_argument("--feature", help="frame one feature: LAYER:ID (feature id, or name/code value)")
    p.add_argument("--profile", metavar="'X,Y X,Y ...'",
                   help="add the elevation profile (纵断面) of this line under the map, the line drawn on it")
    p.add_argument("--sheet-no", help="standard 50x50 cm sheet by its number X-Y (SW corner, km), "
                                      "e.g. 2513.50-525.25 (1:500)")


def _number(text, option: str, *, positive: bool = True) -> float | None:
    from lzt.core.errors import LztInputError

    if text is None:
        return None
    try:
        v = float(str(text).replace("1:", "", 1) if str(text).startswith("1:") else text)
    except ValueError:
        raise LztInputError(option, f"expected a number, got {text!r}") from None
    if positive and not v > 0:
        raise LztInputError(option, f"expected a positive number, got {text!r}")
    return v


def _date(text: str | None) -> str | None:
    from lzt.cli.args import iso_date

    return iso_date(text, "--date").isoformat() if text else None


def spec_from_args(args, **extra):
    """A SheetSpec from the shared sheet options (and ``extra`` fields)."""
    from lzt.core.errors import LztInputError
    from lzt.export.sheet_spec import SheetSpec

    layers = None
    if args.layers:
        layers = tuple(s.strip() for s in args.layers.split(",") if s.strip())
        if not layers:
            raise LztInputError("--layers", f"expected L1,L2,..., got {args.layers!r}")
    paper = args.paper or ("A1" if extra.get("sheet_no") else "A3")
    return SheetSpec(paper=str(paper).upper(), landscape=args.landscape,
                     scale=_number(args.scale, "--scale"), layers=layers, title=args.title,
                     dpi=_number(args.dpi, "--dpi"), producer=args.producer, date=_date(args.date),
                     overview=not args.no_overview,
                     notes=(f"审图号：{args.approval_no.strip()}",) if getattr(args, "approval_no", None) else (),
                     **extra).validated()


def run(args) -> int:
    from lzt.cli import args as argp
    from lzt.cli.progress import TerminalProgress
    from lzt.core.errors import LztInputError
    from lzt.core.feedback import Feedback
    from lzt.export.sheet import check_writable, output_format, render_sheet
    from lzt.workspace import open_workspace

    output_format(args.out)
    check_writable(args.out)
    extra = {}
    if args.center:
        extra["center"] = argp.floats(args.center, 2, "--center", "X,Y")
    if args.extent:
        e = argp.bbox(args.extent, "--extent")
        if e[0] >= e[2] or e[1] >= e[3]:
            raise LztInputError("--extent", f"expected MINX,MINY,MAXX,MAXY with MIN < MAX, got {args.extent!r}")
        extra["extent"] = e
    if args.feature:
        layer, sep, ident = args.feature.partition(":")
        if not sep or not layer or not ident:
            raise LztInputError("--feature", f"expected LAYER:ID, got {args.feature!r}")
        extra["feature"] = (layer, ident)
    if args.sheet_no:
        extra["sheet_no"] = args.sheet_no
    if args.profile:
        from lzt.analysis.profile import parse_line

        extra["profile"] = tuple(tuple(c) for c in parse_line(args.profile, "--profile").coords)
    spec = spec_from_args(args, **extra)
    from lzt.services.saved import with_saved

    ws = open_workspace(args.workspace)
    ws = with_saved(ws, spec.layers or ())  # saved services named in --layers draw as layers
    bar = TerminalProgress()
    try:
        plan = render_sheet(ws, spec, args.out, feedback=Feedback(bar))
    finally:
        bar.close()
        ws.close()
    sys.stdout.write(f"已出图 {args.out}：{plan.title}，比例尺 1:{plan.scale:.0f}，"
                     f"{plan.layout.page_w:g}×{plan.layout.page_h:g} mm\n")
    find = getattr(ws, "service", None)  # a service that could not be drawn (fully) is said, once
    for name in spec.layers or ():
        sl = find(name) if callable(find) else None
        if sl is not None and getattr(sl, "error", None):
            line = sl.error if sl.error.startswith(f"{name}: ") else f"{name}: {sl.error}"
            sys.stderr.write(f"lzt sheet: 注意: {line}\n")
    return 0
