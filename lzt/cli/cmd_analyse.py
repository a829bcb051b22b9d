"""lzt analyse WS LAYER (kde | repeats | trend | join) ...

  kde      --cell M --bandwidth M --out NAME        quartic kernel density raster (points per km²)
  repeats  [--distance 50] [--days 30] [--level cat_l3|cat_l2|cat_l1] [--out NAME] [--json]
  trend    [--by category|street|community] [--level L] [--from DATE] [--to DATE] [--json]
  join     --polygons LAYER [--key FIELD] [--by category] [--level L] --out NAME [--json]

Every analysis can run over a date window (--from/--to, inclusive) and save its
result with --out (an earlier analysis result of that name is replaced; any other
layer is refused). Output that leaves the workspace carries no personal field.
"""

from __future__ import annotations

import json
import sys


def _window(p) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help="from this date (YYYY-MM-DD, inclusive)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="to this date (YYYY-MM-DD, inclusive)")


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("layer", metavar="LAYER", help="complaint (point) layer")
    sub = p.add_subparsers(dest="analysis", metavar="ANALYSIS", required=True)

    k = sub.add_parser("kde", help="kernel density raster (quartic kernel)")
    k.add_argument("--cell", type=float, required=True, help="cell size in metres")
    k.add_argument("--bandwidth", type=float, required=True, help="kernel radius in metres")
    k.add_argument("--out", metavar="NAME", required=True, help="raster layer to write")
    _window(k)

    r = sub.add_parser("repeats", help="repeat complaints: same category within a distance and days")
    r.add_argument("--distance", type=float, default=50.0, help="metres, inclusive (default 50)")
    r.add_argument("--days", type=float, default=30.0, help="days, inclusive (default 30)")
    r.add_argument("--level", choices=["cat_l3", "cat_l2", "cat_l1"],
                   help="category level (default: the finest the layer has)")
    r.add_argument("--top", type=int, default=10, help="largest clusters listed (default 10)")
    r.add_argument("--out", metavar="NAME", help="save the records in clusters as a point layer")
    r.add_argument("--json", action="store_true", help="print the summary as JSON")
    _window(r)

    t = sub.add_parser("trend", help="month-on-month counts with change and per cent")
    t.add_argument("--by", choices=["category", "street", "community"], help="one series per group")
    t.add_argument("--level", choices=["cat_l1", "cat_l2", "cat_l3"], help="category level for --by category")
    t.add_argument("--json", action="store_true", help="print [{month, [key,] count, change, pct}]")
    _window(t)

    j = sub.add_parser("join", help="counts attached to a polygon layer's features (choropleth)")
    j.add_argument("--polygons", metavar="LAYER", required=True, help="polygon layer")
    j.add_argument("--key", metavar="FIELD", help="field naming the polygons in the printout (default: name)")
    j.add_argument("--by", choices=["category"], help="also count per category")
    j.add_argument("--level", choices=["cat_l1", "cat_l2", "cat_l3"], help="category level (default cat_l1)")
    j.add_argument("--out", metavar="NAME", required=True, help="polygon layer to write")
    j.add_argument("--json", action="store_true", help="print [{key, count}] per polygon")
    _window(j)


def run(args) -> int:
    from lzt.cli.args import iso_date
    from lzt.workspace import open_workspace

    d0, d1 = iso_date(args.date_from, "--from"), iso_date(args.date_to, "--to")
    ws = open_workspace(args.workspace)
    try:
        return {"kde": _kde, "repeats": _repeats, "trend": _trend, "join": _join}[args.analysis](ws, args, d0, d1)
    finally:
        ws.close()


def _params(args, *names) -> dict:
    return {"layer": args.layer, "from": args.date_from, "to": args.date_to,
            **{n: getattr(args, n) for n in names}}


def _kde(ws, args, d0, d1) -> int:
    from lzt.analysis.join import save_result
    from lzt.analysis.kde import kernel_density, to_geotiff
    from lzt.analysis.records import read_points

    rec = read_points(ws, args.layer, date_from=d0, date_to=d1)
    grid = kernel_density(rec.x, rec.y, cell=args.cell, bandwidth=args.bandwidth)
    data, facts = to_geotiff(grid, ws.crs)
    facts.update(kernel="quartic", bandwidth_m=args.bandwidth, cell_m=args.cell, units="points per km²",
                 points=len(rec), max=float(grid.values.max()))
    save_result(ws, args.out, analysis="kde", params=_params(args, "cell", "bandwidth"),
                raster=(data, facts), protect=(args.layer,))
    rows, cols = grid.shape
    sys.stdout.write(f"核密度：{len(rec)} 个点，{cols} × {rows} 个 {args.cell:g} m 网格，带宽 {args.bandwidth:g} m，"
                     f"最大 {grid.values.max():.1f} 件/km²；已保存为栅格图层 {args.out}\n")
    return 0


def _repeats(ws, args, d0, d1) -> int:
    import geopandas as gpd
    import shapely

    from lzt.analysis.join import save_result
    from lzt.analysis.repeats import repeats_for_layer
    from lzt.core.errors import LztInputError

    if args.top < 0:
        raise LztInputError("--top", "must be 0 or more")
    frame, summary = repeats_for_layer(ws, args.layer, distance=args.distance, days=args.days,
                                       level=args.level, date_from=d0, date_to=d1, top=args.top)
    if args.out:
        inc = frame[frame["cluster"].notna()].reset_index(drop=True)
        gdf = gpd.GeoDataFrame(inc.drop(columns=["x", "y"]).rename(columns={"fid": "src_fid"}),
                               geometry=shapely.points(inc["x"].to_numpy(), inc["y"].to_numpy()), crs=ws.crs)
        save_result(ws, args.out, gdf, analysis="repeats",
                    params=_params(args, "distance", "days", "level") | {"summary": {
                        k: summary[k] for k in ("records", "repeats", "clusters")}},
                    protect=(args.layer,), rows_of=(args.layer,))
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return 0
    s = summary
    out = sys.stdout
    out.write(f"重复诉求（同{s['rule']['level']}类别、{args.distance:g} 米内、{args.days:g} 天内）\n")
    out.write(f"参与记录 {s['considered']} 件，重复 {s['repeats']} 件（{s['repeat_share'] * 100:.1f}%），"
              f"重复簇 {s['clusters']} 个，涉及 {s['records_in_clusters']} 件\n")
    if s["largest_clusters"]:
        out.write(f"{'簇':>6}  {'件数':>5}  {'类别':<12}{'社区':<10}{'首次':<20}{'末次':<20}\n")
        for c in s["largest_clusters"]:
            out.write(f"{c['cluster']:>6}  {c['size']:>5}  {str(c['category']):<12}{str(c.get('community') or ''):<10}"
                      f"{c['first'][:19]:<20}{c['last'][:19]:<20}\n")
    if args.out:
        out.write(f"已保存为图层 {args.out}\n")
    return 0


def _trend(ws, args, d0, d1) -> int:
    from lzt.analysis.trend import monthly_trend

    rows = monthly_trend(ws, args.layer, by=args.by, level=args.level, date_from=d0, date_to=d1)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    head = (f"{'分组':<14}" if args.by else "") + f"{'月份':<9}{'件数':>8}{'环比增减':>10}{'环比':>9}\n"
    out.write(head)
    for r in rows:
        change = "—" if r["change"] is None else f"{r['change']:+d}"
        pct = "—" if r["pct"] is None else f"{r['pct']:+.1f}%"
        out.write((f"{str(r['key']):<14}" if args.by else "") + f"{r['month']:<9}{r['count']:>8}{change:>10}{pct:>9}\n")
    return 0


def _join(ws, args, d0, d1) -> int:
    from lzt.analysis.join import join_counts, save_result
    from lzt.core.errors import LztInputError
    from lzt.workspace.personal import layer_is_personal

    if args.level and not args.by:
        raise LztInputError("--level", "a category level needs --by category")
    level = (args.level or "cat_l1") if args.by == "category" else None
    gdf = join_counts(ws, args.layer, args.polygons, level=level, date_from=d0, date_to=d1)
    key = args.key or next((c for c in ("name", "名称") if c in gdf.columns), None)
    if key is not None and key not in gdf.columns:
        raise LztInputError(ws.uri, f"layer {args.polygons!r} has no field {key!r}")
    save_result(ws, args.out, gdf, analysis="join", params=_params(args, "polygons", "key", "by", "level"),
                protect=(args.layer, args.polygons), rows_of=(args.polygons,))
    if key and layer_is_personal(ws.layer(args.polygons)):  # polygons with personal data: printed masked
        from lzt.analysis.masking import mask_frame

        gdf = mask_frame(gdf)
    keys = gdf[key].astype(str).to_numpy() if key else gdf.index.astype(str).to_numpy()
    rows = sorted(({"key": k, "count": int(c)} for k, c in zip(keys, gdf["count"])),
                  key=lambda r: (-r["count"], r["key"]))
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(f"{len(gdf)} 个面，共 {int(gdf['count'].sum())} 件落入；已保存为图层 {args.out}\n")
    return 0
