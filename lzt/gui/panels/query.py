"""The query panel: a spatial and attribute query built with widgets, shown as a result layer
that can be kept (renamed) or exported. Both record their lineage in the catalogue, so a
result of a personal layer stays masked wherever it goes (``lzt.workspace.personal``)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from lzt.core.errors import LztInputError
from lzt.query.run import QuerySpec, run_query
from lzt.workspace.personal import lineage

RESULT = "查询结果"
PREDICATES = {"无（仅属性）": None, "相交": "intersects", "位于其内": "within", "包含": "contains",
              "距离以内": "dwithin"}


class QueryPanel(QWidget):
    """Emits ``export_requested(layer)`` when the user wants the result written to a file."""

    export_requested = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.layer = QComboBox()
        self.predicate = QComboBox()
        self.predicate.addItems(list(PREDICATES))
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
        names = [s.name for s in reversed(self.session.layers) if s.kind != "raster" and s.name != RESULT]
        for box in (self.layer, self.against):
            cur = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems(names)
            if cur in names:
                box.setCurrentText(cur)
            box.blockSignals(False)

    def run(self) -> int | None:
        """Run the query; the result replaces the ``查询结果`` layer and is selected."""
        ws = self.session.ws
        layer, other = self.layer.currentText(), self.against.currentText()
        pred = PREDICATES[self.predicate.currentText()]
        try:
            gdf = self._query(ws, layer, other, pred)
        except LztInputError as exc:
            self.message.setText(exc.one_line())
            return None
        src = next(n for n in ("src_fid", *(f"src_fid_{i}" for i in range(2, 99))) if n not in gdf.columns)
        ws.write_layer(RESULT, gpd.GeoDataFrame(gdf.reset_index(names=src), crs=ws.crs), kind="analysis",
                       source=f"查询 {layer}", details=lineage(ws, [layer]), replace=True)
        self.session.reload()
        self.session.set_current(RESULT)
        if len(gdf):
            self.session.select(RESULT, np.arange(1, len(gdf) + 1))
            self.session.zoom_to_selection(RESULT)
        self.message.setText(self.tr("找到 {0} 个要素（图层“{1}”）").format(len(gdf), RESULT))
        return len(gdf)

    def _query(self, ws, layer: str, other: str, pred: str | None):
        where = self.where.text().strip() or None
        if pred is None:
            return run_query(ws, QuerySpec(layer, where=where)).features
        if self.use_selection.currentIndex() == 1:
            fids = self.session.selection(other)
            if not len(fids):
                raise LztInputError(other, "没有所选要素：请先在地图或属性表中选择")
            geoms = ws.read_features(other, fids=fids, columns=[]).geometry
            target = shapely.union_all(np.asarray(geoms.values, dtype=object))
        else:
            if pred != "dwithin":
                spec = QuerySpec(layer, where=where, other_where=self.other_where.text().strip() or None,
                                 **{pred: other})
                return run_query(ws, spec).features
            other_geoms = run_query(ws, QuerySpec(other, where=self.other_where.text().strip() or None,
                                                  columns=())).features.geometry
            target = shapely.union_all(np.asarray(other_geoms.values, dtype=object))
        if target is None or target.is_empty:
            return run_query(ws, QuerySpec(layer, where=where, limit=0)).features
        area = target.buffer(self.distance.value()) if pred == "dwithin" else target
        found = run_query(ws, QuerySpec(layer, where=where, bbox=tuple(area.bounds))).features
        g = np.asarray(found.geometry.values, dtype=object)
        test = {"intersects": shapely.intersects, "within": shapely.within, "contains": shapely.contains,
                "dwithin": lambda a, b: shapely.dwithin(a, target, self.distance.value())}[pred]
        return found[test(g, target)]

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
            ws.write_layer(name, ws.read_features(RESULT), kind="vector", source="查询结果",
                           details=lineage(ws, [RESULT]))
        except LztInputError as exc:
            self.message.setText(exc.one_line())
            return None
        ws.drop_layer(RESULT)
        self.session.reload()
        self.message.setText(self.tr("已保留为图层“{0}”").format(name))
        return name
