"""lzt export3d WS OUT --format 3dtiles|cityjson [--layer LAYER ...] [--where EXPR] [--bbox ...]
[--ground DEM] [--height-field F] [--content b3dm|glb] [--tile-cap N] [--json]"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("out", metavar="OUT", help="3dtiles: a folder (tileset.json and tiles/); cityjson: a .city.json file")
    p.add_argument("--format", dest="fmt", choices=("3dtiles", "cityjson"), default="3dtiles",
                   help="OGC 3D Tiles (default) or CityJSON 2.0")
    p.add_argument("--layer", action="append", metavar="LAYER",
                   help="a footprint layer (extruded by its height) or a BIM layer (its meshes); repeatable; "
                        "default: buildings and bim_models")
    p.add_argument("--where", metavar="EXPR", help="export only models matching (CQL2 text, on every layer)")
    p.add_argument("--bbox", help="export only models meeting MINX,MINY,MAXX,MAXY")
    p.add_argument("--ground", metavar="DEM", help="stand the models on this DEM raster layer (else on height 0)")
    p.add_argument("--height-field", metavar="FIELD", help="height field of footprint layers (default height_m)")
    p.add_argument("--content", choices=("b3dm", "glb"), default="b3dm",
                   help="3D Tiles content: b3dm with a batch table (3D Tiles 1.0, default) or bare glb (1.1)")
    p.add_argument("--tile-cap", type=int, metavar="N", help="models per tile at most (default 1000)")
    p.add_argument("--json", action="store_true", help="print the export record as JSON")


def run(args) -> int:
    from lzt.cli import args as argp
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.export.tiles3d import export_3d
    from lzt.workspace import open_workspace

    ws = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        result = export_3d(ws, args.out, fmt=args.fmt, layers=args.layer, where=args.where,
                           bbox=argp.bbox(args.bbox) if args.bbox else None, ground=args.ground,
                           height_field=args.height_field, content=args.content, cap=args.tile_cap,
                           feedback=Feedback(bar))
    finally:
        bar.close()
        ws.close()
    for line in result.skipped[:10]:
        sys.stderr.write(f"lzt export3d: skipped {line}\n")
    if len(result.skipped) > 10:
        sys.stderr.write(f"lzt export3d: skipped {len(result.skipped) - 10} more models\n")
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    rec = result.to_json()
    if args.fmt == "3dtiles":
        sys.stdout.write(f"已导出 {rec['models']} 个模型为 3D Tiles（{rec['content']}）：{rec['tiles']} 个瓦片，"
                         f"{rec['depth'] + 1} 级，{rec['triangles']} 个三角形，{rec['bytes'] / 1e6:.1f} MB → "
                         f"{rec['path']}\n")
    else:
        sys.stdout.write(f"已导出 {rec['models']} 个模型为 CityJSON {rec['version']}：{rec['vertices']} 个顶点，"
                         f"{rec['bytes'] / 1e6:.1f} MB → {rec['path']}\n")
    if result.skipped:
        sys.stdout.write(f"跳过 {len(result.skipped)} 个模型（无高度、无效轮廓或未定位，见上）\n")
    return 0
