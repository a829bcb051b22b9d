"""lzt atlas WS --coverage LAYER [--where EXPR] OUT.pdf|OUT_DIR [sheet options]"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    from lzt.cli.cmd_sheet import add_sheet_options

    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("out", metavar="OUT", help="OUT.pdf (one multi-page PDF) or a folder (one file per sheet)")
    p.add_argument("--coverage", required=True, metavar="LAYER", help="one sheet per feature of this layer")
    p.add_argument("--where", metavar="EXPR", help="only coverage features matching (CQL2 text)")
    p.add_argument("--format", default="pdf", help="file format in folder mode: pdf, png or svg (default pdf)")
    add_sheet_options(p)


def run(args) -> int:
    from lzt.cli.cmd_sheet import spec_from_args
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.export.atlas import render_atlas
    from lzt.workspace import open_workspace

    from lzt.services.saved import with_saved

    spec = spec_from_args(args)
    ws = with_saved(open_workspace(args.workspace), spec.layers or ())  # saved services in --layers
    bar = TerminalProgress()
    try:
        files = render_atlas(ws, spec, args.coverage, args.out, where=args.where,
                             fmt=str(args.format).lower(), feedback=Feedback(bar))
    finally:
        bar.close()
        ws.close()
    if len(files) == 1 and str(files[0]).lower().endswith(".pdf") and str(args.out).lower().endswith(".pdf"):
        sys.stdout.write(f"已生成图集 {args.out}\n")
    else:
        sys.stdout.write(f"已生成图集 {len(files)} 幅，位于 {args.out}\n")
    return 0
