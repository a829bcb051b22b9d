"""The demo's IFC models, written and read by worker processes while the builder makes the layers.

``IfcWriters(plans, folder, crs)`` starts one ``python -m lzt.demo.ifc_writers`` process per
core (``$LZT_IFC_WORKERS``, as the BIM readers), each writing its share of the plans with
``lzt.demo.bim.write_ifc`` and then reading each file as ``lzt bim`` would (the same
``read_ifc_model`` call as a ``bim_import.pool`` worker, pickled to a scratch folder).
``wait()`` returns the ``models()`` to hand to ``import_bim(pool=...)``, which then only stores
them. A file a worker could not read is read again by the ordinary reader pool; the plans
of a worker that died are written here. Each file depends only on its plan, whichever
process writes it.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
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
    """Worker processes writing (and reading) ``plans`` (``BuildingPlan``) as IFC files in ``folder``."""

    def __init__(self, plans: list, folder: Path, crs: str, workers: int | None = None):
        self.plans, self.folder = plans, folder
        self.reads = Path(tempfile.mkdtemp(prefix="lzt-demo-ifc-"))
        size = max(1, min(workers or _workers(), len(plans)))
        # interleaved shares: the plans are in random order, so each share has a like mix of storeys
        self._shares = [plans[i::size] for i in range(size)]
        self._procs = []
        for _ in self._shares:
            err = tempfile.TemporaryFile("w+", encoding="utf-8")  # not a pipe: it could fill and block
            p = subprocess.Popen([sys.executable, "-m", "lzt.demo.ifc_writers", str(folder), crs, str(self.reads)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
                                 text=True, encoding="utf-8", env=_child_env())
            p.err = err
            self._procs.append(p)
        for p, share in zip(self._procs, self._shares):  # all started first: a write waits for the reader
            p.stdin.write(json.dumps([asdict(pl) for pl in share]))
            p.stdin.close()

    def wait(self, feedback: Feedback) -> PrereadModels:
        """Until every file is written (and read, where the worker could)."""
        from lzt.demo.bim import write_ifc

        done = 0
        for p, share in zip(self._procs, self._shares):  # in turn: a worker's few lines wait in its pipe
            written = set()
            for line in p.stdout:
                written.add(line.strip())
                done += 1
                feedback.progress(done, len(self.plans), f"生成 BIM 模型 {line.strip()}")
                feedback.check()
            if p.wait() != 0:  # the geometry engine can crash a process: write the rest here
                for plan in share:
                    if plan.file not in written:
                        write_ifc(plan, self.folder / plan.file)
                        done += 1
                        feedback.progress(done, len(self.plans), f"生成 BIM 模型 {plan.file}")
        return PrereadModels(self.reads)

    def close(self) -> None:
        """Stop the workers still running (after an error or a cancel) and drop the read models."""
        for p in self._procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            for f in (p.stdout, p.err):
                f.close()
        shutil.rmtree(self.reads, ignore_errors=True)

    def __enter__(self) -> IfcWriters:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class PrereadModels:
    """A ``bim_import.pool.ModelReaderPool`` stand-in: the models the workers read, the rest read now."""

    def __init__(self, reads: Path):
        self.reads = reads

    def imap(self, jobs: Iterable[tuple[Path, object] | None], cancelled=None) -> Iterator:
        from bim_import.pool import ModelReaderPool, ReadOutcome

        jobs = list(jobs)
        ready = [j is not None and (self.reads / (Path(j[0]).name + ".pickle")).exists() for j in jobs]
        rest = [None if r else j for j, r in zip(jobs, ready)]
        with ModelReaderPool() as pool:  # starts no process when nothing is left to read
            for job, r, other in zip(jobs, ready, pool.imap(rest, cancelled)):
                if r:
                    with open(self.reads / (Path(job[0]).name + ".pickle"), "rb") as f:
                        model, placement = pickle.load(f)
                    yield ReadOutcome(model=model, placement=placement)
                else:
                    yield other

    def __enter__(self) -> PrereadModels:
        return self

    def __exit__(self, *exc) -> None:
        pass


def _serve(folder: str, crs: str, reads: str) -> None:
    """Worker: the plans (JSON) from stdin; per plan the IFC file, its read model pickled into
    ``reads`` (as ``bim_import.pool`` reads it; skipped if that fails) and its name on stdout."""
    from bim_import import read_ifc_model
    from bim_import.tessellate import kernel_from_env
    from lzt.demo.bim import BuildingPlan, write_ifc
    from lzt.ingest.bim_placement import Placement, UserPlacement

    out = os.fdopen(os.dup(1), "w", encoding="utf-8")  # the file names; C code printing cannot mix in
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    kernel = kernel_from_env()
    for p in json.load(sys.stdin):
        plan = BuildingPlan(**{**p, "origin": tuple(p["origin"])})
        path = Path(folder) / plan.file
        write_ifc(plan, path)
        try:
            placement = Placement(UserPlacement(), crs, path)
            model = read_ifc_model(path, placement=placement, kernel=kernel, in_process=True)
        except Exception:  # noqa: BLE001 - the ordinary reader pool reads it again and reports
            model = None
        if model is not None:
            tmp = Path(reads) / (plan.file + ".part")
            with open(tmp, "wb") as f:
                pickle.dump((model, placement), f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(Path(reads) / (plan.file + ".pickle"))
        out.write(plan.file + "\n")
        out.flush()


if __name__ == "__main__":
    _serve(*sys.argv[1:4])
