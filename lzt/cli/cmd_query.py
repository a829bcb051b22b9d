"""lzt query WS LAYER [--bbox ...] [--intersects L2] [--within L2] [--contains L2]
[--dwithin X,Y,M] [--nearest X,Y,K] [--where EXPR] [--json | --out FILE]"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("layer", metavar="LAYER", help="layer to query")
    p.add_argument("--bbox", help="MINX,MINY,MAXX,MAXY in the workspace CRS")
    p.add_argument("--intersects", metavar="LAYER2", help="features intersecting LAYER2")
    p.add_argument("--within", metavar="LAYER2", help="features within a feature of LAYER2")
    p.add_argument("--contains", metavar="LAYER2", help="features containing a feature of LAYER2")
    p.add_argument("--other-where", metavar="EXPR", help="subset of LAYER2 (CQL2 text)")
    p.add_argument("--dwithin", metavar="X,Y,METRES", help="features within METRES of X,Y")
    p.add_argument("--nearest", metavar="X,Y,K", help="the K features nearest to X,Y")
    p.add_argument("--where", metavar="EXPR",
                   help="attribute/spatial filter in CQL2 text, e.g. \"用地性质 = 'R2' AND 面积 > 5000\"")
    p.add_argument("--fields", help="comma-separated fields to return (default: all)")
    p.add_argument("--limit", type=int, help="return at most N features")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true",
                     help="print a GeoJSON FeatureCollection (workspace CRS) with a top-level count")
    out.add_argument("--out", metavar="FILE", help="write the result to a file (format by suffix)")


def run(args) -> int:
    from lzt.cli import args as argp
    from lzt.core.errors import LztInputError
    from lzt.query.geojson import feature_collection
    from lzt.query.run import QuerySpec, run_query
    from lzt.workspace import open_workspace

    dwithin = argp.floats(args.dwithin, 3, "--dwithin", "X,Y,METRES") if args.dwithin else None
    nearest = None
    if args.nearest:
        x, y, k = argp.floats(args.nearest, 3, "--nearest", "X,Y,K")
        if k != int(k) or k < 1:
            raise LztInputError("--nearest", f"K must be a whole number >= 1, got {args.nearest!r}")
        nearest = (x, y, int(k))
    if args.limit is not None and args.limit < 0:
        raise LztInputError("--limit", "must not be negative")
    spec = QuerySpec(
        layer=args.layer, bbox=argp.bbox(args.bbox) if args.bbox else None,
        intersects=args.intersects, within=args.within, contains=args.contains,
        other_where=args.other_where, dwithin=dwithin, nearest=nearest, where=args.where,
        columns=tuple(f.strip() for f in args.fields.split(",") if f.strip()) if args.fields else None,
        limit=args.limit)
    from lzt.export.data import for_output

    from lzt.services.saved import with_saved

    ws = open_workspace(args.workspace)
    try:  # a saved OGC API / WFS service is queried live, like a layer
        ws = with_saved(ws, [args.layer, args.intersects, args.within, args.contains])
        result = run_query(ws, spec)
        result.features = for_output(ws, args.layer, result.features, purpose="query")
        crs = ws.crs
    finally:
        ws.close()
    if args.out:
        from lzt.export.data import export_features

        export_features(result.features, args.out)
        sys.stdout.write(f"{result.count} 个要素已写入 {args.out}\n")
    elif args.json:
        sys.stdout.write(feature_collection(result.features, crs))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(f"{result.count} 个要素（{result.seconds * 1000:.1f} ms）\n")
        if result.count:
            shown = result.features.drop(columns=[result.features.geometry.name]).head(20)
            sys.stdout.write(shown.to_string(max_colwidth=30) + "\n")
            if result.count > 20:
                sys.stdout.write(f"… 另有 {result.count - 20} 个（用 --json 或 --out 取全部）\n")
    return 0
