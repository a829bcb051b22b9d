"""lzt inspect WS PARCEL_ID (--date D --inspector NAME --result TEXT [--notes TEXT] [--photo FILE]...
[--status S] [--expect-version N] | --list [--json])"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("parcel", metavar="PARCEL_ID", help="宗地编号")
    p.add_argument("--layer", help="supervision layer (default: the workspace's only one)")
    p.add_argument("--list", action="store_true", help="list the parcel's inspections instead")
    p.add_argument("--json", action="store_true", help="with --list: print JSON")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="inspection date (default: today)")
    p.add_argument("--inspector", help="who inspected (核查人)")
    p.add_argument("--result", help="核查结果, e.g. 未动工 / 在建 / 停工 / 已竣工 / 疑似闲置")
    p.add_argument("--notes", help="notes (情况说明)")
    p.add_argument("--photo", action="append", default=[], metavar="FILE", help="photo file (repeatable)")
    p.add_argument("--status", help="also set the parcel's status (状态)")
    p.add_argument("--expect-version", type=int, metavar="N",
                   help="fail with a conflict unless the parcel is still at version N")


def run(args) -> int:
    from datetime import date

    from lzt.analysis.inspections import parcel_record, record_inspection
    from lzt.cli.args import iso_date
    from lzt.core.errors import LztInputError
    from lzt.workspace import open_workspace

    ws = open_workspace(args.workspace)
    try:
        if args.list:
            layer, _, _ = parcel_record(ws, args.parcel, args.layer)
            rows = ws.inspections(layer, args.parcel)
            if args.json:
                json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
                sys.stdout.write("\n")
            else:
                for r in rows:
                    photos = f"  照片 {len(r['photos'])} 张" if r["photos"] else ""
                    sys.stdout.write(f"{r['inspected_on']}  {r['inspector']}  {r['result']}  "
                                     f"{r['notes'] or ''}{photos}  (录入 {r['recorded_by']} {r['recorded_at']})\n")
                if not rows:
                    sys.stdout.write(f"宗地 {args.parcel} 尚无核查记录\n")
            return 0
        missing = [o for o, v in (("--inspector", args.inspector), ("--result", args.result)) if not v]
        if missing:
            raise LztInputError("lzt inspect", f"{' and '.join(missing)} required to record an inspection")
        iid = record_inspection(ws, args.parcel, inspected_on=iso_date(args.date, "--date") or date.today(),
                                inspector=args.inspector, result=args.result, notes=args.notes,
                                photos=args.photo, status=args.status, layer=args.layer,
                                expected_version=args.expect_version)
    finally:
        ws.close()
    sys.stdout.write(f"已记录核查 #{iid}（宗地 {args.parcel}）\n")
    return 0
