"""lzt layers WS [--json]: the workspace's layers, then its saved services (marked as such;
read from the service catalogue, no network call; URLs without credentials)."""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("--json", action="store_true",
                   help="print a JSON list: the layers, then the saved services (\"service\": true)")


def run(args) -> int:
    from lzt.services import catalog
    from lzt.workspace import open_workspace

    ws = open_workspace(args.workspace)
    try:
        infos = ws.layers()
        crs = ws.crs
        services = [catalog.describe(r) for r in catalog.records(ws)]
    finally:
        ws.close()
    if args.json:
        json.dump([i.to_json() for i in infos] + services, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(f"工作空间 {args.workspace}  坐标系 {crs}  图层 {len(infos)}\n")
    for i in infos:
        ext = ("-" if not i.extent else
               f"{i.extent[0]:.1f},{i.extent[1]:.1f},{i.extent[2]:.1f},{i.extent[3]:.1f}")
        sys.stdout.write(f"  {i.name:<20} {i.kind:<8} {i.geometry_type or '-':<16} "
                         f"{i.count:>10}  {ext}\n")
    if services:
        sys.stdout.write(f"服务 {len(services)}（保存的服务，不是工作空间图层）\n")
        for d in services:
            layer = f" [{d['layer']}]" if d["layer"] else ""
            sys.stdout.write(f"  {d['name']:<20} 服务:{d['type']:<9} {d['crs'] or '-':<16} {d['url']}{layer}\n")
    return 0
