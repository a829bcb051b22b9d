"""Heavy modules imported on first use.

pandas, geopandas, shapely and pyproj take 0.4-1 s to import on this machine, and the desktop
client's window imports ~40 lzt modules that use them. ``pd = lazy_module("pandas")`` in such a
module stands for pandas and imports it the first time an attribute is asked of it (``pd.DataFrame``),
so the window can be shown before the scientific stack is loaded (by the render thread, or a
worker started after the window is up: ``lzt.gui.warmup``).

Thread-safe: the import goes through ``importlib.import_module``, which holds the module's
import lock, so a thread asking while another is importing waits for the complete module.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for the module ``name``; imports it on the first attribute asked of it."""

    __slots__ = ("_lazy_name", "_lazy_module")

    def __init__(self, name: str):
        self._lazy_name = name
        self._lazy_module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._lazy_module
        if module is None:
            module = self._lazy_module = importlib.import_module(self._lazy_name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        state = "imported" if self._lazy_module is not None else "not imported yet"
        return f"<lazy module {self._lazy_name!r} ({state})>"


def lazy_module(name: str) -> Any:
    """A stand-in for ``import name`` that imports the module when it is first used."""
    return LazyModule(name)
