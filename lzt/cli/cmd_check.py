"""lzt check WS [--parcel ID] [--as-of YYYY-MM-DD] [--layer LAYER] [--json] [--report OUT.pdf]"""

from __future__ import annotations

import json
import sys



def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("--parcel", metavar="ID", help="check one parcel (宗地编号)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="judge as of this date (default: today)")
    p.add_argument("--layer", help="supervision layer (default: the workspace's only one)")
    p.add_argument("--json", action="store_true",
                   help="print [{parcel_id, results: [{rule, status, value, limit, detail}]}]")
    p.add_argument("--report", metavar="OUT.pdf",
                   help="write the PDF report (terms, results, map, nearby complaints, inspections) of "
                        "--parcel, or of every failing parcel")


def run(args) -> int:
    from datetime import date

    from lzt.analysis.supervision import RULE_ZH, STATUS_ZH, run_checks, summary
    from lzt.cli.args import iso_date
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.workspace import open_workspace

    as_of = iso_date(args.as_of, "--as-of") or date.today()
    ws = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        checks = run_checks(ws, layer=args.layer, parcel=args.parcel, as_of=as_of, feedback=Feedback(bar))
    finally:
        bar.close()
        ws.close()
    if args.report:
        from lzt.export.report import parcel_report

        ids = [c.parcel_id for c in checks if args.parcel or c.worst == "FAIL"]
        ws = open_workspace(args.workspace)
        bar = TerminalProgress()
        try:
            parcel_report(ws, ids, args.report, as_of=as_of, layer=args.layer, feedback=Feedback(bar))
        finally:
            bar.close()
            ws.close()
        sys.stderr.write(f"已生成报告 {args.report}（{len(ids)} 宗）\n")
    if args.json:
        json.dump([c.to_json() for c in checks], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    if args.parcel:
        (c,) = checks
        out.write(f"宗地 {c.parcel_id}（截至 {as_of}）：{STATUS_ZH[c.worst]}\n")
        for r in c.results:
            out.write(f"  {RULE_ZH[r.rule]:<6}{STATUS_ZH[r.status]:<5}{r.detail}\n")
        if c.models:
            out.write(f"  BIM 模型：{', '.join(c.models)}\n")
        return 0
    out.write(f"{len(checks)} 宗地，截至 {as_of}\n")
    out.write(f"{'规则':<8}{'通过':>7}{'预警':>7}{'不通过':>7}{'无数据':>7}\n")
    for rule, counts in summary(checks).items():
        out.write(f"{RULE_ZH[rule]:<8}" + "".join(f"{counts[s]:>8}" for s in ("PASS", "WARN", "FAIL", "NO_DATA")) + "\n")
    failing = [c for c in checks if c.worst == "FAIL"]
    if failing:
        out.write(f"不通过的宗地（{len(failing)}）：\n")
        for c in failing[:50]:
            rules = "、".join(RULE_ZH[r.rule] for r in c.results if r.status == "FAIL")
            out.write(f"  {c.parcel_id:<18}{rules}\n")
        if len(failing) > 50:
            out.write(f"  …… 另有 {len(failing) - 50} 宗（用 --json 查看全部）\n")
    return 0
