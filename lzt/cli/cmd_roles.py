"""lzt roles init postgresql://user@host:port/db?schema=NAME"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    p.add_argument("action", choices=["init"],
                   help="init: create the group roles viewer, analyst, supervisor, admin (if absent) and "
                        "grant them this workspace; complaint layers are readable only through masking views")
    p.add_argument("url", metavar="URL", help="the shared workspace: postgresql://user@host:port/db?schema=NAME")


def run(args) -> int:
    from lzt.core.errors import LztInputError
    from lzt.workspace.uri import is_postgres_url

    if not is_postgres_url(args.url):
        raise LztInputError(args.url, "roles exist only for shared workspaces: give a postgresql:// URL")
    from lzt.workspace.postgis.roles import init_roles
    from lzt.workspace.postgis.workspace import PostGISWorkspace

    ws = PostGISWorkspace.open(args.url)
    try:
        done = init_roles(ws)
    finally:
        ws.close()
    for line in done:
        sys.stdout.write(line + "\n")
    sys.stdout.write(f"roles ready for {ws.uri}: add logins with GRANT viewer|analyst|supervisor|admin TO <login>\n")
    return 0
