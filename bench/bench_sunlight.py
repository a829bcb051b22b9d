"""Sunlight impact of a proposed tower (issue 17): ``python bench/bench_sunlight.py [WS]``
(default: the district demo), or the ``sunlight`` group of bench/run.py.

Two scenes: the issue's own (a generated block of 2,025 white models — 45 × 45 slabs of
30 × 12 m, 12–60 m tall, seeded — with a proposed 100 m BIM tower in the middle, no DEM), and
the district demo's densest tall BIM model.

The lzt row: ``analyse_buildings`` with the tallest BIM model that has the most white models
around it as the proposal, 1 m façade spacing, 1-minute steps, 大寒 (the whole impact
analysis: reading, receivers, the proposal's shadow, the full scene for the neighbours it
shades, before and after). The reference, in the same run: the same analysis with the
horizon computed the way the engine first did (every receiver in a Python loop against
every segment in its sun sector, one instants × segments array each); both must give the
same hours, which the row checks.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import shapely

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def dense_horizon(px, py, pz, az, tan_alt, segments, **_):
    """The first engine's horizon: per receiver, all segments in a sector polygon of the
    tallest obstacle's reach, one (instants × segments) array."""
    px, py, pz = (np.asarray(v, dtype=float) for v in (px, py, pz))
    up = tan_alt[np.isfinite(tan_alt) & (tan_alt > 0)]
    tmin = float(up.min())
    xyz = segments.xyz
    n, m = len(px), len(az)
    out = np.full((n, m), -np.inf, dtype=np.float32)
    if not len(xyz) or not n:
        return out
    tree = shapely.STRtree(shapely.linestrings(xyz[:, [0, 1, 3, 4]].reshape(-1, 2, 2)))
    reach = np.clip((segments.zmax - pz) / tmin, 1.0, 2000.0)
    a = np.linspace(az.min(), az.max(), 16)
    ring = np.column_stack([np.concatenate([[0], np.sin(a), [0]]), np.concatenate([[0], np.cos(a), [0]])])
    polys = shapely.polygons(np.stack([px[:, None] + reach[:, None] * ring[None, :, 0],
                                       py[:, None] + reach[:, None] * ring[None, :, 1]], axis=-1))
    ri, si = tree.query(polys, predicate="intersects")
    order = np.argsort(ri, kind="stable")
    ri, si = ri[order], si[order]
    bounds = np.searchsorted(ri, np.arange(n + 1))
    ux, uy = np.sin(az)[:, None], np.cos(az)[:, None]
    for i in range(n):
        seg = xyz[si[bounds[i]:bounds[i + 1]]]
        if not len(seg):
            continue
        ax, ay = seg[None, :, 0] - px[i], seg[None, :, 1] - py[i]
        ex, ey = seg[None, :, 3] - seg[None, :, 0], seg[None, :, 4] - seg[None, :, 1]
        den = ux * ey - uy * ex
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (ax * ey - ay * ex) / den
            s = (ax * uy - ay * ux) / den
            z = seg[None, :, 2] + s * (seg[None, :, 5] - seg[None, :, 2])
            r = np.where((den != 0) & (t > 1e-6) & (s >= 0) & (s <= 1), (z - pz[i]) / t, -np.inf)
        out[i] = r.max(axis=1)
    return out


def pick_model(ws):
    """The tallest BIM model (≥ 90 m where there are such) with the most white models within 500 m."""
    t = ws.read_features("bim_models", columns=["name", "height_m"])
    tall = t[t["height_m"] >= min(90.0, float(t["height_m"].max()))]
    best, count = None, -1
    for fid, g in zip(tall.index, tall.geometry.values):
        x0, y0, x1, y1 = g.bounds
        n = len(ws.fids_in_bbox("buildings", (x0 - 500, y0 - 500, x1 + 500, y1 + 500)))
        if n > count:
            best, count = fid, n
    return int(best), str(t.loc[best, "name"]), float(t.loc[best, "height_m"]), count


def synthetic_scene(path: Path) -> Path:
    """The issue's scene: 2,025 white models around a proposed 100 m tower (see the docstring)."""
    import geopandas as gpd
    import trimesh

    from lzt.ingest.bim import import_bim
    from lzt.workspace import create_workspace

    if path.exists():
        path.unlink()
    x0, y0 = 515_000.0, 2_511_000.0
    rng = np.random.default_rng(17)
    ix, iy = np.meshgrid(np.arange(-22, 23), np.arange(-22, 23))
    ix, iy = ix.ravel(), iy.ravel()
    geoms = shapely.box(x0 + ix * 50 - 15, y0 + iy * 40 - 6, x0 + ix * 50 + 15, y0 + iy * 40 + 6)
    gdf = gpd.GeoDataFrame({"building_id": [f"B{i:04d}" for i in range(len(ix))],
                            "use": np.where(rng.random(len(ix)) < 0.7, "住宅", "商业"),
                            "height_m": rng.uniform(12, 60, len(ix)).round(1)}, geometry=geoms, crs="EPSG:4547")
    ws = create_workspace(path)
    try:
        ws.write_layer("buildings", gdf)
        box = trimesh.creation.box(extents=[30.0, 100.0, 12.0])  # glTF: Y up — 100 m tall on the middle slab
        box.apply_translation([0, 50.0, 0])
        glb = path.with_suffix(".glb")
        box.export(glb)
        (res,) = import_bim(ws, [glb], origin=(x0, y0), crs="EPSG:4547")
        if res.status != "imported":
            raise RuntimeError(res.error)
    finally:
        ws.close()
    return path


def run(demo: Path, rows: list) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        scene = synthetic_scene(Path(tmp) / "sun_scene.gpkg")
        one(scene, rows, "generated block")
    one(demo, rows, "district demo")


def one(demo: Path, rows: list, what: str) -> None:
    from lzt.analysis.sun import solar_term_date
    from lzt.analysis.sunlight import analyse as A, horizon as H
    from lzt.analysis.sunlight.rule import SunlightRule
    from lzt.workspace import open_workspace

    ws = open_workspace(demo)
    try:
        fid, name, height, around = pick_model(ws)
        day = solar_term_date("大寒", 2026)

        def once():
            return A.analyse_buildings(ws, "buildings", day=day, rule=SunlightRule(), step_min=1.0, spacing=1.0,
                                       proposed=[str(fid)])

        once()  # warm: imports, the page cache
        t = time.perf_counter()
        mine = once()
        t_lzt = time.perf_counter() - t
        fast = H.horizon
        import lzt.analysis.sunlight.run as R

        R.horizon = dense_horizon
        try:
            t = time.perf_counter()
            ref = once()
            t_ref = time.perf_counter() - t
        finally:
            R.horizon = fast
    finally:
        ws.close()
    same = (np.array_equal(mine.hours.hours, ref.hours.hours)
            and np.array_equal(mine.hours_before.hours, ref.hours_before.hours))
    rows.append((f"lzt sunlight impact, {what}: {name} ({height:.0f} m) among {around:,} white models within 500 m: "
                 f"{len(mine.results)} neighbours shaded, {len(mine.receivers):,} façade points at 1 m, 1-min steps, "
                 f"{len(mine.impacted())} pass→fail; same hours as the reference: {same}",
                 t_lzt, t_ref, "the first engine's per-receiver dense horizon (Python loop), same scene", "< 30 s"))


if __name__ == "__main__":
    from timing import print_rows

    out: list = []
    from bench.run import ensure_demo

    run(Path(sys.argv[1]) if len(sys.argv) > 1 else ensure_demo("district"), out)
    print_rows(out)
