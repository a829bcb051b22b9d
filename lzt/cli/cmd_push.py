"""lzt push WS.gpkg postgresql://user@host:port/db?schema=NAME"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    p.add_argument("workspace", metavar="WS.gpkg", help="the GeoPackage workspace to upload")
    p.add_argument("url", metavar="URL",
                   help="target: postgresql://user@host:port/db?schema=NAME (a schema without an lzt "
                        "workspace; the password comes from pg_service.conf, PGPASSFILE or PGPASSWORD)")


def run(args) -> int:
    from lzt.cli.progress import TerminalProgress
    from lzt.core.errors import LztInputError
    from lzt.core.feedback import Feedback
    from lzt.workspace import open_workspace
    from lzt.workspace.postgis.url import parse_url
    from lzt.workspace.uri import is_postgres_url

    if not is_postgres_url(args.url):
        raise LztInputError(args.url, "the target of lzt push must be a postgresql:// URL")
    target = parse_url(args.url)
    from lzt.workspace.postgis.workspace import PostGISWorkspace
    from lzt.workspace.transfer import copy_contents

    src = open_workspace(args.workspace)
    bar = TerminalProgress()
    try:
        with PostGISWorkspace.creating(args.url, src.crs) as dst:
            report = copy_contents(src, dst, Feedback(bar))
        dst.close()
    finally:
        bar.close()
        src.close()
    sys.stdout.write(f"已上传 {args.workspace} → {target.safe}：{report.text_zh()}\n")
    return 0
