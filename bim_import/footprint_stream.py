"""The footprint union of a large model, started while its elements are still being tessellated.

Tessellation runs on one core and holds the GIL; the float union of the projected triangles
(``footprint``'s large-model path) runs in GEOS, which releases it. ``add`` only keeps each
element's triangles; batches of elements go to a worker thread that projects them with a few
whole-batch numpy operations (which release the GIL too: the tessellating thread is not held
up by per-element Python) and unites them in chunks as they come. The faces taken are those
``reference_level`` keeps: elements above ground (not IfcSpace), faces reaching over the
reference level, which must be known before tessellation (a storey elevation; not "lowest
geometry"). A model under ``SPLIT_TRIANGLES`` projected triangles gets no result here: its grid
union stays as it was. Of an element that is a closed surface wholly over the reference level
only the faces turning one way are united (``one_side``: the same projection; the Mini
Project's union 2.8 → 1.4 s). The chunks are the same, element for element, as when each
element was projected on its own as it came (``_chunk_ends``).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import shapely

from bim_import.footprint import BELOW_GROUND, SPLIT_TRIANGLES, _distinct, _polygons

CHUNK = 2_000  # projected triangles per union job
BATCH = 2_000  # faces handed to the thread at a time
SKIPPED = BELOW_GROUND | {"IfcSpace"}


def _unite(tri: np.ndarray):
    return shapely.union_all(_polygons(_distinct(tri)))


def _project_batch(elements: list[tuple[np.ndarray, np.ndarray]], base_z: float):
    """Per element: the projected triangles counted for the union's method (faces reaching over
    ``base_z`` with a projection), and those to unite (of a closed surface wholly over it, the
    faces turning anticlockwise; else the counted ones), concatenated in element order.

    Returns (counted per element, united per element, the united triangles (n, 3, 2))."""
    nv = np.fromiter((len(v) for v, _ in elements), dtype=np.int64, count=len(elements))
    nf = np.fromiter((len(f) for _, f in elements), dtype=np.int64, count=len(elements))
    vert = np.concatenate([v for v, _ in elements])
    face = np.concatenate([f for _, f in elements]) + np.repeat(np.cumsum(nv) - nv, nf)[:, None]
    owner = np.repeat(np.arange(len(elements)), nf)
    tri = vert[face]
    reach = tri[:, :, 2].max(axis=1) > base_z + 0.1
    xy = tri[:, :, :2]
    signed = ((xy[:, 1, 0] - xy[:, 0, 0]) * (xy[:, 2, 1] - xy[:, 0, 1])
              - (xy[:, 2, 0] - xy[:, 0, 0]) * (xy[:, 1, 1] - xy[:, 0, 1]))
    counted = reach & (np.abs(signed) > 1e-8)
    n_counted = np.bincount(owner[counted], minlength=len(elements))
    whole = np.bincount(owner[~reach], minlength=len(elements)) == 0
    # closed surfaces (``closed_surface`` per element): every directed edge has its reverse, as
    # often. Vertex numbers are distinct between elements, so the sorted edge codes of each
    # element keep their own stretch, the same one in both orders
    a, b = face.ravel(), face[:, [1, 2, 0]].ravel()
    m = np.int64(len(vert))
    differ = np.sort(a * m + b) != np.sort(b * m + a)
    closed = (np.bincount(np.repeat(owner, 3)[differ], minlength=len(elements)) == 0) & (nf > 0)
    one = (whole & closed)[owner]
    keep = np.where(one, signed > 1e-8, counted)
    n_kept = np.bincount(owner[keep], minlength=len(elements))
    return n_counted, n_kept, xy[keep]


class FootprintStream:
    """Collects elements' triangles (``add``) and unites them in chunks on a worker thread."""

    def __init__(self, base_z: float):
        self.base_z = base_z
        self._raw: list[tuple[np.ndarray, np.ndarray]] = []  # elements not handed to the thread yet
        self._raw_faces = 0
        self._faces = 0  # faces given: no fewer than the projected triangles
        # the thread's state: what is waiting for the next chunk, the triangles counted so far
        self._pending: list[np.ndarray] = []
        self._n_pending = 0
        self._counted = 0
        self._parts: list[tuple[int, object]] = []  # (level, chunks united): see ``_unite_pending``
        self._jobs: list[Future] = []
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="lzt-footprint-stream")

    def add(self, ifc_type: str, vertices: np.ndarray, faces: np.ndarray) -> None:
        """One element's triangles (world coordinates, metres)."""
        if ifc_type in SKIPPED or not len(faces):
            return
        self._raw.append((vertices, faces))
        self._faces += len(faces)
        self._raw_faces += len(faces)
        # no work on a model too small to be united here
        if self._faces >= SPLIT_TRIANGLES and self._raw_faces >= BATCH:
            self._hand_over()

    def _hand_over(self) -> None:
        if self._raw:
            self._jobs.append(self._pool.submit(self._project, self._raw))
            self._raw, self._raw_faces = [], 0

    def _project(self, elements: list) -> None:
        """On the thread: project a batch and unite every chunk it completes, element by element as
        ``add`` once did: a chunk closes after the element that brings it to ``CHUNK`` triangles
        once ``SPLIT_TRIANGLES`` have been counted; elements with nothing counted are passed over."""
        n_counted, n_kept, tri = _project_batch(elements, self.base_z)
        ends = np.cumsum(n_kept)
        start = 0  # of this batch's triangles not yet pending
        for k in np.flatnonzero(n_counted):
            self._counted += int(n_counted[k])
            self._n_pending += int(n_kept[k])
            if self._n_pending >= CHUNK and self._counted >= SPLIT_TRIANGLES:
                self._pending.append(tri[start:ends[k]])
                start = int(ends[k])
                self._unite_pending()
        if start < len(tri):
            self._pending.append(tri[start:])

    def _unite_pending(self) -> None:
        """Unite the chunk pending, and merge it into the parts as a binary counter does: two parts
        of the same level (chunks merged) become one of the next, so a part holds 2^level chunks
        and there are never more than log2(chunks) + 1. Little is left for ``result`` to unite once
        the last element has come (chunks of 8,000 triangles, all merged at the end, left ~0.2 s
        of the Mini Project's union after its tessellation; 2,000 in this tree ~0.08 s)."""
        if self._pending:
            part, level = _unite(np.concatenate(self._pending)), 0
            self._pending, self._n_pending = [], 0
            while self._parts and self._parts[-1][0] == level:
                part, level = shapely.union_all([self._parts.pop()[1], part]), level + 1
            self._parts.append((level, part))

    @property
    def triangles(self) -> int:
        """Projected triangles counted so far (what decides the union's method): waits for the thread."""
        if self._faces >= SPLIT_TRIANGLES:
            self._hand_over()
        for j in self._jobs:
            j.result()
        return self._counted

    def result(self):
        """The union on the 1 mm grid, or None for a model small enough for the grid union."""
        try:
            if self._faces < SPLIT_TRIANGLES:
                return None
            if self.triangles < SPLIT_TRIANGLES:
                return None
            self._pool.submit(self._unite_pending).result()
            union = shapely.set_precision(shapely.union_all([part for _, part in self._parts]), 0.001)
            # each ring from a fixed vertex: Douglas-Peucker (``footprint_of``) keeps a ring's first point,
            # so the simplified footprint of the Mini Project moved by up to 0.01 m² between orders
            # of the same elements, 2e-4 m² normalised (and 5.5 mm -> 1 mm apart)
            return shapely.normalize(union)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the thread (pending jobs are dropped)."""
        for j in self._jobs:
            j.cancel()
        self._pool.shutdown(wait=True)
