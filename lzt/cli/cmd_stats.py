"""lzt stats WS LAYER (--by street|community|category|month|status|compound | --polygons LAYER [--key FIELD])
[--top N] [--from DATE] [--to DATE] [--json] [--out LAYER]

``--by compound`` counts per residential compound (小区, see ``lzt.analysis.compounds``).
``--out`` saves the whole result (``--top`` limits only what is printed): with
``--polygons``, the polygon layer with ``count`` (and ``per_km2``) on every polygon;
with ``--by``, one point per key at the mean position of its records (compounds:
at the compound's POI) with ``count``.
"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("layer", metavar="LAYER", help="complaint (point) layer")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--by", choices=["street", "community", "category", "subcategory", "channel", "month", "status",
                                    "compound"],
                   help="group by the record's own field (category: 一级分类, subcategory: 二级分类, compound: "
                        "residential compound, 小区)")
    g.add_argument("--polygons", metavar="LAYER", help="group by the polygon each record falls in")
    p.add_argument("--key", help="field naming the polygons (default: name)")
    p.add_argument("--top", type=int, help="only the N largest")
    p.add_argument("--from", dest="date_from", help="from this date (YYYY-MM-DD, inclusive)")
    p.add_argument("--to", dest="date_to", help="to this date (YYYY-MM-DD, inclusive)")
    p.add_argument("--where", metavar="EXPR", help="--by: only the records this CQL2 attribute filter keeps")
    p.add_argument("--json", action="store_true", help="print [{key, count}] sorted by count")
    p.add_argument("--out", metavar="LAYER", help="save the full result as a workspace layer")
    p.add_argument("--poi", metavar="LAYER", default="poi",
                   help="--by compound: point layer holding the 住宅小区 POIs (default: poi)")
    p.add_argument("--within", type=float, default=100.0, metavar="M",
                   help="--by compound: largest distance to a compound's POI in metres (default: 100)")


def run(args) -> int:
    from lzt.analysis.complaints import stats_by_field, stats_by_polygons
    from lzt.cli.args import iso_date
    from lzt.core.errors import LztInputError
    from lzt.workspace import open_workspace

    if args.top is not None and args.top < 1:
        raise LztInputError("--top", "must be at least 1")
    if args.key and not args.polygons:
        raise LztInputError("--key", "names the polygons of --polygons; --by groups by the record's own field")
    d0, d1 = iso_date(args.date_from, "--from"), iso_date(args.date_to, "--to")
    if args.where and (not args.by or args.by == "compound"):
        raise LztInputError("--where", "filters the records of --by street|community|category|subcategory|"
                                       "channel|month|status")
    ws = open_workspace(args.workspace)
    outside, outside_label = 0, ""
    try:
        where = None
        if args.where:
            from lzt.query.expr import parse, split_spatial

            where, spatial = split_spatial(parse(args.where, fields=ws.fields(args.layer)))
            if spatial:
                raise LztInputError("--where", "stats take attribute filters only; use lzt query for space")
        layer_out = None
        if args.by == "compound":
            from lzt.analysis.compounds import compound_counts

            gdf, outside = compound_counts(ws, args.layer, poi_layer=args.poi, distance=args.within,
                                           date_from=d0, date_to=d1)
            rows = [{"key": k, "count": int(c)} for k, c in zip(gdf["key"], gdf["count"])]
            rows = rows[:args.top] if args.top else rows
            outside_label = f"距住宅小区超过 {args.within:g} 米"
            layer_out = gdf
        elif args.by:
            rows = stats_by_field(ws, args.layer, args.by, date_from=d0, date_to=d1, top=args.top, where=where)
            if args.out and where is not None:
                raise LztInputError("--out", "a saved --by count covers all records; drop --where to save it")
            if args.out:
                from lzt.analysis.complaints import field_counts_layer

                layer_out = field_counts_layer(ws, args.layer, args.by, date_from=d0, date_to=d1)
        else:
            counts = stats_by_polygons(ws, args.layer, args.polygons, args.key, date_from=d0, date_to=d1,
                                       top=args.top)
            rows, outside = counts.rows, counts.unassigned
            outside_label = f"未落入 {args.polygons} 的任何面"
            if args.out:
                from lzt.analysis.join import join_counts

                layer_out = join_counts(ws, args.layer, args.polygons, date_from=d0, date_to=d1)
        if args.out:
            from lzt.analysis.join import save_result

            params = {"layer": args.layer, "by": args.by, "polygons": args.polygons, "key": args.key,
                      "from": args.date_from, "to": args.date_to}
            if args.by == "compound":
                params.update(poi=args.poi, within=args.within)
            save_result(ws, args.out, layer_out, analysis="stats", params=params,
                        protect=(args.layer, args.polygons, args.poi if args.by == "compound" else None),
                        rows_of=(args.polygons,) if args.polygons and not args.by else ())
    finally:
        ws.close()
    note = f"另有 {outside:,} 条记录{outside_label}，不在列表中" if outside else ""
    if args.json:  # the list is the contract; the note goes to stderr
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        if note:
            sys.stderr.write(note + "\n")
    else:
        for r in rows:
            sys.stdout.write(f"{r['key']:<24}{r['count']:>10}\n")
        if note:
            sys.stdout.write(f"（{note}）\n")
        if args.out:
            sys.stdout.write(f"已保存为图层 {args.out}\n")
    return 0
