"""Cyclic garbage collections run on the GUI thread only (lzt.gui.gc_thread).

The reproduction of the suggestion build's crash: a plain Python thread allocates heavily
(building lists and cycles, as the suggestion index did) while the map's render workers paint
view after view. Before, the interpreter ran collections on that thread and on the render
workers (whoever crossed the allocation threshold), freeing whatever cycles it found there;
now every collection is on the GUI thread, which still collects the garbage the reading
thread left.
"""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from lzt.gui import gc_thread


class _Node:
    """A cycle member a weak reference can watch."""

    def __init__(self):
        self.me = self


@pytest.fixture
def collections():
    """The names of the threads that started a cyclic collection during the test."""
    seen: list[str] = []

    def note(phase, _info):
        if phase == "start":
            seen.append(threading.current_thread().name)

    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


def _allocate(rounds: int) -> None:
    """Heavy allocation with cycles (tuples, lists, strings, self-referring objects)."""
    for _ in range(rounds):
        rows = [(str(i), i, [i]) for i in range(20_000)]
        for _ in range(2_000):
            _Node()
        del rows


def test_reading_thread_beside_map_renders_collects_on_gui_thread(main_window, qtbot, collections):
    canvas = main_window.canvas
    assert canvas.wait_rendered()
    reader = threading.Thread(target=_allocate, args=(60,), name="lzt-test-reader", daemon=True)
    reader.start()
    zooms = 0
    while reader.is_alive() or zooms < 6:  # views drawn by the render worker while the thread allocates
        canvas.zoom(1.6 if zooms % 2 == 0 else 1 / 1.6)
        assert canvas.wait_rendered(60_000)
        zooms += 1
    reader.join()
    # the 120,000 cycles the thread left are collected all the same, by the GUI thread
    qtbot.waitUntil(lambda: gc.get_count()[0] <= gc.get_threshold()[0], timeout=30_000)
    main_thread = threading.main_thread().name
    assert collections and set(collections) == {main_thread}
    assert not gc.isenabled()  # the application collects from its own thread


def test_held_delays_collections(main_window):
    assert main_window.canvas.wait_rendered()  # no worker freeing objects meanwhile
    gc.collect()
    ref = weakref.ref(_Node())
    keep = [[] for _ in range(2 * gc.get_threshold()[0])]  # a collection due
    with gc_thread.held():
        assert gc_thread.collect_due() is None
        assert ref() is not None
    assert gc_thread.collect_due() is not None
    assert ref() is None
    del keep


class _Ticking:
    """A GUI-thread object holding a running Qt timer, left in a cycle."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.start()
        self.me = self


def test_cycle_with_gui_timer_survives_allocating_thread(main_window, qtbot, collections):
    """Before: the allocating thread's collection destroyed the running timers off their thread
    (Qt: "Timers cannot be stopped from another thread") and the event loop crashed on the next
    tick (a segfault in the GUI thread's event loop: 3 crashes in 3 runs before, 0 after)."""
    assert main_window.canvas.wait_rendered()
    for _ in range(50):
        _Ticking()
    reader = threading.Thread(target=_allocate, args=(10,), name="lzt-test-reader", daemon=True)
    reader.start()
    reader.join()
    qtbot.wait(500)  # the timers tick (a freed one would crash here)
    qtbot.waitUntil(lambda: gc.get_count()[0] <= gc.get_threshold()[0], timeout=30_000)
    assert "lzt-test-reader" not in collections


_FREEZE_CHECK = """
import gc, sys
if sys.argv[1] == "before":
    import pyvista.plotting  # imported by something else first: frozen all the same
from lzt.gui.tasks import import_apart
import_apart("pyvista.plotting", freeze=True)
import pyvista.plotting
work = [object(), {}]  # what the work makes after the import
tracked = {id(o) for o in gc.get_objects()}  # the permanent (frozen) generation is not listed
f = pyvista.plotting.Plotter.__init__
assert gc.is_tracked(f) and id(f) not in tracked, "the import is not frozen"
assert id(work) in tracked, "the work's objects are frozen"
assert gc.get_freeze_count() > 50_000
print("ok")
"""


@pytest.mark.parametrize("first", ["apart", "before"])
def test_the_3d_import_is_frozen_out_of_the_collections_and_the_work_is_not(first):
    """``import_apart(..., freeze=True)`` freezes what the import made (so the GUI thread's first
    collections after the 三维 build do not traverse it) right after it, before the work has
    made anything; in a fresh interpreter, as on the first 三维 visit."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": root, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", _FREEZE_CHECK, first], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr[-2000:]
