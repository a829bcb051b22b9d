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
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bim_import.tessellate import DEFAULT_TIMEOUT, SAFE_KERNEL, _child_env, crash_reason, kernel_from_env
from lzt.core.errors import LztInputError

WORKERS_ENV = "LZT_IFC_WORKERS"


def default_workers() -> int:
    """One worker per core, or ``$LZT_IFC_WORKERS``."""
    env = os.environ.get(WORKERS_ENV, "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            raise LztInputError(WORKERS_ENV, f"must be a whole number of worker processes ≥ 1, not {env!r}")
        return int(env)
    return max(1, os.cpu_count() or 1)


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


class _Worker:
    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bim_import.pool", *preload], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_child_env())
        self.job: _Job | None = None
        self.deadline = 0.0

    def send(self, job: _Job, timeout: float) -> None:
        self.job, self.deadline = job, time.monotonic() + timeout
        pickle.dump((str(job.path), job.placement, job.kernel), self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.flush()

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

    def imap(self, jobs: Iterable[tuple[Path, object] | None]) -> Iterator[ReadOutcome | None]:
        """For each job ``(path, placement)`` its ``ReadOutcome``; None for None jobs (not for the pool).

        At most twice as many files as workers are read ahead of the one to be yielded next.
        """
        jobs = list(jobs)
        queue = deque(_Job(i, Path(j[0]), j[1], self.kernel) for i, j in enumerate(jobs) if j is not None)
        n_pool = len(queue)
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
                self._dispatch(queue, nxt, min(self.size, n_pool))
                self._collect(done, queue)
        finally:
            self.close()

    def _dispatch(self, queue: deque, nxt: int, size: int) -> None:
        for w in [w for w in self._workers if w.job is None][size:]:  # started early, not needed
            w.kill()
            self._workers.remove(w)
        idle = [w for w in self._workers if w.job is None]
        while len(self._workers) < size and queue:
            w = _Worker(self.preload)
            self._workers.append(w)
            idle.append(w)
        for w in idle:
            if not queue or queue[0].index >= nxt + 2 * size:
                break
            w.send(queue.popleft(), self.timeout)

    def _collect(self, done: dict, queue: deque) -> None:
        busy = [w for w in self._workers if w.job is not None]
        if not busy:
            return
        wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        ready, _, _ = select.select([w.proc.stdout for w in busy], [], [], wait)
        now = time.monotonic()
        for w in busy:
            job = w.job
            if w.proc.stdout in ready:
                try:
                    msg = pickle.load(w.proc.stdout)
                except (EOFError, pickle.UnpicklingError):  # the worker died on this file
                    w.kill()
                    self._workers.remove(w)
                    self._retry_or_fail(job, done, queue, f"the IFC geometry engine crashed on this file "
                                        f"({crash_reason(w.proc.returncode)}); its placements or geometry are broken")
                    continue
                w.job = None
                if msg[0] == "ok":
                    model = msg[1]
                    if job.note:
                        model.kernel_note = job.note
                    done[job.index] = ReadOutcome(model=model, placement=msg[2])
                elif msg[0] == "input":
                    done[job.index] = ReadOutcome(error=LztInputError(msg[1], msg[2]))
                else:
                    self._retry_or_fail(job, done, queue, f"cannot read: {msg[1]}")
            elif now >= w.deadline:
                w.kill()
                self._workers.remove(w)
                done[job.index] = ReadOutcome(error=LztInputError(
                    job.path, f"reading took longer than {self.timeout:.0f} s and was stopped"))

    def _retry_or_fail(self, job: _Job, done: dict, queue: deque, problem: str) -> None:
        if job.kernel != SAFE_KERNEL:
            queue.appendleft(_Job(job.index, job.path, job.placement, SAFE_KERNEL,
                                  f"{job.kernel}: {problem}; read with {SAFE_KERNEL}"))
        else:
            done[job.index] = ReadOutcome(error=LztInputError(job.path, problem))

    def close(self) -> None:
        """Stop the workers (busy ones are killed)."""
        for w in self._workers:
            if w.job is None and w.proc.poll() is None:
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
    """Worker loop: a pickled (path, placement, kernel) in, a pickled outcome out."""
    proto = os.fdopen(os.dup(1), "wb")  # the answers; C code printing to stdout cannot corrupt them
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    from bim_import import preload, read_ifc_model

    preload(tuple(sys.argv[1:]))  # before the first job arrives: a worker is started ahead of its jobs

    while True:
        try:
            path, placement, kernel = pickle.load(sys.stdin.buffer)
        except EOFError:
            return
        try:
            model = read_ifc_model(path, placement=placement, kernel=kernel, in_process=True)
            msg = ("ok", model, placement)
        except LztInputError as exc:
            msg = ("input", exc.source, exc.problem)
        except Exception as exc:  # an engine's Python-level failure: the parent decides
            msg = ("error", f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
        pickle.dump(msg, proto, protocol=pickle.HIGHEST_PROTOCOL)
        proto.flush()


if __name__ == "__main__":  # the worker process
    _serve()
