"""Long work from the GUI: run in a worker thread behind a progress dialog, errors as dialogs.

The work function gets a ``Feedback`` (progress + cancel; it calls ``check()`` between
steps so that a cancel stops it). It opens its own workspace connection
(``open_workspace(ws.uri)``) when it writes; reading through the GUI's workspace is safe
(both backends serialise access with a lock), and the main window refuses to close while
a task runs (``tasks_running``). ``LztInputError`` and ``ConflictError`` become a dialog
naming the file and the problem; cancelling leaves the workspace as it was. The dialog is
window-modal, so no second task starts from the same window while one runs.

What the work builds (painters, images, VTK meshes) is freed by reference counting where it
belongs, never left to Python's cyclic collector, which would free it later on whatever
thread happens to collect (usually the GUI thread, while other workers paint): the worker
object holds no reference cycle, a failed work's frames are cleared in the worker before
its error crosses to the GUI thread, and re-raising that error here leaves no cycle
through this function's frame.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from lzt.core.errors import CancelledError, ConflictError, LztInputError
from lzt.core.feedback import Feedback
from lzt.gui.gc_thread import held


class _Receiver(QObject):
    """Lives in the GUI thread, so the worker's signals reach the dialog through the event loop."""

    def __init__(self, on_progress, on_finished):
        super().__init__()
        self._on_progress, self._on_finished = on_progress, on_finished

    @Slot(int, int, str)
    def progress(self, done: int, total: int, message: str) -> None:
        self._on_progress(done, total, message)

    @Slot(object, object)
    def finished(self, result, error) -> None:
        self._on_finished(result, error)


class _Worker(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object, object)  # result, error

    def __init__(self, fn: Callable[[Feedback], Any]):
        super().__init__()
        self.fn = fn
        # the signal's own emit (it refers to this object weakly): a lambda over ``self`` made
        # worker -> feedback -> lambda -> worker, a cycle only the collector could free
        self.feedback = Feedback(self.progressed.emit)

    def run(self) -> None:
        try:
            result = self.fn(self.feedback)
        except BaseException as exc:  # handed to the GUI thread, shown or re-raised there
            _clear_frames(exc)
            self.finished.emit(None, exc)
        else:
            self.finished.emit(result, None)


def _clear_frames(exc: BaseException) -> None:
    """Drop the local variables of the finished frames in ``exc``'s traceback (and in those of
    its causes), here in the worker: the painters, images and meshes they hold are freed now,
    on this thread, instead of travelling with the error to the GUI thread. File names and line
    numbers stay for the report."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)  # the running frame (``run``) is skipped
        exc = exc.__cause__ or exc.__context__


_running = 0


def tasks_running() -> int:
    """How many ``run_task`` calls are in progress (the main window waits for them to close)."""
    return _running


def run_task(parent: QWidget | None, title: str, fn: Callable[[Feedback], Any], *,
             show_errors: bool = True) -> tuple[bool, Any]:
    """Run ``fn(feedback)`` in a thread with a modal progress dialog; returns (ok, result).

    Bad input and conflicts are shown in a message box (``show_errors``) and give
    ``(False, error)``; a cancel gives ``(False, None)``; programming errors re-raise.
    """
    from lzt.gui.labels import step_label
    from lzt.render import qt_types

    qt_types.ready()  # the work may paint (a sheet, a report) while a map renders
    # Qt's own word for the button (qtbase's translations: 取消 in the Chinese UI)
    dialog = QProgressDialog(title, QCoreApplication.translate("QProgressDialog", "Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)  # starts the minimum-duration timer: shown after 300 ms, not Qt's 4 s
    thread = QThread()
    worker = _Worker(fn)
    worker.moveToThread(thread)
    outcome: dict[str, Any] = {}

    def on_progress(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if message:
            dialog.setLabelText(f"{title}\n{step_label(message)}")

    def on_finished(result, error) -> None:
        outcome.update(result=result, error=error, done=True)
        thread.quit()

    receiver = _Receiver(on_progress, on_finished)
    worker.progressed.connect(receiver.progress)
    worker.finished.connect(receiver.finished)
    dialog.canceled.connect(worker.feedback.cancel)
    thread.started.connect(worker.run)
    global _running
    _running += 1
    # No cyclic garbage collection while the worker runs: twice on a clean CI machine the
    # interpreter crashed in a collection here while the worker built Qt/VTK objects (the sheet
    # render, the 3D scene). Collections resume, on this thread, when it is done (gc_thread).
    try:
        with held():
            thread.start()
            while not outcome.get("done"):
                QApplication.processEvents()
                thread.wait(15)
            thread.wait()
    finally:
        _running -= 1
    dialog.close()
    error, result = outcome.pop("error", None), outcome.pop("result", None)
    if error is None:
        return True, result
    if isinstance(error, CancelledError):
        return False, None
    if isinstance(error, (LztInputError, ConflictError)):
        if show_errors:
            show_error(parent, title, error)
        return False, error
    try:
        raise error
    finally:  # the traceback holds this frame: no local of it may hold the error (a cycle)
        del error


def message_only(exc: BaseException) -> BaseException:
    """``exc`` without its traceback and chained errors, for a worker thread to hand to the GUI
    when only the message is shown: their frames hold what the work built (a sheet's painter
    and image) and, with the worker's own frame holding ``exc``, make a cycle that the
    collector would free later, on another thread."""
    exc.__traceback__ = None
    exc.__cause__ = exc.__context__ = None
    return exc


def import_apart(*modules: str, freeze: bool = False) -> None:
    """Import ``modules`` (the heavy ones a work imports lazily, e.g. ``pyvista.plotting``) on a
    short-lived thread of their own and wait for it. Some imports leave reference cycles that
    hold the importing stack's frames (matplotlib's, under pyvista.plotting); imported from deep
    in a work, those frames keep the work's meshes and images for the cyclic collector, which
    frees them later on another thread. Here they hold nothing of the work's.
    ``freeze``: ``freeze_imported()`` right after the import, on that thread, before the work
    has made anything (also when the modules were imported before)."""
    import importlib
    import sys
    import threading

    missing = [m for m in modules if m not in sys.modules]
    if not missing:
        if freeze:
            freeze_imported()
        return

    def load() -> None:
        try:
            for name in missing:
                importlib.import_module(name)
        except ImportError:  # the work's own import says it, in its own words
            return
        if freeze:
            freeze_imported()

    t = threading.Thread(target=load, name="lzt-import", daemon=True)
    t.start()
    t.join()


def freeze_imported() -> None:
    """Keep what a heavy import made (pyvista, matplotlib, VTK's modules: ~140,000 objects that
    live as long as the process) out of the cyclic collector's generations, once per process.
    The GUI thread runs the collections (``gc_thread``), held while a task works, so its first
    ones after the 三维 scene's build traversed them all: 0.25-0.6 s with the window frozen,
    for nothing. Called right after the import, so that what is frozen is the import's (and
    what the process held already), not the work's meshes; frozen objects are still freed by
    reference counting, only reference cycles among them would stay."""
    import gc

    if not getattr(freeze_imported, "done", False):
        freeze_imported.done = True
        gc.freeze()


def run_on_workspace(parent: QWidget | None, title: str, uri: str, fn: Callable[[Any, Feedback], Any]
                     ) -> tuple[bool, Any]:
    """``run_task`` of ``fn(ws, feedback)`` on a workspace connection of its own (opened and closed
    in the worker), for work that writes or reads at length."""
    def work(fb: Feedback):
        from lzt.workspace import open_workspace

        ws = open_workspace(uri)
        try:
            return fn(ws, fb)
        finally:
            ws.close()

    return run_task(parent, title, work)


def show_error(parent: QWidget | None, title: str, error: BaseException) -> None:
    """A dialog with the one-line error in the user's language (never a traceback)."""
    from lzt.gui.messages import user_message

    text = user_message(error)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("lzt-error")
    box.exec()
