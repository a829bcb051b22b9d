"""lzt crs-detect WS FILE [--layer NAME] [--x-field F --y-field F] [--encoding E] [--json]

Which system are a file's lon/lat in: WGS84 (CGCS2000), GCJ-02 (Amap, Tencent, DataV) or
BD-09 (Baidu)? Prints the evidence (field signatures; each reading's residual against the
workspace's layers) and the verdict with the ``--coords`` flag to import it with."""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace to compare with (.gpkg file or postgresql:// URL)")
    p.add_argument("file", metavar="FILE", help="the vector or table file to judge")
    p.add_argument("--layer", help="only this layer of a multi-layer file (or sheet of a workbook)")
    p.add_argument("--x-field", help="column holding longitude (tables)")
    p.add_argument("--y-field", help="column holding latitude (tables)")
    p.add_argument("--encoding", help="text encoding when detection guesses wrong (e.g. GB18030)")
    p.add_argument("--json", action="store_true", help="print the evidence as JSON")


def run(args) -> int:
    from layers.spec import ReadOptions
    from lzt.ingest.crs_detect import detect_file
    from lzt.workspace import open_workspace

    ws = open_workspace(args.workspace)
    try:
        found = detect_file(ws, args.file, ReadOptions(layer=args.layer, x_field=args.x_field,
                                                       y_field=args.y_field, encoding=args.encoding))
    finally:
        ws.close()
    if args.json:
        json.dump([f.to_json() for f in found], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(_text(f) for f in found) + "\n")
    return 0


def _text(f) -> str:
    from lzt.core.chinacoords import LABELS
    from lzt.ingest.crs_detect import advice, note_zh

    head = f"{f.file}（图层 {f.layer}，{f.count} 个要素，坐标系 {f.crs or '未声明'}）"
    v = f.verdict
    if v is None:
        return f"{head}\n  不是 WGS84/CGCS2000 经纬度：GCJ-02/BD-09 只出现在经纬度数据中，无需判断"
    lines = [head, f"  结论：{advice(v, '导入')}" if v.flag else f"  结论：{v.summary}"]
    if v.provenance:
        lines.append("  来源线索：")
        strength = {"strong": "强", "weak": "弱"}
        lines += [f"    {LABELS[c.datum]:<7}{strength[c.strength]}  {c.text}" for c in v.provenance]
    else:
        lines.append("  来源线索：无")
    geo = v.geometry
    if geo is not None:
        apart = "，".join(f"{LABELS[k.split('-')[0]]}↔{LABELS[k.split('-')[1]]} {m:g} m"
                          for k, m in geo.offsets_m.items())
        lines.append(f"  几何比对：抽样 {geo.sample} 个顶点" + (f"（三种读法相距 {apart}）" if apart else ""))
        if geo.layers:
            lines.append("    " + f"{'图层':<18}" + "".join(f"{LABELS[h]:>10}" for h in LABELS) + "   （中位距离，m）")
            for lf in geo.layers:
                cells = "".join(f"{'>' + format(lf.radius_m, 'g') if m is None else format(m, '.1f'):>10}"
                                for m in lf.median_m.values())
                mark = f"   ← {LABELS[lf.best]}" if lf.decides else ""
                lines.append(f"    {lf.layer:<18}{cells}{mark}")
        if geo.status != "conclusive" or not geo.layers:
            lines.append(f"    {note_zh(geo.note)}")
    return "\n".join(lines)
