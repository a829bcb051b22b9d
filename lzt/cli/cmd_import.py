"""lzt import WS FILE... [--layer NAME] [--src-crs CRS] [--coords wgs84|gcj02|bd09]
[--x-field F --y-field F]
[--kind complaints|supervision [--mapping MAP.json] [--parcels LAYER]]
[--link | --embed] [--date YYYY-MM-DD] [--json]"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    from layers import formats
    from layers.kinds import DOMAIN_KINDS

    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("files", metavar="FILE", nargs="+",
                   help=f"{formats.listing('vector', 'table', 'raster')}; BIM models go to lzt bim "
                        "(lzt formats lists them all)")
    p.add_argument("--layer", help="layer name in the workspace (and the layer to take from a "
                                   "multi-layer file)")
    p.add_argument("--src-crs", help="CRS of the input (EPSG code, WKT or .prj file) when the file "
                                     "has none or a wrong one")
    p.add_argument("--coords", choices=["wgs84", "gcj02", "bd09"],
                   help="lon/lat input is in this system (GCJ-02: Amap/Tencent, BD-09: Baidu)")
    p.add_argument("--x-field", help="column holding x / longitude (tables)")
    p.add_argument("--y-field", help="column holding y / latitude (tables)")
    p.add_argument("--encoding", help="attribute encoding when detection guesses wrong (e.g. GB18030)")
    p.add_argument("--replace", action="store_true", help="replace layers of the same name")
    p.add_argument("--kind", choices=[str(k) for k in DOMAIN_KINDS],
                   help="import as a domain layer with its schema (complaints: 12345 / 民生诉求 work "
                        "orders; supervision: granted parcels and their contract terms)")
    p.add_argument("--mapping", metavar="MAP.json", help="map an export's headers onto the schema fields")
    p.add_argument("--parcels", metavar="LAYER", help="supervision ledgers without geometry: take each "
                                                      "parcel's polygon from this layer by parcel_id")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--link", dest="link", action="store_true", default=None,
                   help="rasters: reference the file instead of copying it (default above ~300 M "
                        "samples); overviews are built beside it when missing")
    g.add_argument("--embed", dest="link", action="store_false",
                   help="rasters: copy the pixels into the workspace, however large")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="rasters: acquisition date (imagery is chosen by it; default: the file's metadata)")
    p.add_argument("--json", action="store_true", help="print the import report as JSON")


def run(args) -> int:
    from lzt.cli.progress import TerminalProgress
    from lzt.core.feedback import Feedback
    from lzt.ingest import ImportOptions, import_paths
    from lzt.workspace import open_workspace

    ws = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        reports = import_paths(
            ws, args.files,
            ImportOptions(layer=args.layer, src_crs=args.src_crs, coords=args.coords,
                          x_field=args.x_field, y_field=args.y_field, encoding=args.encoding,
                          replace=args.replace, kind=args.kind, mapping=args.mapping,
                          parcels=args.parcels, link=args.link, acquired=args.date,
                          locate=_locate if args.kind == "complaints" else None),
            Feedback(bar))
    finally:
        bar.close()
        ws.close()
    if args.json:
        json.dump([r.to_json() for r in reports], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for r in reports:
            sys.stdout.write(r.text_zh(warnings=False) + "\n")
    for r in reports:  # warnings on stderr, in both modes: stdout stays the report (or the JSON)
        for line in r.warning_lines():
            sys.stderr.write(line + "\n")
    return 0


def _locate(ws, addresses, streets, communities):
    """Orders without coordinates placed by their address (``lzt geocode``'s matcher)."""
    from lzt.analysis.geocode_layer import locate_addresses

    return locate_addresses(ws, addresses, streets, communities)
