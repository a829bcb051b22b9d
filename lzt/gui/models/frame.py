"""A read-only Qt model over a small pandas DataFrame (lists, results, histories).

The cells are read from plain Python lists made once per frame (``set_frame``, ``sort``):
sizing the columns to their contents asks ``data`` for every cell of up to a thousand rows,
and a pandas lookup per cell (``iat``, tens of microseconds on Arrow strings) made fitting the
1,500-parcel supervision list freeze the window for over a second."""

from __future__ import annotations

import re
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
        self._cells: list[list] = []
        self._colours: list[str | None] = []
        self._index()

    def _index(self) -> None:
        """The frame's columns as lists and each row's status colour (read by ``data``)."""
        if self._frame is None:  # empty, and pandas not imported for it
            self._cells, self._colours = [], []
            return
        self._cells = [self.frame.iloc[:, j].tolist() for j in range(len(self.frame.columns))]
        if self.colour_by in self.frame.columns:
            self._colours = [STATUS_COLOURS.get(str(v)) for v in self.frame[self.colour_by].tolist()]
        else:
            self._colours = []

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
        self._index()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() or self._frame is None else len(self._frame)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self._frame is None else len(self._frame.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            v = self._cells[index.column()][index.row()]
            fmt = self.formatters.get(self.frame.columns[index.column()]) if self.formatters else None
            return fmt(v) if fmt is not None else display_value(v)
        if role == Qt.ItemDataRole.BackgroundRole and self._colours:
            c = self._colours[index.row()]
            return QColor(c) if c else None
        return None

    def texts(self, column: int) -> list[str]:
        """The shown text of every cell of a column."""
        fmt = self.formatters.get(self.frame.columns[column]) if self.formatters else None
        show = fmt if fmt is not None else display_value
        return [str(show(v)) for v in self._cells[column]]

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
        self._index()
        self.layoutChanged.emit()


_CJK = re.compile("[\u2e80-\U0010ffff]")


def _wide(text: str) -> int:
    """Width of ``text`` in half-width characters (CJK counts two): to pick the longest texts."""
    return len(text) + len(_CJK.findall(text))  # a regular expression: a per-character loop was half of fit_columns


def fit_columns(view, longest: int = 24) -> None:
    """Each column of a QTableView over a ``FrameModel`` as wide as its widest text (and its
    header), measured on the column's ``longest`` texts only: Qt's ``resizeColumnsToContents``
    lays out the text of up to a thousand rows per column, over a second for the 1,500-parcel
    supervision list on the GUI thread."""
    model = view.model()
    fm, header = view.fontMetrics(), view.horizontalHeader()
    hfm = header.fontMetrics()
    for j in range(model.columnCount()):
        texts = sorted(set(model.texts(j)), key=_wide, reverse=True)[:longest]
        cells = max((fm.horizontalAdvance(t) for t in texts), default=0) + 12
        title = hfm.horizontalAdvance(str(model.headerData(j, Qt.Orientation.Horizontal))) + 28  # + sort arrow
        header.resizeSection(j, max(cells, title, header.minimumSectionSize()))
