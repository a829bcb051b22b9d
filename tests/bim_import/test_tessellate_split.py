"""One model tessellated by the reader and forks of it: the same triangles, handed on in the same
order, as one process makes, whatever a helper does."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

pytest.importorskip("ifcopenshell")

from bim_import import fork_pipes, tessellate_split  # noqa: E402
from bim_import.ifc import open_ifc  # noqa: E402
from bim_import.tessellate import KERNELS, _expected, _shapes, tessellate_model  # noqa: E402
from bim_import.tessellate_split import chunk_bounds, split_shapes  # noqa: E402

pytestmark = pytest.mark.skipif(not fork_pipes.CAN_FORK, reason="readers fork only on Linux")
KERNEL = KERNELS[0]


@pytest.fixture(scope="module")
def tower(tmp_path_factory):
    """A generated 20-storey model: 101 elements (slabs and walls), 13 chunks of 8."""
    from lzt.demo.bim import BuildingPlan, write_ifc

    plan = BuildingPlan(file="t.ifc", parcel_id="P1", landuse_code="R2", origin=(500000.0, 2500000.0),
                        rotation_deg=20.0, width_m=30.0, depth_m=14.0, storeys=20, storey_height_m=3.0,
                        height_limit_m=80.0, far_limit=3.0, breaks="")
    model = open_ifc(write_ifc(plan, tmp_path_factory.mktemp("split") / "t.ifc"))
    return model, _shapes(model, KERNEL, 1)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(tessellate_split, "CHUNK_MIN", 8)


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(
        a[k][0] == b[k][0] and np.array_equal(a[k][1], b[k][1]) and np.array_equal(a[k][2], b[k][2]) for k in a)


def _of(model):
    return lambda include: _shapes(model, KERNEL, 1, include=include)


def _split(model, helpers, with_counts=False):
    handed = []
    split = split_shapes(_of(model), _expected(model), helpers, lambda *s: handed.append(s))
    return (split.shapes, split.note, handed) + ((split.by_helpers,) if with_counts else ())


@pytest.mark.parametrize("helpers", [1, 3])
def test_the_forks_make_what_one_process_makes(tower, small_chunks, helpers):
    model, alone = tower
    assert len(chunk_bounds(len(_expected(model)), helpers + 1)) >= 4
    shapes, note, handed = _split(model, helpers)
    assert note == "" and _same(shapes, alone)
    # handed on in STEP id order: each element once, its own triangles
    assert [id(s[1]) for s in handed] == [id(shapes[k][1]) for k in sorted(shapes)]


def test_chunks_cover_every_element_once():
    for n in (0, 1, 31, 64, 101, 2636, 50_000):
        for processes in (2, 3, 8):
            bounds = chunk_bounds(n, processes)
            assert [a for a, _ in bounds] == [0, *(b for _, b in bounds)][:len(bounds)]
            assert (bounds[-1][1] if bounds else 0) == n and all(a < b for a, b in bounds)
            assert all(b - a >= tessellate_split.CHUNK_MIN for a, b in bounds[:-1])
            if n >= 64 * processes:
                assert len(bounds) >= 4 * processes  # small enough for the processes to end together


def _in_a_helper(reader: int) -> bool:
    return os.getpid() != reader


def test_a_helper_that_crashes_leaves_its_chunk_to_the_reader(tower, small_chunks, monkeypatch):
    model, alone = tower
    reader, real = os.getpid(), tessellate_split._tessellate_chunk

    def crashing(shapes_of, chunk):
        if _in_a_helper(reader):
            os.kill(os.getpid(), signal.SIGKILL)  # as a kernel crash would
        return real(shapes_of, chunk)

    monkeypatch.setattr(tessellate_split, "_tessellate_chunk", crashing)
    shapes, note, handed = _split(model, 2)
    assert _same(shapes, alone) and len(handed) == len(alone)


def test_a_helper_that_fails_says_why_and_the_reader_does_its_chunk(tower, small_chunks, monkeypatch):
    model, alone = tower
    reader, real = os.getpid(), tessellate_split._tessellate_chunk

    def failing(shapes_of, chunk):
        if _in_a_helper(reader):
            raise RuntimeError("kernel said no")
        return real(shapes_of, chunk)

    monkeypatch.setattr(tessellate_split, "_tessellate_chunk", failing)
    shapes, note, _ = _split(model, 1)
    assert _same(shapes, alone) and "kernel said no" in note


def test_a_silent_helper_is_stopped_and_its_chunk_done_here(tower, small_chunks, monkeypatch):
    model, alone = tower
    reader, real = os.getpid(), tessellate_split._tessellate_chunk

    def hanging(shapes_of, chunk):
        if _in_a_helper(reader):
            time.sleep(3600)
        return real(shapes_of, chunk)

    monkeypatch.setattr(tessellate_split, "_tessellate_chunk", hanging)
    monkeypatch.setattr(tessellate_split, "WAIT_S", 1.0)
    shapes, note, _ = _split(model, 1)
    assert _same(shapes, alone) and "no answer" in note


def test_tessellate_model_with_helpers_is_the_same_tessellation(tower, small_chunks):
    model, _ = tower
    a, b = tessellate_model(model, KERNEL), tessellate_model(model, KERNEL, helpers=1)
    assert np.array_equal(a.vertices, b.vertices) and np.array_equal(a.faces, b.faces)
    assert np.array_equal(a.face_element, b.face_element) and a.element_ids == b.element_ids


def test_real_models_the_same_with_helpers(real_data):
    for name in ("Duplex_A_20110907_georeferenced.ifc", "AC20-FZK-Haus.ifc"):
        model = open_ifc(real_data / "ifc" / name)
        alone = _shapes(model, KERNEL, 1)
        shapes, note, _ = _split(model, 1)
        assert note == "" and _same(shapes, alone), name


def test_the_helpers_do_their_share(tower, small_chunks, monkeypatch):
    """The reader waits (up to a minute) for a helper's first chunk before it does its own: then
    some chunks must have come from a helper."""
    model, alone = tower
    reader, real = os.getpid(), tessellate_split._tessellate_chunk
    helped = tessellate_split._Helpers.start

    def start(self, *args):
        helped(self, *args)
        waiting.append(self)

    def after_a_helper(shapes_of, chunk):
        if not _in_a_helper(reader):
            deadline = time.monotonic() + 60
            while not waiting[0].by_helpers and time.monotonic() < deadline:
                time.sleep(0.01)
        return real(shapes_of, chunk)

    waiting = []
    monkeypatch.setattr(tessellate_split._Helpers, "start", start)
    monkeypatch.setattr(tessellate_split, "_tessellate_chunk", after_a_helper)
    shapes, note, _, by_helpers = _split(model, 1, with_counts=True)
    assert _same(shapes, alone) and note == "" and by_helpers > 0


def test_the_helpers_are_reaped(tower, small_chunks, monkeypatch):
    model, _ = tower
    forked, fork = [], fork_pipes.fork_child

    def recording():
        pid = fork()
        forked.append(pid)
        return pid

    monkeypatch.setattr(tessellate_split, "fork_child", recording)
    _split(model, 2)
    assert len(forked) == 2
    for pid in forked:
        with pytest.raises(ChildProcessError):  # reaped: no such child any more
            os.waitpid(pid, os.WNOHANG)


def test_a_fork_that_fails_leaves_the_work_to_the_reader(tower, small_chunks, monkeypatch):
    model, alone = tower

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(tessellate_split, "fork_child", no_fork)
    shapes, note, _ = _split(model, 2)
    assert _same(shapes, alone) and "fork" in note


def test_a_small_model_or_no_helper_is_not_split(tower):
    model, _ = tower
    assert split_shapes(_of(model), _expected(model), 0) is None
    assert split_shapes(_of(model), _expected(model)[:63], 1) is None  # fewer than two chunks of 32



def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_helpers_die_with_a_reader_that_is_killed(tower, small_chunks, monkeypatch, tmp_path):
    """The pool kills a reader that takes too long: its helpers, stuck in the same file, must not
    tessellate on for nobody."""
    model, _ = tower
    started = tmp_path / "started"

    def stuck(shapes_of, chunk):
        with open(started, "a") as f:
            f.write(f"{os.getpid()}\n")
        time.sleep(3600)

    monkeypatch.setattr(tessellate_split, "_tessellate_chunk", stuck)
    reader = os.fork()
    if reader == 0:
        try:
            split_shapes(_of(model), _expected(model), 2)
        finally:
            os._exit(0)
    deadline = time.monotonic() + 60
    while (not started.exists() or len(started.read_text().split()) < 3) and time.monotonic() < deadline:
        time.sleep(0.01)
    pids = [int(p) for p in started.read_text().split()]
    assert reader in pids and len(pids) == 3  # the reader and both helpers at work
    os.kill(reader, signal.SIGKILL)
    os.waitpid(reader, 0)
    helpers = [p for p in pids if p != reader]
    while any(_alive(p) for p in helpers) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(_alive(p) for p in helpers)
