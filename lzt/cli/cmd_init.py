"""lzt init WS.gpkg [--crs EPSG:4547]"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS.gpkg", help="the workspace file to create")
    p.add_argument("--crs", default="EPSG:4547",
                   help="workspace CRS, a projected CRS in metres (default EPSG:4547, "
                        "CGCS2000 / 3-degree Gauss-Kruger CM 114E)")


def run(args) -> int:
    from lzt.workspace import create_workspace

    ws = create_workspace(args.workspace, args.crs)
    crs = ws.crs
    ws.close()
    sys.stdout.write(f"已创建工作空间 {args.workspace}（坐标系 {crs}）\n")
    return 0
