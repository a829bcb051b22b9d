"""Work-order exports dropped or added in the GUI: imported as complaints, placed by address.

A CSV/XLSX whose header row is a 12345 export (``layers.sniff.is_order_export``) is imported
with the complaint schema, as ``lzt import --kind complaints`` does: records without
coordinates go to their 社区's centroid, then are placed by their address where that is finer
(``lzt.analysis.geocode_layer.locate_addresses``, ``location_source = geocoded:<level>``). The
user is then told how many were placed at which level and how many stayed without a location.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

#: levels in the order they are reported, finest first
LEVELS = ("门牌", "小区", "道路", "社区", "街道")


def split_order_exports(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(work-order exports, other files) of ``paths``."""
    from layers.sniff import is_order_export

    orders = [p for p in paths if p.is_file() and is_order_export(p)]
    return orders, [p for p in paths if p not in orders]


def import_orders(ws, paths: list[Path], fb) -> list:
    """Import each export as a complaint layer, placing orders by address (one report each)."""
    from layers.kinds import LayerKind
    from lzt.analysis.geocode_layer import locate_addresses
    from lzt.ingest import ImportOptions, import_paths

    reports = []
    for p in paths:
        reports += import_paths(ws, [p], ImportOptions(kind=LayerKind.COMPLAINTS, locate=locate_addresses), fb)
    return reports


def placement_text(report) -> str:
    """How the orders of one imported export were placed, in a sentence per line."""
    extra = report.extra or {}
    geocoded = extra.get("geocoded") or {}
    lines = [QCoreApplication.translate("OrderImport", "“{0}”作为民生诉求导入图层 {1}，共 {2} 条工单").format(Path(report.file).name, report.layer,
                                                                 report.count)]
    if geocoded:
        parts = "，".join(f"{lv} {geocoded[lv]}" for lv in LEVELS if geocoded.get(lv))
        lines.append(QCoreApplication.translate("OrderImport", "按地址定位 {0} 条（{1}）").format(sum(geocoded.values()), parts))
    centroid = extra.get("placed_at_community_centroid", 0)
    if centroid:
        lines.append(QCoreApplication.translate("OrderImport", "{0} 条仅有社区，放在社区中心点").format(centroid))
    left = extra.get("without_location") or []
    if left:
        lines.append(QCoreApplication.translate("OrderImport", "{0} 条既无坐标也无法按地址定位，未上图（如 {1}）").format(len(left), "、".join(left[:5])))
    return "\n".join(lines)


def tell_placement(parent, reports: list) -> str:
    """Show the user how the orders were placed; returns the text shown."""
    text = "\n\n".join(placement_text(r) for r in reports)
    if text:
        QMessageBox.information(parent, QCoreApplication.translate("OrderImport", "民生诉求导入"), text)
    return text
