"""lzt service add WS NAME URL --type wmts|wms|xyz|tianditu|ogcapi|wfs [--layer ID] [--matrix-set ID]
[--format F] [--coords gcj02|bd09] [--key-env VAR]; lzt service list WS [--json]; lzt service remove WS NAME

The workspace's service catalogue: raster services (drawn as layers by name in ``lzt render``,
``lzt sheet``...) and vector services (``lzt query``, ``lzt download``). Keys are never saved:
``--key-env`` names the environment variable holding one (天地图 also reads TIANDITU_TOKEN or
the OS keyring); ``{key}`` in a URL marks where it goes.
"""

from __future__ import annotations

import json
import sys

from lzt.services.catalog import TYPES


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    a = sub.add_parser("add", help="save a service in the workspace")
    a.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    a.add_argument("name", metavar="NAME", help="the layer name the service gets")
    a.add_argument("url", metavar="URL", help="service URL or XYZ template ({z} {x} {y} {-y} {s} {key}); "
                                              "天地图: its base URL, e.g. https://t{s}.tianditu.gov.cn/")
    a.add_argument("--type", required=True, choices=TYPES)
    a.add_argument("--layer", metavar="ID", default="", help="WMTS layer, WMS layers, 天地图 layer (img_c, vec_w...), "
                                                             "OGC API collection or WFS feature type")
    a.add_argument("--matrix-set", metavar="ID", default="", help="WMTS tile matrix set (天地图: c or w)")
    a.add_argument("--format", metavar="F", default="", help="image format, e.g. image/png")
    a.add_argument("--coords", choices=["gcj02", "bd09"], help="the service's lon/lat are GCJ-02 or BD-09")
    a.add_argument("--key-env", metavar="VAR", default="", help="environment variable holding the key")
    a.add_argument("--attribution", default="", help="source attribution printed on sheets")
    a.add_argument("--approval-no", default="", help="the service's 审图号, printed on sheets")
    a.add_argument("--subdomains", default="", help="XYZ {s} values (default abc)")
    a.add_argument("--replace", action="store_true", help="replace a saved service of the same name")
    a.add_argument("--json", action="store_true", help="print the saved record as JSON")
    ls = sub.add_parser("list", help="list the saved services")
    ls.add_argument("workspace", metavar="WS")
    ls.add_argument("--json", action="store_true", help="print the records as JSON")
    rm = sub.add_parser("remove", help="forget a saved service")
    rm.add_argument("workspace", metavar="WS")
    rm.add_argument("name", metavar="NAME")


def run(args) -> int:
    from lzt.services import catalog
    from lzt.workspace import open_workspace

    ws = open_workspace(args.workspace)
    try:
        if args.action == "add":
            extra = {"subdomains": args.subdomains} if args.subdomains else {}
            rec = catalog.add(ws, catalog.ServiceRecord(
                name=args.name, type=args.type, url=args.url, layer=args.layer, matrix_set=args.matrix_set,
                format=args.format, coords=args.coords, key_env=args.key_env, attribution=args.attribution,
                approval_no=args.approval_no, extra=extra), replace=args.replace)
            if args.json:
                _print_json(rec.to_json())
            else:
                sys.stdout.write(f"已保存服务 {rec.name} ({catalog.TYPE_LABELS[rec.type]})\n")
        elif args.action == "list":
            recs = catalog.records(ws)
            if args.json:
                _print_json([r.to_json() for r in recs])
            elif not recs:
                sys.stdout.write("(没有保存的服务 no saved services)\n")
            else:
                for r in recs:
                    extra = " ".join(f"{k}={v}" for k, v in (("layer", r.layer), ("matrix-set", r.matrix_set),
                                                             ("coords", r.coords), ("key-env", r.key_env)) if v)
                    sys.stdout.write(f"{r.name}\t{r.type}\t{r.url}\t{extra}\n")
        else:
            rec = catalog.remove(ws, args.name)
            sys.stdout.write(f"已删除服务 {rec.name}\n")
    finally:
        ws.close()
    return 0


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
