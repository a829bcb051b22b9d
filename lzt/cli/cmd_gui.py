"""lzt gui [WS.gpkg] [--screenshot OUT.png [--view map|table|supervision|dashboard|3d|swipe|before_after]]
[--lang zh_CN|en]"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS.gpkg", nargs="?",
                   help="workspace to open, a .gpkg file or a postgresql:// URL (default: the demo "
                        "workspace in your data folder, built if missing)")
    p.add_argument("--screenshot", metavar="OUT.png", help="render the window to a PNG and exit")
    p.add_argument("--view", default="map", help="view for --screenshot: map, table, supervision, dashboard, 3d, profile (纵断面), swipe "
                                              "(the map swiping between two dates of imagery), before_after "
                                              "(a parcel's imagery in the supervision workbench)")
    p.add_argument("--size", default="1600x1000", metavar="WxH", help="window size for --screenshot")
    p.add_argument("--parcel", metavar="ID", help="open the supervision view on this parcel")
    p.add_argument("--search", metavar="TEXT", help="type TEXT in the search box first: a place or a question")
    p.add_argument("--lang", choices=["zh_CN", "en"], help="interface language (default: saved, else 简体中文)")


def run(args) -> int:
    from pathlib import Path

    from lzt.core.errors import LztInputError

    if args.view not in ("map", "table", "supervision", "dashboard", "3d", "swipe", "before_after", "profile"):
        raise LztInputError("--view", f"unknown view {args.view!r}; use map, table, supervision, dashboard, 3d, "
                                      "swipe or before_after")
    try:
        w, h = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        raise LztInputError("--size", f"expected WIDTHxHEIGHT, got {args.size!r}") from None
    path = args.workspace
    if path is None:
        from lzt.cli.progress import TerminalProgress
        from lzt.core.feedback import Feedback
        from lzt.demo.build import build_demo, default_demo_path, existing_demo

        path = default_demo_path()
        if path.exists() and existing_demo(path):  # a demo from an earlier lzt opens as it is: it may hold
            pass                                   # inspections; `lzt demo --force` rebuilds it
        else:
            bar = TerminalProgress()
            try:
                build_demo(path, "small", feedback=Feedback(bar))
            finally:
                bar.close()
    elif "://" not in str(path) and not Path(path).exists():  # postgresql:// URLs open as they are
        raise LztInputError(path, "no such workspace")
    if args.screenshot:
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from lzt.gui.app import make_app, open_main_window

    app = make_app(args.lang)
    win = open_main_window(path, language=args.lang)
    if args.parcel:
        win.show_view("supervision")
        win.bench.select_parcel(args.parcel)
    if args.search:
        win.resize(w, h)
        win.show()
        win.search(args.search)
    if not args.screenshot:
        from lzt.gui.crash_report import install

        install()  # an unexpected error: a dialog and errors.log, not only the console
        win.show()
        return app.exec()
    from lzt.gui.screenshot import saved_line, screenshot

    out = screenshot(win, args.screenshot, view=args.view, size=(w, h), parcel=args.parcel)
    sys.stdout.write(saved_line(out) + "\n")  # in the --lang language
    win.close()
    return 0
