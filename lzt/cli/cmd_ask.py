"""lzt ask WS QUESTION [--as-of YYYY-MM-DD] [--json]

问数: a question in Chinese answered offline by a grammar (no language model), with the
gazetteer for places and the complaint catalogue with synonyms for topics. ``--json`` prints
the contract {understood, query, answer, rows, refused, reason} plus ``data_range`` (the dates
the complaint records cover; a window wholly outside them is refused saying so). A refusal is an answer too
(exit 0, ``refused: true`` with the reason); bad usage exits 2.
"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("question", metavar="QUESTION", help="the question, e.g. 龙城街道今年噪声扰民投诉多少？")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="today for 今年, 上月, 近30天 ... (default: today)")
    p.add_argument("--json", action="store_true",
                   help="print {understood, query, answer, rows, refused, reason, data_range}")


def run(args) -> int:
    from datetime import date

    from lzt.analysis.answer import ask
    from lzt.cli.args import iso_date
    from lzt.workspace import open_workspace

    as_of = iso_date(args.as_of, "--as-of") or date.today()
    ws = open_workspace(args.workspace)
    try:
        a = ask(ws, args.question, as_of=as_of)
    finally:
        ws.close()
    if args.json:
        json.dump(a.to_json(), sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(a.text + "\n")
    if a.understood.words:
        sys.stdout.write("理解为：" + "，".join(a.understood.words) + "\n")
    if not a.refused:
        for r in a.rows[:20]:
            sys.stdout.write(f"  {r['key']:<24}{r.get('count', '')!s:>10}\n")
        sys.stdout.write(f"查询：{a.query.get('command')}\n")
    return 0
