"""Mesh models (glTF/GLB, OBJ, PLY, STL) through trimesh.

Meshes carry no georeferencing: they are placed by the user (``--origin``,
``--rotation``, ``--crs``) or stored unplaced. glTF is Y-up by its specification
and is turned Z-up; OBJ/PLY/STL are taken as Z-up. glTF is in metres by its
specification; the other formats state no unit: an extent over 2 km is taken as
millimetres, anything else as metres, and a warning says which. A file that yields
no triangles (trimesh returns an empty scene for some broken GLBs) is an error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bim_import.footprint import shape_2d
from bim_import.model import BimModel, Georef
from lzt.core.errors import LztInputError

MESH_SUFFIXES = {".glb": "glTF", ".gltf": "glTF", ".obj": "OBJ", ".ply": "PLY", ".stl": "STL"}
MM_EXTENT = 2000.0  # metres: a building mesh larger than this is surely in millimetres


def read_mesh_model(path: str | Path, file_format: str | None = None) -> BimModel:
    """Read a mesh file as an unplaced BIM model (local metres, Z up).

    ``file_format`` (".glb", ".obj", ...) overrides the suffix (a file named for another format).
    """
    import trimesh

    path = Path(path)
    file_format = (file_format or path.suffix).lower()
    kind = MESH_SUFFIXES.get(file_format)
    if kind is None:
        raise LztInputError(path, f"not a mesh format lzt reads ({', '.join(sorted(MESH_SUFFIXES))})")
    try:
        scene = trimesh.load(str(path), file_type=file_format.lstrip("."), force="scene")
        mesh = scene.to_geometry() if len(scene.geometry) else None
    except Exception as exc:  # trimesh raises many types for broken files
        raise LztInputError(path, f"cannot read {kind}: {' '.join(str(exc).split())[:160]}") from None
    if mesh is None or not hasattr(mesh, "faces") or len(mesh.faces) == 0:
        raise LztInputError(path, f"no geometry: the {kind} file holds no triangles (broken or empty)")
    if kind == "OBJ":
        short = _obj_short_faces(path)
        if short:
            warnings_pre = [f"{short} OBJ faces with fewer than 3 vertices were skipped"]
        else:
            warnings_pre = []
    else:
        warnings_pre = []
    vertices = np.asarray(mesh.vertices, dtype=float)
    faces = np.asarray(mesh.faces, dtype=np.int64)
    warnings = list(warnings_pre)
    if kind == "glTF":
        vertices = np.column_stack([vertices[:, 0], -vertices[:, 2], vertices[:, 1]])  # Y-up -> Z-up
    else:
        warnings.append(f"{kind} states no axes: taken as Z-up")
    extent = float(np.ptp(vertices, axis=0).max())
    if not np.isfinite(vertices).all() or extent <= 0:
        raise LztInputError(path, "the mesh has no finite extent")
    if kind != "glTF":
        if extent > MM_EXTENT:
            vertices = vertices / 1000.0
            warnings.append(f"{kind} states no unit: extent {extent:.0f} taken as millimetres")
        else:
            warnings.append(f"{kind} states no unit: taken as metres")
    if extent > 1e6:
        raise LztInputError(path, f"absurd extent ({extent:.3g} units)")
    shape = shape_2d(vertices, faces, np.zeros(len(faces), dtype=np.int64), ["mesh"], [])
    if shape.footprint.is_empty:
        raise LztInputError(path, "its geometry has no extent on the ground (empty footprint)")
    if shape.height_m < 0.01:
        warnings.append("the mesh is flat (no height)")
    return BimModel(source=str(path), name=path.stem, schema=kind,
                    georef=Georef("none", note="meshes carry no georeferencing"),
                    footprint=shape.footprint, height_m=shape.height_m, height_reference=shape.height_reference,
                    base_z=shape.base_z, top_z=shape.top_z, storeys=[], gfa_m2=None,
                    gfa_method="unknown (mesh: no storeys or quantities)", gfa_by_storey=[],
                    element_counts={}, vertices=vertices, faces=faces, warnings=warnings)


def _obj_short_faces(path: Path) -> int:
    """OBJ 'f' records with fewer than three vertices (trimesh drops them silently)."""
    n = 0
    with open(path, "rb") as fh:
        for line in fh:
            if line.startswith(b"f ") and len(line.split()) < 4:
                n += 1
    return n
