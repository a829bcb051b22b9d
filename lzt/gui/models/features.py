"""A Qt table model over one workspace layer that stays responsive at a million rows.

Only feature ids are held for the whole layer (8 bytes a row); attribute values are
read a page at a time, when the view asks for them, and a few pages are cached.
Sorting reads the one sort column; filtering compiles the expression (CQL2 text,
``lzt.query.expr``) to workspace predicates. On a layer of ``BACKGROUND_ROWS`` rows or
more (the layer's size) both run through ``runner`` (the attribute table passes one that works in a thread
behind a progress dialog), so the window keeps painting during a million-row sort; the
model changes only when the new order is complete. Personal data of personal layers
(``lzt.workspace.personal``: complaints and every layer derived from them) is masked.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.gui.models.values import display_value
from lzt.workspace.order import feature_ids, ordered, sort_ranks
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

PAGE = 500
CACHED_PAGES = 8
BACKGROUND_ROWS = 100_000
#: the roles ``data`` answers (the same value for both); every other role is empty
_SHOWN_ROLES = (int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole))


class FeatureTableModel(QAbstractTableModel):
    """Rows = features of ``layer`` (optionally filtered), columns = its attribute fields."""

    sort_failed = Signal(object)  # the error, or None when cancelled: the order did not change
    layer_changed = Signal(object)  # reading a page failed: the layer is no longer what the model shows

    def __init__(self, ws, layer: str, *, unmasked: bool = False, runner=None, parent=None,
                 fids: np.ndarray | None = None):
        super().__init__(parent)
        self.ws = ws
        self.layer = layer
        self.info = ws.layer(layer)
        self.columns = [f.name for f in self.info.fields]
        self.types = {f.name: f.type for f in self.info.fields}
        self._labels: list[str] | None = None  # the columns' header labels (``headerData``)
        self.failed: LztInputError | None = None  # the layer changed under the model (see ``data``)
        self.unmasked = unmasked
        self.runner = runner  # (title, fn(feedback)) -> (ok, result); None: run here
        self.filter_source = "筛选表达式"  # how errors name the filter (the table sets its label)
        self._running = False
        self.where_text = ""
        self._pages: OrderedDict[int, pd.DataFrame] = OrderedDict()
        # each cached page's values column by column (``page_cells``): a cell's paint reads a list,
        # not the frame (``iat`` on Arrow strings was most of a 30-50 ms paint of the district)
        self._cells: dict[int, list[list]] = {}
        # pages a view asks for while it paints are read in a worker when ``fetch_pages`` is set
        # (the attribute table's: ``request_pages`` then ``add_pages``); other callers read here
        self.fetch_pages = None  # callable(model), or None
        self.painting = False  # set by the view around its paint
        self.missing: set[int] = set()  # pages asked for while painting, not read yet
        self._sort: tuple[int, Qt.SortOrder] | None = None
        if fids is not None:  # the layer's ids in id order, read before (the same content)
            self.loaded, self._fids = True, fids
            return
        # a big layer's ids are read through the runner (a worker): the window keeps painting
        self.loaded, fids = self._run("读取", lambda feedback: self._filtered_fids(""))
        self._fids = fids if self.loaded else np.empty(0, dtype=np.int64)

    # -- data ------------------------------------------------------------------------------
    def _filtered_fids(self, where_text: str) -> np.ndarray:
        """The ids of the rows ``where_text`` keeps, in id order (reads the workspace only)."""
        if where_text:
            from lzt.query.expr import parse, split_spatial

            expr = parse(where_text, fields=self.ws.fields(self.layer), source=self.filter_source)
            attr, spatial = split_spatial(expr, self.filter_source)
            if spatial:  # spatial terms go through the query engine
                from lzt.query.run import QuerySpec, run_query

                df = run_query(self.ws, QuerySpec(self.layer, where=where_text, columns=())).features
            else:  # attribute terms only: ids straight from the workspace
                return feature_ids(self.ws, self.layer, where=attr)
            return np.sort(df.index.to_numpy(dtype=np.int64))
        return feature_ids(self.ws, self.layer)

    def _sorted_fids(self, fids: np.ndarray, column: int, order, *, feedback=None) -> np.ndarray:
        """``fids`` ordered by a column (missing values last; stable: ties keep the current order).
        The column is ranked by the workspace (SQLite sorts with the GIL released): a worker
        sorting a million strings in pandas kept the window from painting."""
        ranked, ranks = sort_ranks(self.ws, self.layer, self.columns[column])
        if feedback is not None:
            feedback.check()
        return ordered(fids, ranked, ranks, ascending=order == Qt.SortOrder.AscendingOrder)

    def _run(self, title: str, fn) -> tuple[bool, object]:
        """Run ``fn`` here, or through the runner for a big layer; one at a time."""
        if self._running:  # a sort or filter of this model is still in progress
            return False, None
        if self.runner is None or self.info.count < BACKGROUND_ROWS:
            return True, fn(None)
        self._running = True
        try:
            return self.runner(title, fn)
        finally:
            self._running = False

    @property
    def fids(self) -> np.ndarray:
        return self._fids

    @property
    def sort_key(self) -> tuple[int, Qt.SortOrder] | None:
        """(column, order) of the rows' current order, None for id order."""
        return self._sort

    def set_filter(self, text: str) -> bool:
        """Filter rows by a CQL2 expression ('' shows all); ``LztInputError`` when invalid.
        False if the user cancelled (nothing changed)."""
        from lzt.query.expr import parse

        text = text.strip()
        if text:
            parse(text, fields=self.ws.fields(self.layer), source=self.filter_source)  # errors before any change
        sort = self._sort

        def work(feedback):
            fids = self._filtered_fids(text)
            if feedback is not None:
                feedback.check()
            return self._sorted_fids(fids, *sort, feedback=feedback) if sort else fids

        ok, fids = self._run("筛选", work)
        if not ok:
            if isinstance(fids, Exception):
                raise fids
            return False
        self.beginResetModel()
        self.where_text = text
        self._fids = fids
        self._drop_pages()
        self.endResetModel()
        return True

    def _drop_pages(self) -> None:
        self._pages.clear()
        self._cells.clear()
        self.missing.clear()

    def _keep(self, p: int, df: pd.DataFrame, cells: list[list] | None = None) -> None:
        """Cache page ``p`` (the oldest pages beyond ``CACHED_PAGES`` are dropped)."""
        self._pages[p] = df
        self._pages.move_to_end(p)
        self._cells[p] = page_cells(df) if cells is None else cells
        while len(self._pages) > CACHED_PAGES:
            old, _ = self._pages.popitem(last=False)
            self._cells.pop(old, None)

    def _page(self, p: int) -> pd.DataFrame:
        if p in self._pages:
            self._pages.move_to_end(p)
            return self._pages[p]
        df = self.read_rows(self._fids[p * PAGE:(p + 1) * PAGE])
        self._keep(p, df)
        return df

    def cached_pages(self) -> list[tuple[int, pd.DataFrame]]:
        """(page, rows) of the pages read so far (in the current order)."""
        return list(self._pages.items())

    def id_order_pages(self) -> list[tuple[int, pd.DataFrame, list[list]]]:
        """The cached pages, (page, rows, cells), when the rows are the whole layer in id order
        (no sort, no filter), else none: what a new model of the same content may start with."""
        if self._sort is not None or self.where_text or self.failed is not None:
            return []
        return [(p, df, self._cells[p]) for p, df in self._pages.items() if p in self._cells]

    def read_rows(self, fids: np.ndarray) -> pd.DataFrame:
        """The attribute rows of ``fids`` in that order, masked unless the model is unmasked.
        Reads the workspace only (no model state): a worker may call it."""
        df = self.ws.read_features(self.layer, fids=fids, columns=self.columns, geometry=False)
        df = df.reindex(fids)
        if not self.unmasked:  # personal layers (complaints and all derived from them) are masked
            from lzt.analysis.masking import mask_layer_rows

            df = mask_layer_rows(self.ws, self.layer, df)
        return df

    def page_requests(self) -> list[tuple[int, np.ndarray]]:
        """(page, its ids) of the pages asked for while painting, to read in a worker."""
        return [(p, self._fids[p * PAGE:(p + 1) * PAGE]) for p in sorted(self.missing)]

    def add_pages(self, fids: np.ndarray, pages: list[tuple]) -> bool:
        """Pages read in a worker for the rows ``fids``, as (page, rows) or (page, rows, cells)
        (``read_rows``, ``page_cells``): kept and drawn, unless the rows changed since (sorted,
        filtered). False if they did."""
        if fids is not self._fids:
            return False
        for p, df, *cells in pages:
            self.missing.discard(p)
            self._keep(p, df, cells[0] if cells else None)
            last = min(len(self._fids), (p + 1) * PAGE) - 1
            if last >= p * PAGE and self.columns:
                self.dataChanged.emit(self.index(p * PAGE, 0), self.index(last, len(self.columns) - 1))
        return True

    def retry_pages(self) -> None:
        """Reading the pages asked for failed: forget them, so the next paint asks again."""
        self.missing.clear()

    def example_filter(self, rows: pd.DataFrame | None = None) -> str | None:
        """A filter expression that works on this layer, from its own fields and values: a text
        field's frequent value (``category = '学校'``), and, where there is one, a number field
        at or above a round value those rows reach (``面积 >= 1000``). None for an empty layer.
        ``rows``: the first rows as ``read_rows`` gives them (the attribute table reads and
        passes them in a worker); by default the model's first page."""
        from lzt.query.expr import quote_field, quote_literal
        from lzt.workspace.personal import column_roles, free_text_columns, layer_is_personal

        if rows is None and not len(self._fids) or not self.columns:
            return None
        df = self._page(0) if rows is None else rows
        if not len(df):
            return None
        skip = {*column_roles(self.columns), "fid", "version"}
        if layer_is_personal(self.info):  # its free text may carry masked names and numbers
            skip.update(free_text_columns(self.columns))
        text = [c for c in self.columns if self.types.get(c) == "TEXT" and c not in skip]
        numbers = [c for c in self.columns if self.types.get(c) in ("INTEGER", "REAL") and c not in skip]
        best = None  # (narrows the rows, how often, field, value): a value that filters, and often
        for c in text:
            counts = df[c].dropna().astype(str)
            counts = counts[(counts.str.len() > 0) & (counts.str.len() <= 20)].value_counts()
            if len(counts):
                key = (len(counts) > 1, int(counts.iloc[0]), c, counts.index[0])
                best = key if best is None or key[:2] > best[:2] else best
        if best is not None:
            best = best[2:]
        parts, rows = [], df
        if best is not None:
            parts.append(f"{quote_field(best[0])} = {quote_literal(best[1])}")
            rows = df[df[best[0]].astype(str) == best[1]]
        for c in numbers:
            vals = pd.to_numeric(rows[c], errors="coerce").dropna()
            if len(vals):
                parts.append(f"{quote_field(c)} >= {quote_literal(_round_down(float(vals.median())))}")
                break
        return " AND ".join(parts) or None

    def row_of(self, fid: int) -> int | None:
        hit = np.flatnonzero(self._fids == fid)
        return int(hit[0]) if len(hit) else None

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._fids)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def index(self, row, column, parent=QModelIndex()):
        """One call into Python a cell (Qt's own asks ``rowCount`` and ``columnCount`` each time)."""
        if parent.isValid() or not (0 <= row < len(self._fids) and 0 <= column < len(self.columns)):
            return QModelIndex()
        return self.createIndex(row, column)

    def multiData(self, index, span) -> None:  # noqa: N802 - Qt API
        """Every role a cell's paint asks for in one call into Python (Qt's own calls ``data``
        once a role, seven a cell). Each call from Qt into Python waits for the interpreter lock,
        up to 1 ms a call while a worker runs (render, page reads): a table paint on the district
        took 70-540 ms during a layer switch or a pan; the cells show the same."""
        value = asked = None
        for rd in span:
            if rd.role() in _SHOWN_ROLES:
                if asked is None:
                    value, asked = self.data(index, Qt.ItemDataRole.DisplayRole), True
                if value is not None:
                    rd.setData(value)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if self.failed is not None:
            return None
        p = index.row() // PAGE
        if p not in self._pages and self.painting and self.fetch_pages is not None:
            if p not in self.missing:  # read in a worker; the rows are drawn when it arrives
                self.missing.add(p)
                self.fetch_pages(self)
            return None
        cells = self._cells.get(p) if p in self._pages else None
        if cells is None:
            try:
                df = self._page(p)
            except LztInputError as exc:  # the layer was replaced or dropped by another writer
                self.failed = exc
                self.layer_changed.emit(exc)  # once: the table builds a new model
                return None
            cells = self._cells.get(p)
            if cells is None:
                cells = self._cells[p] = page_cells(df)
        else:
            self._pages.move_to_end(p)
        c = index.column()
        return display_value(cells[c][index.row() % PAGE], self.types.get(self.columns[c]))

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if self._labels is None:  # asked for every paint of the header, up to 7 times a column
                self._labels = [label(self.info.kind, c) for c in self.columns]
            return self._labels[section] if 0 <= section < len(self._labels) else None
        return str(int(self._fids[section])) if section < len(self._fids) else None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        fids = self._fids
        ok, new_order = self._run("排序", lambda fb: self._sorted_fids(fids, column, order, feedback=fb))
        if not ok:
            self.sort_failed.emit(new_order if isinstance(new_order, Exception) else None)
            return
        # a reset, not a layout change: Qt would carry every selected range through the new order
        # as persistent indexes (a minute on the GUI thread for a 370k-row selection); the table
        # selects the session's selection again on ``modelReset``
        self.beginResetModel()
        self._sort = (column, order)
        self._fids = new_order
        self._drop_pages()
        self.endResetModel()


def page_cells(df: pd.DataFrame) -> list[list]:
    """``df``'s values as one list a column (in the column order): a worker makes them with the
    page, a paint reads them (``display_value`` shows them as ``iat`` gave them)."""
    return [df.iloc[:, j].tolist() for j in range(df.shape[1])]


def _round_down(v: float) -> int | float:
    """``v`` rounded down to two significant digits (1234.5 -> 1200, 0.0567 -> 0.056)."""
    if v == 0 or not np.isfinite(v):
        return 0
    step = 10 ** (np.floor(np.log10(abs(v))) - 1)
    r = round(float(np.floor(v / step) * step), 12)
    return int(r) if r == int(r) else r


def label(kind: str, field: str) -> str:
    """A field's label for complaint and supervision layers (in the UI language), else its name."""
    if kind == LayerKind.COMPLAINTS:
        from layers.complaints import SCHEMA
    elif kind == LayerKind.SUPERVISION:
        from layers.supervision import SCHEMA
    else:
        return field
    from lzt.gui.labels import label as ui_label

    return ui_label(SCHEMA[field][0]) if field in SCHEMA else field
