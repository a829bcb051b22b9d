"""Build the demo workspace from the generator's layers (deterministic, offline)."""

from __future__ import annotations

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
    from layers.raster import prepare_for_storage
    from lzt.demo.generate import generate
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
    fb.progress(0, 8, "生成示例数据")
    data = generate(scale, seed=SEED)
    tmp = path.with_name(path.name + ".building.gpkg")
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)
    from lzt.demo.bim import plan_buildings, plan_json
    from lzt.demo.buildings import generate_buildings
    from lzt.demo.supervision import AS_OF, generate_supervision

    plans = plan_buildings(data.parcels, BIM_MODELS[scale], SEED)
    sup = generate_supervision(data.parcels, plan_json(plans), scale, SEED)
    buildings = generate_buildings(data.parcels, set(sup["parcel_id"]), SEED)
    from lzt.demo.doorplates import generate_doorplates

    plates = generate_doorplates(data.roads, data.poi, data.parcels, buildings, data.communities, SEED)
    ws = GeoPackageWorkspace.create(tmp, "EPSG:4547")
    counts: dict[str, int] = {}
    try:
        layers = [*data.layers(), ("buildings", buildings), ("doorplates", plates)]
        for i, (name, gdf) in enumerate(layers, start=1):
            fb.check()
            fb.progress(i, len(layers) + 2, f"写入图层 {name}")
            ws.write_layer(name, gdf, kind=LayerKind.VECTOR, source=f"lzt demo --scale {scale}",
                           spatial_order=name in ("poi", "buildings", "doorplates"))
            counts[name] = len(gdf)
        from lzt.demo.complaints import generate_complaints

        fb.progress(len(layers), len(layers) + 2, "生成民生诉求")
        building = sup[sup["status"] == "在建"].sort_values("parcel_id", kind="stable")  # the noisy site
        site = None if building.empty else (building.geometry.iloc[0].centroid.x, building.geometry.iloc[0].centroid.y)
        complaints = generate_complaints(data.poi, data.roads, data.communities, COMPLAINTS[scale], SEED, site=site,
                                         plates=plates)
        ws.write_layer("complaints", complaints, kind=LayerKind.COMPLAINTS, source=f"lzt demo --scale {scale}",
                       spatial_order=len(complaints) >= 50_000)
        counts["complaints"] = len(complaints)
        fb.progress(len(layers) + 1, len(layers) + 2, "写入高程 DEM")
        with tempfile.TemporaryDirectory() as d:
            dem = Path(d) / "dem.tif"
            dem.write_bytes(data.dem_tif)
            raw, info = prepare_for_storage(dem)
        facts = info.to_json()
        facts["bounds_workspace"] = list(info.bounds)
        ws.write_raster("dem", raw, info=facts, source=f"lzt demo --scale {scale}")
        counts["dem"] = int(info.width) * int(info.height)
        counts["height_limits"] = _demo_height_limits(ws, data, sup, f"lzt demo --scale {scale}")
        from lzt.demo.imagery import add_demo_imagery

        fb.progress(len(layers) + 1, len(layers) + 2, "生成正射影像")
        counts.update(add_demo_imagery(ws, data, sup, buildings, SEED, f"lzt demo --scale {scale}"))
        counts["bim_models"] = _demo_bim(ws, plans, path, fb)
        ws.write_layer("supervision", sup, kind=LayerKind.SUPERVISION, source=f"lzt demo --scale {scale}")
        counts["supervision"] = len(sup)
        result = {"scale": scale, "seed": SEED, "version": __version__, "format": DEMO_FORMAT,
                  "supervision_as_of": AS_OF.isoformat(), "counts": counts,
                  "seconds": round(time.perf_counter() - t0, 1)}
        ws.set_setting("demo_bim_plan", plan_json(plans))
        ws.set_setting("demo", result)
    except BaseException:
        ws.close()
        tmp.unlink(missing_ok=True)
        raise
    ws.close()
    for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        p.unlink(missing_ok=True)
    tmp.replace(path)
    fb.progress(len(counts) + 1, len(counts) + 1, "完成")
    return result


def bim_folder(path: Path) -> Path:
    """Where the demo's IFC files live: beside the workspace."""
    return path.with_name(path.stem + "_bim")


def _demo_bim(ws, plans, path: Path, fb: Feedback) -> int:
    """Write the demo's IFC models (real files, ifcopenshell.api) and import them."""
    from lzt.demo.bim import write_ifc
    from lzt.ingest.bim import import_bim

    folder = bim_folder(path)
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.ifc"):
        old.unlink()
    for i, plan in enumerate(plans):
        fb.check()
        fb.progress(i, len(plans), f"生成 BIM 模型 {plan.file}")
        write_ifc(plan, folder / plan.file)
    results = import_bim(ws, [folder], feedback=fb)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise RuntimeError(f"demo BIM model {failed[0].file} failed: {failed[0].error}")
    return len(results)


def _demo_height_limits(ws, data, sup, source: str) -> int:
    """The 控高 zones (lzt.demo.height_limits) on the DEM just written, outside the granted parcels."""
    import shapely

    from lzt.analysis.terrain import ground_heights
    from lzt.demo.generate import recipe
    from lzt.demo.height_limits import generate_height_limits

    zones = generate_height_limits(recipe(), data.district.geometry.iloc[0],
                                   lambda x, y: ground_heights(ws, x, y, layer="dem"),
                                   shapely.union_all(np.asarray(sup.geometry.values, dtype=object)))
    ws.write_layer("height_limits", zones, kind=LayerKind.VECTOR, source=source)
    return len(zones)
