"""A working day in the desktop client, scripted: the steps a supervisor or analyst takes
through the real main window (map, identify, selection, table, query, style, supervision
with a conflicting edit, dashboard, 3D, export, language).

``WorkingDay`` drives the window the way the mouse and keyboard do (QTest events on the
widgets, menu actions) and measures the event loop while it does: a precise 5 ms timer
records the longest interval between two of its ticks in each step (``stalls``). The suite
runs it on the demo and checks what each step did (tests/gui/test_working_day.py); the
benchmark runs it on the district workspace for the stall figures (bench/bench_gui_session.py).

Modal dialogs that a step opens (message boxes, input dialogs) are answered by
``answer`` callbacks or closed, and their texts recorded in ``dialogs``; progress dialogs
of running tasks are left alone. Qt warnings are recorded in ``warnings`` (a message handler).
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QEventLoop, QPoint, QPointF, Qt, QTimer, qInstallMessageHandler, QtMsgType
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox, QProgressDialog

#: platform-plugin notes that say what the offscreen/Xvfb platform cannot do, not a defect of ours
PLATFORM_NOTES = ("This plugin does not support propagateSizeHints()",)



def run_loop(ms: int) -> None:
    """Run the event loop for ``ms`` as the application does (``QEventLoop.exec`` lets other
    threads take the interpreter lock while it waits; ``QTest.qWait`` sleeps holding it, and a
    render thread reading rows from SQLite, which gives the lock up for every row, then crawled:
    the district's first map took 100 s under qWait, 3.5-4 s in the application's own loop)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

def thread_stacks() -> str:
    """Where every thread is now (for a wait that timed out: which worker is stuck, and on what)."""
    import sys
    import threading
    import traceback

    names = {t.ident: t.name for t in threading.enumerate()}
    out = []
    for ident, frame in sys._current_frames().items():
        out.append(f"--- thread {names.get(ident, ident)}\n" + "".join(traceback.format_stack(frame)[-12:]))
    return "\n".join(out)


class Heartbeat:
    """The event loop's longest gap: a precise timer ticking every ``interval_ms``."""

    def __init__(self, interval_ms: int = 5):
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0

    def gap(self) -> float:
        """Longest gap since ``reset``, counting the time since the last tick."""
        return max(self.longest, time.perf_counter() - self.last)

    def stop(self) -> None:
        self.timer.stop()


@dataclass
class Step:
    name: str
    gap: float = 0.0  # longest event-loop gap, seconds
    seconds: float = 0.0  # wall time of the step
    facts: dict = field(default_factory=dict)


class WorkingDay:
    """Drives one main window; ``step(name)`` measures a block of user actions."""

    def __init__(self):
        self.heartbeat = Heartbeat()
        self.steps: list[Step] = []
        self.dialogs: list[str] = []  # texts of the modal dialogs that appeared
        self.warnings: list[str] = []
        self.answer = None  # callable(dialog) -> True when it answered the dialog itself
        self._closer = QTimer()
        self._closer.setInterval(20)
        self._closer.timeout.connect(self._close_modal)
        self._old_handler = None
        self._current = ""  # the step running, named in the warnings

    # -- harness --------------------------------------------------------------------------------
    def start(self) -> None:
        self._old_handler = qInstallMessageHandler(self._qt_message)
        self.heartbeat.start()
        self._closer.start()

    def stop(self) -> None:
        self._closer.stop()
        self.heartbeat.stop()
        qInstallMessageHandler(self._old_handler)

    def _qt_message(self, kind, context, message) -> None:
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) \
                and message not in PLATFORM_NOTES:
            where = f" (in step: {self._current})" if self._current else ""
            self.warnings.append(f"{context.category}: {message}{where}")

    def _close_modal(self) -> None:
        w = QApplication.activeModalWidget()
        if w is None or isinstance(w, QProgressDialog):
            return  # a task's progress dialog: the task closes it
        if isinstance(w, QMessageBox):
            self.dialogs.append(w.text())
        elif isinstance(w, QInputDialog):
            self.dialogs.append(w.labelText())
        if self.answer is not None and self.answer(w):
            return
        if isinstance(w, QDialog):
            w.reject()
        else:
            w.close()

    @contextlib.contextmanager
    def step(self, name: str):
        """Measure the block: the longest event-loop gap and the wall time."""
        s = Step(name)
        QApplication.processEvents()
        self.heartbeat.reset()
        t = time.perf_counter()
        self._current = name
        try:
            yield s
        finally:
            self._current = ""
            s.seconds = time.perf_counter() - t
            s.gap = self.heartbeat.gap()
            self.steps.append(s)

    def wait(self, ms: int) -> None:
        run_loop(ms)

    def wait_until(self, done, timeout: float = 120.0, what: str = "") -> None:
        end = time.monotonic() + timeout
        while not done():
            if time.monotonic() > end:
                raise TimeoutError(f"waited {timeout:.0f} s for {what or done}\n{thread_stacks()}")
            run_loop(10)

    def table(self) -> list[tuple[str, float, float]]:
        """(step, longest gap s, wall s) per step."""
        return [(s.name, s.gap, s.seconds) for s in self.steps]

    # -- the day --------------------------------------------------------------------------------
    def open(self, path, *, size=(1600, 1000), language: str = "zh_CN"):
        from lzt.gui.app import make_app, open_main_window

        make_app(language)
        with self.step("window open"):
            win = open_main_window(path, language=language)
            win.resize(*size)
            win.show()
        self.win = win
        self.wait_map()
        return win

    def wait_map(self) -> None:
        c = self.win.canvas
        if not c.isVisible():  # behind another tab: it draws when it is shown again (not before)
            assert c._hidden_stale or c._image is not None
            return
        self.wait_until(lambda: c._image is not None and c._complete and c._image_extent == tuple(c.view_extent())
                        and not c._timer.isActive(), what="the map")

    def map_moves(self) -> None:
        """Wheel-zoom twice about a point, then pan by dragging."""
        c = self.win.canvas
        self.win.tool_actions["pan"].trigger()
        with self.step("map: zoom and pan"):
            at = QPointF(c.width() * 0.55, c.height() * 0.45)
            for _ in range(2):
                c.zoom(1.25, at)
                self.wait(60)
            a = QPoint(c.width() // 2, c.height() // 2)
            QTest.mousePress(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
            for i in range(1, 11):
                QTest.mouseMove(c, a + QPoint(8 * i, 5 * i))
                self.wait(15)
            QTest.mouseRelease(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a + QPoint(80, 50))
            self.wait_map()

    def identify(self, layer: str, x: float, y: float) -> dict:
        """Click a map point with the identify tool."""
        c = self.win.canvas
        self.win.tool_actions["identify"].trigger()
        with self.step("identify") as s:
            QTest.mouseClick(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             c.to_screen(x, y).toPoint())
            s.facts["title"] = self.win.identify.title.text()
        return s.facts

    def select_box(self, layer: str, box) -> np.ndarray:
        """Select the features of ``layer`` meeting a map box with the select tool."""
        c = self.win.canvas
        self.win.session.set_current(layer)
        self.win.tool_actions["select"].trigger()
        with self.step("select: box") as s:
            a, b = c.to_screen(box[0], box[3]).toPoint(), c.to_screen(box[2], box[1]).toPoint()
            QTest.mousePress(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
            QTest.mouseMove(c, (a + b) / 2)
            QTest.mouseMove(c, b)
            QTest.mouseRelease(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)
            self.wait(50)
            s.facts["selected"] = len(self.win.session.selection(layer))
        return self.win.session.selection(layer)

    def hover(self, moves: int = 20) -> None:
        """Move the mouse over the map (no button): the cursor readout follows."""
        c = self.win.canvas
        self.win.tool_actions["pan"].trigger()
        with self.step("mouse moves over the selection"):
            for i in range(moves):
                QTest.mouseMove(c, QPoint(int(c.width() * (0.2 + 0.6 * i / moves)), int(c.height() * 0.5)))
                self.wait(10)

    def open_table(self, layer: str) -> None:
        with self.step(f"open the {layer} table"):
            self.win.show_table(layer)
            self.wait(20)

    def filter_table(self, layer: str, expression: str) -> int:
        t = self.win.table
        self.win.show_table(layer)
        with self.step("table filter") as s:
            t.filter.setText(expression)
            QTest.keyClick(t.filter, Qt.Key.Key_Return)
            self.wait(20)
            s.facts["rows"] = t.model.rowCount()
        return s.facts["rows"]

    def select_all_rows(self) -> int:
        t = self.win.table
        with self.step("Ctrl+A in the table") as s:
            t.view.setFocus()
            QTest.keyClick(t.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            self.wait(50)
            s.facts["selected"] = len(self.win.session.selection(t.model.layer))
        return s.facts["selected"]

    def query(self, layer: str, predicate: str, other: str, other_where: str, where: str) -> int | None:
        """The 查询 panel: ``predicate`` is the label shown in the combo box."""
        q = self.win.query
        self.win.docks["query"].show()
        self.win.docks["query"].raise_()
        with self.step("query") as s:
            q.layer.setCurrentText(layer)
            q.predicate.setCurrentIndex(predicate) if isinstance(predicate, int) else q.predicate.setCurrentText(predicate)
            q.against.setCurrentText(other)
            q.other_where.setText(other_where)
            q.where.setText(where)
            n = q.run()
            self.wait(20)
            s.facts["found"] = n
            s.facts["message"] = q.message.text()
        return n

    def style(self, layer: str, field_name: str) -> int:
        from lzt.gui.dialogs.style_editor import StyleEditor

        with self.step("style: categorize and save") as s:
            ed = StyleEditor(self.win.session, layer, self.win)
            ed.kind.setCurrentIndex(ed.kind.findData("categorized"))
            ed.cat_field.setCurrentText(field_name)
            s.facts["classes"] = ed.classify()
            ed.save()
            self.wait(20)
        self.wait_map()
        return s.facts["classes"]

    def supervision(self) -> str:
        """Open 批后监管 (the first time: the checks run) and show the first failing parcel."""
        win = self.win
        with self.step("first 批后监管") as s:
            win.tabs.setCurrentWidget(win.bench)
            self.wait_until(lambda: len(win.bench.checks) > 0 and not getattr(win.bench, "busy", False),
                            what="the supervision checks")
            self.wait(20)
        b = win.bench
        frame = b.list_model.frame
        fails = frame.index[frame["verdict"].astype(str).isin(["不通过", "FAIL"])]
        row = int(fails[0]) if len(fails) else 0
        with self.step("supervision: show a parcel") as s:
            b.list_view.selectRow(row)
            self.wait(20)
            self.wait_until(lambda: not b.complaints_busy, what="the nearby complaints")
            s.facts["parcel"] = b.current
        return b.current

    def conflicting_inspection(self, colleague_edit) -> dict:
        """Queue an inspection, let a colleague change the parcel (``colleague_edit(parcel_id)``),
        then save: the save is refused and the conflict panel shows theirs beside mine; the
        user then clicks 重新应用 and the record is saved on the current version."""
        b = self.win.bench
        b.tabs.setCurrentIndex(b.tabs.count() - 1)
        pid = b.current
        before = len(self.dialogs)
        with self.step("supervision: a conflicting save") as s:
            b.f_inspector.setText("刘工")
            b.f_result.setCurrentIndex(1)
            s.facts["queued"] = b.add_pending()
            colleague_edit(pid)
            QTest.mouseClick(b.save_button, Qt.MouseButton.LeftButton)
            self.wait(100)
            s.facts["saved"] = len(b.pending) == 0
            s.facts["panel"] = b.conflict_box.isVisible()
            t = b.conflict_table
            s.facts["rows"] = [tuple(t.item(i, j).text() if t.item(i, j) else "" for j in range(t.columnCount()))
                               for i in range(t.rowCount())]
            s.facts["conflict_text"] = b.conflict_text.text()
            s.facts["message"] = b.form_message.text()
            s.facts["parcel"] = pid
        with self.step("supervision: re-apply after the conflict"):
            QTest.mouseClick(b.reapply_button, Qt.MouseButton.LeftButton)
            self.wait(100)
            s.facts["after_panel"] = b.conflict_box.isVisible()
            s.facts["after_message"] = b.form_message.text()
            s.facts["after_pending"] = len(b.pending)
        s.facts["dialogs"] = self.dialogs[before:]
        return s.facts

    def dashboard(self, steps: int = 4) -> list:
        win = self.win
        d = win.dashboard
        with self.step("first 民意看板"):
            win.tabs.setCurrentWidget(d)
            self.wait_until(lambda: d.loaded and not d.busy, what="the dashboard")
        windows = []
        d.span.setCurrentIndex(2)  # 3 months
        self.wait_until(lambda: not d.busy, what="the dashboard")
        for i in range(steps):
            with self.step(f"民意看板 time-window step {i + 1}"):
                d.slider.setValue(max(0, d.slider.value() - 1))
                self.wait(30)
                self.wait_until(lambda: not d.busy, what="the dashboard")
                self.wait_map()
            windows.append(win.session.time_range)
        return windows

    def view3d(self) -> dict:
        win = self.win
        v = win.view3d
        with self.step("first 三维 (scene built in a worker)") as s:
            win.tabs.setCurrentWidget(v)
            self.wait_until(lambda: v.plotter is not None or v.error is not None, timeout=300, what="the 3D scene")
            self.wait(50)
            s.facts["error"] = v.error
        if v.plotter is None:
            return s.facts
        facts = v.scene.facts
        tallest = max(facts, key=lambda f: facts[f].get("height_m") or 0)
        win.session.select("bim_models", [tallest])  # the view flies to it
        self.wait(100)
        self.wait_until(lambda: not getattr(v, "busy", False), what="the 3D fly-to")
        with self.step("三维 pick") as s:
            centre = QPoint(v.width() // 2, v.height() // 2)
            QTest.mouseClick(v, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
            self.wait(50)
            self.wait_until(lambda: not getattr(v, "busy", False), what="the 3D pick")
            s.facts["picked"] = (win.identify.title.text(), v.info)
        return s.facts

    def export_map_dialog(self, out=None) -> dict:
        """Open 导出地图 (the preview renders) and, with ``out``, export the sheet."""
        from lzt.gui.dialogs.sheet import SheetDialog

        win = self.win
        win.tabs.setCurrentWidget(win.canvas)
        with self.step("open 导出地图 (preview)") as s:
            dlg = SheetDialog(win.session, win.canvas, win)
            dlg.update_preview()
            dlg.show()
            self.wait_until(lambda: dlg.preview.pixmap() is not None and not dlg.preview.pixmap().isNull()
                            or bool(dlg.message.text()), what="the sheet preview")
            s.facts["preview"] = dlg.preview.pixmap() is not None and not dlg.preview.pixmap().isNull()
            s.facts["message"] = dlg.message.text()
        if out is not None:
            dlg.out.setText(str(out))
            dlg.dpi.setValue(72)
            with self.step("export the map sheet") as s:
                s.facts["ok"] = dlg.run()
        dlg.close()
        return s.facts

    def export_layer(self, layer: str, out) -> dict:
        from lzt.gui.dialogs.export import ExportDialog

        with self.step("export a layer") as s:
            dlg = ExportDialog(self.win.session, layer, self.win)
            dlg.path.setText(str(out))
            s.facts["ok"] = dlg.run()
            s.facts["summary"] = getattr(dlg, "summary", "")
        return s.facts
