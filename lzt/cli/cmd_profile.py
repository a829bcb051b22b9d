"""lzt profile WS (--line "x,y x,y ..." | --feature LAYER:ID) [--step M] [--zones LAYER] [--json]
[--out PLOT.png|.pdf|.svg]"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--line", metavar="'X,Y X,Y ...'",
                       help="the line in the workspace CRS: two or more x,y points separated by spaces, or WKT")
    where.add_argument("--feature", metavar="LAYER:ID",
                       help="the line of a feature (a road, a drawn section line): feature id or name/code value")
    p.add_argument("--step", type=float, metavar="M", help="ground sample spacing (default: half a DEM pixel)")
    p.add_argument("--zones", metavar="LAYER", help="height-limit zone layer (default: height_limits if present)")
    p.add_argument("--buildings", metavar="LAYER", default="buildings", help="white models (default: buildings)")
    p.add_argument("--json", action="store_true",
                   help="print {length_m, dem, samples: [{d, x, y, z}], buildings: [{kind, id, start_m, end_m, "
                        "ground_z, height_m, top_z}], zones: [{zone, reference, limit_m, start_m, end_m}]}")
    p.add_argument("--out", metavar="PLOT", help="draw the profile to a .png, .pdf or .svg file")


def run(args) -> int:
    from lzt.analysis.profile import elevation_profile
    from lzt.core.errors import LztInputError
    from lzt.workspace import open_workspace

    if args.out and not args.out.lower().endswith((".png", ".pdf", ".svg")):
        raise LztInputError(args.out, "the plot must be a .png, .pdf or .svg file")
    ws = open_workspace(args.workspace)
    try:
        line = args.line if args.line else _feature_line(ws, args.feature)
        prof = elevation_profile(ws, line, step=args.step, zones=args.zones, buildings=args.buildings)
    finally:
        ws.close()
    if args.out:
        from lzt.export.profile import write_profile_plot

        write_profile_plot(prof, args.out)
        sys.stderr.write(f"已生成剖面图 {args.out}\n")
    if args.json:
        json.dump(prof.to_json(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    import numpy as np

    z = prof.ground[np.isfinite(prof.ground)]
    out = sys.stdout
    out.write(f"剖面长 {prof.length_m:.1f} m，{len(prof.distance)} 个地面采样点（{prof.dem or '无 DEM'}）\n")
    if len(z):
        out.write(f"地面高程 {z.min():.2f} – {z.max():.2f} m\n")
    else:
        out.write("沿线没有地面高程数据\n")
    for c in prof.cuts:
        h = "高度未知" if c.height_m is None else f"高 {c.height_m:.1f} m，顶部 {c.top_z:.2f} m" if c.top_z is not None \
            else f"高 {c.height_m:.1f} m"
        kind = "BIM 模型" if c.kind == "bim" else "建筑"
        out.write(f"  {c.start_m:8.1f} – {c.end_m:8.1f} m  {kind} {c.id}  {h}\n")
    for s in prof.zones:
        ref = "绝对高程" if s.reference == "absolute" else "相对地面"
        out.write(f"  {s.start_m:8.1f} – {s.end_m:8.1f} m  控高区 {s.zone}（{ref} {s.limit_m:g} m）\n")
    return 0


def _feature_line(ws, text: str):
    """The line of feature LAYER:ID (parts of a multi-line merged; one line needed)."""
    import shapely

    from lzt.core.errors import LztInputError
    from lzt.export.sheet import find_feature

    layer, sep, ident = (text or "").partition(":")
    if not sep or not layer or not ident:
        raise LztInputError("--feature", f"expected LAYER:ID, got {text!r}")
    _, geom, _ = find_feature(ws, layer, ident)
    if geom.geom_type == "MultiLineString":
        geom = shapely.line_merge(geom)
    if geom.geom_type != "LineString":
        raise LztInputError("--feature", f"{layer}:{ident} is a {geom.geom_type}, not one line")
    return geom
