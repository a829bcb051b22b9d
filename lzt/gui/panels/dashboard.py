"""The complaint dashboard (民意地图): counts by category, month and street, the top-10
communities, a hotspot layer, and a time window that filters the charts and the map.

The counts run in a worker thread (a GROUP BY over a million work orders takes about a
second): the window stays live while they compute, a newer time window supersedes a
pending one (only the latest is computed and shown, ``lzt.gui.latest``), and the all-time
monthly counts are read once per layer."""

from __future__ import annotations

import time
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSlider,
                               QSpinBox, QVBoxLayout, QWidget)

from layers.kinds import LayerKind
from lzt.analysis import complaints as stats
from lzt.core.errors import LztInputError
from lzt.gui.messages import user_message
from lzt.gui.panels.charts import BarChart
from lzt.gui.latest import Latest
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

SPANS = {QT_TRANSLATE_NOOP("Dashboard", "全部"): 0, QT_TRANSLATE_NOOP("Dashboard", "1 个月"): 1,
         QT_TRANSLATE_NOOP("Dashboard", "3 个月"): 3, QT_TRANSLATE_NOOP("Dashboard", "6 个月"): 6,
         QT_TRANSLATE_NOOP("Dashboard", "12 个月"): 12}


class Dashboard(QWidget):
    """Over the workspace's complaint layer (the first of kind 'complaints')."""

    warnings_requested = Signal()  # the 苗头预警 button: the main window shows the warnings panel
    briefing_requested = Signal()  # the 生成简报 button

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.layer = next((li.name for li in self.ws.layers() if li.kind == LayerKind.COMPLAINTS), None)
        self.months: list[str] = []
        self._month_rows: list[dict] | None = None  # all-time counts per month, read once
        self._counting = Latest("dashboard", self._apply, self._failed, self)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 14px; font-weight: bold")
        self.span = QComboBox()
        for text, months in SPANS.items():
            self.span.addItem(self.tr(text), months)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setPageStep(1)
        self.window_label = QLabel()
        self.span.currentIndexChanged.connect(lambda _i: self._window_changed())
        self.slider.valueChanged.connect(lambda _v: self._window_changed())
        self.cell = QSpinBox()
        self.cell.setRange(50, 2000)
        self.cell.setSingleStep(50)
        self.cell.setValue(200)
        self.cell.setSuffix(" m")
        hot = QPushButton(self.tr("生成热点图层"))
        hot.clicked.connect(self.make_hotspots)
        warn = QPushButton(self.tr("苗头预警"))
        warn.clicked.connect(self.warnings_requested)
        brief = QPushButton(self.tr("生成简报…"))
        brief.clicked.connect(self.briefing_requested)
        self.by_category = BarChart(self.tr("按一级分类"), horizontal=True)
        self.by_month = BarChart(self.tr("按月"), colour="#5b8c5a")
        self.by_street = BarChart(self.tr("按街道"), horizontal=True, colour="#c77c02")
        self.top_communities = BarChart(self.tr("诉求最多的 10 个社区"), horizontal=True, colour="#7a5195")
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("时间窗")))
        controls.addWidget(self.span)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.window_label)
        controls.addSpacing(20)
        controls.addWidget(QLabel(self.tr("热点格网")))
        controls.addWidget(self.cell)
        controls.addWidget(hot)
        controls.addSpacing(20)
        controls.addWidget(warn)
        controls.addWidget(brief)
        grid = QGridLayout()
        grid.addWidget(self.by_month, 0, 0, 1, 2)
        grid.addWidget(self.by_category, 1, 0)
        grid.addWidget(self.by_street, 1, 1)
        grid.addWidget(self.top_communities, 2, 0, 1, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addLayout(controls)
        lay.addLayout(grid, 1)
        self.loaded = False  # filled when first shown (the counts read the whole layer)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        self.loaded = True
        if self.layer is None:
            self.summary.setText(self.tr("工作空间中没有民生诉求图层"))
            return
        self._month_rows = None
        self.refresh_charts()

    @property
    def busy(self) -> bool:
        """The charts do not show the current time window yet (its counts are computing)."""
        return self._counting.busy

    def time_range(self) -> tuple[date, date] | None:
        span = self.span.currentData() or 0
        if not span or not self.months:
            return None
        end = pd.Period(self.months[self.slider.value()], "M")
        start = end - (span - 1)
        return start.start_time.date(), end.end_time.date()

    def _window_changed(self) -> None:
        rng = self.time_range()
        self.slider.setEnabled(rng is not None)
        self.window_label.setText(self.tr("全部时间") if rng is None else f"{rng[0]} — {rng[1]}")
        self.session.set_time_range(rng)
        self.refresh_charts()

    def refresh_charts(self) -> None:
        """Count for the current time window in the worker; the charts change when it is done."""
        if self.layer is None:
            return
        if self._counting.submit(_counts, self.ws, self.layer, self.time_range(), self._month_rows):
            self.summary.setText(self.tr("正在统计…"))

    def _failed(self, error: BaseException) -> None:
        """The counts failed: the summary line says why (any error, never lost in the worker)."""
        text = user_message(error) if isinstance(error, LztInputError) else f"{type(error).__name__}: {error}"
        self.summary.setText(self.tr("统计失败：") + text)

    def _apply(self, result: dict) -> None:
        if self._month_rows is None:  # first counts of this layer: the slider learns the months
            self._month_rows = result["months"]
            self.months = sorted(r["key"] for r in self._month_rows if r["key"][:1].isdigit())
            self.slider.blockSignals(True)
            self.slider.setRange(0, max(0, len(self.months) - 1))
            self.slider.setValue(max(0, len(self.months) - 1))
            self.slider.blockSignals(False)
            if self.span.currentData():  # a window was chosen while the months were unknown
                self._window_changed()
                return
            self.slider.setEnabled(False)
            self.window_label.setText(self.tr("全部时间"))
        d0, d1 = result["window"] or (None, None)
        self.by_category.set_data([(r["key"], r["count"]) for r in result["category"][:12]])
        shown = {m for m in self.months if d0 is None or (str(d0)[:7] <= m <= str(d1)[:7])}
        self.by_month.set_data(sorted((r["key"], r["count"]) for r in self._month_rows if r["key"][:1].isdigit()),
                               highlight=shown if d0 else set())
        self.by_street.set_data([(r["key"], r["count"]) for r in result["street"][:11]])
        if result["top"] is not None:
            self.top_communities.set_data([(r["key"], r["count"]) for r in result["top"]])
        total = sum(r["count"] for r in result["category"])
        self.summary.setText(self.tr("民生诉求 {0} 件").format(f"{total:,}")
                             + ("" if d0 is None else self.tr("（{0} 至 {1}）").format(d0, d1)))

    def shutdown(self) -> None:
        """Drop pending counts and wait for the one running (before the workspace closes)."""
        self._counting.shutdown(wait=True)

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Process events until the charts show the latest window (for scripts and tests)."""
        end = time.monotonic() + timeout
        while self.busy and time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.01)
        return not self.busy

    def make_hotspots(self) -> str | None:
        """Save a square-grid hotspot layer (Gi*) for the current window; returns its name."""
        from lzt.gui.tasks import run_task

        cell = float(self.cell.value())
        name = f"热点_{int(cell)}m"
        layer, uri, rng = self.layer, self.ws.uri, self.time_range()
        steps = self.tr("计算格网"), self.tr("写入图层")

        def work(fb):
            from lzt.analysis.hotspots import save_grid, square_grid
            from lzt.workspace import open_workspace

            ws = open_workspace(uri)
            try:
                if rng is None:
                    _, x, y = ws.point_coords(layer)
                else:
                    pts = ws.read_features(layer, columns=[], where=self.session.layer_filter(layer))
                    x, y = pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()
                fb.progress(1, 3, steps[0])
                grid = square_grid(x, y, cell)
                fb.progress(2, 3, steps[1])
                save_grid(ws, name, grid, replace=True)
            finally:
                ws.close()
            return name

        ok, result = run_task(self, self.tr("热点分析"), work)
        if ok:
            self.session.reload()
            return result
        if isinstance(result, LztInputError):
            return None
        return None


def _counts(ws, layer: str, window, month_rows) -> dict:
    """The dashboard's counts for a time window (runs in the worker thread)."""
    d0, d1 = window or (None, None)
    kw = {"date_from": d0, "date_to": d1}
    top = None
    if ws.has_layer("communities"):
        top = stats.stats_by_polygons(ws, layer, "communities", top=10, **kw).rows
    return {"window": window, "category": stats.stats_by_field(ws, layer, "category", **kw),
            "street": stats.stats_by_field(ws, layer, "street", **kw), "top": top,
            "months": month_rows if month_rows is not None else stats.stats_by_field(ws, layer, "month")}
