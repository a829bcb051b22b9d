"""Which model format a file holds, by its content (the suffix may lie)."""

from __future__ import annotations

import re
from pathlib import Path

from lzt.core.errors import LztInputError

IFC = ".ifc"
MESH_FORMATS = (".glb", ".gltf", ".obj", ".ply", ".stl")
KNOWN = "IFC (ISO-10303-21), glTF/GLB, OBJ, PLY or STL"


def sniff_model(path: str | Path) -> str:
    """The format of a model file as a suffix (".ifc", ".glb", ...), read from its first bytes.

    ``LztInputError`` when it is none of the formats lzt reads as a model.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
        size = path.stat().st_size
    except OSError as exc:
        raise LztInputError(path, f"cannot read: {exc.strerror or exc}") from None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"ISO-10303-21"):
        return IFC
    if head[:4] == b"glTF":
        return ".glb"
    if text.startswith(b"{") and b'"asset"' in head:
        return ".gltf"
    if text[:4] == b"ply\n" or text[:5] == b"ply\r\n":
        return ".ply"
    if text.startswith(b"solid") and b"facet" in head:
        return ".stl"
    if len(head) >= 84 and size == 84 + 50 * int.from_bytes(head[80:84], "little") and size > 84:
        return ".stl"  # binary STL: an 80-byte header, a count, 50 bytes per triangle
    if re.search(rb"(?m)^\s*v\s+-?[\d.]", head) and re.search(rb"(?m)^\s*(f|mtllib|o|g)\s", head):
        return ".obj"
    suffix = path.suffix.lower()
    raise LztInputError(path, f"not a model file lzt reads ({KNOWN})"
                              + (f" although named {suffix}" if suffix in (IFC, *MESH_FORMATS) else ""))


def is_model(path: str | Path) -> bool:
    """Whether ``path`` is a file holding a model format lzt reads, whatever its name."""
    try:
        return Path(path).is_file() and bool(sniff_model(path))
    except LztInputError:
        return False
