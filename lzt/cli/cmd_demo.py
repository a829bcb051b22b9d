"""lzt demo [WS.gpkg] [--scale small|district] [--force]"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS.gpkg", nargs="?",
                   help="where to build it (default: the demo workspace in your data folder)")
    p.add_argument("--scale", choices=["small", "district"], default="small",
                   help="small: ≥20k parcels, 100k POIs (default); district: 100k parcels, 1M POIs")
    p.add_argument("--force", action="store_true", help="rebuild even if the file exists")


def run(args) -> int:
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.demo.build import build_demo, default_demo_path

    path = args.workspace or default_demo_path()
    bar = TerminalProgress()
    try:
        facts = build_demo(path, args.scale, force=args.force, feedback=Feedback(bar))
    finally:
        bar.close()
    verb = "已存在（沿用）" if facts.get("reused") else f"已生成（{facts['seconds']} 秒）"
    sys.stdout.write(f"龙岗区示例工作空间 {path} {verb}，规模 {facts['scale']}\n")
    for name, n in facts["counts"].items():
        sys.stdout.write(f"  {name:<12} {n:>10}\n")
    return 0
