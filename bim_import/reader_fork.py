"""A large model's element facts and footprint union, made by a fork of the reader process while it
tessellates.

Tessellation holds the GIL. The element facts (a Python walk up the spatial structure of every
element, ~0.2 s for the 2,636 elements of the largest real model) could not overlap it in a
thread and ran after it; the footprint union (``FootprintStream``, ~1.3 s of GEOS for the same
model) ran in a thread, but every step of it between GEOS calls waited for the GIL, and the
tessellating thread waited for it in turn. A fork taken after the file is parsed has the parsed
model: it reads the facts of every element that may be tessellated (``tessellate._expected``) and
the area quantities of every space, with the functions an in-process read uses, then unites the
elements' triangles as they come through a pipe with a ``FootprintStream`` of its own (the same
chunks, element for element: the same union). Only a reader process (``bim_import.pool``) does
this, for files of at least ``MIN_PRODUCTS`` products. Whatever goes wrong in the fork (a crash,
an exception, an element it did not expect) falls back to this process: the same results.
"""

from __future__ import annotations

import os
import signal
import threading

from bim_import.footprint_stream import BATCH, SKIPPED, FootprintStream
from bim_import.fork_pipes import CAN_FORK, WAIT_S, close_all_but, fork_child, pipe, receive, send
from bim_import.ifc import element_facts, facts_of, space_areas, spaces_without_geometry

MIN_PRODUCTS = 1000  # below this a fork costs more than it saves
def _child(model, storeys, base_z, batches: int, facts_out: int, union_out: int) -> None:
    try:
        try:
            from bim_import.tessellate import _expected

            memo: dict = {}
            ids = [p.id() for p in _expected(model)]
            send(facts_out, ("ok", dict(zip(ids, facts_of(model, ids, storeys, memo))),
                              space_areas(model, storeys, memo)))
        except Exception as exc:  # reported to the parent, which reads the facts itself
            send(facts_out, ("error", f"{type(exc).__name__}: {exc}"))
        os.close(facts_out)
        if base_z is None:
            return
        stream = FootprintStream(base_z)
        while (msg := receive(batches)) is not None:
            if msg == "end":
                union = stream.result()
                send(union_out, ("ok", None if union is None else union.wkb))
                return
            for ifc_type, vertices, faces in msg:
                stream.add(ifc_type, vertices, faces)
        stream.close()  # the parent stopped asking
    finally:
        os._exit(0)  # never the parent's exit handlers, buffers or threads


class ReaderFork:
    """``start`` forks (or not); ``facts`` gives what ``ifc.element_facts`` gives; ``stream`` is the
    footprint stream to feed while tessellating (``FootprintStream``'s ``add``/``result``/``close``)."""

    def __init__(self, model, storeys, base_z: float | None):
        self.model, self.storeys = model, storeys
        self.pid: int | None = None
        self.fallback = ""  # why something was made in this process after all ("" when the fork made it)
        self._facts_fd = self._union_fd = self._batch_fd = None
        self.stream = None
        self._lock = threading.Lock()
        self._asked = 0  # answers taken from the fork (facts, union): it is reaped after the last

    @classmethod
    def start(cls, model, storeys, base_z: float | None) -> ReaderFork:
        """Fork for a large model where a reader may fork (``CAN_FORK``); ``base_z``: the footprint's reference
        level when known before tessellation (None: no footprint stream)."""
        self = cls(model, storeys, base_z)
        if not CAN_FORK or len(model.by_type("IfcProduct")) < MIN_PRODUCTS:
            self.stream = None if base_z is None else FootprintStream(base_z)
            return self
        (facts_r, facts_w), (union_r, union_w), (batch_r, batch_w) = pipe(), pipe(), pipe()
        pid = fork_child()
        if pid == 0:  # the child: never back into the reader's code, whatever happens
            try:
                close_all_but(batch_r, facts_w, union_w)
                _child(model, storeys, base_z, batch_r, facts_w, union_w)
            finally:
                os._exit(0)
        for fd in (facts_w, union_w, batch_r):
            os.close(fd)
        self.pid, self._facts_fd = pid, facts_r
        if base_z is not None:
            self.stream = _RemoteStream(self, base_z, batch_w, union_r)
        else:
            os.close(batch_w)
            os.close(union_r)
            self._asked += 1  # no union to wait for
        return self

    def facts(self, element_ids: list[int]):
        """(facts per element of ``element_ids``, area quantities of the spaces not drawn, per storey)."""
        if self._facts_fd is None:
            return element_facts(self.model, element_ids, self.storeys)
        try:
            msg = receive(self._facts_fd, WAIT_S)
        except Exception:  # a message cut short, or none in time
            msg = None
        self._answered("_facts_fd")
        if msg is None or msg[0] != "ok":
            self.fallback += "facts: " + ("the fork ended early" if msg is None else msg[1]) + "; "
            return element_facts(self.model, element_ids, self.storeys)
        by_id, areas = msg[1], msg[2]
        missing = [i for i in element_ids if i not in by_id]
        if missing:  # elements the fork did not expect: read here
            by_id = by_id | dict(zip(missing, facts_of(self.model, missing, self.storeys)))
        return [by_id[i] for i in element_ids], spaces_without_geometry(areas, element_ids)

    def _answered(self, name: str) -> None:
        with self._lock:
            fd = getattr(self, name)
            if fd is not None:
                os.close(fd)
                setattr(self, name, None)
                self._asked += 1
            done = self._asked >= 2
        if done:
            self.close()

    def close(self) -> None:
        """Stop the fork (if it still runs) and reap it."""
        with self._lock:
            for name in ("_facts_fd", "_union_fd", "_batch_fd"):
                if (fd := getattr(self, name)) is not None:
                    os.close(fd)
                    setattr(self, name, None)
            pid, self.pid = self.pid, None
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)


class _RemoteStream:
    """``FootprintStream``'s interface in this process, the union made by the fork. Elements are
    sent a batch at a time and kept (as the tessellation keeps them anyway): if the fork fails, a
    ``FootprintStream`` here unites them after all."""

    def __init__(self, owner: ReaderFork, base_z: float, batch_fd: int, union_fd: int):
        self.owner, self.base_z = owner, base_z
        owner._batch_fd, owner._union_fd = batch_fd, union_fd
        self._all: list[tuple] = []
        self._sent = 0  # of ``_all``
        self._faces = 0  # not sent yet
        self._broken = False

    def add(self, ifc_type: str, vertices, faces) -> None:
        if ifc_type in SKIPPED or not len(faces):
            return
        self._all.append((ifc_type, vertices, faces))
        self._faces += len(faces)
        if self._faces >= BATCH:
            self._flush()

    def _flush(self) -> None:
        batch, self._sent, self._faces = self._all[self._sent:], len(self._all), 0
        fd = self.owner._batch_fd
        if batch and fd is not None and not self._broken:
            try:
                send(fd, batch, WAIT_S)
            except OSError:  # the fork has gone, or stopped taking: the union is made here at the end
                self._broken = True

    def result(self):
        """The union on the 1 mm grid, or None for a model small enough for the grid union."""
        self._flush()
        msg = None
        if not self._broken and self.owner._batch_fd is not None:
            try:
                send(self.owner._batch_fd, "end", WAIT_S)
                msg = receive(self.owner._union_fd, WAIT_S)
            except Exception:  # gone, a message cut short, or none in time
                msg = None
        self.owner._answered("_union_fd")
        if msg is None:
            self.owner.fallback += "footprint: the fork ended early; "
            local = FootprintStream(self.base_z)
            for element in self._all:
                local.add(*element)
            return local.result()
        import shapely

        return None if msg[1] is None else shapely.from_wkb(msg[1])

    def close(self) -> None:
        """Stop asking the fork for the union."""
        self.owner._answered("_union_fd")
