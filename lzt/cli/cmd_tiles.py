"""lzt tiles WS SOURCE (--extent X1,Y1,X2,Y2 | --layer L) --levels A-B OUT.mbtiles|OUT.gpkg
[--format png|jpg] [--estimate] [--restart] [--overwrite] [--attribution TEXT] [--json]

An offline tile package (Web-Mercator XYZ pyramid) of a raster layer, for intranet PCs.
The size is estimated first; the build shows progress, and Ctrl-C keeps what is done in
OUT.part so that the same command resumes; OUT appears only when complete."""

from __future__ import annotations

import json
import os
import sys


def add_arguments(p) -> None:
    from layers.formats import tile_packages

    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("source", metavar="SOURCE", help="raster layer to package (imagery, DEM: drawn in its style)")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--extent", metavar="X1,Y1,X2,Y2", help="area to package, in the workspace CRS")
    g.add_argument("--layer", metavar="L", help="package the extent of this layer")
    p.add_argument("--levels", metavar="A-B", required=True, help="zoom levels, e.g. 10-16 (0-22)")
    p.add_argument("out", metavar="OUT", help=f"the package: {' or '.join('OUT' + s for s in tile_packages())}")
    p.add_argument("--format", default="png", choices=["png", "jpg"],
                   help="tile encoding: png (lossless, transparent edges; default) or jpg (smaller; "
                        "transparent parts white)")
    p.add_argument("--estimate", action="store_true", help="print the tile count and size estimate only")
    p.add_argument("--restart", action="store_true", help="discard a partial OUT.part instead of resuming it")
    p.add_argument("--overwrite", action="store_true", help="replace OUT when it exists")
    p.add_argument("--attribution", help="the pixels' attribution for the package's metadata")
    p.add_argument("--json", action="store_true", help="print the estimate and the build report as JSON")


def run(args) -> int:
    from lzt.cli.progress import TerminalProgress
    from lzt.core.errors import CancelledError, LztInputError
    from lzt.core.feedback import Feedback
    from lzt.export.tilepack import build_package, check_space, estimate, plan_package, raster_layer_source
    from lzt.export.tilepack.grid import parse_extent, parse_levels
    from lzt.workspace import open_workspace

    levels = parse_levels(args.levels)
    extent = parse_extent(args.extent) if args.extent else None
    ws = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        if extent is None:
            if not ws.has_layer(args.layer):
                raise LztInputError("--layer", f"no layer {args.layer!r} in {ws.uri}")
            extent = ws.layer(args.layer).extent
            if extent is None:
                raise LztInputError("--layer", f"layer {args.layer!r} is empty: it has no extent")
        source = raster_layer_source(ws, args.source)
        if os.path.exists(args.out) and not args.overwrite and not args.estimate:
            raise LztInputError(args.out, "already exists (use --overwrite to replace it)")
        if args.attribution:
            source.attribution = args.attribution
        plan = plan_package(source, tuple(extent), ws.crs, levels, args.out, tile_format=args.format)
        est = estimate(source, plan)
        lo, hi = levels
        if not args.json:
            sys.stdout.write(f"估计：级别 {lo}–{hi} 共 {est.tiles:,} 块瓦片，约 {est.bytes / 1e6:.1f} MB"
                             f"（按 {est.sampled} 块样本，空白约 {est.empty_share:.0%}）\n")
            for note in est.notes:
                sys.stderr.write(f"lzt tiles: 注意: {note}\n")
        if args.estimate:
            if args.json:
                json.dump({"estimate": est.to_json()}, sys.stdout, ensure_ascii=False, indent=2)
                sys.stdout.write("\n")
            return 0
        check_space(plan, est)
        fb = Feedback(bar)
        try:
            report = build_package(source, plan, feedback=fb, restart=args.restart, overwrite=args.overwrite)
        except (CancelledError, KeyboardInterrupt):
            bar.close()
            sys.stderr.write(f"\nlzt tiles: cancelled; {args.out} was not written. The tiles done are kept in "
                             f"{plan.part.name}: run the same command to resume (--restart to start over)\n")
            return 130
        except LztInputError as exc:
            kept = f"; the tiles done are kept in {plan.part.name} (the same command resumes)" \
                if plan.part.exists() else ""
            raise LztInputError(exc.source, exc.problem + kept) from exc
    finally:
        bar.close()
        ws.close()
    if args.json:
        json.dump({"estimate": est.to_json(), "report": report.to_json()}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        again = f"（续传，已有 {report.resumed_tiles:,} 块）" if report.resumed_tiles else ""
        sys.stdout.write(f"已生成 {report.out}：{report.tiles_written:,} 块瓦片（级别 {lo}–{hi}，"
                         f"{plan.driver}），{report.bytes / 1e6:.1f} MB，用时 {report.seconds:.1f} 秒{again}\n")
    return 0
