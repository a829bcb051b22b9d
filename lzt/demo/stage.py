"""One demo layer generated and stored by a fresh process, so that its memory leaves with it.

``write_in_child(ws_path, name, generator, kwargs, kind=..., **options)`` pickles the
generator's arguments to a scratch file and runs ``python -m lzt.demo.stage``, which calls
``generator(**kwargs)`` and stores the frame with ``write_layer`` in the workspace at
``ws_path`` (the builder holds no transaction meanwhile; SQLite serialises the writers).
The builder's own memory then never holds the largest layer (1M work orders) next to
everything else, and it drops the arguments once they are sent (``kwargs`` is emptied).
Returns the stored row count.
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
    from lzt.core.memory import release_free_memory
    from lzt.demo.ifc_writers import _child_env

    fb = ensure(feedback)
    with tempfile.TemporaryDirectory(prefix="lzt-demo-stage-") as d:
        job = Path(d) / "job.pickle"
        with open(job, "wb") as f:
            pickle.dump({"module": generator.__module__, "function": generator.__qualname__, "kwargs": kwargs,
                         "ws": str(ws_path), "name": name, "kind": str(kind), "source": source,
                         "options": options}, f, protocol=pickle.HIGHEST_PROTOCOL)
        kwargs.clear()  # sent: the caller's frames are not held here while the child works
        gc.collect()  # frames freed earlier (e.g. the POI layer) wait in reference cycles otherwise
        release_free_memory()
        err, out = Path(d) / "stderr.txt", Path(d) / "stdout.txt"
        with open(err, "w") as e, open(out, "w") as o:
            p = subprocess.Popen([sys.executable, "-m", "lzt.demo.stage", str(job)], stdout=o, stderr=e,
                                 env=_child_env())
            try:
                while p.poll() is None:
                    time.sleep(0.2)
                    fb.check()
            finally:
                if p.poll() is None:
                    p.kill()
                    p.wait()
        lines = out.read_text(errors="replace").strip().splitlines()
        if p.returncode != 0 or not lines or not lines[-1].isdigit():
            lines = err.read_text(errors="replace").strip().splitlines()
            raise RuntimeError(f"generating the demo layer {name} failed: {lines[-1] if lines else p.returncode}")
        return int(lines[-1])


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
    try:
        ws.write_layer(job["name"], gdf, kind=job["kind"], source=job["source"], **job["options"])
    finally:
        ws.close()
    sys.stdout.write(f"{len(gdf)}\n")


if __name__ == "__main__":
    _serve(sys.argv[1])
