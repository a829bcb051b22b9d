"""Write a 3D Tiles tileset: ``tileset.json`` and one b3dm (or glb) per tile, streamed.

Tiles are written one at a time, children before parents (a parent's bounding region encloses
its children's), so memory holds one tile's meshes whatever the size of the export. Bounding
volumes are regions (longitude/latitude in radians, ellipsoidal heights) computed from the
written vertices themselves. The tileset is written to a temporary folder beside ``out`` and
moved into place at the end: a failed or cancelled export leaves nothing half written.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lzt.core.errors import LztInputError
from lzt.core.feedback import Feedback, ensure
from lzt.export.tiles3d import content, quadtree
from lzt.export.tiles3d.frame import EarthFrame, local_frame
from lzt.export.tiles3d.sources import Models, triangles

CONTENT_TYPES = ("b3dm", "glb")
DEFAULT_CAP = 1000
REGION_PAD_RAD = 2e-9  # about a centimetre: a triangle's chord never leaves its vertices' region
HEIGHT_PAD_M = 0.1  # a 500 m chord sags 5 mm below its ends on the ellipsoid


@dataclass
class TilesetResult:
    """What an export wrote (the ``lzt export3d --json`` record)."""

    path: str
    content: str
    models: int
    tiles: int
    depth: int
    triangles: int
    bytes: int
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"path": self.path, "format": "3dtiles", "content": self.content, "models": self.models,
                "tiles": self.tiles, "depth": self.depth, "triangles": self.triangles, "bytes": self.bytes,
                "skipped": len(self.skipped), "skipped_examples": self.skipped[:20],
                "seconds": round(self.seconds, 2)}


def write_tileset(ws, models: Models, out: str | Path, *, content_type: str = "b3dm", cap: int = DEFAULT_CAP,
                  feedback: Feedback | None = None) -> TilesetResult:
    """Write ``models`` as a 3D Tiles tileset in folder ``out`` (created or replaced)."""
    if content_type not in CONTENT_TYPES:
        raise LztInputError("--content", f"unknown tile content {content_type!r} (b3dm or glb)")
    if cap < 1:
        raise LztInputError("--tile-cap", "must be at least 1")
    if len(models) == 0:
        raise LztInputError(str(out), "nothing to export: no model matches (see the skipped models)")
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "tileset.json").exists())):
        raise LztInputError(out, "exists and is not an (empty or earlier) tileset folder: choose another")
    fb = ensure(feedback)
    t0 = time.perf_counter()
    table = models.table
    root = quadtree.build(table["x"], table["y"], table["height"], cap)
    nodes = list(root.walk())
    frame = EarthFrame(ws.crs)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (tmp / "tiles").mkdir()
        tiles_json: dict[int, dict] = {}
        n_tris = 0
        for i, node in enumerate(nodes):
            fb.check()
            fb.progress(i, len(nodes), f"写入瓦片 {node.name}（{len(node.items)} 个模型）")
            tiles_json[id(node)], k = _write_tile(ws, node, models, frame, tmp, content_type, tiles_json)
            n_tris += k
        fb.progress(len(nodes), len(nodes), "写入 tileset.json")
        root_json = tiles_json[id(root)]
        root_json["refine"] = "ADD"
        heights = table["height"].to_numpy(float)
        tileset = {
            "asset": {"version": "1.0" if content_type == "b3dm" else "1.1", "generator": "lzt export3d",
                      "tilesetVersion": time.strftime("%Y-%m-%d"),
                      "extras": {"sourceCrs": ws.crs, "heights": "ellipsoidal = workspace heights (no geoid)"}},
            "properties": {"height_m": {"minimum": float(heights.min()), "maximum": float(heights.max())}},
            "geometricError": float(max(heights.max(), root_json["geometricError"])),
            "root": root_json,
        }
        (tmp / "tileset.json").write_text(json.dumps(tileset, ensure_ascii=False, indent=1), encoding="utf-8")
        size = sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file())
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return TilesetResult(path=str(out / "tileset.json"), content=content_type, models=len(models),
                         tiles=len(nodes), depth=max(n.level for n in nodes), triangles=n_tris, bytes=size,
                         skipped=list(models.skipped), seconds=time.perf_counter() - t0)


def _write_tile(ws, node, models: Models, frame: EarthFrame, folder: Path, content_type: str,
                done: dict[int, dict]) -> tuple[dict, int]:
    sub = models.table.iloc[node.items]
    tris, owners = triangles(ws, sub)
    region = None
    tile: dict = {"geometricError": node.geometric_error}
    if len(tris):
        ecef = frame.to_ecef(tris.reshape(-1, 3))
        gltf, matrix = local_frame(frame, ecef)
        positions = gltf.reshape(-1, 3, 3)
        uri = f"tiles/{node.name}.{content_type}"
        if content_type == "b3dm":
            data = content.b3dm(content.glb(positions, matrix, owners), len(sub),
                                _batch_table(sub, [models.attributes[i] for i in node.items]))
        else:
            data = content.glb(positions, matrix)
        (folder / uri).write_bytes(data)
        tile["content"] = {"uri": uri}
        region = _region(frame.geodetic(ecef))
    children = [done.pop(id(c)) for c in node.children]  # written before their parent
    for child in children:
        region = _union(region, child["boundingVolume"]["region"])
    if region is None:  # no triangles anywhere below: the models' centroids on the ground
        pts = np.column_stack([sub["x"], sub["y"], sub["base"]]).astype(float)
        region = _region(frame.geodetic(frame.to_ecef(pts)))
    tile["boundingVolume"] = {"region": region}
    if children:
        tile["children"] = children
    return tile, len(tris)


def _region(lonlath: np.ndarray) -> list[float]:
    lon, lat = np.radians(lonlath[:, 0]), np.radians(lonlath[:, 1])
    return [float(lon.min() - REGION_PAD_RAD), float(lat.min() - REGION_PAD_RAD),
            float(lon.max() + REGION_PAD_RAD), float(lat.max() + REGION_PAD_RAD),
            float(lonlath[:, 2].min() - HEIGHT_PAD_M), float(lonlath[:, 2].max() + HEIGHT_PAD_M)]


def _union(a: list[float] | None, b: list[float]) -> list[float]:
    if a is None:
        return list(b)
    return [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]), min(a[4], b[4]), max(a[5], b[5])]


def _batch_table(sub, attributes: list[dict]) -> dict:
    """Per-model columns (JSON batch table): layer, id, height, base and the model's attributes."""
    table: dict[str, list] = {"layer": sub["layer"].tolist(), "id": [str(v) for v in sub["id"]],
                              "height": [round(float(v), 3) for v in sub["height"]],
                              "base": [round(float(v), 3) for v in sub["base"]]}
    keys = sorted({k for a in attributes for k in a if k not in table})
    for k in keys:
        table[k] = [a.get(k) for a in attributes]
    return table


def degrees(region: list[float]) -> list[float]:
    """A region's longitudes and latitudes in degrees (for messages and tests)."""
    return [math.degrees(v) for v in region[:4]] + list(region[4:])
