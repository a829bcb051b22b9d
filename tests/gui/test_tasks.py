"""run_task leaves nothing its work built to Python's cyclic collector.

The collector frees what it finds on whatever thread happens to collect, usually the GUI thread
while other workers paint; clean CI runs crashed in such collections. So whatever the outcome
(a result, a cancel, bad input, a programming error), the work's painters and images must be
freed by reference counting by the time run_task is done, and the task's own worker object too.
The cyclic collector is off during each test, so anything left in a cycle stays visible.
"""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtGui import QImage, QPainter

from lzt.core.errors import CancelledError, LztInputError
from lzt.gui import tasks


class _Bug(ValueError):
    """A programming error (one that a weak reference can watch)."""


@pytest.fixture
def no_collector():
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    yield
    if was:
        gc.enable()


def _painting_work(made: list, outcome: str):
    """A work that paints into an image (as a sheet or a scene texture does), then ends as told."""

    def work(fb):
        img = QImage(64, 64, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        painter = QPainter(img)
        painter.drawLine(0, 0, 63, 63)
        painter.end()
        made.extend([weakref.ref(img), weakref.ref(painter)])
        fb.progress(1, 1, "画")
        if outcome == "cancel":
            raise CancelledError("cancelled")
        if outcome == "input":
            raise LztInputError("/tmp/x.pdf", "cannot write")
        if outcome == "bug":
            raise _Bug("a programming error")
        return img.width()

    return work


def _workers() -> list:
    return [o for o in gc.get_objects() if isinstance(o, tasks._Worker)]


@pytest.mark.parametrize("outcome", ["result", "cancel", "input"])
def test_what_the_work_built_is_freed_when_run_task_returns(outcome, no_collector, errors):
    made: list = []
    ok, value = tasks.run_task(None, "出图", _painting_work(made, outcome))
    assert ok == (outcome == "result")
    if outcome == "result":
        assert value == 64
    if outcome == "input":  # the error is shown and returned, its traceback still readable
        assert isinstance(value, LztInputError) and errors
        assert value.__traceback__ is not None
    assert len(made) == 2 and all(ref() is None for ref in made)  # freed although ``value`` lives
    del value
    assert _workers() == []


def test_a_programming_error_is_raised_with_its_traceback_and_no_cycle(no_collector):
    made: list = []
    with pytest.raises(_Bug, match="a programming error") as info:
        tasks.run_task(None, "出图", _painting_work(made, "bug"))
    names = []
    tb = info.value.__traceback__
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    assert "work" in names  # where it went wrong is still reported
    assert all(ref() is None for ref in made)
    error = weakref.ref(info.value)
    del info
    assert error() is None  # no cycle through run_task's frame keeps the error (and its frames)
    assert _workers() == []


def test_import_apart_imports_on_a_thread_of_its_own():
    import sys

    tasks.import_apart("json", "lzt_no_such_module_for_the_test")  # a missing module is left to the work
    assert "json" in sys.modules and "lzt_no_such_module_for_the_test" not in sys.modules


def _fail_while_painting(made: list) -> None:
    img = QImage(32, 32, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(img)
    made.extend([weakref.ref(img), weakref.ref(painter)])
    painter.end()
    try:
        {}["page"]
    except KeyError as exc:
        raise LztInputError("/tmp/x.png", "cannot write") from exc


def test_an_error_handed_over_with_its_message_only_frees_the_work_in_the_worker(no_collector):
    """The sheet preview's and the dashboard's workers hand their error to the GUI thread as a
    signal argument: with message_only, nothing of the work rides along or waits in a cycle."""
    import threading

    made: list = []
    out: dict = {}

    def work():  # the shape of SheetDialog.update_preview's work
        try:
            _fail_while_painting(made)
        except LztInputError as exc:
            result = tasks.message_only(exc)
        out["result"] = result

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert len(made) == 2 and all(ref() is None for ref in made)
    error = out["result"]
    assert "cannot write" in str(error) and error.__traceback__ is None and error.__cause__ is None
