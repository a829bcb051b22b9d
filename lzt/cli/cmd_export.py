"""lzt export WS LAYER OUT.(gpkg|shp|geojson|fgb|csv|xlsx|tif) [--where EXPR] [--bbox ...] [--crs CRS]"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("layer", metavar="LAYER", help="layer to export")
    from layers import formats

    vector = " ".join(s for s, f in formats.export_formats("vector", "table").items() if not f.same_as)
    raster = "/".join(formats.export_formats("raster"))
    p.add_argument("out", metavar="OUT", help=f"output file: {vector} ({raster} for a raster layer)")
    p.add_argument("--where", metavar="EXPR", help="export only features matching (CQL2 text)")
    p.add_argument("--bbox", help="export only features meeting MINX,MINY,MAXX,MAXY")
    p.add_argument("--crs", help="reproject to this CRS (default: the workspace CRS)")
    p.add_argument("--unmasked", action="store_true",
                   help="export personal data (names, phones, ID numbers) unmasked; written to the audit log")


def run(args) -> int:
    from layers.kinds import LayerKind
    from lzt.cli import args as argp
    from lzt.export.data import export_features, for_output, shapefile_field_names
    from lzt.query.run import QuerySpec, run_query
    from lzt.workspace import open_workspace

    ws = open_workspace(args.workspace)
    try:
        if ws.has_layer(args.layer) and ws.layer(args.layer).kind == LayerKind.RASTER:
            return _raster(ws, args)
        result = run_query(ws, QuerySpec(layer=args.layer, where=args.where,
                                         bbox=argp.bbox(args.bbox) if args.bbox else None))
        features = for_output(ws, args.layer, result.features, unmasked=args.unmasked, target=args.out)
        export_features(features, args.out, crs=args.crs, layer=args.layer)
    finally:
        ws.close()
    sys.stdout.write(f"已导出 {result.count} 个要素到 {args.out}\n")
    if str(args.out).lower().endswith(".shp"):
        renamed = shapefile_field_names(features.columns, features.geometry.name)
        if renamed:
            sys.stdout.write("Shapefile 字段名限 10 字节，已缩短：" + "，".join(f"{a}→{b}" for a, b in renamed.items())
                             + "\n")
    return 0


def _raster(ws, args) -> int:
    """A raster layer: a GeoTIFF in the workspace CRS (or --crs), the resampling said."""
    from lzt.cli import args as argp
    from lzt.core.errors import LztInputError
    from lzt.export.raster import RESAMPLING_ZH, export_raster

    if args.where:
        raise LztInputError("--where", f"layer {args.layer!r} is a raster and has no attributes; use --bbox")
    r = export_raster(ws, args.layer, args.out, crs=args.crs, bbox=argp.bbox(args.bbox) if args.bbox else None)
    sys.stdout.write(f"已导出栅格 {args.layer} 到 {r.path}：{r.width}×{r.height} 像元，像元大小 {r.cell:.6g}，"
                     f"{r.crs}（原坐标系 {r.source_crs}，{RESAMPLING_ZH[r.resampling]}）\n")
    return 0
