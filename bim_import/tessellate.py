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

from lzt.core.errors import LztInputError
from lzt.core.lazy import lazy_module

np = lazy_module("numpy")  # on first use: ``bim_import.pool`` starts its workers before numpy is loaded

EXCLUDE = ("IfcOpeningElement", "IfcSite", "IfcAnnotation", "IfcGrid",
           "IfcVirtualElement", "IfcDistributionPort")
DEFAULT_TIMEOUT = 600.0
# ifcopenshell 0.9's geometry libraries; the hybrid one (CGAL's simple kernel, OpenCascade where
# CGAL cannot) tessellated the real models 2.4-2.7x faster than OpenCascade alone, within 1 mm
SAFE_KERNEL = "opencascade"
KERNELS = ("hybrid-cgal-simple-opencascade", SAFE_KERNEL, "cgal", "cgal-simple")
KERNEL_ENV = "LZT_IFC_KERNEL"


def kernel_from_env() -> str:
    """The geometry library to try first: ``$LZT_IFC_KERNEL`` or the hybrid CGAL/OpenCascade one."""
    name = os.environ.get(KERNEL_ENV, "").strip() or KERNELS[0]
    if name not in KERNELS:
        raise LztInputError(KERNEL_ENV, f"unknown IFC geometry kernel {name!r}; one of {', '.join(KERNELS)}")
    return name


@dataclass
class Tessellation:
    """Triangles of every element, in local coordinates in metres (world placement applied)."""

    vertices: np.ndarray  # (n, 3) float64
    faces: np.ndarray  # (m, 3) int64 into vertices
    face_element: np.ndarray  # (m,) int64 into elements
    element_types: list[str]  # IFC class per element
    element_ids: list[int]  # STEP id per element
    failed_elements: int = 0
    kernel: str = SAFE_KERNEL  # the geometry library that produced it
    fallback_elements: int = 0  # elements the first library left out, re-tessellated with SAFE_KERNEL
    fallback_note: str = ""  # why the whole file was tessellated with SAFE_KERNEL ("" when it was not)
    helper_note: str = ""  # what forks tessellating beside the reader could not do (their chunks done by it)

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
                            failed_elements=self.failed_elements, kernel=self.kernel,
                            fallback_elements=self.fallback_elements, fallback_note=self.fallback_note,
                            helper_note=self.helper_note)

    @property
    def kernel_label(self) -> str:
        """The kernel as reported: its name, plus the elements taken from the fallback library."""
        if self.fallback_elements:
            return f"{self.kernel}+{SAFE_KERNEL} ({self.fallback_elements} elements)"
        return self.kernel


def _shapes(model, kernel: str, threads: int, include=None, on_shape=None) -> dict[int, tuple]:
    """STEP id -> (type, vertices, faces) of every element ``kernel`` triangulates; each is also
    given to ``on_shape(type, vertices, faces)`` as it comes."""
    import ifcopenshell.geom

    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    out: dict[int, tuple] = {}
    kw = {"include": include} if include is not None else {"exclude": EXCLUDE}
    it = ifcopenshell.geom.iterator(settings, model, max(1, threads), geometry_library=kernel, **kw)
    if it.initialize():
        while True:
            shape = it.get()
            g = shape.geometry
            f = np.asarray(g.faces, dtype=np.int64).reshape(-1, 3)
            if len(f):
                out[int(shape.id)] = (shape.type, np.asarray(g.verts, dtype=np.float64).reshape(-1, 3), f)
                if on_shape is not None:
                    on_shape(*out[int(shape.id)])
            if not it.next():
                break
    return out


def _excluded_ids(model) -> set[int]:
    out: set[int] = set()
    for c in EXCLUDE:
        try:
            out.update(e.id() for e in model.by_type(c))  # subtypes included, as is_a(c)
        except RuntimeError:  # class absent from this schema
            pass
    return out


def _expected(model, have=()) -> list:
    """The products a complete tessellation should hold (with a representation, not excluded), in
    file order; those whose ids are in ``have`` are taken as held without looking at them."""
    skip = _excluded_ids(model) | set(have)
    return [p for p in model.by_type("IfcProduct") if p.id() not in skip and p.Representation is not None]


def tessellate_model(model, kernel: str = SAFE_KERNEL, threads: int = 1, on_shape=None,
                     helpers: int = 0) -> Tessellation:
    """Triangulate an open model in this process (a worker's: it can crash on broken files).

    Elements ``kernel`` leaves out are tried again with ``SAFE_KERNEL``; those it triangulates are
    counted in ``fallback_elements``. Keep ``model`` referenced while this runs.
    ``on_shape(type, vertices, faces)`` sees each element's triangles as they come.
    ``helpers``: forks of this process that tessellate chunks of the elements beside it
    (``bim_import.tessellate_split``; on Linux, for 64 elements or more): the same triangles, sooner.
    """
    split = None
    if helpers > 0:
        from bim_import.tessellate_split import split_shapes

        split = split_shapes(lambda include: _shapes(model, kernel, 1, include=include), _expected(model),
                             helpers, on_shape)
    shapes = split.shapes if split is not None else _shapes(model, kernel, threads, on_shape=on_shape)
    fallback = 0
    if kernel != SAFE_KERNEL:
        missing = _expected(model, shapes)
        if missing:
            extra = _shapes(model, SAFE_KERNEL, 1, include=missing, on_shape=on_shape)
            fallback = len(extra)
            shapes.update(extra)
    t = _pack(shapes, kernel, fallback)
    t.helper_note = split.note if split is not None else ""
    return t


def _pack(shapes: dict[int, tuple], kernel: str, fallback: int) -> Tessellation:
    verts, faces, owner, types, ids = [], [], [], [], []
    base = 0
    for k, sid in enumerate(sorted(shapes)):  # deterministic: same file, same arrays
        stype, v, f = shapes[sid]
        verts.append(v)
        faces.append(f + base)
        owner.append(np.full(len(f), k, dtype=np.int64))
        base += len(v)
        types.append(stype)
        ids.append(sid)
    return Tessellation(vertices=np.concatenate(verts) if verts else np.empty((0, 3)),
                        faces=np.concatenate(faces) if faces else np.empty((0, 3), dtype=np.int64),
                        face_element=np.concatenate(owner) if owner else np.empty(0, dtype=np.int64),
                        element_types=types, element_ids=ids, kernel=kernel, fallback_elements=fallback)


def _worker(path: str, out: str, threads: int, kernel: str = SAFE_KERNEL) -> None:
    """Child process: tessellate and save arrays to ``out`` (an .npz)."""
    import ifcopenshell

    model = ifcopenshell.open(path)
    t = tessellate_model(model, kernel, threads)
    np.savez(out, vertices=t.vertices, faces=t.faces, face_element=t.face_element,
             element_types=np.array(t.element_types, dtype=str), element_ids=np.array(t.element_ids, dtype=np.int64),
             kernel=np.array(t.kernel), fallback_elements=np.array(t.fallback_elements))


def _run(path: str, out: str, threads: int, kernel: str) -> None:
    try:
        _worker(path, out, threads, kernel)
    except BaseException as exc:  # report, do not hang the parent
        Path(out + ".err").write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
        os._exit(3)
    os._exit(0)


def _child_env() -> dict:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(__file__).resolve().parents[1])] + [p for p in [os.environ.get("PYTHONPATH")] if p]))


def crash_reason(code: int) -> str:
    """A child's exit code in words (the signal's name when it was killed by one)."""
    if code < 0 and -code in signal.Signals._value2member_map_:
        return signal.Signals(-code).name
    return f"exit code {code}"


def with_fallback(path: Path, kernel: str, attempt) -> Tessellation:
    """``attempt(kernel)``, and when ``kernel`` crashes or fails on the file, ``attempt(SAFE_KERNEL)``.

    A timeout is not retried. The result records why the fallback was needed.
    """
    try:
        return attempt(kernel)
    except LztInputError as exc:
        if kernel == SAFE_KERNEL or "longer than" in exc.problem:
            raise
        first = exc.problem
    t = attempt(SAFE_KERNEL)
    t.fallback_note = f"{kernel}: {first}; read with {SAFE_KERNEL}"
    return t


def tessellate(path: str | Path, *, timeout: float = DEFAULT_TIMEOUT, threads: int = 1,
               kernel: str | None = None) -> Tessellation:
    """Triangulate every element of an IFC file in a child process (``kernel``, else ``SAFE_KERNEL``)."""
    path = Path(path)
    return with_fallback(path, kernel or kernel_from_env(), lambda k: _tessellate_once(path, timeout, threads, k))


def _tessellate_once(path: Path, timeout: float, threads: int, kernel: str) -> Tessellation:
    with tempfile.TemporaryDirectory(prefix="lzt-ifc-") as tmp:
        out = str(Path(tmp) / "geom.npz")
        cmd = [sys.executable, "-m", "bim_import.tessellate", str(path), out, str(threads), kernel]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=_child_env())
        except subprocess.TimeoutExpired:
            raise LztInputError(path, f"tessellation took longer than {timeout:.0f} s and was stopped") from None
        code = proc.returncode
        if code < 0:
            raise LztInputError(path, f"the IFC geometry engine crashed on this file ({crash_reason(code)}); "
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
                            element_ids=[int(i) for i in z["element_ids"]], kernel=str(z["kernel"]),
                            fallback_elements=int(z["fallback_elements"]))


class TessellationWorker:
    """A long-lived child process tessellating one file after another.

    Starting Python and importing ifcopenshell costs ~0.5 s, too much per model in a
    batch of hundreds. The worker reads one request per line and answers one line;
    when a file crashes it (or times out), that file is reported and a fresh worker
    is started for the next one. A file the first kernel crashes on is read again with
    ``SAFE_KERNEL`` (``Tessellation.fallback_note`` says so).
    """

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, threads: int = 1, kernel: str | None = None):
        self.timeout = timeout
        self.threads = threads
        self.kernel = kernel or kernel_from_env()
        self._proc: subprocess.Popen | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="lzt-ifc-")

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "bim_import.tessellate", "--serve", str(self.threads)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=_child_env(), text=True, bufsize=1)

    def tessellate(self, path: str | Path) -> Tessellation:
        path = Path(path)
        return with_fallback(path, self.kernel, lambda k: self._once(path, k))

    def _once(self, path: Path, kernel: str) -> Tessellation:
        import select

        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        out = str(Path(self._tmp.name) / "geom.npz")
        Path(out).unlink(missing_ok=True)
        self._proc.stdin.write(json.dumps({"path": str(path), "out": out, "kernel": kernel}) + "\n")
        self._proc.stdin.flush()
        ready, _, _ = select.select([self._proc.stdout], [], [], self.timeout)
        line = self._proc.stdout.readline() if ready else None
        if line is None:
            self._kill()
            raise LztInputError(path, f"tessellation took longer than {self.timeout:.0f} s and was stopped")
        if not line:  # the worker died on this file
            code = self._proc.wait()
            self._proc = None
            raise LztInputError(path, f"the IFC geometry engine crashed on this file ({crash_reason(code)}); "
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
            _worker(req["path"], req["out"], threads, req.get("kernel", SAFE_KERNEL))
            sys.stdout.write("ok\n")
        except Exception as exc:  # a Python-level failure: report and go on
            sys.stdout.write(f"err {type(exc).__name__}: {' '.join(str(exc).split())}\n")
        sys.stdout.flush()


if __name__ == "__main__":  # the child process
    if sys.argv[1] == "--serve":
        _serve(int(sys.argv[2]))
    else:
        _run(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
