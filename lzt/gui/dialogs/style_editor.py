"""The style editor: every renderer type of ``lzt.render.style`` (single symbol, categorized,
graduated, continuous ramp, heatmap, raster), labels, opacity, scale range and draw order.
Saved into the workspace (``styles`` setting), so styles travel with it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QStackedWidget,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from layers.kinds import LayerKind
from lzt.analysis.masking import mask_layer_rows
from lzt.render import style as st
from lzt.workspace.personal import column_roles, layer_is_personal
from lzt.gui.icons import swatch

KINDS = {"single": QT_TRANSLATE_NOOP("StyleEditor", "单一符号"), "categorized": QT_TRANSLATE_NOOP("StyleEditor", "分类"),
         "graduated": QT_TRANSLATE_NOOP("StyleEditor", "分级（面量图）"), "ramp": QT_TRANSLATE_NOOP("StyleEditor", "连续色带"),
         "heatmap": QT_TRANSLATE_NOOP("StyleEditor", "热力图（点密度）"),
         "raster": QT_TRANSLATE_NOOP("StyleEditor", "栅格色带与山体阴影")}
MAX_CATEGORIES = 60


class ColourButton(QPushButton):
    """A button showing a colour; click to choose another (alpha kept)."""

    def __init__(self, colour: str | None, parent=None):
        super().__init__(parent)
        self.colour = colour
        self.clicked.connect(self._choose)
        self._show()

    def _show(self) -> None:
        self.setIcon(swatch(self.colour))
        self.setText(self.colour or self.tr("无"))

    def _choose(self) -> None:
        c = QColorDialog.getColor(QColor(self.colour or "#808080"), self, options=QColorDialog.ColorDialogOption.ShowAlphaChannel)
        if c.isValid():
            argb = c.name(QColor.NameFormat.HexArgb)  # "#aarrggbb"; styles write "#rrggbbaa"
            self.colour = "#" + argb[3:] + argb[1:3] if c.alpha() < 255 else c.name()
            self._show()


class StyleEditor(QDialog):
    """Edit one layer's style; ``result_style`` holds the saved style after Accept."""

    def __init__(self, session, layer: str, parent=None):
        super().__init__(parent)
        self.session, self.ws, self.layer = session, session.ws, layer
        self.info = self.ws.layer(layer)
        self.style = st.styles_for(self.ws, [layer])[layer]
        self.result_style: st.LayerStyle | None = None
        self.setWindowTitle(self.tr("图层样式 — {0}").format(layer))
        self.fields = self.ws.fields(layer) if self.info.kind != LayerKind.RASTER else {}
        numeric = [f for f, t in self.fields.items() if t in ("INTEGER", "REAL")]

        self.kind = QComboBox()
        allowed = ["raster"] if self.info.kind == LayerKind.RASTER else \
            ["single", "categorized", "graduated", "ramp"] + (["heatmap"] if "Point" in (self.info.geometry_type or "") else [])
        for k in allowed:
            self.kind.addItem(self.tr(KINDS[k]), k)
        self.pages = QStackedWidget()
        r = self.style.renderer
        # single
        sym = r.symbol if isinstance(r, st.SingleRenderer) else st.Symbol()
        self.fill, self.stroke = ColourButton(sym.fill), ColourButton(sym.stroke)
        self.stroke_width = self._spin(sym.stroke_width, 0, 5, 0.05)
        self.size = self._spin(sym.size, 0.2, 20, 0.2)
        single = QWidget()
        f = QFormLayout(single)
        f.addRow(self.tr("填充"), self.fill)
        f.addRow(self.tr("边线"), self.stroke)
        f.addRow(self.tr("边线宽 (mm)"), self.stroke_width)
        f.addRow(self.tr("点大小 (mm)"), self.size)
        # categorized
        self.cat_field = QComboBox()  # a person's name, phone or ID makes no class (nor a legend entry)
        personal = column_roles(self.fields) if self.info.kind != LayerKind.RASTER and layer_is_personal(self.info) else {}
        self.cat_field.addItems([f for f in self.fields if f not in personal])
        self.cat_table = QTableWidget(0, 2)
        self.cat_table.setHorizontalHeaderLabels([self.tr("值"), self.tr("图例")])
        self.cat_table.cellDoubleClicked.connect(self._recolour_category)
        classify = QPushButton(self.tr("按字段值分类"))
        classify.clicked.connect(self.classify)
        self._categories: list[st.Category] = list(r.categories) if isinstance(r, st.CategorizedRenderer) else []
        if isinstance(r, st.CategorizedRenderer):
            self.cat_field.setCurrentText(r.field)
        cat = QWidget()
        cl = QVBoxLayout(cat)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("字段")))
        row.addWidget(self.cat_field, 1)
        row.addWidget(classify)
        cl.addLayout(row)
        cl.addWidget(self.cat_table, 1)
        cl.addWidget(QLabel(self.tr("双击颜色可修改")))
        # graduated
        self.grad_field = QComboBox()
        self.grad_field.addItems(numeric)
        self.grad_k = QSpinBox()
        self.grad_k.setRange(2, 12)
        self.grad_k.setValue(5)
        self.grad_method = QComboBox()
        self.grad_method.addItem(self.tr("分位数（每级数量相等）"), "quantile")
        self.grad_method.addItem(self.tr("等间距"), "equal")
        self.grad_low, self.grad_high = ColourButton("#fee5d9"), ColourButton("#a50f15")
        if isinstance(r, st.GraduatedRenderer):
            self.grad_field.setCurrentText(r.field)
            self.grad_k.setValue(max(2, len(r.classes)))
        grad = QWidget()
        f = QFormLayout(grad)
        f.addRow(self.tr("字段"), self.grad_field)
        f.addRow(self.tr("级数"), self.grad_k)
        f.addRow(self.tr("分级方法"), self.grad_method)
        f.addRow(self.tr("低值颜色"), self.grad_low)
        f.addRow(self.tr("高值颜色"), self.grad_high)
        # ramp
        self.ramp_field = QComboBox()
        self.ramp_field.addItems(numeric)
        stops = r.stops if isinstance(r, st.RampRenderer) else ((0.0, "#fff7bc"), (100.0, "#d95f0e"))
        if isinstance(r, st.RampRenderer):
            self.ramp_field.setCurrentText(r.field)
        self.ramp_lo, self.ramp_hi = self._spin(stops[0][0], -1e9, 1e9, 1), self._spin(stops[-1][0], -1e9, 1e9, 1)
        self.ramp_lo_c, self.ramp_hi_c = ColourButton(stops[0][1]), ColourButton(stops[-1][1])
        ramp = QWidget()
        f = QFormLayout(ramp)
        f.addRow(self.tr("字段"), self.ramp_field)
        f.addRow(self.tr("起始值"), self.ramp_lo)
        f.addRow(self.tr("起始颜色"), self.ramp_lo_c)
        f.addRow(self.tr("终止值"), self.ramp_hi)
        f.addRow(self.tr("终止颜色"), self.ramp_hi_c)
        # heatmap
        self.radius = self._spin(r.radius if isinstance(r, st.HeatmapRenderer) else 1.0, 0.2, 20, 0.2)
        heat = QWidget()
        QFormLayout(heat).addRow(self.tr("模糊半径 (mm)"), self.radius)
        # raster
        self.hillshade = QCheckBox(self.tr("叠加山体阴影"))
        self.hillshade.setChecked(r.hillshade if isinstance(r, st.RasterRenderer) else True)
        raster = QWidget()
        QFormLayout(raster).addRow("", self.hillshade)
        self._page_of = {}
        for k, w in (("single", single), ("categorized", cat), ("graduated", grad), ("ramp", ramp),
                     ("heatmap", heat), ("raster", raster)):
            self._page_of[k] = self.pages.addWidget(w)
        self.kind.currentIndexChanged.connect(lambda _i: self.pages.setCurrentIndex(self._page_of[self.kind.currentData()]))
        idx = self.kind.findData(r.type)
        self.kind.setCurrentIndex(max(0, idx))
        self.pages.setCurrentIndex(self._page_of[self.kind.currentData()])
        self._fill_categories()

        # common
        self.opacity = self._spin(self.style.opacity * 100, 0, 100, 5)
        self.min_scale = self._spin(self.style.min_scale, 0, 1e9, 1000)
        self.max_scale = self._spin(self.style.max_scale, 0, 1e9, 100)
        self.label_field = QComboBox()
        self.label_field.addItem(self.tr("（不标注）"), None)
        for name in self.fields:
            self.label_field.addItem(name, name)
        if self.style.labels:
            self.label_field.setCurrentIndex(max(0, self.label_field.findData(self.style.labels.field)))
        self.label_size = self._spin(self.style.labels.size if self.style.labels else 2.8, 1, 20, 0.2)
        self.z = QSpinBox()
        self.z.setRange(-1000, 1000)
        self.z.setValue(self.style.z)
        common = QFormLayout()
        common.addRow(self.tr("渲染方式"), self.kind)
        common.addRow(self.tr("不透明度 (%)"), self.opacity)
        common.addRow(self.tr("最小比例尺分母（0 不限）"), self.min_scale)
        common.addRow(self.tr("最大比例尺分母（0 不限）"), self.max_scale)
        common.addRow(self.tr("标注字段"), self.label_field)
        common.addRow(self.tr("标注字号 (mm)"), self.label_size)
        common.addRow(self.tr("绘制顺序"), self.z)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_default)
        lay = QVBoxLayout(self)
        lay.addLayout(common)
        lay.addWidget(self.pages, 1)
        lay.addWidget(buttons)
        self.resize(520, 560)

    @staticmethod
    def _spin(value: float, lo: float, hi: float, step: float) -> QDoubleSpinBox:
        s = QDoubleSpinBox()
        s.setRange(lo, hi)
        s.setSingleStep(step)
        s.setDecimals(2)
        s.setValue(float(value))
        return s

    # -- categories ------------------------------------------------------------------------
    def classify(self) -> int:
        """Categories from the field's distinct values (the most frequent first)."""
        from lzt.gui.tasks import run_task

        field = self.cat_field.currentText()
        ftype = next((f.type for f in self.info.fields if f.name == field), None)
        ws, layer, info = self.ws, self.layer, self.info

        def count(_fb) -> list[str]:
            # in a worker (the GUI's connection reads under its lock): the GROUP BY over 105,692
            # parcels held the event loop ~0.3-0.6 s at district scale
            if ftype == "TEXT" and not layer_is_personal(info):
                # counted in the database: reading the parcels' values here froze the window ~0.5 s
                counted = ws.count_values(layer, field)
                ranked = sorted(((n, str(v)) for v, n in counted.items() if v is not None),
                                key=lambda t: (-t[0], t[1]))
                return [v for _, v in ranked]
            rows = ws.read_features(layer, columns=[field], geometry=False)
            values = mask_layer_rows(ws, layer, rows)[field]  # the classes and legend show what may be shown
            return list(values.dropna().astype(str).value_counts().index)

        ok, classes = run_task(self, self.tr("统计类别"), count)
        if not ok:
            return len(self._categories)
        point = "Point" in (self.info.geometry_type or "")
        self._categories = list(st.categorized(field, classes[:MAX_CATEGORIES], point=point).categories)
        self._fill_categories()
        return len(self._categories)

    def _fill_categories(self) -> None:
        self.cat_table.setRowCount(len(self._categories))
        for i, c in enumerate(self._categories):
            item = QTableWidgetItem(swatch(c.symbol.fill), str(c.value))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.cat_table.setItem(i, 0, item)
            self.cat_table.setItem(i, 1, QTableWidgetItem(c.label))

    def _recolour_category(self, row: int, _col: int) -> None:
        c = self._categories[row]
        q = QColorDialog.getColor(QColor(c.symbol.fill or "#808080"), self)
        if q.isValid():
            self._categories[row] = replace(c, symbol=replace(c.symbol, fill=q.name()))
            self._fill_categories()

    # -- result ------------------------------------------------------------------------------
    def build(self) -> st.LayerStyle:
        """The style the dialog shows now."""
        kind = self.kind.currentData()
        if kind == "single":
            r = st.SingleRenderer(st.Symbol(fill=self.fill.colour, stroke=self.stroke.colour,
                                            stroke_width=self.stroke_width.value(), size=self.size.value()))
        elif kind == "categorized":
            labels = [self.cat_table.item(i, 1).text() if self.cat_table.item(i, 1) else str(c.value)
                      for i, c in enumerate(self._categories)]
            cats = tuple(replace(c, label=lab) for c, lab in zip(self._categories, labels))
            r = st.CategorizedRenderer(field=self.cat_field.currentText(), categories=cats,
                                       other=st.Symbol(fill="#999999", stroke=None, size=1.2))
        elif kind == "graduated":
            field = self.grad_field.currentText()
            values = self.ws.read_features(self.layer, columns=[field], geometry=False)[field].to_numpy(dtype=float)
            r = st.graduated(field, values[np.isfinite(values)], self.grad_k.value(), method=self.grad_method.currentData(),
                             stops=((0.0, self.grad_low.colour), (1.0, self.grad_high.colour)))
        elif kind == "ramp":
            r = st.RampRenderer(field=self.ramp_field.currentText(),
                                stops=((self.ramp_lo.value(), self.ramp_lo_c.colour),
                                       (self.ramp_hi.value(), self.ramp_hi_c.colour)),
                                label=self.ramp_field.currentText())
        elif kind == "heatmap":
            r = st.HeatmapRenderer(radius=self.radius.value())
        else:
            base = self.style.renderer if isinstance(self.style.renderer, st.RasterRenderer) else st.RasterRenderer()
            r = replace(base, hillshade=self.hillshade.isChecked())
        field = self.label_field.currentData()
        labels = st.LabelStyle(field, size=self.label_size.value()) if field else None
        return replace(self.style, renderer=r, labels=labels, opacity=self.opacity.value() / 100,
                       min_scale=self.min_scale.value(), max_scale=self.max_scale.value(), z=self.z.value())

    def save(self) -> None:
        self.result_style = self.build()
        st.save_styles(self.ws, {self.layer: self.result_style})
        self.session.styles_changed.emit(layer=self.layer)  # the map and the legend; no layer list rebuilt
        self.accept()

    def restore_default(self) -> None:
        """Forget the saved style: the layer goes back to its default look."""
        saved = st.load_styles(self.ws)
        saved.pop(self.layer, None)
        st.save_styles(self.ws, saved, merge=False)
        self.result_style = st.styles_for(self.ws, [self.layer])[self.layer]
        self.session.styles_changed.emit(layer=self.layer)
        self.accept()
