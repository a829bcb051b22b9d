"""The desktop client (PySide6).

PySide6 looks into the source of every Python module imported after it (its ``__feature__``
import hook reads each module with ``inspect.getsource``): the scientific stack every window
needs is imported here, before the first PySide6 import, so its hundreds of modules skip the
hook (measured: 0.3-0.5 s less for pandas, geopandas, shapely and pyproj at load 16)."""

from importlib import import_module

for _name in ("pandas", "geopandas", "shapely", "pyproj"):
    import_module(_name)
