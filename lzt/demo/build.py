"""Build the demo workspace from the generator's layers (deterministic, offline)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from layers.kinds import LayerKind
from lzt import __version__
from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure

SCALES = ("small", "district")
SEED = 20261125
BIM_MODELS = {"small": 40, "district": 430}
COMPLAINTS = {"small": 20_000, "district": 1_000_000}
DEMO_FORMAT = 7  # bump when the demo's layers change, so older demo files are rebuilt


def default_demo_path() -> Path:
    """The demo workspace in the user's data folder (XDG_DATA_HOME or ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "lzt" / "longgang-demo.gpkg"


def existing_demo(path: Path) -> dict | None:
    """The demo facts of an existing workspace at ``path`` (None if not a finished demo)."""
    from lzt.workspace import open_workspace

    try:
        ws = open_workspace(path)
    except LztInputError:
        return None
    try:
        return ws.get_setting("demo")
    finally:
        ws.close()


def build_demo(path: str | Path, scale: str = "small", *, force: bool = False,
               feedback: Feedback | None = None) -> dict:
    """Generate the Longgang demo into a new workspace at ``path``; returns its facts.

    The workspace is built beside ``path`` and moved into place when complete,
    so an interrupted build leaves nothing behind.
    """
    from lzt.workspace.gpkg.workspace import GeoPackageWorkspace

    fb = ensure(feedback)
    if scale not in SCALES:
        raise LztInputError("--scale", f"unknown scale {scale!r}; use one of {', '.join(SCALES)}")
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise LztInputError(path, "the demo workspace must be a .gpkg file")
    if path.exists() and not force:
        facts = existing_demo(path)
        if facts and facts.get("scale") == scale and facts.get("version") == __version__ \
                and facts.get("format") == DEMO_FORMAT:
            return {**facts, "reused": True}
        if facts:
            raise LztInputError(path, f"is a {facts.get('scale')} demo built by lzt {facts.get('version')} "
                                      f"(demo format {facts.get('format', 1)}); use --force to rebuild it "
                                      "(inspections recorded in it are lost)")
        raise LztInputError(path, "already exists and is not this demo; use --force to rebuild it")
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tmp = path.with_name(path.name + ".building.gpkg")
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)
    ws = GeoPackageWorkspace.create(tmp, "EPSG:4547")
    try:
        result = _DemoBuilder(ws, scale, path, fb).run()
        result["seconds"] = round(time.perf_counter() - t0, 1)
        ws.set_setting("demo", result)
    except BaseException:
        ws.close()
        tmp.unlink(missing_ok=True)
        raise
    ws.close()
    for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        p.unlink(missing_ok=True)
    tmp.replace(path)
    fb.progress(1, 1, "完成")
    return result


class _DemoBuilder:
    """Writes the demo into ``ws`` layer by layer, dropping each frame once no later layer needs it.

    The IFC models are written by worker processes (``IfcWriters``) from the moment their
    plans are known, while this process generates and writes the layers. A new layer is a
    generator call and a ``self.vector(name, frame)`` in ``run``, after the layers it uses.
    """

    STEPS = 14  # progress steps of run()

    def __init__(self, ws, scale: str, path: Path, fb: Feedback):
        self.ws, self.scale, self.path, self.fb = ws, scale, path, fb
        self.source = f"lzt demo --scale {scale}"
        self.counts: dict[str, int] = {}
        self._step = 0

    def progress(self, message: str) -> None:
        self.fb.check()
        self._step += 1
        self.fb.progress(min(self._step, self.STEPS), self.STEPS, message)

    def vector(self, name: str, gdf, kind: str = LayerKind.VECTOR, **options) -> None:
        """Store one vector layer and count its rows."""
        self.progress(f"写入图层 {name}")
        self.ws.write_layer(name, gdf, kind=kind, source=self.source, **options)
        self.counts[name] = len(gdf)

    def run(self) -> dict:
        from lzt.demo.bim import plan_buildings, plan_json
        from lzt.demo.buildings import generate_buildings
        from lzt.demo.complaints import generate_complaints, point_table
        from lzt.demo.doorplates import generate_doorplates
        from lzt.demo.generate import generate
        from lzt.demo.ifc_writers import IfcWriters
        from lzt.demo.imagery import add_demo_imagery
        from lzt.demo.stage import StageChild
        from lzt.demo.supervision import AS_OF, generate_supervision

        scale = self.scale
        self.progress("生成示例数据")
        with contextlib.ExitStack() as stack:
            started = {}

            def start_ifc(parcels) -> None:  # while the POIs and the DEM's file are made
                started["plans"] = plan_buildings(parcels, BIM_MODELS[scale], SEED)
                started["ifc"] = stack.enter_context(IfcWriters(started["plans"], _empty_bim_folder(self.path),
                                                                self.ws.crs))

            data = generate(scale, SEED, on_parcels=start_ifc)
            plans, ifc = started["plans"], started["ifc"]
            layers, dem_tif = dict(data.layers()), data.dem_tif
            del data  # the frames are dropped from ``layers`` as they are written
            parcels, roads, communities = layers["parcels"], layers["roads"], layers["communities"]
            sup = generate_supervision(parcels, plan_json(plans), scale, SEED)
            buildings = generate_buildings(parcels, set(sup["parcel_id"]), SEED)
            plates = generate_doorplates(roads, layers["poi"], parcels, buildings, communities, SEED)
            self.progress("生成民生诉求")  # in its own process: 1M orders never sit beside the rest
            building = sup[sup["status"] == "在建"].sort_values("parcel_id", kind="stable")  # the noisy site
            site = None if building.empty else (building.geometry.iloc[0].centroid.x,
                                                building.geometry.iloc[0].centroid.y)
            # not waited for: the other layers are written here meanwhile (SQLite serialises the writes)
            self.ws.wait_for_writers(StageChild.BUSY_MS)
            with StageChild(self.ws.path, "complaints", generate_complaints,
                            {"poi": point_table(layers["poi"]), "roads": roads, "communities": communities,
                             "n": COMPLAINTS[scale], "seed": SEED, "site": site, "plates": plates},
                            kind=LayerKind.COMPLAINTS, source=self.source,
                            spatial_order=COMPLAINTS[scale] >= 50_000) as orders:
                for name in ("district", "streets", "communities", "roads", "parcels", "poi"):
                    self.vector(name, layers[name], spatial_order=name == "poi")
                del layers["poi"]
                self.vector("buildings", buildings, spatial_order=True)
                self.vector("doorplates", plates, spatial_order=True)
                del plates
                self.counts["complaints"] = 0  # its place in the facts (as when it was made first), counted below
                self.progress("写入高程 DEM")
                self.counts["dem"] = _demo_dem(self.ws, dem_tif, self.source)
                del dem_tif
                self.counts["height_limits"] = _demo_height_limits(self.ws, layers["district"], sup, self.source)
                self.progress("生成正射影像")
                self.counts.update(add_demo_imagery(self.ws, parcels, roads, sup, buildings, SEED, self.source))
                del buildings, layers, parcels, roads, communities
                self.counts["complaints"] = orders.wait(self.fb)
            self.progress("生成 BIM 模型")
            self.counts["bim_models"] = _demo_bim(self.ws, self.path, ifc.wait(self.fb), self.fb)
        self.vector("supervision", sup, kind=LayerKind.SUPERVISION)
        self.ws.set_setting("demo_bim_plan", plan_json(plans))
        return {"scale": scale, "seed": SEED, "version": __version__, "format": DEMO_FORMAT,
                "supervision_as_of": AS_OF.isoformat(), "counts": self.counts}


def bim_folder(path: Path) -> Path:
    """Where the demo's IFC files live: beside the workspace."""
    return path.with_name(path.stem + "_bim")


def _empty_bim_folder(path: Path) -> Path:
    """The IFC folder beside the workspace, emptied of older models."""
    folder = bim_folder(path)
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.ifc"):
        old.unlink()
    return folder


def _demo_bim(ws, path: Path, models, fb: Feedback) -> int:
    """Import the demo's IFC models (written and read by ``IfcWriters``: ``models``) into ``ws``."""
    from lzt.ingest.bim import import_bim

    results = import_bim(ws, [bim_folder(path)], feedback=fb, pool=models)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise RuntimeError(f"demo BIM model {failed[0].file} failed: {failed[0].error}")
    return len(results)


def _demo_dem(ws, dem_tif: bytes, source: str) -> int:
    """Store the generated GeoTIFF as the ``dem`` raster; returns its pixel count."""
    from layers.raster import prepare_for_storage

    with tempfile.TemporaryDirectory() as d:
        dem = Path(d) / "dem.tif"
        dem.write_bytes(dem_tif)
        raw, info = prepare_for_storage(dem)
    facts = info.to_json()
    facts["bounds_workspace"] = list(info.bounds)
    ws.write_raster("dem", raw, info=facts, source=source)
    return int(info.width) * int(info.height)


def _demo_height_limits(ws, district, sup, source: str) -> int:
    """The 控高 zones (lzt.demo.height_limits) on the DEM just written, outside the granted parcels."""
    import shapely

    from lzt.analysis.terrain import ground_heights
    from lzt.demo.generate import recipe
    from lzt.demo.height_limits import generate_height_limits

    zones = generate_height_limits(recipe(), district.geometry.iloc[0],
                                   lambda x, y: ground_heights(ws, x, y, layer="dem"),
                                   shapely.union_all(np.asarray(sup.geometry.values, dtype=object)))
    ws.write_layer("height_limits", zones, kind=LayerKind.VECTOR, source=source)
    return len(zones)
