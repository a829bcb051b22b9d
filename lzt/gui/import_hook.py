"""A cheaper PySide6 import hook check.

After PySide6 is imported, every new module goes through its ``__feature__`` hook, which asks
``shibokensupport.feature._mod_uses_pyside`` whether the module's source names "PySide6" (the
module may then select features such as ``snake_case``). The check reads the source through
``inspect.getsource`` (linecache, encoding detection, lines kept in memory): importing pandas,
geopandas, shapely and pyproj after PySide6 took 0.51-0.53 CPU s against 0.40 s before it.
``cheap_pyside_check`` replaces the check with a read of the module's ``.py`` file, which gives
the same answer (0.41-0.42 CPU s) and falls back to PySide6's own check for anything else.
"""

from __future__ import annotations

import importlib
import sys


def _file_names_pyside(module, original) -> bool:
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None)
    if isinstance(origin, str) and origin.endswith(".py"):
        try:
            with open(origin, "rb") as fh:
                return b"PySide6" in fh.read()
        except OSError:
            pass
    return original(module)


def _wrap(original):
    """The file-read check in front of ``original``; any call it does not expect (another
    signature in a later PySide6) and any failure of its own go to ``original`` unchanged."""
    def check(*args, **kwargs):
        if len(args) == 1 and not kwargs:
            try:
                return _file_names_pyside(args[0], original)
            except Exception:  # noqa: BLE001 - PySide6's own check decides
                pass
        return original(*args, **kwargs)

    check._lzt_cheap = True
    check._lzt_original = original
    return check


def cheap_pyside_check() -> bool:
    """Install the file-read check in PySide6's feature hook; False (nothing changed) if this
    PySide6 has no such check to replace."""
    try:
        importlib.import_module("PySide6")  # loads shiboken and its support modules
    except ImportError:
        return False
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if not callable(original):
        return False
    if getattr(original, "_lzt_cheap", False):
        return True
    try:
        feature._mod_uses_pyside = _wrap(original)
    except (AttributeError, TypeError):  # a read-only module in some later version: left as it is
        return False
    return True
