"""What a 3D export takes from a workspace: white models (extruded footprints) and BIM meshes.

A ``Models`` value holds, for every exported model, where it stands (centroid), how tall it is
(the tiler puts tall models high in the tree) and its attributes; the geometry itself is made
tile by tile (``triangles``), so a district export never holds every mesh at once. Features
without a usable height are left out and counted, each named in ``skipped``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lzt.core.errors import LztInputError

BIM_KIND = "bim"
HEIGHT_FIELDS = ("height_m", "height", "measuredHeight", "高度")


@dataclass
class Models:
    """Models of one or more layers, in the workspace CRS (one row per model)."""

    table: pd.DataFrame  # layer, fid, id, kind ("white"|"bim"), x, y, base, height, geometry (footprint)
    attributes: list[dict]  # per row: the feature's own attributes (JSON-safe)
    skipped: list[str] = field(default_factory=list)  # one line per model left out

    def __len__(self) -> int:
        return len(self.table)


def gather(ws, layers: list[str], *, where: str | None = None, bbox=None, ground: str | None = None,
           height_field: str | None = None) -> Models:
    """The models of ``layers`` (vector footprint layers and BIM layers) matching ``where``/``bbox``.

    ``ground`` names a DEM raster layer: each model stands on the ground height at its centroid
    (else on 0). A BIM model's own base (``base_z``, relative to its ±0.00) is added.
    """
    from lzt.export.data import for_output
    from lzt.query.run import QuerySpec, run_query

    tables, attrs, skipped = [], [], []
    for name in layers:
        if not ws.has_layer(name):
            raise LztInputError(ws.uri, f"no layer {name!r} (see lzt layers)")
        info = ws.layer(name)
        if info.kind == "raster" or info.geometry_type is None or "Polygon" not in str(info.geometry_type):
            raise LztInputError(name, f"layer {name!r} has no polygons to extrude (a {info.kind} layer of "
                                      f"{info.geometry_type or 'no geometry'})")
        gdf = run_query(ws, QuerySpec(layer=name, where=where, bbox=bbox)).features
        gdf = for_output(ws, name, gdf, purpose="export3d")
        t, a, s = (_bim(gdf, name) if info.kind == BIM_KIND else _white(gdf, name, height_field))
        tables.append(t)
        attrs += a
        skipped += s
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    if len(table) and ground:
        table["base"] = table["base"] + ground_heights(ws, ground, table["x"].to_numpy(), table["y"].to_numpy())
    return Models(table, attrs, skipped)


def _white(gdf: gpd.GeoDataFrame, layer: str, height_field: str | None):
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    hf = height_field or next((c for c in HEIGHT_FIELDS if c in cols), None)
    if hf is None or hf not in cols:
        raise LztInputError(layer, f"no height field ({height_field or ', '.join(HEIGHT_FIELDS)}): "
                                   "name one with --height-field")
    heights = pd.to_numeric(gdf[hf], errors="coerce").to_numpy(dtype=float)
    geoms = gdf.geometry.to_numpy()
    ids = _ids(gdf)
    ok = np.isfinite(heights) & (heights > 0) & ~shapely.is_empty(geoms) & shapely.is_valid(geoms)
    skipped = [f"{layer} {ids[i]}: " + ("no height" if not (np.isfinite(heights[i]) and heights[i] > 0)
                                        else "empty or invalid footprint") for i in np.flatnonzero(~ok)]
    gdf, heights, ids, geoms = gdf[ok], heights[ok], ids[ok], geoms[ok]
    c = shapely.centroid(geoms)
    table = pd.DataFrame({"layer": layer, "fid": gdf.index.to_numpy(), "id": ids, "kind": "white",
                          "x": shapely.get_x(c), "y": shapely.get_y(c), "base": 0.0, "height": heights,
                          "geometry": geoms})
    return table, _attributes(gdf, cols), skipped


def _bim(gdf: gpd.GeoDataFrame, layer: str):
    placed = gdf["placed"].astype(bool).to_numpy() if "placed" in gdf else np.ones(len(gdf), bool)
    placed = placed & ~gdf.geometry.isna().to_numpy()
    ids = gdf["name"].astype(str).to_numpy() if "name" in gdf else gdf.index.astype(str).to_numpy()
    skipped = [f"{layer} {ids[i]}: unplaced (no location)" for i in np.flatnonzero(~placed)]
    gdf, ids = gdf[placed], ids[placed]
    geoms = gdf.geometry.to_numpy()
    c = shapely.centroid(geoms)
    table = pd.DataFrame({"layer": layer, "fid": gdf.index.to_numpy(), "id": ids, "kind": "bim",
                          "x": shapely.get_x(c), "y": shapely.get_y(c), "base": 0.0,
                          "height": pd.to_numeric(gdf["height_m"], errors="coerce").fillna(0).to_numpy(float),
                          "geometry": geoms, "source": gdf["source"].to_numpy(),
                          "origin_x": gdf["mesh_origin_x"].to_numpy(float),
                          "origin_y": gdf["mesh_origin_y"].to_numpy(float)})
    keep = ["name", "schema", "height_m", "storeys", "gfa_m2", "height_reference"]
    return table, _attributes(gdf, [k for k in keep if k in gdf.columns]), skipped


def _ids(gdf: gpd.GeoDataFrame) -> np.ndarray:
    for c in ("building_id", "id", "name"):
        if c in gdf.columns and gdf[c].notna().all():
            return gdf[c].astype(str).to_numpy()
    return gdf.index.astype(str).to_numpy()


def _attributes(gdf: gpd.GeoDataFrame, cols: list[str]) -> list[dict]:
    out = []
    for rec in gdf[cols].to_dict("records"):
        out.append({k: _json_value(v) for k, v in rec.items()})
    return out


def _json_value(v):
    if v is None:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(float(v)) else float(v)
    if isinstance(v, (bool, np.bool_, int, str)):
        return v.item() if isinstance(v, np.generic) else v
    return str(v)


def ground_heights(ws, layer: str, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Ground heights of a DEM layer at points (nearest cell); 0 outside it or on nodata."""
    from rasterio.io import MemoryFile

    if not ws.has_layer(layer) or ws.layer(layer).kind != "raster":
        raise LztInputError(layer, f"--ground needs a DEM raster layer; {layer!r} is not one")
    with MemoryFile(ws.raster_bytes(layer)) as mem, mem.open() as src:
        band = src.read(1, masked=True)
        t = src.transform
        if t.b or t.d:
            raise LztInputError(layer, "a rotated DEM cannot give ground heights here: warp it north-up first")
        fc, fr = (np.asarray(x, dtype=float) - t.c) / t.a, (np.asarray(y, dtype=float) - t.f) / t.e
    rows, cols = np.floor(fr).astype(np.int64), np.floor(fc).astype(np.int64)
    inside = (rows >= 0) & (rows < band.shape[0]) & (cols >= 0) & (cols < band.shape[1])
    z = np.zeros(len(x))
    vals = band[rows[inside], cols[inside]]
    z[inside] = np.ma.filled(vals.astype(float), 0.0)
    return z


def triangles(ws, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Triangles (m x 3 x 3, workspace CRS, heights absolute) of the models in ``table`` and the
    row position (within ``table``) each triangle belongs to."""
    from lzt.export.tiles3d.extrude import extrude

    parts, owners = [], []
    white = np.flatnonzero((table["kind"] == "white").to_numpy())
    if len(white):
        sub = table.iloc[white]
        tris, idx = extrude(sub["geometry"].to_numpy(), sub["base"].to_numpy(),
                            (sub["base"] + sub["height"]).to_numpy())
        parts.append(tris)
        owners.append(white[idx])
    for pos in np.flatnonzero((table["kind"] == "bim").to_numpy()):
        row = table.iloc[pos]
        tris = bim_triangles(ws, row["source"], (row["origin_x"], row["origin_y"], row["base"]))
        parts.append(tris)
        owners.append(np.full(len(tris), pos))
    if not parts:
        return np.zeros((0, 3, 3)), np.zeros(0, dtype=np.int64)
    return np.concatenate(parts), np.concatenate(owners).astype(np.int64)


def bim_triangles(ws, source: str, origin: tuple[float, float, float]) -> np.ndarray:
    """A stored BIM mesh (GLB relative to its origin, Z up) as absolute triangles."""
    from lzt.ingest.bim import read_model_mesh

    mesh = read_model_mesh(ws, source, origin, merge_vertices=False)
    if mesh is None:
        raise LztInputError(source, "its mesh is missing from the workspace: import it again with lzt bim")
    v, faces = mesh
    return v[faces]
