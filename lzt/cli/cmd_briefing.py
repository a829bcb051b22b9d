"""lzt briefing WS OUT.pdf|OUT.docx [--period week|month] [--as-of DATE] [--street NAME]

The complaint briefing (民生诉求周报/月报) of the period ending on --as-of (default: the day
of the last record): headline numbers, trend and categories, hotspot and pattern maps, top
communities and 小区, the warning list, repeat callers and addresses (masked), and short
paragraphs stating the facts. PDF (vector, font embedded) or DOCX (editable in WPS/Word).
"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("out", metavar="OUT", help="the briefing file: .pdf or .docx")
    p.add_argument("--period", choices=["week", "month"], default="week", help="weekly (default) or monthly")
    p.add_argument("--as-of", dest="as_of", metavar="DATE", help="last day of the period (YYYY-MM-DD)")
    p.add_argument("--street", metavar="NAME", help="only this street's complaints (e.g. 龙城)")
    p.add_argument("--layer", metavar="LAYER", help="complaint layer (default: the first of kind complaints)")
    p.add_argument("--cell", type=float, default=200.0, help="hotspot cell size in metres (default 200)")


def run(args) -> int:
    from lzt.cli.args import iso_date
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.export.briefing import write_briefing
    from lzt.workspace import open_workspace

    as_of = iso_date(args.as_of, "--as-of")
    ws = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        out = write_briefing(ws, args.out, args.layer, period=args.period, as_of=as_of, street=args.street,
                             cell=args.cell, feedback=Feedback(bar))
    finally:
        bar.close()
        ws.close()
    sys.stdout.write(f"简报已生成：{out}\n")
    return 0
