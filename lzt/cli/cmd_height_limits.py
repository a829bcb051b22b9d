"""lzt height-limits WS [--zones LAYER] [--buildings LAYER] [--bim LAYER] [--all] [--json]"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("--zones", metavar="LAYER",
                   help="height-limit zone layer: polygons with height_limit_m (or 控高/限高) and reference "
                        "绝对高程|相对地面 (default: height_limits, else the only such layer)")
    p.add_argument("--buildings", metavar="LAYER", default="buildings", help="white models (default: buildings)")
    p.add_argument("--bim", metavar="LAYER", default="bim_models", help="BIM models (default: bim_models)")
    p.add_argument("--all", action="store_true", help="list passing structures too")
    p.add_argument("--json", action="store_true",
                   help="print [{kind, id, zone, reference, limit_m, ground_z, height_m, top_z, "
                        "allowed_height_m, margin_m, status, detail}], worst first")


def run(args) -> int:
    from lzt.analysis.height_limits import check_height_limits
    from lzt.analysis.supervision import STATUS_ZH
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.workspace import open_workspace

    ws = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        checks = check_height_limits(ws, zones=args.zones, buildings=args.buildings, bim=args.bim,
                                     feedback=Feedback(bar))
    finally:
        bar.close()
        ws.close()
    if args.json:
        json.dump([c.to_json() for c in checks], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    counts = {s: sum(c.status == s for c in checks) for s in ("PASS", "WARN", "FAIL", "NO_DATA")}
    out.write(f"控高分区内 {len(checks)} 栋（建筑与 BIM 模型）：" +
              "，".join(f"{STATUS_ZH[s]} {n}" for s, n in counts.items()) + "\n")
    shown = [c for c in checks if args.all or c.status != "PASS"]
    for c in shown[:100]:
        out.write(f"  {STATUS_ZH[c.status]:<4}{c.detail}\n")
    if len(shown) > 100:
        out.write(f"  …… 另有 {len(shown) - 100} 栋（用 --json 查看全部）\n")
    return 0
