"""Which Qt / VTK objects does Python's cyclic collector free during a test run, and on which thread?

A pytest plugin for diagnosing crashes in garbage collections: objects that only the cyclic
collector frees are freed on whatever thread happens to collect (usually the GUI thread, while
workers paint), so objects a worker built should never be among them. Run:

    PYTHONPATH=tools QT_QPA_PLATFORM=offscreen python -m pytest -p gc_survey tests/gui/test_view3d.py

and read the table it writes (``GC_SURVEY_OUT``, default ``gc_survey.txt``): per collecting thread
and type, how many were found, and what held them (a frame names its function: a worker's frame
there means the work's locals waited for the collector). The objects found are kept (in
``gc.garbage``) until the run ends, so a survey run shows the pattern; it cannot reproduce a
crash in a collection.
"""

from __future__ import annotations

import collections
import gc
import os
import threading
import types

_MODULES = ("PySide6", "shiboken6", "vtk", "pyvista")
_counts: collections.Counter = collections.Counter()
_held_by: dict[tuple[str, str], list[str]] = {}
_done = 0  # gc.garbage[:_done] were counted by an earlier collection


def _wrapper_types() -> tuple[type, ...]:
    """The base classes of Qt and VTK wrappers (Python subclasses included: a QObject subclass)."""
    import sys

    out = []
    if "shiboken6" in sys.modules:
        out.append(sys.modules["shiboken6"].Shiboken.Object)
    core = sys.modules.get("vtkmodules.vtkCommonCore")
    if core is not None:
        out.append(core.vtkObjectBase)
    return tuple(out)


def _holder(obj, garbage_ids: set[int]) -> list[str]:
    out = []
    for ref in gc.get_referrers(obj):
        if id(ref) not in garbage_ids:
            continue
        name = type(ref).__qualname__
        if isinstance(ref, types.FrameType):
            name += f" {ref.f_code.co_name} ({os.path.basename(ref.f_code.co_filename)}:{ref.f_lineno})"
        elif isinstance(ref, list):
            frames = [r for r in gc.get_referrers(ref) if isinstance(r, types.FrameType)]
            if frames:
                name += f" in frame {frames[0].f_code.co_name}"
        out.append(name)
    return out[:4]


def _after_collection(phase: str, info: dict) -> None:
    global _done
    if phase != "stop" or len(gc.garbage) == _done:
        return
    thread = threading.current_thread().name
    found = gc.garbage[_done:]
    _done = len(gc.garbage)
    ids = {id(o) for o in found}
    for obj in found:
        kind = type(obj)
        if (kind.__module__ or "").startswith(_MODULES) or isinstance(obj, _wrapper_types()):
            key = (thread, f"{kind.__module__}.{kind.__qualname__}")
            _counts[key] += 1
            if key not in _held_by:
                _held_by[key] = _holder(obj, ids)


def pytest_configure(config) -> None:
    gc.set_debug(gc.DEBUG_SAVEALL)
    gc.callbacks.append(_after_collection)


def pytest_unconfigure(config) -> None:
    gc.collect()
    gc.callbacks.remove(_after_collection)
    gc.set_debug(0)
    gc.garbage.clear()
    path = os.environ.get("GC_SURVEY_OUT", "gc_survey.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("count  collecting thread          type    <- held by\n")
        for (thread, name), n in _counts.most_common():
            f.write(f"{n:6d}  {thread:25s}  {name}    <- {_held_by[(thread, name)]}\n")
