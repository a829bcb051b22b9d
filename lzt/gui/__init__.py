"""The desktop client (PySide6).

The window is shown before the scientific stack (pandas, geopandas, shapely, pyproj) is imported:
the modules on its path name them with ``lzt.core.lazy.lazy_module``, and they are imported by
the render thread or ``lzt.gui.warmup`` once the window is up.

PySide6 looks into the source of every Python module imported after it (its ``__feature__``
import hook reads each module with ``inspect.getsource`` to see whether it names PySide6):
``lzt.gui.import_hook`` makes that check a plain read of the file, so the hundreds of modules of
the scientific stack, imported after PySide6 now, cost what they cost before it."""

from lzt.gui.import_hook import cheap_pyside_check

cheap_pyside_check()
