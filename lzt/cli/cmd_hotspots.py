"""lzt hotspots WS LAYER --cell METRES [--hex] [--out LAYER] [--json]"""

from __future__ import annotations

import json
import sys



def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("layer", metavar="LAYER", help="point layer (complaints)")
    p.add_argument("--cell", type=float, required=True, help="cell size in metres (hexagons: across the flats)")
    p.add_argument("--hex", action="store_true", help="hexagonal cells (counts only; Gi* on squares)")
    p.add_argument("--out", metavar="LAYER", help="save the grid as a workspace layer")
    p.add_argument("--json", action="store_true", help="print the non-empty cells as JSON")


def run(args) -> int:

    from lzt.analysis.hotspots import hex_grid, hotspot_class, save_grid, square_grid
    from lzt.core.errors import LztInputError
    from lzt.workspace import open_workspace

    if not (args.cell > 0) or args.cell > 100_000:
        raise LztInputError("--cell", "give a cell size in metres between 0 and 100000")
    ws = open_workspace(args.workspace)
    try:
        _, x, y = ws.point_coords(args.layer)
        if len(x) == 0:
            raise LztInputError(ws.uri, f"layer {args.layer!r} has no located points")
        grid = hex_grid(x, y, args.cell) if args.hex else square_grid(x, y, args.cell)
        cls = hotspot_class(grid.gi_z)
        if args.out:
            save_grid(ws, args.out, grid, source=f"lzt hotspots {args.layer} --cell {args.cell:g}"
                      + (" --hex" if args.hex else ""), replace=True)
    finally:
        ws.close()
    if args.json:
        rows = [{"x": round(float(a), 3), "y": round(float(b), 3), "count": int(c)}
                for a, b, c in zip(grid.x, grid.y, grid.count)]
        if grid.gi_z is not None:
            for row, z, k in zip(rows, grid.gi_z, cls):
                row["gi_z"] = round(float(z), 4)
                row["hotspot"] = str(k)
        json.dump(rows, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        hot = int((grid.gi_z > 1.96).sum()) if grid.gi_z is not None else None
        sys.stdout.write(f"{len(grid.count)} 个非空网格，最大 {int(grid.count.max())} 件"
                         + (f"，热点网格 {hot} 个" if hot is not None else "")
                         + (f"；已保存为图层 {args.out}" if args.out else "") + "\n")
    return 0

