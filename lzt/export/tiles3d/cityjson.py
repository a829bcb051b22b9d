"""Write models as CityJSON 2.0: white models as LOD1 solids, BIM models as LOD2 surfaces.

Vertices are integers under a ``transform`` (millimetres: ``scale`` 0.001), so coordinates go
out to the millimetre and the footprint and heights come back exactly that precise. Each
white model's solid has semantic surfaces (GroundSurface, RoofSurface, WallSurface) and the
attribute ``measuredHeight``; the CRS is the workspace's (``metadata.referenceSystem``).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.export.tiles3d.sources import Models, bim_triangles

SCALE = 0.001
VERSION = "2.0"


@dataclass
class CityJsonResult:
    """What a CityJSON export wrote (the ``lzt export3d --json`` record)."""

    path: str
    models: int
    vertices: int
    bytes: int
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"path": self.path, "format": "cityjson", "version": VERSION, "models": self.models,
                "vertices": self.vertices, "bytes": self.bytes, "skipped": len(self.skipped),
                "skipped_examples": self.skipped[:20], "seconds": round(self.seconds, 2)}


def crs_uri(crs: str) -> str:
    """The OGC URI CityJSON wants for an EPSG CRS."""
    auth = crsmod.parse_crs(crs).to_authority(min_confidence=90)
    if auth is None:
        raise LztInputError(crs, "CityJSON needs an EPSG CRS; this workspace's CRS has no EPSG code")
    return f"https://www.opengis.net/def/crs/{auth[0]}/0/{auth[1]}"


def write_cityjson(ws, models: Models, out: str | Path, *, feedback: Feedback | None = None) -> CityJsonResult:
    """Write ``models`` to the CityJSON file ``out`` (replaced whole, never half written)."""
    if len(models) == 0:
        raise LztInputError(str(out), "nothing to export: no model matches")
    fb = ensure(feedback)
    t0 = time.perf_counter()
    out = Path(out)
    table = models.table
    vertices = _Vertices()
    objects: dict[str, dict] = {}
    n = len(table)
    for pos in range(n):
        if pos % 2000 == 0:
            fb.check()
            fb.progress(pos, n, "写入 CityJSON")
        row = table.iloc[pos]
        if row["kind"] == "white":
            geometry = _solid(row["geometry"], float(row["base"]), float(row["base"] + row["height"]), vertices)
        else:
            tris = bim_triangles(ws, row["source"], (row["origin_x"], row["origin_y"], row["base"]))
            geometry = _multisurface(tris, vertices)
        key = _unique_key(f"{row['layer']}-{row['id']}", objects)
        attrs = {k: v for k, v in models.attributes[pos].items() if v is not None}
        attrs.update({"measuredHeight": round(float(row["height"]), 3), "lzt_layer": row["layer"],
                      "lzt_fid": int(row["fid"])})
        objects[key] = {"type": "Building", "attributes": attrs, "geometry": [geometry]}
    ints, translate = vertices.finish()
    lo = ints.min(axis=0) * SCALE + translate
    hi = ints.max(axis=0) * SCALE + translate
    doc = {"type": "CityJSON", "version": VERSION,
           "transform": {"scale": [SCALE] * 3, "translate": [float(v) for v in translate]},
           "metadata": {"referenceSystem": crs_uri(ws.crs),
                        "geographicalExtent": [round(float(v), 3) for v in (*lo, *hi)]},
           "CityObjects": objects, "vertices": ints.tolist()}
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fb.progress(n, n, "写入 CityJSON")
    return CityJsonResult(path=str(out), models=n, vertices=len(ints), bytes=out.stat().st_size,
                          skipped=list(models.skipped), seconds=time.perf_counter() - t0)


class _Vertices:
    """The shared vertex list, deduplicated on the millimetre grid."""

    def __init__(self):
        self._index: dict[tuple[int, int, int], int] = {}
        self._translate: np.ndarray | None = None

    def add(self, xyz: np.ndarray) -> list[int]:
        xyz = np.asarray(xyz, dtype=float)
        if self._translate is None:
            self._translate = np.floor(xyz[0])
        grid = np.rint((xyz - self._translate) / SCALE).astype(np.int64)
        return [self._index.setdefault(t, len(self._index)) for t in map(tuple, grid.tolist())]

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        ints = np.array(list(self._index), dtype=np.int64).reshape(-1, 3)
        return ints, (self._translate if self._translate is not None else np.zeros(3))


def _solid(footprint, base: float, top: float, vertices: _Vertices) -> dict:
    """An LOD1 solid of a footprint extruded from ``base`` to ``top``, with semantic surfaces."""
    surfaces, values = [], []
    for poly in shapely.get_parts(shapely.orient_polygons(footprint)):
        rings = [np.asarray(poly.exterior.coords)[:-1]] + [np.asarray(r.coords)[:-1] for r in poly.interiors]
        low = [vertices.add(np.column_stack([r, np.full(len(r), base)])) for r in rings]
        high = [vertices.add(np.column_stack([r, np.full(len(r), top)])) for r in rings]
        surfaces.append([lr[::-1] for lr in low])  # ground: clockwise from above, so facing down
        values.append(0)
        surfaces.append(high)  # roof: counter-clockwise from above
        values.append(1)
        for lr, hr in zip(low, high):
            for i in range(len(lr)):
                j = (i + 1) % len(lr)
                surfaces.append([[lr[i], lr[j], hr[j], hr[i]]])
                values.append(2)
    return {"type": "Solid", "lod": "1", "boundaries": [surfaces],
            "semantics": {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"},
                                       {"type": "WallSurface"}], "values": [values]}}


def _multisurface(tris: np.ndarray, vertices: _Vertices) -> dict:
    """A BIM mesh as an LOD2 multi-surface of its triangles."""
    ids = np.asarray(vertices.add(tris.reshape(-1, 3))).reshape(-1, 3)
    keep = (ids[:, 0] != ids[:, 1]) & (ids[:, 1] != ids[:, 2]) & (ids[:, 0] != ids[:, 2])
    return {"type": "MultiSurface", "lod": "2", "boundaries": [[t] for t in ids[keep].tolist()]}


def _unique_key(key: str, taken: dict) -> str:
    if key not in taken:
        return key
    i = 2
    while f"{key}-{i}" in taken:
        i += 1
    return f"{key}-{i}"
