"""lzt bim WS PATH... [--origin X,Y[,Z]] [--rotation DEG] [--crs CRS] [--json]"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    from layers import formats

    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("paths", metavar="PATH", nargs="+", help=f"{formats.listing('bim')} files, or folders "
                                                         "(searched recursively)")
    p.add_argument("--origin", metavar="X,Y[,Z]", help="where the model's local origin stands (in --crs); "
                                                       "overrides the file's own georeferencing")
    p.add_argument("--rotation", type=float, default=None, help="rotation of the model's x axis from east, "
                                                                "degrees anticlockwise (default 0 with --origin; "
                                                                "alone, overrides the file's rotation)")
    p.add_argument("--crs", help="CRS of --origin, or of a map conversion (overrides the CRS the file names)")
    p.add_argument("--json", action="store_true", help="print one JSON record per file")


def parse_origin(text: str | None) -> tuple[float, ...] | None:
    """'X,Y[,Z]' -> a tuple of floats (``LztInputError`` naming --origin when malformed)."""
    from lzt.core.errors import LztInputError

    if not text:
        return None
    try:
        origin = tuple(float(v) for v in text.replace("，", ",").split(","))
    except ValueError:
        raise LztInputError("--origin", f"expected X,Y[,Z], got {text!r}") from None
    if len(origin) not in (2, 3):
        raise LztInputError("--origin", f"expected X,Y[,Z], got {text!r}")
    return origin


def _readers_wanted(paths: list[str], most: int) -> int:
    """How many IFC reader processes to start before the files are listed: one per named file
    not named as a mesh, every one for a folder."""
    from pathlib import Path

    from bim_import.formats import MESH_FORMATS

    n = 0
    for p in map(Path, paths):
        if p.is_dir():
            return most
        n += p.is_file() and p.suffix.lower() not in MESH_FORMATS
    return min(n, most)


def run(args) -> int:
    # the IFC readers start first: they load their libraries while this process loads its own,
    # checks the arguments and opens the workspace (the pool kills them if nothing is read)
    from bim_import.pool import ModelReaderPool

    with ModelReaderPool(preload=("lzt.ingest.bim_placement",)) as pool:
        pool.start(_readers_wanted(args.paths, pool.size))
        return _run(args, pool)


def _run(args, pool) -> int:
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.ingest.bim import import_bim
    from lzt.workspace import open_workspace

    origin = parse_origin(args.origin)
    ws = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        results = import_bim(ws, args.paths, origin=origin, rotation=args.rotation, crs=args.crs,
                             feedback=Feedback(bar), pool=pool)
    finally:
        bar.close()
        ws.close()
    if args.json:
        json.dump([r.to_json() for r in results], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    for r in results:  # one line per model on stdout; failures and warnings once each, on stderr
        if r.status == "failed":
            sys.stderr.write(f"lzt bim: {r.file}: {r.error}\n")
            continue
        if not args.json:
            sys.stdout.write(f"{ {'imported': '已导入', 'updated': '已更新', 'unplaced': '未定位'}[r.status]} "
                             f"{r.file}: {r.name} 占地 {r.footprint_area_m2} m² 高 {r.height_m} m "
                             f"{r.storeys} 层 建筑面积 {r.gfa_m2} m² ({r.gfa_method}) 定位 {r.georef_source}\n")
        for w in r.warnings:
            sys.stderr.write(f"注意: {r.file}: {w}\n")
    failed = [r for r in results if r.status == "failed"]
    return 0 if len(failed) < len(results) else 2
