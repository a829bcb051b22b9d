"""Offline tile packages (issue 14 item 3): ``lzt tiles`` build speed against GDAL in the same run.

A 0.5 m orthophoto (default 4,096 x 4,096 px, 2 x 2 km; JPEG-tiled like a survey delivery, with
internal overviews) is linked into a fresh workspace; its extent is packaged at levels 12-18
(level 18 is ~0.55 m on the ground at Longgang). Measured:
- ``lzt tiles`` to MBTiles, PNG and JPEG tiles, with its size estimate first;
- the reference: ``gdal_translate -of MBTILES`` at the source's own level (18) followed by
  ``gdaladdo -r average`` for the six coarser levels, i.e. the same pyramid by GDAL. The
  command-line tools are used when installed, else the same GDAL drivers through rasterio
  (``rasterio.shutil.copy`` + ``build_overviews``);
- ``--district``: the district workspace's DEM (drawn in its style) at levels 10-16.

Run: ``python bench/bench_tiles.py [--size N] [--district WS]``. Timings on a shared 2-core
machine vary; compare the two columns of one run, not runs with each other.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_imagery import PX, X0, Y1, write_ortho  # noqa: E402
from bench.timing import print_rows  # noqa: E402


def _tiles(path: Path) -> int:
    return sqlite3.connect(path).execute("SELECT count(*) FROM tiles").fetchone()[0]


def lzt_build(ws, layer: str, extent, levels, out: Path, tile_format: str):
    from lzt.export.tilepack import build_package, estimate, plan_package, raster_layer_source

    src = raster_layer_source(ws, layer)
    plan = plan_package(src, extent, ws.crs, levels, out, tile_format=tile_format)
    t0 = time.perf_counter()
    est = estimate(src, plan)
    t_est = time.perf_counter() - t0
    rep = build_package(src, plan)
    return time.perf_counter() - t0, t_est, est, rep


def gdal_build(tif: Path, out: Path, tile_format: str, levels: int) -> tuple[float, str]:
    """gdal_translate -of MBTILES + gdaladdo (the tools, or the same drivers through rasterio)."""
    fmt = "PNG" if tile_format == "png" else "JPEG"
    factors = [2 ** k for k in range(1, levels)]
    t0 = time.perf_counter()
    if shutil.which("gdal_translate") and shutil.which("gdaladdo"):
        subprocess.run(["gdal_translate", "-q", "-of", "MBTILES", "-co", f"TILE_FORMAT={fmt}", str(tif), str(out)],
                       check=True)
        subprocess.run(["gdaladdo", "-q", "-r", "average", str(out), *map(str, factors)], check=True)
        how = "gdal_translate + gdaladdo"
    else:
        import rasterio
        from rasterio import shutil as rio_shutil
        from rasterio.enums import Resampling

        with rasterio.open(tif) as src:
            rio_shutil.copy(src, out, driver="MBTiles", TILE_FORMAT=fmt)
        with rasterio.open(out, "r+") as ds:
            ds.build_overviews(factors, Resampling.average)
        how = "GDAL MBTiles copy + overviews (rasterio)"
    return time.perf_counter() - t0, how


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=4096, help="orthophoto side in pixels (0.5 m)")
    ap.add_argument("--district", metavar="WS", help="also package this workspace's DEM at levels 10-16")
    args = ap.parse_args()
    from lzt.ingest import ImportOptions, import_paths
    from lzt.workspace import create_workspace, open_workspace

    rows = []
    with tempfile.TemporaryDirectory(prefix="lzt-bench-tiles-") as tmp:
        tmp = Path(tmp)
        tif = tmp / "ortho.tif"
        write_ortho(tif, args.size, args.size)
        import rasterio
        from rasterio.enums import Resampling

        with rasterio.open(tif, "r+") as ds:
            ds.build_overviews([2, 4, 8, 16], Resampling.average)
        ws = create_workspace(tmp / "ws.gpkg")
        import_paths(ws, [tif], ImportOptions(layer="ortho", link=True))
        side = args.size * PX
        extent = (X0, Y1 - side, X0 + side, Y1)
        for fmt in ("png", "jpg"):
            out = tmp / f"lzt_{fmt}.mbtiles"
            t, t_est, est, rep = lzt_build(ws, "ortho", extent, (12, 18), out, fmt)
            ref_out = tmp / f"gdal_{fmt}.mbtiles"
            t_ref, how = gdal_build(tif, ref_out, fmt, 7)
            rows.append((f"lzt tiles {args.size}² px 0.5 m ortho, levels 12-18, {fmt.upper()}: {rep.tiles_written} "
                         f"tiles, {rep.bytes / 1e6:.1f} MB (estimate {est.bytes / 1e6:.1f} MB in {t_est:.2f} s)",
                         t, t_ref, f"{how}: {_tiles(ref_out)} tiles, {ref_out.stat().st_size / 1e6:.1f} MB", "measure"))
        ws.close()
        if args.district:  # only its DEM is copied out: the prebuilt workspace stays untouched
            dws = open_workspace(args.district)
            try:
                ext, dem = dws.layer("district").extent, dws.layer("dem")
                data = dws.raster_bytes("dem")
            finally:
                dws.close()
            ws = create_workspace(tmp / "district.gpkg")
            ws.write_raster("dem", data, info=dem.details, source=dem.source)
            out = tmp / "district_dem.mbtiles"
            t, t_est, est, rep = lzt_build(ws, "dem", ext, (10, 16), out, "png")
            ws.close()
            rows.append((f"lzt tiles district DEM (styled), levels 10-16: {rep.tiles_written} tiles, "
                         f"{rep.bytes / 1e6:.1f} MB (estimate {est.bytes / 1e6:.1f} MB in {t_est:.2f} s)",
                         t, None, "—", "measure"))
    print_rows(rows)


if __name__ == "__main__":
    main()
