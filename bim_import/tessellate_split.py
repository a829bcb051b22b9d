"""Tessellate one large model on several cores: the reader process and forks of it take chunks of
its elements from a shared queue.

ifcopenshell's iterator on two threads was slower than on one on this machine's two cores; two
processes each tessellating part of the elements are not. A fork taken after the file is parsed
holds the parsed model, so a helper only tessellates: it takes the next chunk index from a pipe
all the processes read (four bytes at a time; Linux reads a pipe under its lock, so no two
processes get parts of one index), tessellates the chunk's elements with ``include=`` and sends
their triangles back. The reader takes chunks too.

The result does not depend on how many processes helped or which took what: each element's
triangles come from the same kernel call whatever else the iterator was given (checked on every
real model), and the elements are handed on (``on_shape``) in the order of their STEP ids, a
chunk after the one before it, however the chunks were cut. Whatever goes wrong in a helper (a
failed fork, a crash, an exception, silence for ``WAIT_S``) leaves its chunks to the reader, which
tessellates them itself: a kernel crash then happens where it would have without helpers, and is
handled the same way (``bim_import.pool``). Helpers die with the reader (``fork_child``).
"""

from __future__ import annotations

import os
import signal
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from bim_import.fork_pipes import CAN_FORK, WAIT_S, close_all_but, fork_child, pipe, receive, send

#: what tessellates some elements of the open model: ``include`` (IFC entities) -> STEP id ->
#: (type, vertices, faces); ``tessellate._shapes`` with the model and the kernel bound
ShapesOf = Callable[[list], dict]

#: elements per chunk at least: each chunk costs an iterator's start (3-20 ms on the largest real
#: model); a model of fewer than two chunks is tessellated by the reader alone
CHUNK_MIN = 32
CHUNKS_PER_PROCESS = 8  # enough for the processes to end together
_INDEX = struct.Struct("<I")


@dataclass
class Split:
    shapes: dict  # STEP id -> (type, vertices, faces)
    note: str = ""  # what a helper could not do ("" when nothing went wrong)
    by_helpers: int = 0  # chunks the helpers made


def chunk_bounds(n: int, processes: int = 2) -> list[tuple[int, int]]:
    """Start and end of each chunk of ``n`` elements: equal chunks small enough for ``processes``
    processes to finish near together, and never smaller than ``CHUNK_MIN``."""
    size = max(CHUNK_MIN, -(-n // (CHUNKS_PER_PROCESS * max(2, processes))))
    return [(i, min(n, i + size)) for i in range(0, n, size)]


def _tessellate_chunk(shapes_of: ShapesOf, chunk: list) -> list[tuple]:
    """(STEP id, type, vertices, faces) of the chunk's elements that have triangles, by id."""
    wanted = {p.id() for p in chunk}
    shapes = shapes_of(chunk)
    return [(i, *shapes[i]) for i in sorted(shapes) if i in wanted]


def _helper(shapes_of: ShapesOf, chunks: list[list], queue: int, out: int) -> None:
    """In a fork: take chunk indices from ``queue`` until it is empty, send each chunk's shapes."""
    while data := os.read(queue, _INDEX.size):
        k = _INDEX.unpack(data)[0]
        try:
            msg = ("done", k, _tessellate_chunk(shapes_of, chunks[k]))
        except Exception as exc:  # the reader tessellates this chunk and says why
            msg = ("error", k, f"{type(exc).__name__}: {exc}")
        try:
            send(out, msg)
        except OSError:  # the reader has gone
            return
        if msg[0] == "error":
            return


class _Helpers:
    """The forks' answers, gathered by one thread per fork (its pipe read without the GIL)."""

    def __init__(self) -> None:
        self.done: dict[int, list] = {}
        self.notes: list[str] = []
        self.by_helpers = 0
        self.cond = threading.Condition()
        self.running = 0
        self.last_heard = time.monotonic()
        self.pids: list[int] = []

    def start(self, shapes_of: ShapesOf, chunks: list[list], queue: int, count: int) -> None:
        for _ in range(count):
            r, w = pipe()
            try:
                pid = fork_child()
            except OSError as exc:  # no memory or processes left: the reader does more itself
                os.close(r)
                os.close(w)
                self.notes.append(f"fork: {exc}")
                return
            if pid == 0:  # the child: never back into the reader's code, whatever happens
                try:
                    close_all_but(queue, w)
                    _helper(shapes_of, chunks, queue, w)
                finally:
                    os._exit(0)  # never the parent's exit handlers, buffers or threads
            os.close(w)
            self.pids.append(pid)
            with self.cond:
                self.running += 1
            threading.Thread(target=self._gather, args=(r,), daemon=True, name="lzt-tessellate-helper").start()

    def _gather(self, fd: int) -> None:
        try:
            while True:
                try:
                    msg = receive(fd)
                except Exception as exc:  # a message cut short: the fork died writing it
                    msg = ("gone", None, f"{type(exc).__name__}: {exc}")
                with self.cond:
                    self.last_heard = time.monotonic()
                    if msg is None or msg[0] == "gone":
                        if msg is not None:
                            self.notes.append(msg[2])
                        self.running -= 1
                        self.cond.notify_all()
                        return
                    if msg[0] == "done":
                        self.done[msg[1]] = msg[2]
                        self.by_helpers += 1
                    else:
                        self.notes.append(f"chunk {msg[1]}: {msg[2]}")
                    self.cond.notify_all()
        finally:
            os.close(fd)

    def wait_all(self) -> None:
        """Until every fork has ended, or none was heard from for ``WAIT_S`` since this began or
        since the last answer (then they are stopped)."""
        with self.cond:
            self.last_heard = max(self.last_heard, time.monotonic())
            while self.running:
                left = self.last_heard + WAIT_S - time.monotonic()
                if left <= 0:
                    self.notes.append(f"no answer in {WAIT_S:.0f} s")
                    break
                self.cond.wait(left)
        self.stop()

    def stop(self) -> None:
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
        self.pids = []


def split_shapes(shapes_of: ShapesOf, products: list, helpers: int,
                 on_shape: Callable[[str, object, object], None] | None = None) -> Split | None:
    """The shapes of every element of ``products`` (IFC entities of the model ``shapes_of``
    tessellates) that have triangles, made by this process and up to ``helpers`` forks of it
    (the model stays referenced through ``shapes_of``); each element is also given to
    ``on_shape(type, vertices, faces)``, in STEP id order. None where a reader does not fork
    (not Linux) or the model is too small to split (fewer than two chunks)."""
    if not CAN_FORK or helpers < 1 or len(products) < 2 * CHUNK_MIN:
        return None
    products = sorted(products, key=lambda p: p.id())
    chunks = [products[a:b] for a, b in chunk_bounds(len(products), helpers + 1)]
    queue, fill = os.pipe()
    os.write(fill, b"".join(_INDEX.pack(k) for k in range(len(chunks))))  # far less than a pipe holds
    os.close(fill)
    gathered = _Helpers()
    out: dict[int, tuple] = {}
    fed = 0

    def feed() -> None:  # hand on every chunk in order as far as they are complete
        nonlocal fed
        while fed < len(chunks):
            with gathered.cond:
                shapes = gathered.done.pop(fed, None)
            if shapes is None:
                return
            for sid, stype, v, f in shapes:
                out[sid] = (stype, v, f)
                if on_shape is not None:
                    on_shape(stype, v, f)
            fed += 1

    def here(k: int) -> None:
        shapes = _tessellate_chunk(shapes_of, chunks[k])
        with gathered.cond:
            gathered.done[k] = shapes

    try:
        gathered.start(shapes_of, chunks, queue, helpers)
        while data := os.read(queue, _INDEX.size):
            here(_INDEX.unpack(data)[0])
            feed()
        gathered.wait_all()
        while fed < len(chunks):  # a chunk a helper took and did not give back: done here
            with gathered.cond:
                missing = fed not in gathered.done
            if missing:
                here(fed)
            feed()
    finally:
        os.close(queue)
        gathered.stop()
    return Split(out, "; ".join(gathered.notes), gathered.by_helpers)
