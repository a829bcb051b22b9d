"""lzt formats [--kind KIND] [--json]: the file formats lzt reads and writes (``layers.formats``)."""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    from layers.formats import KINDS

    p.add_argument("--kind", choices=KINDS, help="only formats of this kind")
    p.add_argument("--json", action="store_true", help="print a JSON list (format, kind, suffixes, labels, "
                                                       "read, export)")


def run(args) -> int:
    from layers.formats import KIND_LABELS, TABLE

    entries = [f for f in TABLE if args.kind in (None, f.kind)]
    if args.json:
        json.dump([f.to_json() for f in entries], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for f in entries:
        how = "读写" if (f.writes or f.reader == "tiles") and f.reader else "读" if f.reader else "识别后拒绝"
        names = " ".join(f.suffixes) or f"({' '.join(f.named)})"  # known by content, under another suffix
        out = "  导出: " + " ".join(f.writes) if f.writes else "  生成: lzt tiles" if f.reader == "tiles" else ""
        sys.stdout.write(f"  {names:<22} {KIND_LABELS[f.kind][0]:<7} {how:<6} {f.zh} / {f.en}{out}\n")
    return 0
