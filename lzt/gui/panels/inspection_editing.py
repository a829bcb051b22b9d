"""The supervision workbench's inspection editing (批后监管): the inspection form, pending
inspections (undoable until 保存 writes them, each in one transaction with its audit entry)
and the conflict panel shown when someone else saved the parcel meanwhile: theirs beside
mine, to re-apply or discard. A mixin of ``SupervisionBench``, whose state it uses."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QTimer
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from lzt.analysis.inspections import EditConflict
from lzt.core.errors import ConflictError, LztInputError
from lzt.gui.labels import PARCEL_STATUSES, label
from lzt.gui.messages import user_message
from lzt.gui.tasks import show_error


def _describe(record: dict) -> str:
    return f"{record['parcel_id']}  {record['inspected_on']}  {record['inspector']}  {record['result']}" + (
        f"  → {record['status']}" if record["status"] else "")


class _AddPending(QUndoCommand):
    """Queue one inspection (undo takes it out again)."""

    def __init__(self, bench, record: dict):
        super().__init__(f"核查 {record['parcel_id']} {record['inspected_on']}")
        self.bench, self.record = bench, record

    def redo(self):
        if not any(r is self.record for r in self.bench.pending):
            self.bench.pending.append(self.record)
        self.bench._show_pending(QCoreApplication.translate("SupervisionBench", "已加入待保存：{0}；点击“保存”写入工作空间").format(_describe(self.record)))

    def undo(self):
        self.bench.pending[:] = [r for r in self.bench.pending if r is not self.record]
        self.bench._show_pending(QCoreApplication.translate("SupervisionBench", "已撤销：{0}").format(_describe(self.record)))


class _DiscardPending(QUndoCommand):
    """Drop a parcel's queued inspections after a conflict (undo puts them back)."""

    def __init__(self, bench, parcel_id: str):
        super().__init__(f"放弃 {parcel_id}")
        self.bench, self.parcel_id = bench, parcel_id
        self.dropped = [(i, r) for i, r in enumerate(bench.pending) if r["parcel_id"] == parcel_id]

    def redo(self):
        self.bench.pending[:] = [r for r in self.bench.pending if r["parcel_id"] != self.parcel_id]
        self.bench._show_pending(QCoreApplication.translate("SupervisionBench", "已放弃宗地 {0} 的 {1} 条待保存记录（可撤销）")
                                 .format(self.parcel_id, len(self.dropped)))

    def undo(self):
        for i, r in self.dropped:
            if not any(x is r for x in self.bench.pending):
                self.bench.pending.insert(min(i, len(self.bench.pending)), r)
        self.bench._show_pending(QCoreApplication.translate("SupervisionBench", "已恢复宗地 {0} 的待保存记录").format(self.parcel_id))


class InspectionEditing:
    """The form, the pending inspections and the conflict panel of ``SupervisionBench``."""

    def _inspection_form(self) -> QWidget:
        w = QWidget()
        form = QFormLayout()
        self.f_date = QDateEdit(QDate.currentDate())
        self.f_date.setCalendarPopup(True)
        self.f_date.setDisplayFormat("yyyy-MM-dd")
        self.f_inspector = QLineEdit()
        self.f_result = QComboBox()
        self.f_result.setEditable(True)
        from lzt.analysis.inspections import RESULTS

        for r in RESULTS:  # shown in the UI language, stored as the ledgers write them
            self.f_result.addItem(label(r), r)
        self.f_notes = QPlainTextEdit()
        self.f_notes.setFixedHeight(70)
        self.f_photos = QListWidget()
        self.f_photos.setFixedHeight(60)
        add_photo = QPushButton(QCoreApplication.translate("SupervisionBench", "添加照片…"))
        add_photo.clicked.connect(self._add_photos)
        self.f_status = QComboBox()
        self.f_status.addItem(QCoreApplication.translate("SupervisionBench", "（不变）"), None)
        for s in PARCEL_STATUSES:
            self.f_status.addItem(label(s), s)
        form.addRow(QCoreApplication.translate("SupervisionBench", "核查日期"), self.f_date)
        form.addRow(QCoreApplication.translate("SupervisionBench", "核查人"), self.f_inspector)
        form.addRow(QCoreApplication.translate("SupervisionBench", "核查结果"), self.f_result)
        form.addRow(QCoreApplication.translate("SupervisionBench", "情况说明"), self.f_notes)
        photos = QHBoxLayout()
        photos.addWidget(self.f_photos, 1)
        photos.addWidget(add_photo)
        form.addRow(QCoreApplication.translate("SupervisionBench", "照片"), photos)
        form.addRow(QCoreApplication.translate("SupervisionBench", "变更状态"), self.f_status)
        self.pending_list = QListWidget()
        self.pending_list.setFixedHeight(70)
        add = QPushButton(QCoreApplication.translate("SupervisionBench", "加入待保存"))
        add.clicked.connect(self.add_pending)
        undo = QPushButton(QCoreApplication.translate("SupervisionBench", "撤销"))
        undo.clicked.connect(self.undo.undo)
        redo = QPushButton(QCoreApplication.translate("SupervisionBench", "重做"))
        redo.clicked.connect(self.undo.redo)
        self.save_button = QPushButton(QCoreApplication.translate("SupervisionBench", "保存"))
        self.save_button.clicked.connect(self.save_pending)
        self.form_message = QLabel()
        self.form_message.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (add, undo, redo, self.save_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(w)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addWidget(QLabel(QCoreApplication.translate("SupervisionBench", "待保存的核查记录（保存前可撤销）")))
        lay.addWidget(self.pending_list)
        lay.addWidget(self.form_message)
        lay.addWidget(self._conflict_box())
        lay.addStretch(1)
        return w

    def _conflict_box(self) -> QGroupBox:
        """Shown when a save is refused: theirs vs mine, and the user's choice."""
        self.conflict_box = QGroupBox(QCoreApplication.translate("SupervisionBench", "保存冲突：他人已修改此宗地"))
        self.conflict_box.setStyleSheet("QGroupBox { color: #b00020; font-weight: bold }")
        self.conflict_text = QLabel()
        self.conflict_text.setWordWrap(True)
        self.conflict_text.setStyleSheet("color: black; font-weight: normal")
        self.conflict_table = QTableWidget(0, 4)
        self.conflict_table.setHorizontalHeaderLabels([QCoreApplication.translate("SupervisionBench", "项目"), QCoreApplication.translate("SupervisionBench", "您读取时"), QCoreApplication.translate("SupervisionBench", "他人保存后（当前）"),
                                                       QCoreApplication.translate("SupervisionBench", "您的待保存")])
        self.conflict_table.verticalHeader().hide()
        self.conflict_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflict_table.setWordWrap(True)
        header = self.conflict_table.horizontalHeader()
        for col, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.ResizeToContents,
                                    QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(col, mode)  # theirs and mine side by side, wrapped, no scrolling
        self.conflict_table.setMinimumHeight(160)
        self.reapply_button = QPushButton(QCoreApplication.translate("SupervisionBench", "在当前版本上重新应用我的记录并保存"))
        self.reapply_button.clicked.connect(self.reapply_conflict)
        self.discard_button = QPushButton(QCoreApplication.translate("SupervisionBench", "放弃我的记录"))
        self.discard_button.clicked.connect(self.discard_conflict)
        row = QHBoxLayout()
        row.addWidget(self.reapply_button)
        row.addWidget(self.discard_button)
        row.addStretch(1)
        lay = QVBoxLayout(self.conflict_box)
        lay.addWidget(self.conflict_text)
        lay.addWidget(self.conflict_table)
        lay.addLayout(row)
        self.conflict_box.hide()
        self.conflict: EditConflict | None = None
        return self.conflict_box

    # -- inspections ---------------------------------------------------------------------------
    def _add_photos(self) -> None:
        photos = QCoreApplication.translate("SupervisionBench", "图片") + " (*.jpg *.jpeg *.png *.heic);;" + QCoreApplication.translate("SupervisionBench", "所有文件") + " (*)"
        paths, _ = QFileDialog.getOpenFileNames(self, QCoreApplication.translate("SupervisionBench", "选择照片"), "", photos)
        self.f_photos.addItems(paths)

    def add_pending(self) -> bool:
        """Queue the form's inspection for the current parcel (undoable until saved)."""
        if self.current is None:
            self.form_message.setText(QCoreApplication.translate("SupervisionBench", "请先在左侧选择宗地"))
            return False
        if not self.f_inspector.text().strip() or not self.f_result.currentText().strip():
            self.form_message.setText(QCoreApplication.translate("SupervisionBench", "请填写核查人和核查结果"))
            return False
        if self._refresh_parcel(self.current):  # changed since the page was shown: show it, let the user look
            self.show_parcel(self.current)
            self.form_message.setText(QCoreApplication.translate("SupervisionBench", "宗地 {0} 刚被他人修改，页面已更新为当前状态；请核对后再加入待保存")
                                      .format(self.current))
            return False
        c = self.checks[self.current]
        q = self.f_date.date()
        status = self.f_status.currentData()
        typed = self.f_result.currentText().strip()  # a listed result is stored as the ledgers write it
        listed = self.f_result.findText(typed)
        result = self.f_result.itemData(listed) if listed >= 0 else typed
        record = {"parcel_id": self.current, "inspected_on": date(q.year(), q.month(), q.day()),
                  "inspector": self.f_inspector.text().strip(), "result": result,
                  "notes": self.f_notes.toPlainText().strip() or None,
                  "photos": [self.f_photos.item(i).text() for i in range(self.f_photos.count())],
                  "status": status, "version": int(self.terms.at[c.fid, "version"]), "seen": self._seen(self.current)}
        self.undo.push(_AddPending(self, record))
        self.f_notes.clear()
        self.f_photos.clear()
        self.f_status.setCurrentIndex(0)
        return True

    def _show_pending(self, message: str | None = None) -> None:
        self.pending_list.clear()
        for r in self.pending:
            self.pending_list.addItem(_describe(r))
        if message is not None:
            n = len(self.pending)
            self.form_message.setText(message + (QCoreApplication.translate("SupervisionBench", "（待保存 {0} 条）").format(n) if n else
                                                 QCoreApplication.translate("SupervisionBench", "（没有待保存的记录）")))

    def save_pending(self) -> int:
        """Write the pending inspections; stops at the first refusal and keeps the rest pending.
        A refusal because someone else changed the parcel opens the conflict panel: the parcel
        is shown as it is now, with their changes beside the user's records, to re-apply or
        discard."""
        from lzt.analysis.inspections import record_inspection

        saved = 0
        versions: dict[str, int] = {}
        while self.pending:
            r = self.pending[0]
            try:
                record_inspection(self.ws, r["parcel_id"], inspected_on=r["inspected_on"], inspector=r["inspector"],
                                  result=r["result"], notes=r["notes"], photos=r["photos"], status=r["status"],
                                  layer=self.layer, expected_version=versions.get(r["parcel_id"], r["version"]))
            except ConflictError:
                self._show_conflict(r)
                break
            except LztInputError as exc:
                self.form_message.setText(user_message(exc))
                show_error(self, QCoreApplication.translate("SupervisionBench", "保存核查记录"), exc)
                break
            versions[r["parcel_id"]] = versions.get(r["parcel_id"], r["version"]) + 1
            self.pending.pop(0)
            saved += 1
        if saved:
            self.undo.clear()
            self._show_pending()
            self.run_checks(read_terms=True)
            self.session.mark_edited(self.layer)
            message = QCoreApplication.translate("SupervisionBench", "已保存 {0} 条核查记录").format(saved)
            if self.conflict is not None:
                message += QCoreApplication.translate("SupervisionBench", "；宗地 {0} 的记录未保存，见下方冲突").format(self.conflict.parcel_id)
            self.form_message.setText(message)
        return saved

    # -- conflicts -------------------------------------------------------------------------------
    def _show_conflict(self, record: dict) -> None:
        """Someone else saved the parcel since the record was made: show the parcel as it is now,
        and theirs beside mine."""
        from layers.supervision import LABELS
        from lzt.analysis.inspections import describe_conflict
        from lzt.gui.models.values import display_value

        pid = record["parcel_id"]
        seen = record.get("seen") or {"attrs": {"version": record["version"]}, "inspections": []}
        seen_attrs = dict(seen["attrs"], version=record["version"])
        conflict = describe_conflict(self.ws, pid, seen_attrs, seen["inspections"], layer=self.layer)
        self.conflict = conflict
        mine = [r for r in self.pending if r["parcel_id"] == pid]
        rows: list[tuple[str, str, str, str]] = [
            (QCoreApplication.translate("SupervisionBench", "版本"), str(conflict.seen_version), str(conflict.current_version), "")]
        my_status = next((r["status"] for r in reversed(mine) if r["status"]), None)
        for f, before, now in conflict.changed:
            rows.append((LABELS.get(f, f), display_value(before), display_value(now),
                         my_status if f == "status" and my_status else ""))
        if my_status and not any(f == "status" for f, _, _ in conflict.changed):
            now = display_value(conflict.current.get("status"))
            rows.append((LABELS["status"], now, now, my_status))
        for r in conflict.new_inspections:
            rows.append((QCoreApplication.translate("SupervisionBench", "他人新增核查"), "", f"{r['inspected_on']} {r['inspector']} {r['result']}"
                         + (f"（{r['notes']}）" if r.get("notes") else "")
                         + QCoreApplication.translate("SupervisionBench", "，录入人 {0}，{1}").format(r.get("recorded_by") or "",
                                                          display_value(r.get("recorded_at"))), ""))
        for r in mine:
            rows.append((QCoreApplication.translate("SupervisionBench", "您的核查"), "", "", f"{r['inspected_on']} {r['inspector']} {r['result']}"
                         + (f"（{r['notes']}）" if r.get("notes") else "")))
        self.conflict_table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.conflict_table.setItem(i, j, item)
        self.conflict_table.resizeRowsToContents()
        who = sorted({r.get("recorded_by") or "" for r in conflict.new_inspections} - {""})
        text = QCoreApplication.translate("SupervisionBench", "宗地 {0} 在您读取后已被{1}修改并保存（您读取的是第 {2} 版，当前为第 {3} 版），"
                       "您的 {4} 条记录尚未保存。页面已更新为当前状态。").format(
            pid, "、".join(who) if who else QCoreApplication.translate("SupervisionBench", "他人"), conflict.seen_version, conflict.current_version, len(mine))
        if my_status and any(f == "status" for f, _, _ in conflict.changed):
            text += QCoreApplication.translate("SupervisionBench", "注意：对方已将状态改为“{0}”，重新应用将改为“{1}”。").format(
                display_value(conflict.current.get("status")), my_status)
        self.conflict_text.setText(text)
        # the current state: terms, checks, history of the parcel
        self.run_checks(read_terms=True)  # the terms read in the worker, with the checks
        self.session.mark_edited(self.layer)
        if self.current != pid:
            self.select_parcel(pid)
        self.conflict_box.show()
        self.tabs.setCurrentIndex(self.tabs.count() - 1)
        QTimer.singleShot(0, self._conflict_in_view)  # once laid out: rows wrapped to the widths, scrolled to it
        self.form_message.setText(QCoreApplication.translate("SupervisionBench", "宗地 {0} 的记录未保存：他人已修改此宗地，请选择重新应用或放弃").format(pid))

    def _conflict_in_view(self) -> None:
        self.conflict_table.resizeRowsToContents()
        self.form_area.ensureWidgetVisible(self.conflict_box, 0, 0)

    def reapply_conflict(self) -> int:
        """Put the user's records of the conflicting parcel on its current version and save."""
        if self.conflict is None:
            return 0
        pid, version = self.conflict.parcel_id, self.conflict.current_version
        seen = self._seen(pid)
        for r in self.pending:
            if r["parcel_id"] == pid:
                r["version"], r["seen"] = version, seen
        self._close_conflict()
        return self.save_pending()

    def discard_conflict(self) -> None:
        """Drop the user's records of the conflicting parcel (undoable until the next save)."""
        if self.conflict is None:
            return
        pid = self.conflict.parcel_id
        self._close_conflict()
        self.undo.push(_DiscardPending(self, pid))

    def _close_conflict(self) -> None:
        self.conflict = None
        self.conflict_box.hide()
        self.conflict_table.setRowCount(0)
