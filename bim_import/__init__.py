"""BIM importers (IFC; glTF/OBJ/PLY/STL meshes to come): files -> plain values.

Never a workspace, never Qt. Geometry engines run in child processes.
"""

from __future__ import annotations

from pathlib import Path

from bim_import.model import BimModel, Georef


def read_ifc_model(path: str | Path, *, timeout: float = 600.0, worker=None) -> BimModel:
    """Read an IFC file: facts, footprint, height, storeys, GFA, mesh (local metres) and georeferencing.

    ``worker`` (a ``TessellationWorker``) reuses one child process across a batch.
    """
    from bim_import.footprint import shape_2d
    from bim_import.ifc import open_ifc, read_facts
    from bim_import.quantities import gross_floor_area
    from bim_import.tessellate import tessellate
    from lzt.core.errors import LztInputError

    model = open_ifc(path)
    facts = read_facts(model, path)
    tess = worker.tessellate(path) if worker is not None else tessellate(path, timeout=timeout)
    if tess.empty:
        raise LztInputError(path, "has no geometry lzt can tessellate (no element produced triangles)")
    shape = shape_2d(tess.vertices, tess.faces, tess.face_element, tess.element_types,
                     [s.elevation_m for s in facts.storeys])
    if shape.footprint.is_empty:
        raise LztInputError(path, "its geometry has no extent on the ground (empty footprint)")
    gfa, method, rows = gross_floor_area(model, facts, tess, shape.footprint.area, shape.base_z, shape.top_z)
    return BimModel(source=str(path), name=facts.name, schema=facts.schema, georef=facts.georef,
                    footprint=shape.footprint, height_m=shape.height_m, height_reference=shape.height_reference,
                    base_z=shape.base_z, top_z=shape.top_z, storeys=facts.storeys, gfa_m2=gfa,
                    gfa_method=method, gfa_by_storey=rows, element_counts=facts.element_counts,
                    vertices=tess.vertices, faces=tess.faces, warnings=list(facts.warnings))


__all__ = ["BimModel", "Georef", "read_ifc_model"]
