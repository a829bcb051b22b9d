"""lzt pull postgresql://user@host:port/db?schema=NAME WS.gpkg"""

from __future__ import annotations

import sys
from pathlib import Path


def add_arguments(p) -> None:
    p.add_argument("url", metavar="URL", help="source: postgresql://user@host:port/db?schema=NAME")
    p.add_argument("workspace", metavar="WS.gpkg", help="the GeoPackage workspace to create (must not exist)")


def run(args) -> int:
    from lzt.cli.progress import TerminalProgress
    from lzt.core.errors import LztInputError
    from lzt.core.feedback import Feedback
    from lzt.workspace.uri import is_postgres_url

    if not is_postgres_url(args.url):
        raise LztInputError(args.url, "the source of lzt pull must be a postgresql:// URL")
    target = Path(args.workspace)
    if target.suffix.lower() != ".gpkg":
        raise LztInputError(target, "a workspace file must end in .gpkg")
    if target.exists():
        raise LztInputError(target, "already exists; choose another file or remove it first")
    from lzt.workspace.gpkg.workspace import GeoPackageWorkspace
    from lzt.workspace.postgis.workspace import PostGISWorkspace
    from lzt.workspace.transfer import copy_contents

    src = PostGISWorkspace.open(args.url)
    tmp = target.with_name(target.name + ".pulling")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    bar = TerminalProgress()
    try:
        dst = GeoPackageWorkspace.create(tmp, src.crs)
        try:
            report = copy_contents(src, dst, Feedback(bar))
        finally:
            dst.close()
        tmp.replace(target)  # appears complete or not at all
    except BaseException:
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
        raise
    finally:
        bar.close()
        src.close()
    sys.stdout.write(f"已下载 {src.uri} → {target}：{report.text_zh()}\n")
    return 0
