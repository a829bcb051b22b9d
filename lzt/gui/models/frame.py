"""A read-only Qt model over a small pandas DataFrame (lists, results, histories)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from lzt.gui.models.values import display_value
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

STATUS_COLOURS = {"FAIL": "#f8d7da", "WARN": "#fff3cd", "PASS": "#d1e7dd", "NO_DATA": "#e9ecef",
                  "不通过": "#f8d7da", "预警": "#fff3cd", "通过": "#d1e7dd", "无数据": "#e9ecef"}


class FrameModel(QAbstractTableModel):
    """Shows ``frame``; headers from ``labels``; rows coloured by ``colour_by`` column's status."""

    def __init__(self, frame: pd.DataFrame | None = None, labels: dict[str, str] | None = None,
                 colour_by: str | None = None, parent=None):
        super().__init__(parent)
        self._frame = frame  # None: empty (pandas is not needed before the window shows)
        self.labels = labels or {}
        self.colour_by = colour_by
        self.formatters: dict[str, Callable] = {}

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame = pd.DataFrame()
        return self._frame

    @frame.setter
    def frame(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame.reset_index(drop=True)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() or self._frame is None else len(self._frame)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self._frame is None else len(self._frame.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col = self.frame.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            v = self.frame.iat[index.row(), index.column()]
            if col in self.formatters:
                return self.formatters[col](v)
            return display_value(v)
        if role == Qt.ItemDataRole.BackgroundRole and self.colour_by in self.frame.columns:
            c = STATUS_COLOURS.get(str(self.frame.at[index.row(), self.colour_by]))
            return QColor(c) if c else None
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        name = str(self.frame.columns[section])
        return self.labels.get(name, name)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        self.frame = self.frame.sort_values(self.frame.columns[column], kind="stable",
                                            ascending=order == Qt.SortOrder.AscendingOrder).reset_index(drop=True)
        self.layoutChanged.emit()
