"""Open a workspace by URI: a GeoPackage path, or (later) ``postgresql://``."""

from __future__ import annotations

from pathlib import Path

from lzt.core.errors import LztInputError
from lzt.workspace.base import Workspace


def open_workspace(uri: str | Path) -> Workspace:
    """Open an existing workspace; ``LztInputError`` naming it if that fails."""
    text = str(uri)
    if text.startswith(("postgresql://", "postgres://")):
        raise LztInputError(text, "PostgreSQL/PostGIS workspaces are not available in this build "
                                  "(only GeoPackage .gpkg workspaces)")
    from lzt.workspace.gpkg import GeoPackageWorkspace

    return GeoPackageWorkspace.open(Path(text))


def create_workspace(uri: str | Path, crs: str = "EPSG:4547") -> Workspace:
    """Create a new, empty workspace with ``crs`` as its CRS."""
    text = str(uri)
    if text.startswith(("postgresql://", "postgres://")):
        raise LztInputError(text, "PostgreSQL/PostGIS workspaces are not available in this build")
    if Path(text).suffix.lower() != ".gpkg":
        raise LztInputError(text, "a workspace file must end in .gpkg")
    from lzt.workspace.gpkg import GeoPackageWorkspace

    return GeoPackageWorkspace.create(Path(text), crs)
