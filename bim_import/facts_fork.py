"""The element facts of a large model, read by a forked copy of the reader process while it tessellates.

Tessellation holds the GIL, so the facts (a Python walk up the spatial structure of every element,
~0.2 s for the 2,636 elements of the largest real model) cannot overlap it in a thread; after it
they were on the way to the answer. A fork taken after the file is parsed has the parsed model
already; it reads the facts of every element that may be tessellated (``tessellate._expected``)
and the area quantities of every space, with the very functions an in-process read uses, and
sends them back through a pipe. Only a reader process (``bim_import.pool``) does this, for files of
at least ``MIN_PRODUCTS`` products. Whatever goes wrong there (a crash, an exception, an element
it did not read) falls back to reading in this process: the results are the same either way.
"""

from __future__ import annotations

import os
import pickle
import signal

from bim_import.ifc import facts_of, space_areas, spaces_without_geometry

MIN_PRODUCTS = 1000  # below this a fork costs more than the facts it reads
PIPE_BYTES = 1 << 20  # Linux's default most for an unprivileged process (the Mini Project's answer: see tests)


def _child(model, storeys, w: int) -> None:
    try:
        from bim_import.tessellate import _expected

        memo: dict = {}
        ids = [p.id() for p in _expected(model)]
        msg = ("ok", dict(zip(ids, facts_of(model, ids, storeys, memo))), space_areas(model, storeys, memo))
    except BaseException as exc:  # reported to the parent, which reads the facts itself
        msg = ("error", f"{type(exc).__name__}: {exc}")
    try:
        data = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(w, view):]
    finally:
        os._exit(0)  # never the parent's exit handlers, buffers or threads


class FactsFork:
    """``start`` forks; ``result`` gives what ``ifc.element_facts`` gives, from the fork or read here."""

    def __init__(self, model, storeys, pid: int | None, fd: int | None):
        self.model, self.storeys, self.pid, self.fd = model, storeys, pid, fd
        self.fallback = ""  # why the facts were read in this process ("" when the fork read them)

    @classmethod
    def start(cls, model, storeys) -> FactsFork:
        """Fork (for a large model, where ``os.fork`` exists) and let the child read the facts."""
        if not hasattr(os, "fork") or len(model.by_type("IfcProduct")) < MIN_PRODUCTS:
            return cls(model, storeys, None, None)
        r, w = os.pipe()
        try:  # room for the whole answer: the child leaves as soon as it has read the facts
            import fcntl

            fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except (ImportError, AttributeError, OSError):  # it then waits for the parent to read
            pass
        pid = os.fork()
        if pid == 0:  # the child
            os.close(r)
            _child(model, storeys, w)
        os.close(w)
        return cls(model, storeys, pid, r)

    def _receive(self):
        chunks = []
        while chunk := os.read(self.fd, 1 << 20):
            chunks.append(chunk)
        self.close()
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:  # the child died before it had written all
            return ("error", "the facts process ended early")

    def result(self, element_ids: list[int]):
        """(facts per element of ``element_ids``, area quantities of the spaces not drawn, per storey)."""
        from bim_import.ifc import element_facts

        if self.fd is None:
            return element_facts(self.model, element_ids, self.storeys)
        msg = self._receive()
        if msg[0] != "ok":
            self.fallback = msg[1]
            return element_facts(self.model, element_ids, self.storeys)
        by_id, areas = msg[1], msg[2]
        missing = [i for i in element_ids if i not in by_id]
        if missing:  # elements the fork did not expect: read here
            by_id = by_id | dict(zip(missing, facts_of(self.model, missing, self.storeys)))
        return [by_id[i] for i in element_ids], spaces_without_geometry(areas, element_ids)

    def close(self) -> None:
        """Stop the child (if it still runs) and reap it."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None
