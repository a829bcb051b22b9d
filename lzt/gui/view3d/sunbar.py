"""The 3D view's sunlight bar: run the sunlight analysis, show or hide the proposed model
(before/after), and a time slider over the rule's band that moves the Sun and its shadows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

SLIDER_STEP_MIN = 10


class SunBar(QWidget):
    """Controls laid over the bottom of a ``View3D`` (its parent), calling its methods."""

    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self.setAutoFillBackground(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.run_button = QPushButton(self.tr("日照分析"))
        self.run_button.setToolTip(self.tr("按日照标准计算视图中心周围住宅立面（或选中的 BIM 模型作为拟建方案时，"
                                           "其遮挡的相邻建筑）的日照时数"))
        self.run_button.clicked.connect(lambda: self.view.run_sunlight())
        self.proposal_box = QCheckBox(self.tr("显示拟建方案"))
        self.proposal_box.setChecked(True)
        self.proposal_box.setEnabled(False)
        self.proposal_box.setToolTip(self.tr("关闭：没有拟建方案时的日照（方案前）；打开：有方案时（方案后）"))
        self.proposal_box.toggled.connect(self.view.set_proposal_visible)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setTracking(False)  # shadows on release; the label follows the drag
        self.slider.setMinimumWidth(220)
        self.time_label = QLabel(self.tr("阴影：拖动时间滑块"))
        self.slider.sliderMoved.connect(lambda v: self.time_label.setText(self._time_text(v)))
        self.slider.valueChanged.connect(lambda v: self.view.set_sun_time(v / 60.0))
        row.addWidget(self.run_button)
        row.addWidget(self.proposal_box)
        row.addWidget(QLabel(self.tr("真太阳时")))
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        self.set_band(8.0, 16.0)

    def set_band(self, start_h: float, end_h: float) -> None:
        """The slider's range: the rule's band in true solar time."""
        self.slider.blockSignals(True)
        self.slider.setRange(int(round(start_h * 60)), int(round(end_h * 60)))
        self.slider.setSingleStep(SLIDER_STEP_MIN)
        self.slider.setPageStep(60)
        self.slider.setValue(int(round(start_h * 60)))
        self.slider.blockSignals(False)

    def _time_text(self, minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    def show_time(self, hour: float, altitude: float, azimuth: float) -> None:
        """The label under the slider: the time and where the Sun is."""
        m = int(round(hour * 60))
        self.time_label.setText(self.tr("{0}，太阳高度角 {1}°，方位角 {2}°").format(
            self._time_text(m), f"{altitude:.1f}", f"{azimuth:.0f}"))

    def place(self) -> None:
        """Lay the bar along the bottom of the view."""
        v = self.view
        h = self.sizeHint().height()
        self.setGeometry(0, v.height() - h, v.width(), h)
