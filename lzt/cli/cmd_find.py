"""lzt find WS TEXT [--limit N] [--json]

Fuzzy place and address search over the workspace's gazetteer (streets, communities, compounds,
roads, POIs, parcels, supervision projects and holders, buildings, BIM models). ``--json`` prints
the contract: [{name, kind, layer, fid, level, score, x, y}] best first, x/y in the workspace CRS.
"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("text", metavar="TEXT", help="a place name, short form, pinyin initials or address")
    p.add_argument("--limit", type=int, default=10, help="at most N results (default: 10)")
    p.add_argument("--json", action="store_true",
                   help="print [{name, kind, layer, fid, level, score, x, y}], best first")


def run(args) -> int:
    from lzt.search.find import find
    from lzt.workspace import open_workspace

    ws = open_workspace(args.workspace)
    try:
        places = find(ws, args.text, limit=args.limit)
    finally:
        ws.close()
    if args.json:
        json.dump([p.to_json() for p in places], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if not places:
        sys.stdout.write(f"没有找到与“{args.text}”相符的地点\n")
        return 0
    for p in places:
        xy = "-" if p.x is None else f"{p.x:.1f},{p.y:.1f}"
        sys.stdout.write(f"{p.score:5.2f}  {p.level:<3} {p.name:<24} {p.layer}#{p.fid}  {xy}\n")
    return 0
