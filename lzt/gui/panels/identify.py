"""Identify results: one feature's attributes (personal data masked)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from lzt.gui.labels import geometry_label
from lzt.gui.models.features import label
from lzt.gui.models.values import display_value


class IdentifyPanel(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.title = QLabel(self.tr("用识别工具点击地图上的要素"))
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("字段"), self.tr("值")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.ui_columns = (0,)  # the field labels; column 1 holds the feature's values
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.title)
        lay.addWidget(self.table, 1)

    def show_feature(self, layer: str, fid: int) -> dict:
        """Show (and return) the feature's attributes as the user may see them."""
        info = self.session.ws.layer(layer)
        df = self.session.ws.read_features(layer, fids=[fid], geometry=True)
        from lzt.analysis.masking import mask_layer_rows

        df = mask_layer_rows(self.session.ws, layer, df)
        row = df.iloc[0]
        values = {c: row[c] for c in df.columns if c != df.geometry.name}
        g = row.geometry
        self.title.setText(f"{layer} · fid {fid}" + (f" · {geometry_label(g.geom_type)}" if g is not None else ""))
        self.table.setRowCount(len(values) + (2 if g is not None else 0))
        types = {f.name: f.type for f in info.fields}
        for i, (k, v) in enumerate(values.items()):
            self.table.setItem(i, 0, QTableWidgetItem(label(info.kind, k)))
            self.table.setItem(i, 1, QTableWidgetItem(display_value(v, types.get(k))))
        if g is not None:
            n = len(values)
            if g.geom_type in ("Point", "MultiPoint"):
                c = g.centroid
                extra = (self.tr("坐标"), f"{c.x:,.2f}, {c.y:,.2f}")
            else:
                extra = (self.tr("面积 (m²)") if "Polygon" in g.geom_type else self.tr("长度 (m)"),
                         f"{g.area:,.1f}" if "Polygon" in g.geom_type else f"{g.length:,.1f}")
            self.table.setItem(n, 0, QTableWidgetItem(extra[0]))
            self.table.setItem(n, 1, QTableWidgetItem(extra[1]))
            b = g.bounds
            self.table.setItem(n + 1, 0, QTableWidgetItem(self.tr("范围")))
            self.table.setItem(n + 1, 1, QTableWidgetItem(", ".join(f"{v:,.1f}" for v in b)))
        return values
