"""The workspace: lzt's local spatial index (GeoPackage by default)."""

from lzt.workspace.base import FieldInfo, LayerInfo, Workspace
from lzt.workspace.open import create_workspace, open_workspace

__all__ = ["FieldInfo", "LayerInfo", "Workspace", "create_workspace", "open_workspace"]
