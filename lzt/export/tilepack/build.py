"""Build a tile package: plan the tiles, estimate the size, write them resumably and atomically.

``plan_package`` turns an extent in the workspace CRS and a level range into the XYZ tiles
that cover it (only where the source has pixels). ``estimate`` renders a sample of tiles
and extrapolates the file size, before any work. ``build_package`` renders blocks of tiles
from the source, encodes them (PNG, or JPEG on request) and writes them to ``OUT.part``,
committing after every few blocks with the blocks done; only when the last tile is in is the
file finished (metadata, bookkeeping dropped) and renamed to ``OUT``. So ``OUT`` is never a
half file: Ctrl-C or an error leaves ``OUT.part``, and the same command resumes from it.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import shutil
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.export.tilepack.grid import TILE, TileRange, tile_range
from lzt.export.tilepack.source import TileSource, _overlaps
from lzt.export.tilepack.writers import WRITERS

BLOCK = 4  # tiles per side read from the source at once (1024 px)
MAX_TILES = 5_000_000
TILE_FORMATS = ("png", "jpg")
_COMMIT_SECONDS = 2.0


@dataclass(frozen=True)
class PackagePlan:
    """What will be built: the file, its format (a ``layers.formats`` driver: MBTiles or GPKG),
    the levels, the tiles of each level, the tile encoding and the extent in EPSG:3857."""

    out: Path
    driver: str
    levels: tuple[int, int]
    ranges: tuple[TileRange, ...]
    tile_format: str
    bounds: tuple[float, float, float, float]  # EPSG:3857, the extent asked for within the source's
    lonlat: tuple[float, float, float, float]  # the same, W S E N in WGS 84 degrees

    @property
    def tiles(self) -> int:
        return sum(r.count for r in self.ranges)

    @property
    def part(self) -> Path:
        return self.out.with_name(self.out.name + ".part")


@dataclass
class Estimate:
    tiles: int  # tiles in the plan (empty ones are skipped when built)
    bytes: int  # expected file size
    sampled: int  # tiles rendered to estimate it
    empty_share: float  # share of sampled tiles with nothing in them
    per_level: dict[int, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class BuildReport:
    out: str
    driver: str
    levels: tuple[int, int]
    tiles_written: int
    tiles_empty: int
    bytes: int
    seconds: float
    resumed_tiles: int
    metadata: dict[str, str]

    def to_json(self) -> dict:
        return asdict(self)


def plan_package(source: TileSource, extent, ws_crs: str, levels: tuple[int, int], out: str | os.PathLike,
                 *, tile_format: str = "png") -> PackagePlan:
    """The tiles of ``levels`` covering ``extent`` (workspace CRS) where ``source`` has pixels."""
    from layers.formats import tile_packages
    from lzt.core.crs import transformer

    out = Path(out)
    fmt = tile_packages().get(out.suffix.lower())
    if fmt is None:
        raise LztInputError(out, f"a tile package is written as {' or '.join(tile_packages())}, not "
                                 f"{out.suffix or '(no suffix)'}")
    if tile_format not in TILE_FORMATS:
        raise LztInputError("--format", f"unknown tile format {tile_format!r}; use {' or '.join(TILE_FORMATS)}")
    x0, y0, x1, y1 = transformer(ws_crs, "EPSG:3857").transform_bounds(*extent, densify_pts=21)
    if not all(map(math.isfinite, (x0, y0, x1, y1))):
        raise LztInputError("--extent", f"{extent} cannot be expressed in EPSG:3857; is it in {ws_crs}?")
    cov = source.coverage
    if cov is not None:
        if not _overlaps((x0, y0, x1, y1), cov):
            raise LztInputError("--extent", f"{_fmt(extent)} does not overlap {source.name} (it covers "
                                            f"{_fmt(transformer('EPSG:3857', ws_crs).transform_bounds(*cov))} "
                                            f"in {ws_crs})")
        x0, y0, x1, y1 = max(x0, cov[0]), max(y0, cov[1]), min(x1, cov[2]), min(y1, cov[3])
    ranges = tuple(tile_range(z, (x0, y0, x1, y1)) for z in range(levels[0], levels[1] + 1))
    total = sum(r.count for r in ranges)
    if total > MAX_TILES:
        raise LztInputError("--levels", f"levels {levels[0]}-{levels[1]} over this extent are {total:,} tiles "
                                        f"(limit {MAX_TILES:,}): narrow the extent or lower the last level")
    lon0, lat0, lon1, lat1 = transformer("EPSG:3857", "EPSG:4326").transform_bounds(x0, y0, x1, y1)
    return PackagePlan(out, fmt.driver, levels, ranges, tile_format, (x0, y0, x1, y1), (lon0, lat0, lon1, lat1))


def _fmt(b) -> str:
    return ",".join(f"{v:.1f}" for v in b)


def encode(rgba: np.ndarray, tile_format: str) -> bytes | None:
    """One tile as PNG (RGB when opaque, else RGBA) or JPEG (transparent parts white); None when empty."""
    from PIL import Image

    alpha = rgba[..., 3]
    if not alpha.any():
        return None
    buf = io.BytesIO()
    if tile_format == "jpg":
        rgb = rgba[..., :3].astype(np.float32) * (alpha[..., None] / 255.0) + 255.0 * (1 - alpha[..., None] / 255.0)
        Image.fromarray(np.round(rgb).astype(np.uint8), "RGB").save(buf, "JPEG", quality=85)
    elif (alpha == 255).all():
        Image.fromarray(np.ascontiguousarray(rgba[..., :3]), "RGB").save(buf, "PNG", compress_level=6)
    else:
        Image.fromarray(np.ascontiguousarray(rgba), "RGBA").save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def estimate(source: TileSource, plan: PackagePlan, *, samples: int = 16) -> Estimate:
    """The package's expected size from about ``samples`` tiles rendered and encoded: at least
    one per level (coarse levels hold more detail per tile), the rest by the levels' tile counts."""
    size, drawn, empty = 24 * 1024, 0, 0  # the schema's pages
    for r in plan.ranges:
        n = min(r.count, max(1, round(samples * r.count / plan.tiles)))
        w = r.x1 - r.x0 + 1
        sizes, blank = [], 0
        for k in np.linspace(0, r.count - 1, n).round().astype(int):
            px = source.read(r.z, r.x0 + int(k) % w, r.y0 + int(k) // w, 1, 1)
            data = None if px is None else encode(px, plan.tile_format)
            if data is None:
                blank += 1
            else:
                sizes.append(_stored(len(data)))
        size += int(r.count * (1 - blank / n) * (float(np.mean(sizes)) if sizes else 0.0))
        drawn, empty = drawn + n, empty + blank
    notes = []
    if source.native_level is not None and plan.levels[1] > source.native_level:
        notes.append(f"levels above {source.native_level} are finer than {source.name}'s own pixels "
                     "(its pixels are enlarged)")
    return Estimate(plan.tiles, size, drawn, round(empty / drawn, 3) if drawn else 0.0,
                    {r.z: r.count for r in plan.ranges}, notes)


def _stored(n: int) -> float:
    """Bytes a tile of ``n`` bytes takes in the SQLite file (4 KB pages): a large tile its own
    pages, smaller ones as many whole rows as fit in a page (a 2.1 KB tile fills a page alone)."""
    row = n + 64  # the row's other columns, cell header and index entry
    if row > 4000:
        return math.ceil(row / 4000) * 4096
    return 4096 / max(1, 4088 // (row + 4))


def check_space(plan: PackagePlan, est: Estimate) -> None:
    """LztInputError when the output folder cannot hold the estimated package."""
    folder = plan.out.resolve().parent
    if not folder.is_dir():
        raise LztInputError(plan.out, f"folder {folder} does not exist")
    free = shutil.disk_usage(folder).free
    if est.bytes * 1.2 > free:
        raise LztInputError(plan.out, f"needs about {est.bytes / 1e6:.0f} MB, only {free / 1e6:.0f} MB free")


def _job_key(source: TileSource, plan: PackagePlan) -> str:
    text = json.dumps([source.origin, plan.driver, plan.levels, [asdict(r) for r in plan.ranges],
                       plan.tile_format, BLOCK])
    return hashlib.sha256(text.encode()).hexdigest()


def _open_part(source: TileSource, plan: PackagePlan, restart: bool) -> tuple[sqlite3.Connection, set]:
    """The partial file: resumed when it was started by the same job, else begun afresh."""
    key, part = _job_key(source, plan), plan.part
    if part.exists() and not restart:
        try:
            con = sqlite3.connect(part)
            row = con.execute("SELECT value FROM lzt_job WHERE key = 'job'").fetchone()
            if row and row[0] == key:
                return con, {tuple(r) for r in con.execute("SELECT z, x, y FROM lzt_done")}
            con.close()
        except sqlite3.Error:
            pass
    for p in (part, part.with_name(part.name + "-journal")):
        if p.exists():
            p.unlink()
    con = sqlite3.connect(part)
    writer = WRITERS[plan.driver](con, source.name)
    writer.create(plan.levels, plan.bounds)
    con.execute("INSERT INTO lzt_job VALUES ('job', ?)", (key,))
    con.commit()
    return con, set()


def metadata(source: TileSource, plan: PackagePlan) -> dict[str, str]:
    """The MBTiles metadata rows (spec 1.3), plus ``source`` and ``generator``."""
    w, s = (math.floor(v * 1e6) / 1e6 for v in plan.lonlat[:2])  # rounded outwards
    e, n = (math.ceil(v * 1e6) / 1e6 for v in plan.lonlat[2:])
    lo, hi = plan.levels
    meta = {"name": source.name, "format": plan.tile_format, "bounds": f"{w:.6f},{s:.6f},{e:.6f},{n:.6f}",
            "center": f"{(w + e) / 2:.6f},{(s + n) / 2:.6f},{min(hi, max(lo, (lo + hi) // 2))}",
            "minzoom": str(lo), "maxzoom": str(hi), "type": "baselayer", "version": "1",
            "description": f"{source.name}, levels {lo}-{hi}", "source": source.origin, "generator": "lzt tiles"}
    if source.attribution:
        meta["attribution"] = source.attribution
    return meta


def build_package(source: TileSource, plan: PackagePlan, *, feedback: Feedback | None = None,
                  restart: bool = False, overwrite: bool = False) -> BuildReport:
    """Write the package of ``plan`` from ``source``; see the module's docstring for resuming."""
    fb = ensure(feedback)
    if plan.out.exists() and not overwrite:
        raise LztInputError(plan.out, "already exists (use --overwrite to replace it)")
    t0 = time.perf_counter()
    con, done = _open_part(source, plan, restart)
    writer = WRITERS[plan.driver](con, source.name)
    resumed = _count_tiles(con, plan) if done else 0
    written = empty = 0
    total, count = plan.tiles, 0
    last = time.monotonic()
    try:
        for r in plan.ranges:
            for x, y, nx, ny in r.blocks(BLOCK):
                fb.check()
                if (r.z, x, y) not in done:
                    px = source.read(r.z, x, y, nx, ny)
                    for j in range(ny):
                        for i in range(nx):
                            tile = None if px is None else px[j * TILE:(j + 1) * TILE, i * TILE:(i + 1) * TILE]
                            data = None if tile is None else encode(tile, plan.tile_format)
                            if data is None:
                                empty += 1
                            else:
                                writer.put(r.z, x + i, y + j, data)
                                written += 1
                    con.execute("INSERT INTO lzt_done VALUES (?, ?, ?)", (r.z, x, y))
                    if time.monotonic() - last > _COMMIT_SECONDS:
                        con.commit()
                        last = time.monotonic()
                count += nx * ny
                fb.progress(count, total, f"生成瓦片 级别 {r.z}")
        con.commit()
        meta = metadata(source, plan)
        writer.finish(meta)
        con.commit()
    except BaseException:
        try:
            con.commit()  # the blocks done so far stay, for the next run to resume from
        except sqlite3.Error:
            pass  # (a full disk, say): the last commit stands
        finally:
            con.close()
        raise
    tiles = _count_tiles(con, plan)
    con.close()
    os.replace(plan.part, plan.out)
    return BuildReport(str(plan.out), plan.driver, plan.levels, tiles, empty, plan.out.stat().st_size,
                       round(time.perf_counter() - t0, 3), resumed, meta)


def _count_tiles(con: sqlite3.Connection, plan: PackagePlan) -> int:
    if plan.driver == "MBTiles":
        return con.execute("SELECT count(*) FROM tiles").fetchone()[0]
    t = con.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'tiles'").fetchone()[0]
    return con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
