"""Read IFC models in worker processes, one per core.

Each worker does the whole read of a file (parse, facts, tessellation, footprint, levels, GFA:
``read_ifc_model(..., in_process=True)``) and sends the ``BimModel`` back pickled, so the
calling process never loads ifcopenshell's geometry code, which can crash on a broken file.
A worker that dies takes only its file down: the file is read again with the safe geometry
library (``SAFE_KERNEL``) in a fresh worker, and reported as failed if that crashes too.
Results come back in the order of the jobs, whatever the order the workers finish in.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bim_import.tessellate import DEFAULT_TIMEOUT, SAFE_KERNEL, _child_env, crash_reason, kernel_from_env
from lzt.core.errors import CancelledError, LztInputError

WORKERS_ENV = "LZT_IFC_WORKERS"
#: most forks tessellating one file beside its reader (measured on 2 cores only: 1 helper
#: 4.7 s, 3 helpers 6.0 s against 7.8 s alone for the largest real model)
MAX_HELPERS = 3


def available_cores() -> int:
    """The cores this process may run on: its CPU affinity, within a cgroup's CPU quota if any
    (a container given 2 CPUs of a 32-core host has 2)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, -(-int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def default_workers() -> int:
    """One worker per core, or ``$LZT_IFC_WORKERS``."""
    env = os.environ.get(WORKERS_ENV, "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            raise LztInputError(WORKERS_ENV, f"must be a whole number of worker processes ≥ 1, not {env!r}")
        return int(env)
    return available_cores()


def helpers_per_file(workers: int, files: int) -> int:
    """Forks each reader may tessellate a file in: the cores (at most ``workers``) that no reader
    of the ``files`` uses, shared out (one file on 2 cores: 1; a batch: 0)."""
    busy = max(1, min(workers, files))
    return min(MAX_HELPERS, max(0, min(workers, available_cores()) - busy) // busy)


@dataclass
class ReadOutcome:
    """One job's result: the model and the placement callable as the worker left it, or the error."""

    model: object = None  # BimModel
    placement: object = None
    error: LztInputError | None = None


@dataclass
class _Job:
    index: int
    path: Path
    placement: object
    kernel: str
    note: str = ""  # why this is a second attempt with SAFE_KERNEL
    helpers: int = 0  # forks the worker may tessellate a large file's chunks in (cores no other worker uses)


CANCEL_POLL_S = 0.2  # how often a cancel is looked for while an outcome is awaited
DEPTH = 2  # jobs sent to a worker ahead of its answers: it starts the next file while this process stores the last
_LEN = struct.Struct("<Q")  # each answer: its length, then the pickle


class _Worker:
    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bim_import.pool", *preload], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_child_env())
        self.jobs: deque[_Job] = deque()  # sent, not answered yet, in the order sent
        self.deadline = 0.0  # for the first of them
        self.buf = bytearray()

    def send(self, job: _Job, timeout: float) -> None:
        if not self.jobs:
            self.deadline = time.monotonic() + timeout
        self.jobs.append(job)
        try:
            pickle.dump((str(job.path), job.placement, job.kernel, job.helpers), self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):  # the worker died on the file it holds: the job stays in
            pass                             # ``jobs``, and the crash handling reads it again elsewhere

    def answers(self) -> tuple[list, bool]:
        """The answers complete so far and whether the worker has gone (end of its output). Call
        when the pipe is readable: one read of what it holds (never through the buffered reader,
        which could keep a second answer where ``select`` does not see it)."""
        chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
        self.buf += chunk
        out = []
        while len(self.buf) >= _LEN.size:
            n = _LEN.unpack_from(self.buf)[0]
            if len(self.buf) < _LEN.size + n:
                break
            out.append(pickle.loads(memoryview(self.buf)[_LEN.size:_LEN.size + n]))
            del self.buf[:_LEN.size + n]
        return out, not chunk

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


class ModelReaderPool:
    """Worker processes reading IFC models; ``imap`` yields outcomes in job order."""

    def __init__(self, workers: int | None = None, *, timeout: float = DEFAULT_TIMEOUT, kernel: str | None = None,
                 preload: tuple[str, ...] = ()):
        """``preload``: modules each worker imports before its first job (those the placements
        sent to it are defined in, so that unpickling them costs nothing then)."""
        self.size = workers or default_workers()
        self.preload = tuple(preload)
        self.timeout = timeout
        self.kernel = kernel or kernel_from_env()
        self._workers: list[_Worker] = []

    def start(self, n: int) -> None:
        """Start up to ``n`` workers now (at most ``size``), before the jobs are known: each loads
        its libraries (~0.5 s of CPU) while the caller opens its workspace and lists the files."""
        while len(self._workers) < min(n, self.size):
            self._workers.append(_Worker(self.preload))

    def imap(self, jobs: Iterable[tuple[Path, object] | None],
             cancelled: Callable[[], bool] | None = None) -> Iterator[ReadOutcome | None]:
        """For each job ``(path, placement)`` its ``ReadOutcome``; None for None jobs (not for the pool).

        The first files are sent to the workers at once (before the first outcome is asked for);
        each worker has up to ``DEPTH`` files in hand, and at most four times as many files as
        workers are read ahead of the one to be yielded next. While an outcome is awaited,
        ``cancelled()`` is asked every ``CANCEL_POLL_S``: when it says so, the workers are stopped
        and ``CancelledError`` raised (a large model is not read to its end after a cancel).
        """
        jobs = list(jobs)
        files = sum(j is not None for j in jobs)
        size = min(self.size, files)
        helpers = helpers_per_file(self.size, files)  # a file or a few on many cores: the cores left
        queue = deque(_Job(i, Path(j[0]), j[1], self.kernel, helpers=helpers)
                      for i, j in enumerate(jobs) if j is not None)
        try:
            self._dispatch(queue, 0, size)
        except BaseException:
            self.close()
            raise
        return self._outcomes(jobs, queue, size, cancelled)

    def _outcomes(self, jobs: list, queue: deque, size: int, cancelled) -> Iterator[ReadOutcome | None]:
        done: dict[int, ReadOutcome] = {}
        nxt = 0
        try:
            while nxt < len(jobs):
                if jobs[nxt] is None:
                    yield None
                    nxt += 1
                    continue
                if nxt in done:
                    yield done.pop(nxt)
                    nxt += 1
                    continue
                self._dispatch(queue, nxt, size)
                self._collect(done, queue, cancelled)
        finally:
            self.close()

    def _dispatch(self, queue: deque, nxt: int, size: int) -> None:
        for w in [w for w in self._workers if not w.jobs][size:]:  # started early, not needed
            w.kill()
            self._workers.remove(w)
        while len(self._workers) < size and queue:
            self._workers.append(_Worker(self.preload))
        while queue and queue[0].index < nxt + 4 * size:
            w = min(self._workers, key=lambda w: len(w.jobs))
            if len(w.jobs) >= DEPTH:
                break
            w.send(queue.popleft(), self.timeout)

    def _collect(self, done: dict, queue: deque, cancelled=None) -> None:
        busy = [w for w in self._workers if w.jobs]
        if not busy:
            return
        wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        if cancelled is not None:
            wait = min(wait, CANCEL_POLL_S)
        ready, _, _ = select.select([w.proc.stdout for w in busy], [], [], wait)
        if cancelled is not None and cancelled():
            raise CancelledError("cancelled")  # the caller's ``finally`` stops the workers
        now = time.monotonic()
        for w in busy:
            if w.proc.stdout in ready:
                msgs, gone = w.answers()
                for msg in msgs:
                    self._answered(w, msg, done, queue)
                if gone:  # the worker died on its current file (the others it held are read again)
                    w.kill()
                    self._workers.remove(w)
                    job = w.jobs.popleft() if w.jobs else None
                    self._requeue(queue, w.jobs)
                    if job is not None:
                        self._retry_or_fail(job, done, queue, f"the IFC geometry engine crashed on this file "
                                            f"({crash_reason(w.proc.returncode)}); its placements or geometry "
                                            "are broken")
            elif now >= w.deadline:
                w.kill()
                self._workers.remove(w)
                job = w.jobs.popleft()
                self._requeue(queue, w.jobs)
                done[job.index] = ReadOutcome(error=LztInputError(
                    job.path, f"reading took longer than {self.timeout:.0f} s and was stopped"))

    def _answered(self, w: _Worker, msg: tuple, done: dict, queue: deque) -> None:
        job = w.jobs.popleft()
        w.deadline = time.monotonic() + self.timeout  # for the next one it holds
        if msg[0] == "ok":
            model = msg[1]
            if job.note:
                model.kernel_note = job.note
            done[job.index] = ReadOutcome(model=model, placement=msg[2])
        elif msg[0] == "input":
            done[job.index] = ReadOutcome(error=LztInputError(msg[1], msg[2]))
        else:
            self._retry_or_fail(job, done, queue, f"cannot read: {msg[1]}")

    @staticmethod
    def _requeue(queue: deque, jobs: Iterable[_Job]) -> None:
        """Jobs a stopped worker held go back to the queue, which stays in job order."""
        merged = sorted([*queue, *jobs], key=lambda j: j.index)
        queue.clear()
        queue.extend(merged)

    def _retry_or_fail(self, job: _Job, done: dict, queue: deque, problem: str) -> None:
        if job.kernel != SAFE_KERNEL:
            self._requeue(queue, [_Job(job.index, job.path, job.placement, SAFE_KERNEL,
                                       f"{job.kernel}: {problem}; read with {SAFE_KERNEL}", job.helpers)])
        else:
            done[job.index] = ReadOutcome(error=LztInputError(job.path, problem))

    def close(self) -> None:
        """Stop the workers (busy ones are killed; idle ones exit at once)."""
        for w in self._workers:
            if not w.jobs and w.proc.poll() is None:
                try:
                    w.proc.stdin.close()
                    w.proc.wait(5)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            w.kill()
        self._workers = []

    def __enter__(self) -> ModelReaderPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve() -> None:
    """Worker loop: a pickled (path, placement, kernel, helpers) in, a pickled outcome out."""
    proto = os.fdopen(os.dup(1), "wb")  # the answers; C code printing to stdout cannot corrupt them
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    from bim_import import preload, read_ifc_model

    preload(tuple(sys.argv[1:]))  # before the first job arrives: a worker is started ahead of its jobs

    while True:
        try:
            path, placement, kernel, helpers = pickle.load(sys.stdin.buffer)
        except EOFError:  # the pool is done: leave without tearing down the libraries' state
            proto.close()
            os._exit(0)
        try:
            model = read_ifc_model(path, placement=placement, kernel=kernel, in_process=True, helpers=helpers)
            msg = ("ok", model, placement)
        except LztInputError as exc:
            msg = ("input", exc.source, exc.problem)
        except Exception as exc:  # an engine's Python-level failure: the parent decides
            msg = ("error", f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
        data = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
        proto.write(_LEN.pack(len(data)))
        proto.write(data)
        proto.flush()


if __name__ == "__main__":  # the worker process
    _serve()
