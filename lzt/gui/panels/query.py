"""The query panel: a spatial and attribute query built with widgets, shown as a result layer
that can be kept (renamed) or exported. Both record their lineage in the catalogue, so a
result of a personal layer stays masked wherever it goes (``lzt.workspace.personal``)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.gui.messages import user_message
from lzt.query.run import QuerySpec, run_query
from lzt.workspace.personal import lineage
from lzt.core.lazy import lazy_module

gpd = lazy_module("geopandas")
shapely = lazy_module("shapely")

RESULT = "查询结果"
PREDICATES = {QT_TRANSLATE_NOOP("QueryPanel", "无（仅属性）"): None, QT_TRANSLATE_NOOP("QueryPanel", "相交"): "intersects",
              QT_TRANSLATE_NOOP("QueryPanel", "位于其内"): "within", QT_TRANSLATE_NOOP("QueryPanel", "包含"): "contains",
              QT_TRANSLATE_NOOP("QueryPanel", "距离以内"): "dwithin"}


class QueryPanel(QWidget):
    """Emits ``export_requested(layer)`` when the user wants the result written to a file."""

    export_requested = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.layer = QComboBox()
        self.predicate = QComboBox()
        for text, pred in PREDICATES.items():
            self.predicate.addItem(self.tr(text), pred)
        self.against = QComboBox()
        self.use_selection = QComboBox()
        self.use_selection.addItems([self.tr("整个图层"), self.tr("所选要素")])
        self.other_where = QLineEdit()
        self.other_where.setPlaceholderText(self.tr("对方图层的条件，如 name = '南岭村'"))
        self.distance = QDoubleSpinBox()
        self.distance.setRange(0, 100_000)
        self.distance.setValue(500)
        self.distance.setSuffix(" m")
        self.where = QLineEdit()
        self.where.setPlaceholderText(self.tr("属性条件（CQL2），如 category = '学校'"))
        run = QPushButton(self.tr("查询"))
        run.clicked.connect(self.run)
        keep = QPushButton(self.tr("保留为图层…"))
        keep.clicked.connect(self.keep)
        export = QPushButton(self.tr("导出…"))
        export.clicked.connect(lambda: self.session.ws.has_layer(RESULT) and self.export_requested.emit(RESULT))
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("查询图层"), self.layer)
        form.addRow(self.tr("空间关系"), self.predicate)
        form.addRow(self.tr("对方图层"), self.against)
        form.addRow(self.tr("范围"), self.use_selection)
        form.addRow(self.tr("对方条件"), self.other_where)
        form.addRow(self.tr("距离"), self.distance)
        form.addRow(self.tr("属性条件"), self.where)
        buttons = QHBoxLayout()
        for b in (run, keep, export):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addWidget(self.message)
        lay.addStretch(1)
        session.layers_changed.connect(self._layers)
        self._layers()

    def _layers(self) -> None:
        names = [s.name for s in reversed(self.session.layers) if s.kind != LayerKind.RASTER and s.name != RESULT]
        for box in (self.layer, self.against):
            cur = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems(names)
            if cur in names:
                box.setCurrentText(cur)
            box.blockSignals(False)

    def run(self) -> int | None:
        """Run the query in a worker (progress dialog); the result replaces the ``查询结果`` layer
        and is selected."""
        from lzt.gui.tasks import run_task
        from lzt.workspace import open_workspace

        uri = self.session.ws.uri
        layer, other = self.layer.currentText(), self.against.currentText()
        pred = self.predicate.currentData()
        where, other_where = self.where.text().strip() or None, self.other_where.text().strip() or None
        try:  # the expressions are checked here, so that an error names the field the user typed in
            _check(self.session.ws, layer, where, self.tr("属性条件"))
            if pred is not None and self.use_selection.currentIndex() == 0:
                _check(self.session.ws, other, other_where, self.tr("对方条件"))
        except LztInputError as exc:
            self.message.setText(user_message(exc))
            return None
        if pred is not None and self.use_selection.currentIndex() == 1 and not len(self.session.selection(other)):
            self.message.setText(self.tr("没有所选要素：请先在地图或属性表中选择"))
            return None
        params = dict(where=where, other_where=other_where,
                      distance=self.distance.value(),
                      selected=self.session.selection(other) if self.use_selection.currentIndex() == 1 else None)

        def work(fb):
            ws = open_workspace(uri)
            try:
                gdf = _query(ws, layer, other, pred, **params)
                fb.check()
                src = next(n for n in ("src_fid", *(f"src_fid_{i}" for i in range(2, 99))) if n not in gdf.columns)
                ws.write_layer(RESULT, gpd.GeoDataFrame(gdf.reset_index(names=src), crs=ws.crs), kind=LayerKind.ANALYSIS,
                               source=f"查询 {layer}", details=lineage(ws, [layer]), replace=True)
            finally:
                ws.close()
            return len(gdf)

        ok, n = run_task(self, self.tr("查询"), work, show_errors=False)
        if not ok:
            if isinstance(n, LztInputError):
                self.message.setText(user_message(n))
            return None
        self.session.reload()
        self.session.set_current(RESULT)
        if n:
            self.session.select(RESULT, np.arange(1, n + 1))
            self.session.zoom_to_selection(RESULT)
        self.message.setText(self.tr("找到 {0} 个要素（图层“{1}”）").format(n, RESULT))
        return n

    def keep(self) -> str | None:
        ws = self.session.ws
        if not ws.has_layer(RESULT):
            return None
        name, ok = QInputDialog.getText(self, self.tr("保留查询结果"), self.tr("图层名称"))
        if not ok or not name.strip():
            return None
        return self.keep_as(name.strip())

    def keep_as(self, name: str) -> str | None:
        ws = self.session.ws
        try:
            ws.write_layer(name, ws.read_features(RESULT), kind=LayerKind.VECTOR, source="查询结果",
                           details=lineage(ws, [RESULT]))
        except LztInputError as exc:
            self.message.setText(user_message(exc))
            return None
        ws.drop_layer(RESULT)
        self.session.reload()
        self.message.setText(self.tr("已保留为图层“{0}”").format(name))
        return name


def _query(ws, layer: str, other: str, pred: str | None, *, where, other_where, distance, selected):
    """The features of ``layer`` the panel's query finds (runs in the worker)."""
    if pred is None:
        return run_query(ws, QuerySpec(layer, where=where)).features
    if selected is not None:
        fids = selected
        if not len(fids):
            raise LztInputError(other, "no selected features")
        geoms = ws.read_features(other, fids=fids, columns=[]).geometry
        target = shapely.union_all(np.asarray(geoms.values, dtype=object))
    else:
        if pred != "dwithin":
            spec = QuerySpec(layer, where=where, other_where=other_where,
                             **{pred: other})
            return run_query(ws, spec).features
        other_geoms = run_query(ws, QuerySpec(other, where=other_where,
                                              columns=())).features.geometry
        target = shapely.union_all(np.asarray(other_geoms.values, dtype=object))
    if target is None or target.is_empty:
        return run_query(ws, QuerySpec(layer, where=where, limit=0)).features
    area = target.buffer(distance) if pred == "dwithin" else target
    found = run_query(ws, QuerySpec(layer, where=where, bbox=tuple(area.bounds))).features
    g = np.asarray(found.geometry.values, dtype=object)
    test = {"intersects": shapely.intersects, "within": shapely.within, "contains": shapely.contains,
            "dwithin": lambda a, b: shapely.dwithin(a, target, distance)}[pred]
    return found[test(g, target)]


def _check(ws, layer: str, text: str | None, source: str) -> None:
    """``LztInputError`` (naming ``source``) when ``text`` is not a valid expression on ``layer``."""
    if text and layer:
        from lzt.query.expr import parse

        parse(text, fields=ws.fields(layer), source=source)
