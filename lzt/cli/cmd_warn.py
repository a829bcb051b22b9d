"""lzt warn WS LAYER [--as-of DATE] [--period week|month] [--by category|category2]
(--cell M [--hex] | --polygons LAYER) [--json] [--out LAYER]

One row per warning (苗头预警): emerging hot spots, surges (异动), 一人多诉, 多人同诉, repeat
addresses and sensitive words of the period ending on --as-of (default: the day of the last
record). --json prints the contract: a list of {area, category, kind, level, evidence,
first_seen, orders}. Notes (rules that could not run) go to stderr. No personal data leaves.
"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("layer", metavar="LAYER", help="complaint (point) layer")
    p.add_argument("--as-of", dest="as_of", metavar="DATE", help="last day of the period (YYYY-MM-DD; "
                                                                 "default: the day of the last record)")
    p.add_argument("--period", choices=["week", "month"], default="week", help="period examined (default week)")
    p.add_argument("--by", choices=["category", "category2"], default="category",
                   help="category level: 一级 (category, default) or 二级 (category2)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--cell", type=float, metavar="M", help="square cells of M metres (hexagons with --hex)")
    where.add_argument("--polygons", metavar="LAYER", help="areas from a polygon layer (communities, streets)")
    p.add_argument("--hex", action="store_true", help="hexagonal cells (M across the flats)")
    p.add_argument("--key", metavar="FIELD", help="field naming the polygons (default: name)")
    p.add_argument("--json", action="store_true", help="print the warnings as JSON (the contract)")
    p.add_argument("--out", metavar="LAYER", help="save the warnings as a polygon layer")


def run(args) -> int:
    from lzt.analysis.early_warning import alerts_frame, warn
    from lzt.cli.args import iso_date
    from lzt.core.errors import LztInputError
    from lzt.workspace import open_workspace

    if args.hex and args.cell is None:
        raise LztInputError("--hex", "hexagons need --cell M")
    if args.key and args.polygons is None:
        raise LztInputError("--key", "--key names the polygons of --polygons")
    as_of = iso_date(args.as_of, "--as-of")
    ws = open_workspace(args.workspace)
    try:
        res = warn(ws, args.layer, as_of=as_of, period=args.period, by=args.by, cell=args.cell,
                   hexagons=args.hex, polygons=args.polygons, key=args.key)
        if args.out:
            from lzt.analysis.join import save_result

            save_result(ws, args.out, alerts_frame(res, ws.crs), analysis="warn",
                        params={"layer": args.layer, "as_of": res.as_of.isoformat(), "period": args.period,
                                "by": args.by, "cell": args.cell, "hex": args.hex, "polygons": args.polygons},
                        protect=tuple(x for x in (args.layer, args.polygons) if x))
    finally:
        ws.close()
    for note in res.notes:
        sys.stderr.write(f"lzt warn: {note}\n")
    if args.json:
        json.dump([a.to_json() for a in res.alerts], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    last = res.periods.n - 1
    out.write(f"苗头预警：{res.periods.label(last)}（{ {'week': '周', 'month': '月'}[args.period]}），"
              f"共 {len(res.alerts)} 条\n")
    for a in res.alerts:
        out.write(f"[{a.level}] {a.kind:<6}{a.category:<8}{a.place or a.area:<14}{a.first_seen}  "
                  f"{a.summary()}  {a.area}\n")
    if args.out:
        out.write(f"已保存为图层 {args.out}\n")
    return 0

