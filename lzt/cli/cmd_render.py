"""lzt render WS OUT.png --extent X1,Y1,X2,Y2 --size WxH [--layers L1,...] [--dpi N] [--transparent]

The bare map image of an extent (workspace CRS), no sheet elements, its pixels exactly
covering the extent as a WMS GetMap answer would: for reports, web pages and checks. Layers
may be workspace layers or saved services (``lzt service list``); default: every workspace layer.
"""

from __future__ import annotations

import re
import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS", help="workspace (.gpkg file or postgresql:// URL)")
    p.add_argument("out", metavar="OUT.png", help="image file (.png, .jpg, .tif)")
    p.add_argument("--extent", metavar="X1,Y1,X2,Y2", required=True, help="the box the image covers (workspace CRS)")
    p.add_argument("--size", metavar="WxH", required=True, help="image size in pixels, e.g. 1920x1080")
    p.add_argument("--layers", metavar="L1,...", help="layers bottom first: workspace layers or saved services")
    p.add_argument("--dpi", type=float, default=96.0, help="dots per inch (symbol sizes; default 96)")
    p.add_argument("--transparent", action="store_true", help="no white background")


def run(args) -> int:
    from lzt.cli import args as argp
    from lzt.core.errors import LztInputError
    from lzt.render.api import save_image
    from lzt.render.cache import FeatureSource
    from lzt.render.job import render_to_image
    from lzt.render.request import RenderRequest, snapshot_layers
    from lzt.services.saved import with_saved
    from lzt.workspace import open_workspace

    extent = argp.bbox(args.extent, "--extent")
    m = re.fullmatch(r"\s*(\d+)\s*[xX*]\s*(\d+)\s*", args.size)
    if not m or not (0 < int(m.group(1)) <= 20000 and 0 < int(m.group(2)) <= 20000):
        raise LztInputError("--size", f"expected WxH in pixels (1..20000), got {args.size!r}")
    w, h = int(m.group(1)), int(m.group(2))
    if extent[2] <= extent[0] or extent[3] <= extent[1]:
        raise LztInputError("--extent", "the box has no area")
    # square pixels: the extent's aspect must match the size's (to half a pixel)
    want_h = w * (extent[3] - extent[1]) / (extent[2] - extent[0])
    if abs(want_h - h) > 0.5:
        raise LztInputError("--size", f"{w}x{h} does not have the extent's aspect (square pixels need "
                                      f"{w}x{round(want_h)})")
    if not str(args.out).lower().endswith((".png", ".jpg", ".jpeg", ".tif", ".tiff")):
        raise LztInputError(args.out, "the image is .png, .jpg or .tif")
    base = open_workspace(args.workspace)
    try:
        names = [n.strip() for n in args.layers.split(",") if n.strip()] if args.layers else \
            [i.name for i in base.layers()]
        ws = with_saved(base, names)
        for n in names:
            if not ws.has_layer(n):
                raise LztInputError(args.workspace, f"no layer or saved service called {n!r}")
        req = RenderRequest(tuple(extent), w, h, args.dpi, snapshot_layers(ws, names),
                            None if args.transparent else "#ffffff")
        img, result = render_to_image(req, FeatureSource(ws))
        save_image(img, args.out)
    finally:
        base.close()
    for name, r in result.layers.items():
        if r.error:
            line = r.error if r.error.startswith(f"{name}: ") else f"{name}: {r.error}"
            sys.stderr.write(f"lzt render: 注意: {line}\n")
    sys.stdout.write(f"{args.out}: {w}x{h}\n")
    return 0
