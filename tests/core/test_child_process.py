"""run_in_child: result and progress from a spawned process, errors in one line, cancel."""

from __future__ import annotations

import threading
import time

import pytest

from lzt.core.child_process import run_in_child
from lzt.core.errors import CancelledError, LztInputError
from lzt.core.feedback import Feedback


def square_sum(n: int, fb: Feedback) -> int:
    total = 0
    for i in range(n):
        total += i * i
        fb.progress(i + 1, n, f"step {i}")
    return total


def bad_input(name: str, fb: Feedback) -> None:
    raise LztInputError(name, "no such layer\nsecond line")


def broken(fb: Feedback) -> None:
    raise KeyError("boom")


def forever(flag_file: str, fb: Feedback) -> None:
    fb.progress(0, 1, "started")
    while True:
        time.sleep(0.05)


def test_result_and_progress_cross_from_the_child():
    seen = []
    fb = Feedback(lambda d, t, m: seen.append((d, t, m)))
    assert run_in_child(square_sum, (7,), fb) == sum(i * i for i in range(7))
    assert seen == [(i + 1, 7, f"step {i}") for i in range(7)]


def test_bad_input_in_the_child_is_the_same_one_line_error():
    with pytest.raises(LztInputError) as info:
        run_in_child(bad_input, ("x.gpkg",))
    assert info.value.source == "x.gpkg" and info.value.problem == "no such layer second line"


def test_a_programming_error_stays_loud_with_the_childs_traceback():
    with pytest.raises(RuntimeError, match="KeyError: 'boom'") as info:
        run_in_child(broken, ())
    assert "in broken" in str(info.value)


def test_cancel_stops_the_child():
    fb = Feedback(lambda d, t, m: threading.Timer(0.1, fb.cancel).start())
    with pytest.raises(CancelledError):
        run_in_child(forever, ("",), fb)


def mark_after_a_second(marker: str, fb: Feedback) -> None:
    fb.progress(0, 1, "started")
    time.sleep(1.0)
    with open(marker, "w") as f:
        f.write("still working")
    while True:
        time.sleep(0.05)


def test_leaving_early_stops_the_child(tmp_path):
    """An exception in the parent while it waits (Ctrl-C, a progress callback raising) ends the
    child at once; it used to run on for up to 5 s (the join before the kill)."""
    marker = tmp_path / "marker"

    def interrupted(done, total, message):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_in_child(mark_after_a_second, (str(marker),), Feedback(interrupted))
    time.sleep(2.0)
    assert not marker.exists(), "the child went on working after the parent left"
