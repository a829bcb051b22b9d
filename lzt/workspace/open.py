"""Open a workspace by URI: a GeoPackage path, or a ``postgresql://`` URL (PostGIS)."""

from __future__ import annotations

from pathlib import Path

from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace
from lzt.workspace.uri import is_postgres_url


def open_workspace(uri: str | Path) -> Workspace:
    """Open an existing workspace; ``LztInputError`` naming it if that fails.

    ``postgresql://user@host:port/db?schema=NAME`` opens a shared PostGIS workspace
    (the backend and psycopg are imported only then); anything else is a GeoPackage path.
    """
    text = str(uri)
    if is_postgres_url(text):
        from lzt.workspace.postgis.workspace import PostGISWorkspace

        return PostGISWorkspace.open(text)
    from lzt.workspace.gpkg.workspace import GeoPackageWorkspace

    return GeoPackageWorkspace.open(Path(text))


def create_workspace(uri: str | Path, crs: str = "EPSG:4547") -> Workspace:
    """Create a new, empty workspace with ``crs`` as its CRS."""
    text = str(uri)
    if is_postgres_url(text):
        from lzt.workspace.postgis.workspace import PostGISWorkspace

        return PostGISWorkspace.create(text, crs)
    if Path(text).suffix.lower() != ".gpkg":
        raise LztInputError(text, "a workspace file must end in .gpkg")
    from lzt.workspace.gpkg.workspace import GeoPackageWorkspace

    return GeoPackageWorkspace.create(Path(text), crs)
