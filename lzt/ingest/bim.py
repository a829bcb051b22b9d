"""Import BIM models into a workspace: the ``bim_models`` layer and a GLB mesh per model.

Each file is read on its own (geometry in a child process) and its mesh written
soon after (meshes are stored a few MB at a time, one transaction each), so memory does not
grow with the batch; the ``bim_models`` layer (small rows) is written when the batch ends. A bad file is reported with its reason and the batch
goes on. A model is identified by its resolved
source path: importing the same file again updates its row and mesh. Models
without georeferencing (and without a user placement) are stored unplaced, with
no footprint on the map: never put at (0, 0). A user placement (``UserPlacement``:
origin, rotation, CRS) overrides the file's own georeferencing, with a warning naming
what was overridden. Footprints and meshes are placed with the georeferencing and
reprojected to the workspace CRS, and the stored footprint must measure what the
model measures (within ``TRUE_SIZE_TOL``), else the model is refused; meshes are
stored as GLB relative to an origin kept with the row (float32 cannot hold
CGCS2000 coordinates to the millimetre).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from bim_import.formats import IFC, sniff_model
from bim_import.glb import glb_bytes
from lzt.ingest.bim_placement import Placement, UserPlacement
from layers import formats
from bim_import.model import Georef
from layers.kinds import LayerKind
from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.workspace.base import Workspace
from lzt.workspace.field_types import plain_columns

#: the blob kind of each imported model's mesh (GLB, relative to ``mesh_origin_x/y``, Z up)
MESH_BLOBS = "bim_mesh"


def read_model_mesh(ws: Workspace, source: str, origin: tuple[float, ...] = (0.0, 0.0, 0.0), *,
                    merge_vertices: bool = True) -> tuple[np.ndarray, np.ndarray] | None:
    """A model's stored mesh as (vertices + ``origin``, faces), or None when it is missing or
    empty. ``merge_vertices``: trimesh's processing (shared vertices merged) or the GLB as stored."""
    import trimesh

    blob = ws.get_blob(MESH_BLOBS, str(source))
    if blob is None:
        return None
    mesh = trimesh.load(io.BytesIO(blob), file_type="glb", force="mesh", process=merge_vertices)
    if len(mesh.faces) == 0:
        return None
    o = np.zeros(3)
    o[:len(origin)] = np.asarray(origin, dtype=float)
    return np.asarray(mesh.vertices, dtype=float) + o, np.asarray(mesh.faces)

LAYER = "bim_models"
#: what the IFC reader processes import ahead (the pickled ``Placement``'s module)
READER_PRELOAD = ("lzt.ingest.bim_placement",)
MODEL_SUFFIXES = set(formats.suffixes("bim"))  # what a folder is searched for (a named file is read by content)
TRUE_SIZE_TOL = 0.01  # stored footprint area vs the model's own, relative


@dataclass
class BimResult:
    """One file of a `lzt bim` run (the --json record)."""

    file: str
    status: str  # imported | updated | failed | unplaced
    error: str | None = None
    name: str | None = None
    schema: str | None = None
    georef_source: str | None = None
    footprint_area_m2: float | None = None
    height_m: float | None = None
    storeys: int | None = None
    gfa_m2: float | None = None
    gfa_method: str | None = None
    gfa_estimates: dict[str, float] = field(default_factory=dict)
    centroid: list[float] | None = None
    georef: dict | None = None  # the georeferencing used (with the reading of Scale)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    outside_area: bool = False  # failed because it lies outside the workspace's region
    kernel: str | None = None  # the IFC geometry library used (with the elements taken from the fallback)

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in ("file", "status", "error", "name", "schema", "georef_source",
                                              "footprint_area_m2", "height_m", "storeys", "gfa_m2",
                                              "gfa_method", "gfa_estimates", "centroid", "georef",
                                              "kernel", "warnings")} | {"seconds": round(self.seconds, 2)}


def find_models(paths: list[str | Path]) -> list[Path]:
    """Model files among ``paths`` (folders are searched recursively), sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in MODEL_SUFFIXES)
        elif p.exists():
            out.append(p)
        else:
            raise LztInputError(p, "no such file or folder")
    return out


def _to_workspace(georef, ws_crs: str):
    """A function mapping local metres (n x 3) to workspace coordinates (n x 3)."""
    src = crsmod.parse_crs(georef.crs, source="georeferencing")
    tr = crsmod.transformer(src, crsmod.parse_crs(ws_crs))

    def f(xyz: np.ndarray) -> np.ndarray:
        placed = georef.apply(np.asarray(xyz, dtype=float))
        x, y = tr.transform(placed[:, 0], placed[:, 1])
        return np.column_stack([x, y, placed[:, 2]])

    return f


def _area_m2(geom, crs) -> float:
    """Area of a polygon in ``crs`` in square metres (geodesic for lon/lat)."""
    if crs.is_geographic:
        from pyproj import Geod

        return abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0])
    unit = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
    return float(geom.area) * unit * unit


def check_true_size(footprint_ws, model_area_m2: float, ws_crs: str, georef: Georef, path) -> None:
    """The stored footprint must measure what the model measures (the importer's invariant)."""
    from bim_import.georef import describe

    stored = _area_m2(footprint_ws, crsmod.parse_crs(ws_crs))
    if model_area_m2 > 0 and abs(stored / model_area_m2 - 1.0) > TRUE_SIZE_TOL:
        raise LztInputError(path, f"placed in {ws_crs} its footprint would measure {stored:.4g} m² where the "
                                  f"model measures {model_area_m2:.4g} m² ({stored / model_area_m2:.3g}×): "
                                  f"its georeferencing ({describe(georef)}) does not keep true size")


def import_bim(ws: Workspace, paths: list[str | Path], *, origin: tuple[float, ...] | None = None,
               rotation: float | None = None, crs: str | None = None,
               feedback: Feedback | None = None, pool=None) -> list[BimResult]:
    """Import models; returns one result per file (failed files included).

    ``origin``/``rotation``/``crs`` are a user placement (``UserPlacement``) that overrides
    each file's own georeferencing. ``pool`` reads the IFC files (default: a
    ``bim_import.pool.ModelReaderPool``; the demo builder passes the models its workers read).
    """
    from bim_import.mesh import read_mesh_model
    from bim_import.pool import ModelReaderPool

    fb = ensure(feedback)
    files = find_models(paths)
    if not files:
        raise LztInputError(" ".join(map(str, paths)), "no IFC or mesh (glTF/OBJ/PLY/STL) files found")
    if crs:
        crsmod.parse_crs(crs, source="--crs")
    user = UserPlacement(origin, rotation, crs)
    formats, jobs = [], []
    for path in files:
        try:
            fmt = sniff_model(path)
        except LztInputError as exc:
            fmt = exc
        formats.append(fmt)
        jobs.append((path, Placement(user, ws.crs, path)) if fmt == IFC else None)
    results: list[BimResult] = []
    with pool or ModelReaderPool(preload=READER_PRELOAD) as pool:
        # the readers have their first files before the existing rows are read; a cancel stops a read
        outcomes = pool.imap(jobs, cancelled=lambda: fb.cancelled)
        had_layer = ws.has_layer(LAYER)
        if had_layer or not hasattr(ws, "write_arrays"):
            # the layer's write needs geopandas (~1 s of imports): loaded while the models are read
            threading.Thread(target=importlib.import_module, args=("geopandas",), daemon=True).start()
        rows: dict[str, dict] = {}
        geoms: dict[str, object] = {}
        if had_layer:
            existing = ws.read_features(LAYER)
            for _, r in existing.iterrows():
                rows[r["source"]] = {k: r[k] for k in existing.columns if k != existing.geometry.name}
                geoms[r["source"]] = r.geometry
        # meshes are stored as they come, under a kind of this import's own, and become the models'
        # meshes with the rows, in one transaction: a cancel or a failure leaves both as they were
        staged = f"{MESH_BLOBS}:importing:{uuid.uuid4().hex}"
        try:
            imported = _import_files(ws, files, formats, outcomes, rows, geoms, results, read_mesh_model, user,
                                     fb, staged)
            fb.progress(len(files), len(files), "写入工作空间")
            if imported:
                with ws.transaction():
                    ws.move_blobs(staged, MESH_BLOBS)
                    _write_layer(ws, rows, geoms, had_layer)
        except BaseException:
            try:
                ws.delete_blobs(staged)  # what a cancelled or failed import staged
            except Exception:  # the first error is the one to tell; a staged kind is never read
                pass
            raise
    return results


def _write_layer(ws: Workspace, rows: dict[str, dict], geoms: dict[str, object], had_layer: bool) -> None:
    """The ``bim_models`` layer, every row: from plain arrays into a new GeoPackage layer (no
    geopandas: ~0.45 s of CPU to import, the same stored rows), else through a GeoDataFrame
    (rows read back from an existing layer carry pandas' types)."""
    keys = list(rows)
    plain = None if had_layer or not hasattr(ws, "write_arrays") else plain_columns([rows[k] for k in keys])
    if plain is not None:
        shapes = np.empty(len(keys), dtype=object)
        shapes[:] = [_multi(geoms[k]) for k in keys]
        ws.write_arrays(LAYER, shapes, *plain, kind=LayerKind.BIM, source="lzt bim", replace=True)
        return
    import geopandas as gpd  # here, not at the top: the readers start before this process loads it
    import pandas as pd

    gdf = gpd.GeoDataFrame(pd.DataFrame([rows[k] for k in keys]),
                           geometry=gpd.GeoSeries([_multi(geoms[k]) for k in keys]), crs=ws.crs)
    ws.write_layer(LAYER, gdf, kind=LayerKind.BIM, source="lzt bim", replace=True)


def _import_files(ws, files, formats, outcomes, rows, geoms, results, read_mesh_model, user: UserPlacement,
                  fb, staged: str) -> int:
    imported = 0
    meshes = _MeshWriter(ws, staged)
    t0 = time.perf_counter()
    outcomes = iter(outcomes)
    for i, (path, fmt) in enumerate(zip(files, formats)):
        fb.check()
        fb.progress(i, len(files), f"导入模型 {path.name}")  # before its outcome: said while it is read
        outcome = next(outcomes)
        fb.check()  # an outcome read before a cancel is not stored after it
        key = str(path.resolve())
        res = BimResult(file=str(path), status="failed")
        try:
            if isinstance(fmt, LztInputError):
                raise fmt
            if fmt == IFC:
                if outcome.error is not None:
                    raise outcome.error
                model, placement = outcome.model, outcome.placement
                georef = model.georef
            else:
                placement = Placement(user, ws.crs, path)
                model = read_mesh_model(path, fmt)
                georef = placement(model.georef)
            placement_warnings = placement.warnings
            res.kernel = model.kernel or None
            res.name, res.schema, res.georef_source = model.name, model.schema, georef.kind
            res.georef = georef.to_json()
            res.height_m = round(model.height_m, 3)
            res.storeys = model.storey_count
            res.gfa_m2 = None if model.gfa_m2 is None else round(model.gfa_m2, 2)
            res.gfa_method = model.gfa_method
            res.gfa_estimates = dict(model.gfa_estimates)
            res.footprint_area_m2 = round(float(model.footprint.area), 2)
            res.warnings = placement_warnings + list(model.warnings)
            if model.kernel_note:
                res.warnings.append(f"geometry kernel fallback: {model.kernel_note}")
            if path.suffix.lower() != fmt:
                res.warnings.insert(0, f"this is {'an IFC' if fmt == IFC else 'a ' + fmt[1:].upper()} file, "
                                       f"named {path.suffix or 'without a suffix'}: read as {model.schema}")
            if georef.placed:
                f = _to_workspace(georef, ws.crs)
                footprint = shapely.transform(model.footprint, lambda xy: f(np.column_stack(
                    [xy, np.zeros(len(xy))]))[:, :2])
                check_true_size(footprint, float(model.footprint.area), ws.crs, georef, path)
                verts = f(model.vertices)
                c = footprint.centroid
                res.centroid = [round(c.x, 3), round(c.y, 3)]
                offset = np.array([round(c.x), round(c.y), 0.0])
                status = "updated" if key in rows else "imported"
            else:
                footprint, verts, offset, status = None, model.vertices, np.zeros(3), "unplaced"
                res.warnings.append("not georeferenced: stored unplaced; place it with "
                                    "--origin X,Y --rotation DEG --crs CRS")
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            rows[key] = {
                "name": model.name, "source": key, "source_hash": digest, "schema": model.schema,
                "placed": georef.placed, "georef_source": georef.kind,
                "georef": json.dumps(georef.to_json(), ensure_ascii=False),
                "height_m": model.height_m, "height_reference": model.height_reference,
                "storeys": model.storey_count, "storey_elevations": json.dumps(
                    [[s.name, s.elevation_m] for s in model.storeys], ensure_ascii=False),
                "gfa_m2": model.gfa_m2, "gfa_method": model.gfa_method,
                "gfa_by_storey": json.dumps(model.gfa_by_storey, ensure_ascii=False),
                "gfa_estimates": json.dumps(model.gfa_estimates, ensure_ascii=False),
                "footprint_area_m2": float(model.footprint.area),  # on the ground, in m²
                "element_counts": json.dumps(model.element_counts, ensure_ascii=False),
                "base_z": model.base_z, "top_z": model.top_z,
                "mesh_origin_x": float(offset[0]), "mesh_origin_y": float(offset[1]),
            }
            geoms[key] = shapely.force_2d(footprint) if footprint is not None else None
            meshes.add(key, glb_bytes(verts - offset, model.faces))
            imported += 1
            res.status = status
        except LztInputError as exc:
            res.error = exc.problem
            res.outside_area = "area of use" in exc.problem
        res.seconds = time.perf_counter() - t0  # since the previous file was done (files are read in parallel)
        t0 = time.perf_counter()
        results.append(res)
    meshes.flush()
    return imported


class _MeshWriter:
    """Meshes stored a few at a time: one transaction per ``BATCH_BYTES`` (a demo model's mesh
    is ~30 kB: a transaction each was a tenth of this process's time), never more held."""

    BATCH_BYTES = 4 << 20

    def __init__(self, ws: Workspace, kind: str):
        self.ws, self.kind, self.pending, self.size = ws, kind, {}, 0

    def add(self, key: str, blob: bytes) -> None:
        self.pending[key] = blob
        self.size += len(blob)
        if self.size >= self.BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.ws.put_blobs(self.kind, self.pending)
        self.pending, self.size = {}, 0


def _multi(g):
    if g is None or g.is_empty:
        return None
    return g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon(
        [p for p in shapely.get_parts(g) if p.geom_type == "Polygon"])
