"""What the GUI's file dialogs offer and where a dropped file goes, from the format table
(``layers.formats``): the same list ``lzt import`` and ``lzt bim`` accept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from layers import formats

_KIND_NAMES = {"vector": "矢量数据", "table": "表格数据", "raster": "栅格数据", "bim": "BIM 模型"}


def file_filter() -> str:
    """The "add layer" dialog's filter: every readable format, then one group per kind, then all files."""
    tr = QCoreApplication.translate
    groups = [f"{tr('LayerPanel', '空间数据')} ({formats.patterns()})"]
    groups += [f"{tr('LayerPanel', name)} ({formats.patterns(kind)})" for kind, name in _KIND_NAMES.items()]
    return ";;".join(groups + [f"{tr('LayerPanel', '所有文件')} (*)"])


def is_bim_path(path: Path) -> bool:
    """Whether a dropped or chosen path goes to the BIM import: folders, model suffixes, and
    model content under any name."""
    from bim_import.formats import is_model

    path = Path(path)
    return path.is_dir() or path.suffix.lower() in formats.suffixes("bim") or is_model(path)


def export_filters(raster: bool) -> dict[str, str]:
    """The export dialog's choices: "GeoPackage (*.gpkg)" -> ".gpkg" (one per format, named in
    the window's language)."""
    from lzt.gui.messages import chinese_ui

    lang = "zh" if chinese_ui() else "en"
    kinds = ("raster",) if raster else ("vector", "table")
    out: dict[str, str] = {}
    for suffix, f in formats.export_formats(*kinds).items():
        if f.same_as is None and f.key == suffix:
            out[f"{f.label(lang)} (*{suffix})"] = suffix
    return out
