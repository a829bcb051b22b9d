"""Tessellate an IFC file in a child process.

ifcopenshell's geometry code can crash the whole process on a broken file
(a cyclic IfcLocalPlacement segfaults it). The geometry is therefore computed
in a separate process that writes its result to a temporary ``.npz``; a crash,
a timeout or an exception there becomes an ``LztInputError`` for that file,
and the batch, the CLI and the GUI carry on.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lzt.core.errors import LztInputError

EXCLUDE = ("IfcOpeningElement", "IfcSite", "IfcAnnotation", "IfcGrid",
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

    def without(self, ifc_classes: set[str]) -> Tessellation:
        """The triangles of every element not of ``ifc_classes`` (vertices renumbered)."""
        keep_el = np.array([t not in ifc_classes for t in self.element_types], dtype=bool)
        if keep_el.all():
            return self
        keep_f = keep_el[self.face_element] if len(self.faces) else np.zeros(0, dtype=bool)
        faces = self.faces[keep_f]
        used = np.unique(faces)
        remap = np.full(len(self.vertices), -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        new_index = np.cumsum(keep_el) - 1
        return Tessellation(vertices=self.vertices[used], faces=remap[faces],
                            face_element=new_index[self.face_element[keep_f]],
                            element_types=[t for t, k in zip(self.element_types, keep_el) if k],
                            element_ids=[i for i, k in zip(self.element_ids, keep_el) if k],
                            failed_elements=self.failed_elements)


def _worker(path: str, out: str, threads: int) -> None:
    """Child process: tessellate and save arrays to ``out`` (an .npz)."""
    import ifcopenshell
    import ifcopenshell.geom

    model = ifcopenshell.open(path)
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    shapes = []  # (step id, type, vertices, faces); the threaded iterator's order varies
    it = ifcopenshell.geom.iterator(settings, model, max(1, threads), exclude=EXCLUDE)
    if it.initialize():
        while True:
            shape = it.get()
            g = shape.geometry
            f = np.asarray(g.faces, dtype=np.int64).reshape(-1, 3)
            if len(f):
                shapes.append((int(shape.id), shape.type, np.asarray(g.verts, dtype=np.float64).reshape(-1, 3), f))
            if not it.next():
                break
    shapes.sort(key=lambda t: t[0])  # deterministic output: same file, same arrays
    verts, faces, owner, types, ids = [], [], [], [], []
    base = 0
    for k, (sid, stype, v, f) in enumerate(shapes):
        verts.append(v)
        faces.append(f + base)
        owner.append(np.full(len(f), k, dtype=np.int64))
        base += len(v)
        types.append(stype)
        ids.append(sid)
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
        return _load(out)


def _load(out: str) -> Tessellation:
    with np.load(out) as z:
        return Tessellation(vertices=z["vertices"], faces=z["faces"], face_element=z["face_element"],
                            element_types=[str(t) for t in z["element_types"]],
                            element_ids=[int(i) for i in z["element_ids"]])


class TessellationWorker:
    """A long-lived child process tessellating one file after another.

    Starting Python and importing ifcopenshell costs ~0.5 s, too much per model in a
    batch of hundreds. The worker reads one request per line and answers one line;
    when a file crashes it (or times out), that file is reported and a fresh worker
    is started for the next one.
    """

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, threads: int | None = None):
        self.timeout = timeout
        self.threads = threads or max(1, (os.cpu_count() or 1))
        self._proc: subprocess.Popen | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="lzt-ifc-")

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(Path(__file__).resolve().parents[1])] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
        return subprocess.Popen([sys.executable, "-m", "bim_import.tessellate", "--serve", str(self.threads)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=env, text=True, bufsize=1)

    def tessellate(self, path: str | Path) -> Tessellation:
        import select

        path = Path(path)
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        out = str(Path(self._tmp.name) / "geom.npz")
        Path(out).unlink(missing_ok=True)
        self._proc.stdin.write(json.dumps({"path": str(path), "out": out}) + "\n")
        self._proc.stdin.flush()
        ready, _, _ = select.select([self._proc.stdout], [], [], self.timeout)
        line = self._proc.stdout.readline() if ready else None
        if line is None:
            self._kill()
            raise LztInputError(path, f"tessellation took longer than {self.timeout:.0f} s and was stopped")
        if not line:  # the worker died on this file
            code = self._proc.wait()
            self._proc = None
            name = signal.Signals(-code).name if code < 0 and -code in signal.Signals._value2member_map_ \
                else f"exit code {code}"
            raise LztInputError(path, f"the IFC geometry engine crashed on this file ({name}); "
                                      "its placements or geometry are broken")
        if not line.startswith("ok"):
            raise LztInputError(path, f"cannot tessellate: {line[4:].strip()[:200]}")
        return _load(out)

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.stdin.close()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._kill()
        self._proc = None
        self._tmp.cleanup()

    def __enter__(self) -> TessellationWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(threads: int) -> None:
    """Worker loop: one JSON request per stdin line, one 'ok'/'err …' line back."""
    for line in sys.stdin:
        req = json.loads(line)
        try:
            _worker(req["path"], req["out"], threads)
            sys.stdout.write("ok\n")
        except Exception as exc:  # a Python-level failure: report and go on
            sys.stdout.write(f"err {type(exc).__name__}: {' '.join(str(exc).split())}\n")
        sys.stdout.flush()


if __name__ == "__main__":  # the child process
    if sys.argv[1] == "--serve":
        _serve(int(sys.argv[2]))
    else:
        _run(sys.argv[1], sys.argv[2], int(sys.argv[3]))
