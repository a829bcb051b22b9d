"""The supervision workbench (批后监管): parcel list with check filters, a parcel's page
(terms, check results, BIM models, nearby complaints, inspection history) and the
inspection form. Inspections entered are pending, undoable, until 保存 writes them,
each in one transaction with its audit entry; a concurrent edit is refused. The form, the
pending list and the conflict panel are ``inspection_editing``'s."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QPushButton, QScrollArea, QSpinBox, QSplitter, QTableView, QTabWidget,
                               QVBoxLayout, QWidget)

from lzt.analysis import supervision as sv
from lzt.analysis.supervision import RULE_ZH, STATUS_ZH
from lzt.core.errors import LztInputError
from lzt.export.report import fmt
from lzt.gui.labels import label
from lzt.gui.models.frame import FrameModel, fit_columns
from lzt.gui.panels.inspection_editing import InspectionEditing
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

#: the parcel list's columns, left to right: what a supervisor scans first comes first
LIST_COLUMNS = ["parcel_id", "verdict", "failing", "status", "project"]


class SupervisionBench(InspectionEditing, QWidget):
    """Emits ``report_requested(parcel_id)`` for the PDF report and ``parcel_selected(fid)``."""

    report_requested = Signal(str)
    parcel_selected = Signal(int)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.layer: str | None = None
        self.checks: dict[str, sv.ParcelCheck] = {}
        self.terms = None  # the parcels' frame, read by the first check (no pandas before the window shows)
        self.current: str | None = None
        self.pending: list[dict] = []
        self.undo = QUndoStack(self)

        # filters
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.dateChanged.connect(lambda _d: self.run_checks())
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("全部结论"), None)
        for code in ("FAIL", "WARN", "PASS", "NO_DATA"):
            self.status_filter.addItem(label(STATUS_ZH[code]), code)
        self.rule_filter = QComboBox()
        self.rule_filter.addItems([self.tr("全部规则"), *map(label, RULE_ZH.values())])
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("宗地编号 / 项目 / 受让人"))
        for w in (self.status_filter, self.rule_filter):
            w.currentIndexChanged.connect(lambda _i: self._fill_list())
        self.search.textChanged.connect(lambda _t: self._fill_list())
        filters = QHBoxLayout()
        for lab, w in ((self.tr("核查日期"), self.as_of), (self.tr("结论"), self.status_filter),
                       (self.tr("规则"), self.rule_filter)):
            filters.addWidget(QLabel(lab))
            filters.addWidget(w)
        filters.addWidget(self.search, 1)

        # parcel list
        self.list_model = FrameModel(labels={"parcel_id": self.tr("宗地编号"), "project": self.tr("项目名称"),
                                             "status": self.tr("状态"), "verdict": self.tr("结论"),
                                             "failing": self.tr("问题")}, colour_by="verdict")
        self.list_model.formatters["verdict"] = lambda v: label(STATUS_ZH.get(v, v))  # a code: FAIL, WARN …
        self.list_model.ui_columns = ("verdict", "failing")
        self.list_view = QTableView()
        self.list_view.setModel(self.list_model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setSortingEnabled(True)
        self.list_view.verticalHeader().hide()
        self.list_view.selectionModel().selectionChanged.connect(self._list_selected)
        self.list_view.viewport().installEventFilter(self)  # 问题 follows the list's width
        self.count = QLabel()

        # parcel page
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold")
        self.terms_form = QFormLayout()
        form_widget = QWidget()
        form_widget.setLayout(self.terms_form)
        terms_box = QScrollArea()
        terms_box.setWidgetResizable(True)
        terms_box.setWidget(form_widget)
        self.results_model = FrameModel(labels={"rule": self.tr("规则"), "status": self.tr("结论"),
                                                "value": self.tr("数值"), "limit": self.tr("限值"),
                                                "detail": self.tr("说明")}, colour_by="status")
        self.results_model.formatters["status"] = lambda v: label(STATUS_ZH.get(v, v))
        self.results_model.ui_columns = ("rule", "status")
        self.results_view = self._table(self.results_model)
        self.models_list = QListWidget()
        self.distance = QSpinBox()
        self.distance.setRange(0, 5000)
        self.distance.setSingleStep(50)
        self.distance.setValue(300)
        self.distance.setSuffix(" m")
        self.distance.valueChanged.connect(lambda _v: self._show_complaints())
        self.complaints_summary = QLabel()
        from lzt.gui.latest import Latest

        self._nearby = Latest("nearby", self._complaints_found, self._complaints_failed, self)
        self.complaints_model = FrameModel(labels={"order_id": self.tr("工单编号"), "received_at": self.tr("诉求时间"),
                                                   "cat_l1": self.tr("一级分类"), "cat_l2": self.tr("二级分类"),
                                                   "status": self.tr("处理状态"), "address": self.tr("地址"),
                                                   "distance_m": self.tr("距离(m)")})
        complaints = QWidget()
        cl = QVBoxLayout(complaints)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("范围")))
        row.addWidget(self.distance)
        row.addWidget(self.complaints_summary, 1)
        cl.addLayout(row)
        cl.addWidget(self._table(self.complaints_model), 1)
        self.history_model = FrameModel(labels={"inspected_on": self.tr("核查日期"), "inspector": self.tr("核查人"),
                                                "result": self.tr("结果"), "notes": self.tr("说明"),
                                                "photos": self.tr("照片"), "recorded_by": self.tr("录入人"),
                                                "recorded_at": self.tr("录入时间")})
        self.tabs = QTabWidget()
        self.tabs.addTab(terms_box, self.tr("出让条件"))
        self.tabs.addTab(self.results_view, self.tr("核查结果"))
        self.tabs.addTab(self.models_list, self.tr("BIM 模型"))
        self.tabs.addTab(complaints, self.tr("周边诉求"))
        from lzt.gui.panels.imagery_compare import ImageryCompare

        self.imagery = ImageryCompare(self.session)
        self.tabs.addTab(self.imagery, self.tr("影像对比"))
        self.tabs.addTab(self._table(self.history_model), self.tr("核查记录"))
        self.form_area = QScrollArea()  # the form and a conflict fit a 768-pixel-high screen
        self.form_area.setWidgetResizable(True)
        self.form_area.setWidget(self._inspection_form())
        self.tabs.addTab(self.form_area, self.tr("录入核查"))
        report = QPushButton(self.tr("生成 PDF 报告"))
        report.clicked.connect(lambda: self.current and self.report_requested.emit(self.current))
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(report)
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.addLayout(head)
        pl.addWidget(self.tabs, 1)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list_view, 1)
        ll.addWidget(self.count)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(page)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([520, 780])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(filters)
        lay.addWidget(split, 1)
        self.loaded = False  # checks run when the page is first shown
        self.busy = False  # the checks are running (in a worker)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self.loaded:
            self.loaded = True
            if self._find_layer():  # the checks after the page has painted
                QTimer.singleShot(0, lambda: self.checks or self.run_checks(read_terms=True))

    def _table(self, model) -> QTableView:
        v = QTableView()
        v.setModel(model)
        v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        v.verticalHeader().hide()
        v.horizontalHeader().setStretchLastSection(True)
        return v

    # -- data --------------------------------------------------------------------------------
    def reload(self) -> None:
        self.loaded = True
        if self._find_layer():
            self.run_checks(read_terms=True)

    def _find_layer(self) -> bool:
        try:
            self.layer = sv.supervision_layer(self.ws)
        except LztInputError:
            self.layer = None
            self.count.setText(self.tr("工作空间中没有批后监管图层（用 lzt import --kind supervision 导入）"))
            return False
        return True

    def run_checks(self, *, read_terms: bool = False) -> bool:
        """Check every parcel as of the chosen date (and read the terms) in a worker, behind a
        progress dialog; the list changes when the checks are done."""
        from lzt.gui.tasks import run_task

        if self.layer is None and not self._find_layer() or self.busy:
            return False
        q = self.as_of.date()
        as_of = date(q.year(), q.month(), q.day())
        ws, layer = self.ws, self.layer
        read_terms = read_terms or self.terms is None or self.terms.empty

        def work(fb):
            terms = ws.read_features(layer) if read_terms else None
            return terms, sv.run_checks(ws, layer=layer, as_of=as_of, feedback=fb)

        self.busy = True
        try:
            ok, result = run_task(self, self.tr("批后监管检查"), work)
        finally:
            self.busy = False
        if not ok:
            return False
        terms, checks = result
        if terms is not None:
            self.terms = terms
        self.checks = {c.parcel_id: c for c in checks}
        self._fill_list()
        if self.current:
            self.show_parcel(self.current)
        return True

    def _fill_list(self) -> None:
        rows = []
        status = self.status_filter.currentData()
        rule = self.rule_filter.currentIndex()
        rule_key = list(RULE_ZH)[rule - 1] if rule > 0 else None
        text = self.search.text().strip()
        warn = self.tr("(预警)")
        terms = self.terms
        # plain dicts of the four columns used: ``iterrows`` built a pandas Series per parcel on
        # the GUI thread (~0.3 s of the conflict steps' stall at district scale)
        records = [] if terms is None else \
            terms[[k for k in ("parcel_id", "project", "status", "holder") if k in terms]].to_dict("records")
        for t in records:
            c = self.checks.get(str(t["parcel_id"]))
            if c is None:
                continue
            failing = [r for r in c.results if r.status in ("FAIL", "WARN")]
            verdict = c.worst
            if rule_key:
                r = next(x for x in c.results if x.rule == rule_key)
                verdict = r.status
            if status is not None and verdict != status:
                continue
            hay = " ".join(str(t.get(k) or "") for k in ("parcel_id", "project", "holder"))
            if text and text not in hay:
                continue
            rows.append({"parcel_id": c.parcel_id, "project": t.get("project"), "status": t.get("status"),
                         "verdict": verdict,
                         "failing": self.tr("、").join(label(RULE_ZH[r.rule]) + ("" if r.status == "FAIL" else warn)
                                                      for r in failing)})
        self.list_model.set_frame(pd.DataFrame(rows, columns=LIST_COLUMNS))
        self._fit_list_columns()
        self.count.setText(self.tr("{0} / {1} 宗").format(len(rows), len(self.checks)))

    def _fit_list_columns(self) -> None:
        """Columns at their contents' width, then ``_fit_problems``."""
        fit_columns(self.list_view)
        self._problems_width = self.list_view.horizontalHeader().sectionSize(LIST_COLUMNS.index("failing"))
        self._fit_problems()

    def _fit_problems(self) -> None:
        """宗地编号 and 结论 at their width, 问题 in the room left in view (a long list elided, whole
        in the tooltip); 状态 and the project name after them: the verdict columns stay in view
        however narrow the list is (a 1366-pixel screen with the docks open)."""
        header = self.list_view.horizontalHeader()
        room = self.list_view.viewport().width() - sum(header.sectionSize(LIST_COLUMNS.index(c))
                                                       for c in ("parcel_id", "verdict"))
        want = getattr(self, "_problems_width", 0)
        header.resizeSection(LIST_COLUMNS.index("failing"), max(80, min(want, room)))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self.list_view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_problems()
        return super().eventFilter(obj, event)

    def _list_selected(self, *_):
        rows = self.list_view.selectionModel().selectedRows()
        if rows:
            self.show_parcel(str(self.list_model.frame.at[rows[0].row(), "parcel_id"]))

    def select_parcel(self, parcel_id: str) -> None:
        """Select a parcel in the list (and show its page)."""
        if not self.checks:
            self.reload()
        hit = self.list_model.frame.index[self.list_model.frame["parcel_id"] == parcel_id]
        if len(hit):
            self.list_view.selectRow(int(hit[0]))
        else:
            self.show_parcel(parcel_id)

    def show_parcel(self, parcel_id: str) -> None:
        c = self.checks.get(parcel_id)
        if c is None:
            return
        if parcel_id != self.current:  # a new parcel: its form starts without the last one's choices
            self.f_status.setCurrentIndex(0)
            self.f_notes.clear()
            self.f_photos.clear()
            self.form_message.clear()
        self.current = parcel_id
        self._refresh_parcel(parcel_id)
        c = self.checks[parcel_id]
        t = self.terms.loc[c.fid]
        self.title.setText(f"{parcel_id}  {t.get('project') or ''}  ·  {label(STATUS_ZH[c.worst])}")
        from layers.supervision import LABELS

        while self.terms_form.rowCount():
            self.terms_form.removeRow(0)
        for field, lab in LABELS.items():
            self.terms_form.addRow(label(lab), QLabel(fmt(t.get(field)) or "—"))
        self.results_model.set_frame(pd.DataFrame(
            [{"rule": label(RULE_ZH[r.rule]), "status": r.status, "value": fmt(r.value), "limit": fmt(r.limit),
              "detail": r.detail} for r in c.results]))
        self.results_view.resizeColumnsToContents()
        self.models_list.clear()
        self.models_list.addItems(c.models or [self.tr("（宗地上没有 BIM 模型）")])
        self._show_complaints()
        self._show_history()
        self.imagery.show_parcel(t.geometry, t.get("actual_start"))
        self.session.select(self.layer, [c.fid])
        self.parcel_selected.emit(c.fid)

    def _show_complaints(self) -> None:
        if self.current is None:
            return
        geom = self.terms.loc[self.checks[self.current].fid].geometry
        if geom is None or geom.is_empty:
            self._nearby.cancel()  # the last parcel's, still being read, is not shown for this one
            self.complaints_summary.setText(self.tr("宗地没有图形"))
            self.complaints_model.set_frame(pd.DataFrame())
            return
        # read and masked in a worker (a bbox read of the complaints twice, ~0.1 s at district
        # scale, held the window while the page changed parcel); the newest parcel's is shown
        self.complaints_summary.setText(self.tr("正在读取附近诉求…"))  # not the last parcel's meanwhile
        self.complaints_model.set_frame(pd.DataFrame())
        self._nearby.submit(sv.nearby_complaints, self.ws, geom, float(self.distance.value()))

    def _complaints_failed(self, error: BaseException) -> None:
        from lzt.gui.messages import user_message

        self.complaints_summary.setText(self.tr("读取附近诉求失败：{0}").format(user_message(error)))

    def _complaints_found(self, found) -> None:
        if found is None:
            self.complaints_summary.setText(self.tr("工作空间中没有民生诉求图层"))
            return
        by = found["cat_l1"].value_counts().head(5) if "cat_l1" in found else pd.Series(dtype=int)
        self.complaints_summary.setText(self.tr("共 {0} 件").format(len(found)) + self.tr("：") +
                                        self.tr("，").join(f"{k} {v}" for k, v in by.items()))
        self.complaints_model.set_frame(pd.DataFrame(found.drop(columns=found.geometry.name)).head(500))

    @property
    def complaints_busy(self) -> bool:
        """The nearby complaints of the parcel shown are still being read."""
        return self._nearby.busy

    def wait_complaints(self, timeout: float = 60.0) -> bool:
        """Process events until the nearby complaints of the parcel shown are (for scripts and tests)."""
        import time

        from PySide6.QtCore import QEventLoop
        from PySide6.QtWidgets import QApplication

        end = time.monotonic() + timeout
        while self._nearby.busy and time.monotonic() < end:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            time.sleep(0.01)
        return not self._nearby.busy

    def shutdown(self) -> None:
        """Stop the workers reading the workspace (before it closes)."""
        self._nearby.shutdown(wait=True)
        self.imagery.shutdown()

    def _refresh_parcel(self, parcel_id: str) -> bool:
        """Read the parcel again; True when someone else changed it since it was loaded (its
        terms and checks are then replaced by the current ones: what the user sees is what a
        record is made on)."""
        c = self.checks[parcel_id]
        now = self.ws.read_features(self.layer, fids=[c.fid])
        if now.empty or int(now["version"].iloc[0]) == int(self.terms.at[c.fid, "version"]):
            return False
        for col in now.columns:
            self.terms.at[c.fid, col] = now[col].iloc[0]
        q = self.as_of.date()
        (c,) = sv.run_checks(self.ws, layer=self.layer, parcel=parcel_id, as_of=date(q.year(), q.month(), q.day()))
        self.checks[parcel_id] = c
        self.session.mark_edited(self.layer)  # other views of the layer read it again too
        return True

    def _seen(self, parcel_id: str) -> dict:
        """The parcel as the user sees it now (attributes, inspection ids): a queued record keeps it,
        so that a refused save can say what others changed since."""
        c = self.checks[parcel_id]
        attrs = {k: v for k, v in self.terms.loc[c.fid].items() if k != self.terms.geometry.name}
        return {"attrs": attrs, "inspections": [r["id"] for r in self.ws.inspections(self.layer, parcel_id)]}

    def _show_history(self) -> None:
        rows = self.ws.inspections(self.layer, self.current) if self.current else []
        df = pd.DataFrame(rows, columns=["inspected_on", "inspector", "result", "notes", "photos", "recorded_by",
                                         "recorded_at"])
        df["photos"] = df["photos"].map(lambda p: ", ".join(x["name"] for x in p) if isinstance(p, list) else "")
        self.history_model.set_frame(df)
