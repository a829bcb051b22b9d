"""The workspace tests run against both backends: ``ws`` is a GeoPackage file and a PostGIS schema.

Tests marked ``gpkg_only`` check what only a GeoPackage has (the SQLite file,
GDAL's view of it, the R-tree); tests/workspace/test_postgis.py has the
PostGIS-only ones.
"""

from __future__ import annotations

import pytest

BACKENDS = ("gpkg", "postgis")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("gpkg_only")
        metafunc.parametrize("backend", ["gpkg"] if only else list(BACKENDS))


@pytest.fixture
def ws(backend, tmp_path, request):
    """A fresh, empty EPSG:4547 workspace of the backend under test."""
    from lzt.workspace import create_workspace

    uri = tmp_path / "ws.gpkg" if backend == "gpkg" else request.getfixturevalue("pg_url")
    w = create_workspace(uri)
    yield w
    w.close()
