"""The attribute table: lazy rows, sort, expression filter, selection synced with the map."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMainWindow, QPushButton, QTableView, QVBoxLayout, QWidget)

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.core.ids import rows_holding
from lzt.gui.messages import user_message
from lzt.gui.latest import Latest
from lzt.gui.models.features import FeatureTableModel, page_cells
from lzt.gui.warmup import after_stack


#: the table selects at most this many runs of consecutive rows, around the rows in view (the
#: first selected row, then where the user scrolls); the rest stay selected on the map. Each run
#: is a range of two persistent indexes that Qt tracks and tests each painted cell against: with
#: 10,000 runs the district's 372k selection cost 80-90 ms of GUI time a layer switch
MAX_RANGES = 1_000


def _range_rows(selection) -> np.ndarray:
    """The rows a QItemSelection spans, ascending."""
    parts = [np.arange(r.top(), r.bottom() + 1) for r in selection]
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)


def row_runs(rows: np.ndarray, limit: int, around: int | None = None) -> list[tuple[int, int]]:
    """(first, last) of ``limit`` runs of consecutive values in ``rows`` (ascending): the first
    ones, or those centred on the run at or after row ``around``. From the run boundaries alone:
    ``np.split`` made one array per run (233k runs for a 372k selection of a million complaints:
    0.2 s on the GUI thread)."""
    if not len(rows):
        return []
    b = np.flatnonzero(np.diff(rows) != 1)
    starts, ends = np.r_[0, b + 1], np.r_[b, len(rows) - 1]
    first = 0
    if around is not None and len(starts) > limit:
        k = int(np.searchsorted(rows[ends], around))
        first = max(0, min(k - limit // 2, len(starts) - limit))
    firsts = rows[starts[first:first + limit]]
    lasts = rows[ends[first:first + limit]]
    return list(zip(firsts.tolist(), lasts.tolist()))


class _TableView(QTableView):
    """Tells the feature model when it paints: the pages it then asks for are read in a worker."""

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        m = self.model()
        if isinstance(m, FeatureTableModel):
            m.painting = True
        try:
            super().paintEvent(event)
        finally:
            if isinstance(m, FeatureTableModel):
                m.painting = False


def _read_pages(model: FeatureTableModel, fids: np.ndarray, requests) -> tuple:
    """(model, fids, [(page, rows, cells)]) for ``requests`` of (page, ids); runs in a worker."""
    pages = []
    for p, ids in requests:
        df = model.read_rows(ids)
        pages.append((p, df, page_cells(df)))
    return model, fids, pages


def _example_of(model: FeatureTableModel, rows) -> tuple[FeatureTableModel, str | None]:
    """(model, the filter example of ``rows``, a page the view has read); runs in a worker."""
    return model, model.example_filter(rows) if len(rows) else None


#: layers whose ids (and first pages, filter example) the table keeps while the layer does not
#: change (``_content_key``): switching back to one reads nothing (on the district, reading a
#: million ids again was a worker's full scan beside the switch, 0.1-0.2 s of a shared CPU)
KEPT_LAYERS = 3


#: a selection of more ids than this reaches the table in the next turn of the event loop (the
#: map answers the click first, and each part of the work is a gap of its own)
DEFERRED_SYNC = 20_000


class AttributeTable(QWidget):
    """One layer's features; the layer is chosen in a combo box (the session's layers)."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model: FeatureTableModel | None = None
        self.layer_box = QComboBox()
        self.layer_box.currentTextChanged.connect(self.show_layer)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("筛选表达式（CQL2）"))
        self.filter.returnPressed.connect(self.apply_filter)
        self.count = QLabel()
        zoom = QPushButton(self.tr("缩放到所选"))
        zoom.clicked.connect(lambda: self.model and session.zoom_to_selection(self.model.layer))
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("图层")))
        top.addWidget(self.layer_box)
        top.addWidget(self.filter, 1)
        top.addWidget(zoom)
        top.addWidget(self.count)
        self.view = _TableView()
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row sizes for a million rows
        rows.setDefaultSectionSize(22)
        # no row number highlighted for a selected row: each painted number tested every selected
        # range (20-30 ms a paint with a 372k selection of the district's complaints)
        rows.setHighlightSections(False)
        self.view.doubleClicked.connect(self._zoom_to_row)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.message)
        lay.addWidget(self.view, 1)
        self._syncing = False
        self._sync_wanted = False  # the session's selection changed while deferred or hidden
        self._sync_timer = QTimer(self)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.setInterval(0)
        self._sync_timer.timeout.connect(self._sync_now)
        # a selection of more runs than MAX_RANGES: its rows, and the rows the table's ranges span
        self._shown_rows: np.ndarray | None = None
        self._window: tuple[int, int] | None = None
        self._rewindow = QTimer(self)
        self._rewindow.setSingleShot(True)
        self._rewindow.setInterval(50)
        self._rewindow.timeout.connect(self._rewindow_now)
        self.view.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._version: tuple | None = None  # the content version of the layer the model shows
        # layer -> [content key, ids in id order, pages in id order, filter example] (``KEPT_LAYERS``)
        self._kept: dict[str, list] = {}
        self._example_due = False  # the filter example is made from the first page read
        self._wanted: str | None = None  # the layer to load when the table is first shown
        # the filter's example (``_example_of``); a failure leaves the plain hint
        self._examples = Latest("table-example", self._show_example, lambda _error: None, self)
        # the pages the view paints, read in a worker (``_request_pages``)
        self._reader = Latest("table-pages", self._pages_read, self._pages_failed, self)
        self._pages_due = False
        session.layers_changed.connect(self._refresh_layers)
        session.selection_changed.connect(self._selection_from_session)
        self._refresh_layers()

    def _refresh_layers(self) -> None:
        names = [s.name for s in reversed(self.session.layers) if s.kind != LayerKind.RASTER]
        current = self.layer_box.currentText()
        self.layer_box.blockSignals(True)  # the same layer stays shown as it is (filter, order)
        self.layer_box.clear()
        self.layer_box.addItems(names)
        if current in names:
            self.layer_box.setCurrentText(current)
        self.layer_box.blockSignals(False)
        if current in names:
            if self.model is not None and self.model.layer == current \
                    and self.session.layer_version(current) != self._version:
                self.reload()  # same name, new content (a query run again, an edit)
        elif names:
            self.show_layer(names[0])
        else:
            self._clear()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._wanted:  # after the window has painted and the start-up imports are done
            after_stack(lambda: self._wanted and self.show_layer(self._wanted), self)
        elif self._sync_wanted:  # the map's selection changed while the table was hidden
            self._sync_timer.start()

    def show_layer(self, name: str) -> None:
        """Show ``name``'s rows (read anew: a model never outlives its layer's content; read when
        the table is visible: a hidden table reads nothing)."""
        if not name:
            return
        if self.layer_box.currentText() != name:
            self.layer_box.blockSignals(True)
            self.layer_box.setCurrentText(name)
            self.layer_box.blockSignals(False)
        if not self.isVisible():
            self._wanted = name
            return
        self._wanted = None
        self._keep_pages()
        self._version = self.session.layer_version(name)
        key = self._content_key(name)
        kept = self._kept.pop(name, None)
        if kept is not None and (key is None or kept[0] != key):
            kept = None
        self.model = FeatureTableModel(self.session.ws, name, runner=self._in_background,
                                       fids=None if kept is None else kept[1])
        if key is not None and self.model.loaded and len(self.model.fids):
            self._kept[name] = kept or [key, self.model.fids, [], None]
            while len(self._kept) > KEPT_LAYERS:
                self._kept.pop(next(iter(self._kept)))
            self.model.add_pages(self.model.fids, self._kept[name][2])
        self.model.filter_source = self.tr("筛选表达式")
        self.model.fetch_pages = self._request_pages
        self.model.sort_failed.connect(self._sort_failed)
        self.model.layer_changed.connect(self._layer_changed_under_model, Qt.ConnectionType.QueuedConnection)
        self._shown_rows = self._window = None
        self.view.setModel(self.model)
        self.model.modelReset.connect(self._rows_reordered)  # after the view's and its selection's reset
        # the column header gets a selection model of its own: Qt's header otherwise tests every
        # selected row of every column to highlight its sections (seconds after Ctrl+A on 100k rows)
        self._header_selection = QItemSelectionModel(self.model)
        self.view.horizontalHeader().setSelectionModel(self._header_selection)
        self.view.selectionModel().selectionChanged.connect(self._selection_to_session)
        self._show_sort_indicator()
        self.filter.clear()
        # the hint's example comes from the first page the view reads, counted in a worker: on
        # the GUI thread (even in a turn of its own) it was 100-200 ms of a district layer switch
        self.filter.setPlaceholderText(self.tr("筛选表达式（CQL2）"))
        self._examples.cancel()
        example = self._kept[name][3] if name in self._kept else None
        self._example_due = example is None
        if example is not None:
            self._show_example((self.model, example))
        else:  # from the pages kept, or read by then (the next paint, another caller of ``data``)
            self._example_from(self.model.cached_pages())
            QTimer.singleShot(0, self, lambda: self.model and self._example_from(self.model.cached_pages()))
        self.message.clear()
        self._update_count()
        self._selection_from_session(layer=name)

    def reload(self) -> None:
        """Read the current layer again, keeping the filter when it still applies."""
        if self.model is None:
            return
        name, where = self.model.layer, self.model.where_text
        self._kept.pop(name, None)  # read again: nothing kept of the content shown
        if not self.session.ws.has_layer(name):
            self._clear()
            return
        self.show_layer(name)
        if where:
            self.filter.setText(where)
            self.apply_filter()
            if self.message.text():  # it names a field the new content lacks
                self.filter.clear()
                self.model.set_filter("")
                self._update_count()
                self.message.setText(self.tr("图层内容已更新，原筛选条件不再适用，已清除"))

    def shutdown(self) -> None:
        """The window closes with its workspace: drop the model, so nothing deferred reads it."""
        self._examples.shutdown()
        self._reader.shutdown()
        self._clear()

    def _content_key(self, name: str) -> tuple | None:
        """What must not have changed for the kept ids and rows of ``name`` to be used: its
        version and its mark in the file (an edit by any client, ours or another, changes it;
        a write to another layer does not). None when the workspace has no such mark: nothing
        is kept."""
        ws = self.session.ws
        mark = getattr(ws, "layer_mark", None)
        mark = mark(name) if mark is not None else None
        return None if mark is None else (id(ws), self.session.layer_version(name), mark)

    def _keep_pages(self) -> None:
        """The pages the shown model read in id order, kept for its layer (``KEPT_LAYERS``)."""
        m = self.model
        kept = self._kept.get(m.layer) if m is not None else None
        if kept is not None and kept[0] == self._content_key(m.layer):
            pages = m.id_order_pages()
            if pages:
                kept[2] = pages

    def _example_from(self, pages) -> None:
        """Make the filter example from the first of ``pages`` (page, rows, …) in a worker."""
        if self._example_due and pages and self.model is not None:
            self._example_due = False
            self._examples.submit(_example_of, self.model, min(pages, key=lambda page: page[0])[1])

    def _clear(self) -> None:
        self._kept.clear()
        self.model = None
        self._version = None
        self.view.setModel(None)
        self.count.clear()

    def _layer_changed_under_model(self, _error) -> None:
        """A page could not be read (the layer was replaced by another writer): start over."""
        if self.model is not None and self.model.failed is not None:
            self.reload()

    def _request_pages(self, _model) -> None:
        """The view asked for rows not read yet while painting: read them after this paint, in
        a worker (a page of a district layer read and masked on the GUI thread was 50-300 ms of
        a layer switch or a scroll); the newest request holds every page still missing."""
        if not self._pages_due:
            self._pages_due = True
            QTimer.singleShot(0, self, self._submit_pages)

    def _submit_pages(self) -> None:
        self._pages_due = False
        m = self.model
        if m is not None and m.missing:
            self._reader.submit(_read_pages, m, m.fids, m.page_requests())

    def _pages_read(self, got) -> None:
        model, fids, pages = got
        if model is self.model:
            if model.add_pages(fids, pages):
                self._example_from(pages)
            if model.missing:  # asked for while these were read
                self._request_pages(model)

    def _pages_failed(self, error) -> None:
        """A page could not be read. The layer was replaced by another writer: start over.
        Otherwise (the file busy or unreadable for a moment): say so, and the rows are asked
        for again at the next paint (a scroll)."""
        m = self.model
        if m is None:
            return
        if isinstance(error, LztInputError) and m.failed is None:
            m.failed = error
            self.reload()
            return
        m.retry_pages()
        text = QCoreApplication.translate("AttributeTable", "部分行读取失败（{0}），滚动表格可重试").format(
            user_message(error))
        w = self.parentWidget()
        while w is not None and not isinstance(w, QMainWindow):
            w = w.parentWidget()
        if w is not None:
            w.statusBar().showMessage(text, 15_000)
        else:
            self.message.setText(text)

    def _show_example(self, got) -> None:
        model, example = got
        if model is self.model and example:
            kept = self._kept.get(model.layer)
            if kept is not None and kept[0] == self._content_key(model.layer):
                kept[3] = example
            self.filter.setPlaceholderText(self.tr("筛选表达式，如 {0}").format(example))

    def _show_sort_indicator(self) -> None:
        """The header's arrow on the column the rows are ordered by (none for id order)."""
        header = self.view.horizontalHeader()
        header.blockSignals(True)  # only the arrow moves: no sort
        if self.model is not None and self.model.sort_key:
            header.setSortIndicator(*self.model.sort_key)
        else:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)

    def _in_background(self, title: str, fn):
        """Sort or filter a big layer in a worker thread behind a progress dialog (cancellable)."""
        from lzt.gui.tasks import run_task

        titles = {"排序": self.tr("排序"), "筛选": self.tr("筛选"), "读取": self.tr("读取要素")}
        return run_task(self, titles.get(title, title), fn, show_errors=False)

    def _sort_failed(self, error) -> None:
        """The order did not change: say why (an error) and put the header's arrow back."""
        if error is not None:
            self.message.setText(user_message(error))
        self._show_sort_indicator()

    def apply_filter(self) -> None:
        if self.model is None:
            return
        try:
            self.model.set_filter(self.filter.text())
        except LztInputError as exc:
            self.message.setText(user_message(exc))
            return
        self.message.clear()
        self._update_count()

    def _rows_reordered(self) -> None:
        """Sorted or filtered (the model was reset): the session's selection shown again."""
        if self.model is not None:
            self._show_sort_indicator()
            self._selection_from_session(layer=self.model.layer)

    def _update_count(self) -> None:
        n = self.model.rowCount() if self.model else 0
        total = self.session.ws.layer(self.model.layer).count if self.model else 0
        self.count.setText(self.tr("{0} / {1} 条").format(f"{n:,}", f"{total:,}"))

    def selected_fids(self) -> np.ndarray:
        """Ids of the selected rows, from the selection's ranges (Ctrl+A on a million rows is one range)."""
        if self.model is None:
            return np.empty(0, dtype=np.int64)
        ranges = [(r.top(), r.bottom()) for r in self.view.selectionModel().selection()]
        if not ranges:
            return np.empty(0, dtype=np.int64)
        rows = np.sort(np.concatenate([np.arange(a, b + 1) for a, b in ranges]))
        return self.model.fids[rows[np.r_[True, rows[1:] != rows[:-1]]]]

    def _selection_to_session(self, selected=None, deselected=None):
        if self._syncing or self.model is None:
            return
        if (self._shown_rows is not None and selected is not None
                and QGuiApplication.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier):
            # Ctrl+click or Ctrl+Space on a selection the table holds only around the rows in
            # view: the rows the user added or removed change the whole selection, not the window
            rows = np.setdiff1d(self._shown_rows, _range_rows(deselected))
            rows = np.union1d(rows, _range_rows(selected))
            self._shown_rows = rows if len(rows) else None
            fids = self.model.fids[rows]
        else:
            self._shown_rows = self._window = None  # the user's selection: the table holds all of it
            fids = self.selected_fids()
        self._syncing = True
        try:
            self.session.select(self.model.layer, fids)
        finally:
            self._syncing = False

    def _selection_from_session(self, layer: str) -> None:
        """The session's selection shown on the rows: now for a small one; for a big one in the
        next turn of the event loop; when the table is next shown if it is hidden."""
        if self._syncing or self.model is None or layer != self.model.layer:
            return
        self._sync_wanted = True
        if not self.isVisible():
            return
        if len(self.session.selection(layer)) > DEFERRED_SYNC:
            self._sync_timer.start()
        else:
            self._sync_now()

    def _sync_now(self) -> None:
        self._sync_timer.stop()
        if not self._sync_wanted or self._syncing or self.model is None:
            return
        self._sync_wanted = False
        fids = self.session.selection(self.model.layer)
        rows = rows_holding(self.model.fids, fids)
        self._select_runs(rows, int(rows[0]) if len(rows) else None)
        if len(rows):
            self._syncing = True
            try:
                self.view.scrollTo(self.model.index(int(rows[0]), 0))
            finally:
                self._syncing = False

    def _select_runs(self, rows: np.ndarray, around: int | None) -> None:
        """Select ``rows`` (the session's selection) in the view, ``MAX_RANGES`` runs of them
        around row ``around`` when there are more; the rows those runs span are remembered, and
        a scroll beyond them selects the runs around the rows then in view (``_rewindow_now``)."""
        runs = row_runs(rows, MAX_RANGES, around)
        sel = QItemSelection()
        last = max(0, self.model.columnCount() - 1)
        for first, end in runs:
            sel.select(self.model.index(first, 0), self.model.index(end, last))
        if sum(end - first + 1 for first, end in runs) < len(rows):
            lo = 0 if runs[0][0] == rows[0] else runs[0][0]
            hi = self.model.rowCount() - 1 if runs[-1][1] == rows[-1] else runs[-1][1]
            self._shown_rows, self._window = rows, (lo, hi)
        else:
            self._shown_rows = self._window = None
        self._syncing = True
        try:
            self.view.selectionModel().select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            self._syncing = False

    def _rows_in_view(self) -> tuple[int, int]:
        top = max(0, self.view.rowAt(0))
        bottom = self.view.rowAt(self.view.viewport().height() - 1)
        return top, (self.model.rowCount() - 1 if bottom < 0 else bottom)

    def _scrolled(self, _value) -> None:
        if self._window is not None and self.model is not None:
            top, bottom = self._rows_in_view()
            if top < self._window[0] or bottom > self._window[1]:
                self._rewindow.start()

    def _rewindow_now(self) -> None:
        """Scrolled beyond the rows whose selection the view holds: select the runs around the
        rows now in view (the same selection; the session's is unchanged)."""
        if self._window is not None and self._shown_rows is not None and self.model is not None:
            self._select_runs(self._shown_rows, self._rows_in_view()[0])

    def _zoom_to_row(self, index) -> None:
        fid = int(self.model.fids[index.row()])
        self.session.select(self.model.layer, [fid])
        self.session.zoom_to_selection(self.model.layer)
