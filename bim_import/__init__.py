"""BIM importers (IFC; glTF/OBJ/PLY/STL meshes to come): files -> plain values.

Never a workspace, never Qt. Geometry engines run in child processes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bim_import.model import BimModel, Georef


def __getattr__(name: str):
    # ``BimModel``/``Georef`` on first use: the package itself does not import numpy, so that
    # ``lzt bim`` starts its reader processes (``bim_import.pool``) before loading it
    if name in ("BimModel", "Georef"):
        from bim_import import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_ifc_model(path: str | Path, *, timeout: float = 600.0, worker=None,
                   placement: Callable[[Georef], Georef] | None = None, kernel: str | None = None,
                   in_process: bool = False, helpers: int = 0) -> BimModel:
    """Read an IFC file: facts, footprint, height, storeys, GFA, mesh (local metres) and georeferencing.

    ``worker`` (a ``TessellationWorker``) reuses one child process across a batch.
    ``placement`` maps the file's georeferencing to the one to use (a user's override, a check
    of the location); it runs before the geometry is computed, so a refusal comes at once.
    ``kernel`` is the geometry library (default ``$LZT_IFC_KERNEL`` or the hybrid one);
    ``in_process`` tessellates in this process: only for a worker process that may crash
    (``bim_import.pool``), which handles the fallback to the safe library itself; ``helpers``:
    forks of it that tessellate chunks of a large model beside it (cores no other reader uses).
    """
    from concurrent.futures import wait

    from bim_import.footprint import footprint_of, reference_level, storey_base
    from bim_import.georef import decide_scale
    from bim_import.ifc import element_facts, open_ifc, read_facts
    from bim_import.levels import analyse_levels
    from bim_import.model import BimModel
    from bim_import.quantities import gross_floor_area
    from bim_import.reader_fork import ReaderFork
    from bim_import.tessellate import kernel_from_env, tessellate, tessellate_model
    from lzt.core.errors import LztInputError

    model = open_ifc(path)
    facts = read_facts(model, path)
    georef = placement(facts.georef) if placement is not None else facts.georef
    helper = None  # a fork of this reader process: element facts and footprint union while it tessellates
    stream = None
    try:
        if in_process:
            # the footprint of a large model is united while its elements are tessellated
            known_base = storey_base([s.elevation_m for s in facts.storeys])
            helper = ReaderFork.start(model, facts.storeys, None if known_base is None else known_base[0])
            stream = helper.stream
            tess = tessellate_model(model, kernel or kernel_from_env(),
                                    on_shape=stream.add if stream is not None else None, helpers=helpers)
        elif worker is not None:
            tess = worker.tessellate(path)
        else:
            tess = tessellate(path, timeout=timeout, kernel=kernel)
        building = tess.without({"IfcSpace"})
        if building.empty:
            raise LztInputError(path, "has no geometry lzt can tessellate (no element produced triangles)")
        shape, keep = reference_level(building.vertices, building.faces, building.face_element,
                                      building.element_types, [s.elevation_m for s in facts.storeys])
        if stream is not None and stream.base_z != shape.base_z:
            stream.close()
            stream = None

        def footprint_job():
            return footprint_of(building.vertices, building.faces[keep], stream.result() if stream else None)

        # the footprint union runs in GEOS (no GIL) while the element facts and levels are read
        footprint = _footprint_thread().submit(footprint_job)
        try:
            if helper is not None:
                el_facts, space_qto = helper.facts(tess.element_ids)
            else:
                el_facts, space_qto = element_facts(model, tess.element_ids, facts.storeys)
            levels = analyse_levels(tess, el_facts, facts.storeys, shape.base_z, space_qto)
        except BaseException:
            wait([footprint])  # its error, if any, is not the one to report
            raise
        shape.footprint = footprint.result()
    finally:
        if stream is not None:
            stream.close()
        if helper is not None:
            helper.close()
    if shape.footprint.is_empty:
        raise LztInputError(path, "its geometry has no extent on the ground (empty footprint)")
    minx, miny, maxx, maxy = shape.footprint.bounds
    georef, scale_warnings = decide_scale(georef, max(maxx - minx, maxy - miny), shape.height_m, path)
    area = gross_floor_area(levels, shape.footprint.area)
    return BimModel(source=str(path), name=facts.name, schema=facts.schema, georef=georef,
                    footprint=shape.footprint, height_m=shape.height_m, height_reference=shape.height_reference,
                    base_z=shape.base_z, top_z=shape.top_z, storeys=facts.storeys, gfa_m2=area.gfa_m2,
                    gfa_method=area.method, gfa_by_storey=area.rows, element_counts=facts.element_counts,
                    vertices=building.vertices, faces=building.faces,
                    warnings=list(facts.warnings) + scale_warnings + area.warnings,
                    storey_count=area.storey_count, gfa_estimates=area.estimates,
                    kernel=tess.kernel_label, kernel_note=tess.fallback_note)


_FOOTPRINT_THREAD: list = []
_FOOTPRINT_LOCK = threading.Lock()


def _footprint_thread():
    """The thread footprints are united on, started once (not once per model: a batch reads hundreds)."""
    with _FOOTPRINT_LOCK:
        if not _FOOTPRINT_THREAD:
            from concurrent.futures import ThreadPoolExecutor

            _FOOTPRINT_THREAD.append(ThreadPoolExecutor(1, thread_name_prefix="lzt-footprint"))
        return _FOOTPRINT_THREAD[0]


#: what ``read_ifc_model`` imports on its way (not rasterio: only some models' levels need it,
#: and it costs ~0.2 s of CPU with the boto3 it imports)
PRELOAD = ("ifcopenshell.geom", "ifcopenshell.util.element", "ifcopenshell.util.placement", "ifcopenshell.util.unit",
           "bim_import.footprint_stream", "bim_import.fork_pipes", "bim_import.reader_fork", "bim_import.georef",
           "bim_import.ifc", "bim_import.levels", "bim_import.quantities", "bim_import.tessellate",
           "bim_import.tessellate_split")


def preload(extra: tuple[str, ...] = ()) -> None:
    """Import ``PRELOAD`` and the modules ``extra`` (a reader process does this while it waits
    for its first file; ``extra``: what the caller's pickled placements need)."""
    import importlib

    for name in PRELOAD + tuple(extra):
        importlib.import_module(name)


__all__ = ["BimModel", "Georef", "preload", "read_ifc_model"]
