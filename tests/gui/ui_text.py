"""Every string a user can read in a window: widget texts, titles, tooltips, placeholders,
combo and list items, tab titles, menus and actions, table headers, chart titles.

``visible_strings(root)`` walks a widget tree (and the menus and actions reachable from it)
and returns ``(where, text)`` pairs. Table cells are left out (they hold data), except the
columns a model marks as its own words (``FrameModel.ui_columns``).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QDateTimeEdit,
                               QDockWidget, QDoubleSpinBox, QGroupBox, QLabel, QLineEdit, QListWidget, QMainWindow,
                               QMenu, QPlainTextEdit, QSpinBox, QTabBar, QTableView, QTableWidget, QTreeView, QTreeWidget,
                               QWidget)

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z]{2,}")

#: words that are the same in the Chinese UI (names of formats, units, standards, products)
SHARED_WORDS = {
    "lzt", "BIM", "PDF", "PNG", "SVG", "CQL", "EPSG", "CGCS", "GeoPackage", "gpkg", "Shapefile", "shp", "GeoJSON",
    "geojson", "json", "FlatGeobuf", "fgb", "CSV", "csv", "Excel", "xlsx", "PostGIS", "pg", "service", "conf",
    "PGPASSFILE", "postgresql", "dpi", "km", "ms", "mm", "fid", "IFC", "ifc", "glb", "gltf", "obj", "kml", "tif",
    "tiff", "zip", "jpg", "jpeg", "png", "heic", "Gi", "ID", "AND", "OR", "NOT", "LIKE", "IN", "Ctrl", "Shift",
    "Esc", "UTC", "KDE", "GB", "yyyy", "MM", "dd", "DEM", "GCJ", "BD", "WGS", "svg", "pdf", "RGB", "CIM", "user",
    "host", "db", "schema", "longgang", "A0", "A1", "A2", "A3", "A4",
    "WMTS", "WMS", "XYZ", "TMS", "WFS", "OGC", "API", "MBTiles",  # service standards, named as such in Chinese
}


def _model_strings(view: QAbstractItemView, where: str):
    model = view.model()
    if model is None:
        return
    for orientation in (Qt.Orientation.Horizontal,):
        for c in range(model.columnCount(QModelIndex())):
            h = model.headerData(c, orientation, Qt.ItemDataRole.DisplayRole)
            if h:
                yield f"{where} header {c}", str(h)
    ui_cols = getattr(model, "ui_columns", ())
    frame = getattr(model, "frame", None)
    if frame is not None and ui_cols:
        for c, name in enumerate(frame.columns):
            if name in ui_cols:
                for r in range(min(model.rowCount(QModelIndex()), 200)):
                    v = model.data(model.index(r, c))
                    if v:
                        yield f"{where} cell {r},{name}", str(v)


def _action_strings(action, where: str, seen: set):
    if id(action) in seen:
        return
    seen.add(id(action))
    if action.isSeparator():
        return
    for what, text in (("text", action.text()), ("tip", action.toolTip() if action.toolTip() != action.text()
                                                  .replace("&", "") else ""), ("status", action.statusTip())):
        if text:
            yield f"{where} action {what}", text
    menu = action.menu()
    if menu is not None:
        yield from _menu_strings(menu, f"{where}/{menu.title()}", seen)


def _menu_strings(menu: QMenu, where: str, seen: set):
    if menu.title():
        yield f"{where} menu", menu.title()
    for a in menu.actions():
        yield from _action_strings(a, where, seen)


def visible_strings(root: QWidget, *, include_hidden: bool = True) -> list[tuple[str, str]]:
    """(where, text) for every user-readable string under ``root`` (its menus and actions too)."""
    out: list[tuple[str, str]] = []
    seen: set = set()
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not include_hidden and not w.isVisibleTo(root) and w is not root:
            continue
        where = f"{type(w).__name__}:{w.objectName() or ''}"
        if w.isWindow() or isinstance(w, QDockWidget):
            if w.windowTitle():
                out.append((f"{where} title", w.windowTitle()))
        if w.toolTip():
            out.append((f"{where} tooltip", w.toolTip()))
        if w.statusTip():
            out.append((f"{where} statustip", w.statusTip()))
        if isinstance(w, QLabel) and w.text():
            out.append((f"{where} text", w.text()))
        if isinstance(w, QAbstractButton) and w.text():
            out.append((f"{where} text", w.text()))
        if isinstance(w, QGroupBox) and w.title():
            out.append((f"{where} title", w.title()))
        if isinstance(w, (QLineEdit, QPlainTextEdit)) and w.placeholderText():
            out.append((f"{where} placeholder", w.placeholderText()))
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                out.append((f"{where} item {i}", w.itemText(i)))
        if isinstance(w, (QSpinBox, QDoubleSpinBox)):
            for t in (w.prefix(), w.suffix(), w.specialValueText()):
                if t:
                    out.append((f"{where} affix", t))
        if isinstance(w, QDateTimeEdit) and w.specialValueText():
            out.append((f"{where} special", w.specialValueText()))
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                out.append((f"{where} tab {i}", w.tabText(i)))
                if w.tabToolTip(i):
                    out.append((f"{where} tabtip {i}", w.tabToolTip(i)))
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                out.append((f"{where} item {i}", w.item(i).text()))
        if isinstance(w, QTreeWidget):
            stack = [w.topLevelItem(i) for i in range(w.topLevelItemCount())]
            while stack:
                it = stack.pop()
                out.append((f"{where} item", it.text(0)))
                if it.toolTip(0):
                    out.append((f"{where} itemtip", it.toolTip(0)))
                stack.extend(it.child(i) for i in range(it.childCount()))
        elif isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                h = w.horizontalHeaderItem(c)
                if h is not None and h.text():
                    out.append((f"{where} header {c}", h.text()))
            ui_cols = getattr(w, "ui_columns", ())
            for r in range(w.rowCount()):
                for c in ui_cols:
                    it = w.item(r, c)
                    if it is not None and it.text():
                        out.append((f"{where} cell {r},{c}", it.text()))
        elif isinstance(w, (QTableView, QTreeView)) and w.model() is not None:
            out.extend(_model_strings(w, where))
        if isinstance(w, QAbstractSpinBox):
            pass
        chart_title = getattr(w, "title", None)
        if isinstance(chart_title, str) and chart_title:
            out.append((f"{where} chart title", chart_title))
        for t in getattr(w, "ui_texts", lambda: [])():
            out.append((f"{where} painted", t))
        if isinstance(w, QMainWindow):
            for a in w.menuBar().actions():
                out.extend(_action_strings(a, f"{where} menubar", seen))
        for a in w.actions():
            out.extend(_action_strings(a, where, seen))
    return [(w, t) for w, t in out if t and t.strip()]


def strip_data(text: str, data: set[str]) -> str:
    """``text`` without the data values it quotes (layer and field names, attribute values)."""
    for d in sorted(data, key=len, reverse=True):
        if d and d in text:
            text = text.replace(d, " ")
    return text


def foreign(strings, language: str, data: set[str]) -> list[tuple[str, str]]:
    """The strings that show words of the other language: Chinese in the English UI, English
    words in the Chinese UI (shared names of formats, units and standards aside)."""
    bad = []
    for where, text in strings:
        rest = strip_data(text, data)
        if language == "en":
            if CJK.search(rest):
                bad.append((where, text))
        else:
            words = [w for w in WORD.findall(rest) if w not in SHARED_WORDS]
            if words:
                bad.append((where, text))
    return bad
