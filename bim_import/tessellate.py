"""Tessellate an IFC file in a child process.

ifcopenshell's geometry code can crash the whole process on a broken file
(a cyclic IfcLocalPlacement segfaults it). The geometry is therefore computed
in a separate process that writes its result to a temporary ``.npz``; a crash,
a timeout or an exception there becomes an ``LztInputError`` for that file,
and the batch, the CLI and the GUI carry on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lzt.core.errors import LztInputError

EXCLUDE = ("IfcSpace", "IfcOpeningElement", "IfcSite", "IfcAnnotation", "IfcGrid",
           "IfcVirtualElement", "IfcDistributionPort")
DEFAULT_TIMEOUT = 600.0


@dataclass
class Tessellation:
    """Triangles of every element, in local coordinates in metres (world placement applied)."""

    vertices: np.ndarray  # (n, 3) float64
    faces: np.ndarray  # (m, 3) int64 into vertices
    face_element: np.ndarray  # (m,) int64 into elements
    element_types: list[str]  # IFC class per element
    element_ids: list[int]  # STEP id per element
    failed_elements: int = 0

    @property
    def empty(self) -> bool:
        return len(self.faces) == 0


def _worker(path: str, out: str, threads: int) -> None:
    """Child process: tessellate and save arrays to ``out`` (an .npz)."""
    import ifcopenshell
    import ifcopenshell.geom

    model = ifcopenshell.open(path)
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    verts, faces, owner, types, ids = [], [], [], [], []
    base = 0
    it = ifcopenshell.geom.iterator(settings, model, max(1, threads), exclude=EXCLUDE)
    if it.initialize():
        while True:
            shape = it.get()
            g = shape.geometry
            v = np.asarray(g.verts, dtype=np.float64).reshape(-1, 3)
            f = np.asarray(g.faces, dtype=np.int64).reshape(-1, 3)
            if len(f):
                verts.append(v)
                faces.append(f + base)
                owner.append(np.full(len(f), len(types), dtype=np.int64))
                base += len(v)
                types.append(shape.type)
                ids.append(int(shape.id))
            if not it.next():
                break
    np.savez(out,
             vertices=np.concatenate(verts) if verts else np.empty((0, 3)),
             faces=np.concatenate(faces) if faces else np.empty((0, 3), dtype=np.int64),
             face_element=np.concatenate(owner) if owner else np.empty(0, dtype=np.int64),
             element_types=np.array(types, dtype=str), element_ids=np.array(ids, dtype=np.int64))


def _run(path: str, out: str, threads: int) -> None:
    try:
        _worker(path, out, threads)
    except BaseException as exc:  # report, do not hang the parent
        Path(out + ".err").write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
        os._exit(3)
    os._exit(0)


def tessellate(path: str | Path, *, timeout: float = DEFAULT_TIMEOUT, threads: int | None = None) -> Tessellation:
    """Triangulate every element of an IFC file in a child process."""
    path = Path(path)
    threads = threads or max(1, (os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="lzt-ifc-") as tmp:
        out = str(Path(tmp) / "geom.npz")
        cmd = [sys.executable, "-m", "bim_import.tessellate", str(path), out, str(threads)]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(Path(__file__).resolve().parents[1])] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            raise LztInputError(path, f"tessellation took longer than {timeout:.0f} s and was stopped") from None
        code = proc.returncode
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            raise LztInputError(path, f"the IFC geometry engine crashed on this file ({name}); "
                                      "its placements or geometry are broken")
        err = Path(out + ".err")
        if code != 0 or not Path(out).exists():
            reason = err.read_text(encoding="utf-8") if err.exists() else \
                (proc.stderr.decode("utf-8", "replace").strip().splitlines() or [f"exit code {code}"])[-1]
            raise LztInputError(path, f"cannot tessellate: {' '.join(reason.split())[:200]}")
        with np.load(out) as z:
            return Tessellation(vertices=z["vertices"], faces=z["faces"], face_element=z["face_element"],
                                element_types=[str(t) for t in z["element_types"]],
                                element_ids=[int(i) for i in z["element_ids"]])


if __name__ == "__main__":  # the child process
    _run(sys.argv[1], sys.argv[2], int(sys.argv[3]))
