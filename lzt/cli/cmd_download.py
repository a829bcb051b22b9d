"""lzt download WS SERVICE [--extent X1,Y1,X2,Y2] [--where EXPR] [--layer L] [--replace] [--json]
[--type ogcapi|wfs --collection ID [--coords gcj02|bd09]]

Download a saved vector service (``lzt service add ... --type ogcapi|wfs``), or one given by its
URL with ``--type`` and ``--collection``, into the workspace:
the features meeting the extent (workspace CRS; default: all of them) and the CQL2 condition,
stored as a workspace layer in one transaction through the importer (GCJ-02/BD-09 services
corrected)."""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("service", metavar="SERVICE", help="a saved OGC API Features or WFS service (lzt service "
                                                      "list), or a service URL with --type and --collection")
    p.add_argument("--extent", metavar="X1,Y1,X2,Y2", help="only features meeting this box (workspace CRS); "
                                                           "default: all of the service's features")
    p.add_argument("--where", metavar="EXPR", help="attribute condition (CQL2 text); sent to servers that "
                                                   "filter, always checked by lzt")
    p.add_argument("--layer", help="workspace layer name (default: the service's name)")
    p.add_argument("--replace", action="store_true", help="replace a layer of the same name")
    p.add_argument("--json", action="store_true", help="print the import report as JSON")
    url = p.add_argument_group("a service given by its URL")
    url.add_argument("--type", choices=["ogcapi", "wfs"], help="OGC API - Features or WFS 2.0")
    url.add_argument("--collection", metavar="ID", help="the collection id (OGC API) or feature type (WFS)")
    url.add_argument("--coords", choices=["gcj02", "bd09"], help="the service's lon/lat are GCJ-02 or BD-09")


def run(args) -> int:
    from lzt.cli import args as argp
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.services.download import download
    from lzt.services.saved import is_url, open_service
    from lzt.workspace import open_workspace

    extent = argp.bbox(args.extent, "--extent") if args.extent else None
    ws = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        if not is_url(args.service) and (args.type or args.collection or args.coords):
            from lzt.core.errors import LztInputError

            raise LztInputError("--type/--collection/--coords", "apply to a service given by its URL; a saved "
                                                                "service has its own")
        source = open_service(ws, args.service, type=args.type, layer=args.collection, coords=args.coords)
        report = download(ws, source, extent=extent, where=args.where, layer=args.layer,
                          replace=args.replace, feedback=Feedback(bar))
    finally:
        bar.close()
        ws.close()
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report.text_zh(warnings=False) + "\n")
    for line in report.warning_lines():
        sys.stderr.write(line + "\n")
    return 0
