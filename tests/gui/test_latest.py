"""lzt.gui.latest: only the newest request is computed and shown, and its outcome, whatever the
work raised, always reaches the GUI thread (``busy`` clears)."""

from __future__ import annotations

import threading

import pytest


class Died(BaseException):
    """Not an ``Exception``: what an ``except Exception`` in a worker does not catch."""


def _latest(qtbot, done, failed):
    from PySide6.QtWidgets import QWidget

    from lzt.gui.latest import Latest

    owner = QWidget()
    qtbot.addWidget(owner)
    latest = Latest("test", done.append, failed.append, owner)
    latest.owner = owner  # the widget lives as long as the test holds its worker
    return latest


def test_only_the_newest_request_is_computed_and_delivered(qtbot):
    done, failed, ran = [], [], []
    latest = _latest(qtbot, done, failed)
    gate = threading.Event()

    def work(n):
        ran.append(n)
        if n == 0:
            gate.wait(10)  # the first request is still running when the next ones come
        return sum(range(n))

    latest.submit(work, 0)
    qtbot.waitUntil(lambda: ran == [0])
    latest.submit(work, 10)  # queued, then superseded before it starts: never runs
    latest.submit(work, 1000)
    assert latest.busy
    gate.set()
    qtbot.waitUntil(lambda: not latest.busy, timeout=10_000)
    assert ran == [0, 1000] and done == [sum(range(1000))] and failed == []
    latest.shutdown()


@pytest.mark.parametrize("error", [Died("worker died"), ValueError("bad value")])
def test_any_failure_reaches_the_gui_thread_and_busy_clears(qtbot, error):
    done, failed = [], []
    latest = _latest(qtbot, done, failed)

    def work():
        raise error

    latest.submit(work)
    qtbot.waitUntil(lambda: not latest.busy, timeout=10_000)
    assert done == [] and failed == [error]
    assert error.__traceback__ is None  # the message only: no worker frames travel with it
    latest.shutdown()


def test_after_shutdown_nothing_is_submitted_and_nothing_stays_busy(qtbot):
    done, failed = [], []
    latest = _latest(qtbot, done, failed)
    latest.shutdown()
    assert latest.submit(lambda: 1) is False and not latest.busy
