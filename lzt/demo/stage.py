"""One demo layer generated and stored by a fresh process, so that its memory leaves with it.

``write_in_child(ws_path, name, generator, kwargs, kind=..., **options)`` pickles the
generator's arguments to a scratch file and runs ``python -m lzt.demo.stage``, which calls
``generator(**kwargs)`` and stores the frame with ``write_layer`` in the workspace at
``ws_path`` (the builder holds no transaction meanwhile; SQLite serialises the writers).
The builder's own memory then never holds the largest layer (1M work orders) next to
everything else, and it drops the arguments once they are sent (``kwargs`` is emptied).
Returns the stored row count. ``StageChild`` starts the same child without waiting for it.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lzt.core.feedback import Feedback, ensure


def write_in_child(ws_path: Path, name: str, generator: Callable, kwargs: dict, *, kind: str,
                   source: str, feedback: Feedback | None = None, **options) -> int:
    """Run ``generator(**kwargs)`` in a new process and store its frame as layer ``name``.
    ``kwargs`` is emptied once sent, so that only the child holds its arguments meanwhile."""
    with StageChild(ws_path, name, generator, kwargs, kind=kind, source=source, **options) as child:
        return child.wait(feedback)


class StageChild:
    """``write_in_child`` started and not waited for: the caller goes on (with its own work, its
    own writes to the workspace) while the child generates and stores; ``wait()`` returns the
    stored row count. Both sides wait for each other's write transactions for up to
    ``BUSY_MS`` (SQLite serialises them), not the workspace's usual 30 s: the child's write of
    1M orders alone can take longer than that on a loaded machine."""

    BUSY_MS = 3_600_000

    def __init__(self, ws_path: Path, name: str, generator: Callable, kwargs: dict, *, kind: str,
                 source: str, **options):
        from lzt.core.memory import release_free_memory
        from lzt.demo.ifc_writers import _child_env

        self.name = name
        self._dir = tempfile.TemporaryDirectory(prefix="lzt-demo-stage-")
        d = Path(self._dir.name)
        job = d / "job.pickle"
        with open(job, "wb") as f:
            pickle.dump({"module": generator.__module__, "function": generator.__qualname__, "kwargs": kwargs,
                         "ws": str(ws_path), "name": name, "kind": str(kind), "source": source,
                         "options": options, "busy_ms": self.BUSY_MS}, f, protocol=pickle.HIGHEST_PROTOCOL)
        kwargs.clear()  # sent: the caller's frames are not held here while the child works
        gc.collect()  # frames freed earlier (e.g. the POI layer) wait in reference cycles otherwise
        release_free_memory()
        self._err, self._out = d / "stderr.txt", d / "stdout.txt"
        with open(self._err, "w") as e, open(self._out, "w") as o:
            self._p = subprocess.Popen([sys.executable, "-m", "lzt.demo.stage", str(job)], stdout=o, stderr=e,
                                       env=_child_env())

    def wait(self, feedback: Feedback | None = None) -> int:
        """Until the child has stored the layer; its row count (RuntimeError if it failed)."""
        fb = ensure(feedback)
        while self._p.poll() is None:
            time.sleep(0.2)
            fb.check()
        lines = self._out.read_text(errors="replace").strip().splitlines()
        if self._p.returncode != 0 or not lines or not lines[-1].isdigit():
            lines = self._err.read_text(errors="replace").strip().splitlines()
            raise RuntimeError(f"generating the demo layer {self.name} failed: "
                               f"{lines[-1] if lines else self._p.returncode}")
        return int(lines[-1])

    def close(self) -> None:
        """Stop the child if it still runs (after an error or a cancel) and drop its scratch folder."""
        if self._p.poll() is None:
            self._p.kill()
            self._p.wait()
        self._dir.cleanup()

    def __enter__(self) -> StageChild:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(job_path: str) -> None:
    import importlib

    from lzt.core.memory import release_free_memory
    from lzt.workspace import open_workspace

    with open(job_path, "rb") as f:
        job = pickle.load(f)
    os.unlink(job_path)
    fn = getattr(importlib.import_module(job["module"]), job["function"])
    gdf = fn(**job.pop("kwargs"))
    release_free_memory()  # the arguments are gone: their pages go back before the write needs more
    ws = open_workspace(job["ws"])
    if job.get("busy_ms"):
        ws.wait_for_writers(job["busy_ms"])
    try:
        ws.write_layer(job["name"], gdf, kind=job["kind"], source=job["source"], **job["options"])
    finally:
        ws.close()
    sys.stdout.write(f"{len(gdf)}\n")


if __name__ == "__main__":
    _serve(sys.argv[1])
