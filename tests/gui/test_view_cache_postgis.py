"""The opening view kept from the last session on a PostGIS workspace: its key changes with any
client's edit of a layer (lzt.render.view_cache), so a stale picture is never shown."""

from __future__ import annotations

import psycopg

from lzt.render.request import make_request
from lzt.render.view_cache import view_key
from lzt.workspace import create_workspace, open_workspace
from tests.conftest import longgang_points

EXTENT = (504_000, 2_498_000, 537_000, 2_525_000)


def _key(url):
    ws = open_workspace(url)  # a new session
    try:
        return view_key(ws, make_request(ws, EXTENT, 800, 600))
    finally:
        ws.close()


def test_the_kept_view_key_follows_every_clients_edits(pg_url, postgis_cluster):
    ws = create_workspace(pg_url)
    ws.write_layer("poi", longgang_points(30))
    ws.close()
    first = _key(pg_url)
    assert first is not None and _key(pg_url) == first  # nothing changed: the same picture
    keys = {first}
    with psycopg.connect(postgis_cluster.url(), autocommit=True) as conn:  # e.g. QGIS
        t = f"{ws.schema}.poi"
        for edit in (f"UPDATE {t} SET geom = ST_Translate(geom, 5, 0) WHERE fid = 3",  # count, extent: same
                     f'UPDATE {t} SET "category" = \'学校\' WHERE fid = 4',
                     f"ALTER TABLE {t} ALTER COLUMN geom TYPE geometry(Point, 4547) "  # a rewrite: no row trigger
                     "USING ST_Translate(geom, 0, 5)",
                     f"ALTER TABLE {t} ADD COLUMN extra int"):
            conn.execute(edit)
            key = _key(pg_url)
            assert key is not None and key not in keys, edit
            keys.add(key)
    assert _key(pg_url) == key


def test_another_login_does_not_open_on_the_kept_picture(pg_url, postgis_cluster):
    """The same layers seen by a viewer and by the workspace's owner are different pictures (a
    viewer may not read the complaints): their keys differ, each stable for its login."""
    import uuid

    from lzt.cli.main import main

    ws = create_workspace(pg_url)
    ws.write_layer("poi", longgang_points(30))
    ws.close()
    assert main(["roles", "init", pg_url]) == 0
    login = f"v_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(postgis_cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {login} LOGIN IN ROLE viewer")
    viewer_url = pg_url.replace("postgres@", f"{login}@")
    assert viewer_url != pg_url
    owner, viewer = _key(pg_url), _key(viewer_url)
    assert owner is not None and viewer is not None and owner != viewer
    assert _key(viewer_url) == viewer and _key(pg_url) == owner
