"""lzt stats WS LAYER (--by street|community|category|month|status | --polygons LAYER [--key FIELD])
[--top N] [--from DATE] [--to DATE] [--json]"""

from __future__ import annotations

import json
import sys
from datetime import date


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("layer", metavar="LAYER", help="complaint (point) layer")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--by", choices=["street", "community", "category", "month", "status"],
                   help="group by the record's own field")
    g.add_argument("--polygons", metavar="LAYER", help="group by the polygon each record falls in")
    p.add_argument("--key", help="field naming the polygons (default: name)")
    p.add_argument("--top", type=int, help="only the N largest")
    p.add_argument("--from", dest="date_from", help="from this date (YYYY-MM-DD, inclusive)")
    p.add_argument("--to", dest="date_to", help="to this date (YYYY-MM-DD, inclusive)")
    p.add_argument("--json", action="store_true", help="print [{key, count}] sorted by count")


def _date(text, option):
    from lzt.core.errors import LztInputError

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise LztInputError(option, f"expected YYYY-MM-DD, got {text!r}") from None


def run(args) -> int:
    from lzt.analysis.complaints import stats_by_field, stats_by_polygons
    from lzt.core.errors import LztInputError
    from lzt.workspace import open_workspace

    if args.top is not None and args.top < 1:
        raise LztInputError("--top", "must be at least 1")
    d0, d1 = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    ws = open_workspace(args.workspace)
    try:
        if args.by:
            rows = stats_by_field(ws, args.layer, args.by, date_from=d0, date_to=d1, top=args.top)
        else:
            rows = stats_by_polygons(ws, args.layer, args.polygons, args.key, date_from=d0, date_to=d1,
                                     top=args.top)
    finally:
        ws.close()
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for r in rows:
            sys.stdout.write(f"{r['key']:<24}{r['count']:>10}\n")
    return 0
