"""The demo's IFC files, written in worker processes while the builder makes the layers.

``IfcWriters(plans, folder)`` starts one ``python -m lzt.demo.ifc_writers`` process per core
(``$LZT_IFC_WORKERS`` like the BIM readers), each writing its share of the plans with
``lzt.demo.bim.write_ifc``; ``wait()`` reports progress and raises if a worker failed.
The files are the same whichever process writes them: each depends only on its plan.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from lzt.core.feedback import Feedback


def _child_env() -> dict:
    """This environment, with the folder holding ``lzt`` first on the worker's import path."""
    root = str(Path(__file__).resolve().parents[2])
    return dict(os.environ, PYTHONPATH=os.pathsep.join([root] + [p for p in [os.environ.get("PYTHONPATH")] if p]))


def _workers() -> int:
    from bim_import.pool import default_workers

    return default_workers()


class IfcWriters:
    """Worker processes writing ``plans`` (``BuildingPlan``) as IFC files into ``folder``."""

    def __init__(self, plans: list, folder: Path, workers: int | None = None):
        self.n = len(plans)
        self.folder = folder
        size = max(1, min(workers or _workers(), self.n))
        # interleaved shares: the plans are in random order, so each share has a like mix of storeys
        shares = [plans[i::size] for i in range(size)]
        self._procs = []
        for share in shares:
            err = tempfile.TemporaryFile("w+", encoding="utf-8")  # not a pipe: it could fill and block
            p = subprocess.Popen([sys.executable, "-m", "lzt.demo.ifc_writers", str(folder)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
                                 text=True, encoding="utf-8", env=_child_env())
            p.err = err
            self._procs.append(p)
        for p, share in zip(self._procs, shares):  # all started first: a write waits for the reader
            p.stdin.write(json.dumps([asdict(pl) for pl in share]))
            p.stdin.close()

    def wait(self, feedback: Feedback) -> None:
        """Until every file is written; ``RuntimeError`` naming the worker's error if one failed."""
        done = 0
        for p in self._procs:  # one after the other: a worker's few lines wait in its pipe meanwhile
            for line in p.stdout:
                done += 1
                feedback.progress(done, self.n, f"生成 BIM 模型 {line.strip()}")
                feedback.check()
        for p in self._procs:
            if p.wait() != 0:
                p.err.seek(0)
                err = p.err.read().strip().splitlines()
                raise RuntimeError(f"writing the demo IFC models failed: {err[-1] if err else p.returncode}")

    def close(self) -> None:
        """Stop the workers that are still running (after an error or a cancel)."""
        for p in self._procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            for f in (p.stdout, p.err):
                f.close()

    def __enter__(self) -> IfcWriters:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(folder: str) -> None:
    """Worker: the plans (JSON) from stdin, one written file name per line to stdout."""
    from lzt.demo.bim import BuildingPlan, write_ifc

    for p in json.load(sys.stdin):
        plan = BuildingPlan(**{**p, "origin": tuple(p["origin"])})
        write_ifc(plan, Path(folder) / plan.file)
        sys.stdout.write(plan.file + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _serve(sys.argv[1])
