"""lzt geocode WS LAYER --field FIELD [--out LAYER] [--json]

Shenzhen addresses of a layer's records parsed into 区/街道/社区/路/号/小区/栋 and matched
hierarchically against the workspace's gazetteer. Each record gets a location, the level it was
matched at (门牌/小区/道路/社区/街道) and a confidence, or stays unplaced with the reason; the
record's street/community columns, when the layer has them, fill what the address leaves out.
``--out`` stores the records at their location as a new layer (``location_source =
geocoded:<level>``). ``--json`` prints {layer, field, out, context, count, placed, levels,
unplaced: [{fid, address, reason}], records: [{fid, address, level, confidence, x, y, matched,
reason, location_source}]}; addresses are masked, x/y in the workspace CRS.
"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("layer", metavar="LAYER", help="the layer whose records carry addresses")
    p.add_argument("--field", required=True, metavar="FIELD", help="the address field")
    p.add_argument("--out", metavar="LAYER", help="store the geocoded records as this new layer")
    p.add_argument("--json", action="store_true",
                   help="print {count, placed, levels, unplaced, records}; addresses masked")


def run(args) -> int:
    from lzt.analysis.geocode_layer import geocode_layer
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.workspace import open_workspace

    ws = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        report = geocode_layer(ws, args.layer, args.field, out=args.out, feedback=Feedback(bar))
    finally:
        bar.close()
        ws.close()
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    d = report.to_json()
    sys.stdout.write(f"{d['count']} 条记录，已定位 {d['placed']} 条"
                     + (f"，结果图层 {args.out}" if args.out else "") + "\n")
    sys.stdout.write("匹配级别：" + "  ".join(f"{k} {v}" for k, v in d["levels"].items()) + "\n")
    if d["context"]:
        sys.stdout.write("补充字段：" + "，".join(f"{k}={v}" for k, v in d["context"].items()) + "\n")
    unplaced = sorted(d["unplaced"], key=lambda r: r["address"] is None)  # records with an address first
    for r in unplaced[:50]:
        sys.stdout.write(f"  未定位 #{r['fid']}  {r['address'] or '（空）'}：{r['reason']}\n")
    if len(d["unplaced"]) > 50:
        sys.stdout.write(f"  …… 另有 {len(d['unplaced']) - 50} 条未定位（--json 列出全部）\n")
    return 0
