"""What casts shadows: footprints extruded by their heights (白模) and the BIM models' meshes,
standing on the DEM, as 3D segments for the horizon test (see horizon.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from lzt.analysis.sunlight.horizon import Segments

HEIGHT_FIELDS = ("height_m", "height", "建筑高度", "高度")
FLOOR_FIELDS = ("floors", "storeys", "层数", "楼层数")
STOREY_M = 3.0  # assumed storey height when a layer has only storeys [P]


def height_field(fields) -> tuple[str, float] | None:
    """(field, metres per unit) giving a footprint's height: a height field, else storeys × 3 m."""
    for name in HEIGHT_FIELDS:
        if name in fields:
            return name, 1.0
    for name in FLOOR_FIELDS:
        if name in fields:
            return name, STOREY_M
    return None


def ring_edges(geom) -> np.ndarray:
    """(k, 4) plan edges x0 y0 x1 y1 of every ring of a (multi)polygon."""
    rings = shapely.get_rings(shapely.get_parts(geom))
    out = []
    for r in rings:
        c = shapely.get_coordinates(r)
        if len(c) > 1:
            out.append(np.hstack([c[:-1], c[1:]]))
    return np.vstack(out) if out else np.zeros((0, 4))


def prism_segments(geom, top_z: float) -> np.ndarray:
    """(k, 6) roof edges of a footprint extruded to ``top_z``."""
    e = ring_edges(geom)
    z = np.full((len(e), 1), float(top_z))
    return np.hstack([e[:, :2], z, e[:, 2:], z])


def mesh_segments(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(k, 6) unique edges of a triangle mesh, vertical ones left out (they cross no
    half-plane at a point of their own that their end points do not give)."""
    f = np.asarray(faces, dtype=np.int64)
    e = np.vstack([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    e = np.unique(np.sort(e, axis=1), axis=0)
    v = np.asarray(vertices, dtype=float)
    a, b = v[e[:, 0]], v[e[:, 1]]
    plan = np.hypot(b[:, 0] - a[:, 0], b[:, 1] - a[:, 1]) > 1e-6
    return np.hstack([a, b])[plan]


@dataclass
class Model:
    """A BIM model placed in the workspace: its footprint and its mesh's edges."""

    fid: int
    name: str
    footprint: object
    segments: np.ndarray  # (k, 6)
    base_z: float
    top_z: float


@dataclass
class Obstacles:
    """The white models (by building fid) and the BIM models (by model fid) of a scene."""

    buildings: dict[int, np.ndarray] = field(default_factory=dict)
    models: dict[int, Model] = field(default_factory=dict)
    no_height: list[int] = field(default_factory=list)  # building fids without a usable height

    def segments(self, *, skip_models=(), only_models=None) -> Segments:
        """All segments, without ``skip_models`` (or only the models ``only_models``)."""
        if only_models is not None:
            parts = [self.models[m].segments for m in only_models]
        else:
            parts = list(self.buildings.values()) + [m.segments for k, m in self.models.items()
                                                     if k not in set(skip_models)]
        parts = [p for p in parts if len(p)]
        return Segments(np.vstack(parts) if parts else np.zeros((0, 6)))


def read_buildings(ws, layer: str, bbox, terrain, *, where=None):
    """Footprints of ``layer`` in ``bbox`` with ``base_z`` (DEM under a point inside) and
    ``top_z``; rows without a usable height get NaN heights."""
    hf = height_field(ws.fields(layer))
    cols = [hf[0]] if hf else []
    gdf = ws.read_features(layer, bbox=tuple(bbox), where=where, columns=cols or None)
    gdf = gdf[~gdf.geometry.isna() & ~gdf.geometry.is_empty]
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    pts = shapely.point_on_surface(geoms) if len(geoms) else np.array([])
    base = terrain.height(shapely.get_x(pts), shapely.get_y(pts)) if len(geoms) else np.zeros(0)
    if hf:
        import pandas as pd

        h = pd.to_numeric(gdf[hf[0]], errors="coerce").to_numpy(dtype=float) * hf[1]
    else:
        h = np.full(len(gdf), np.nan)
    h[~(h > 0)] = np.nan
    gdf = gdf.assign(base_z=base, height=h, top_z=base + h)
    return gdf


def read_models(ws, bbox, terrain, *, layer: str = "bim_models") -> dict[int, Model]:
    """The placed BIM models whose footprints touch ``bbox``, meshes lifted so their lowest
    point sits on the DEM under a point inside the footprint (as the 3D view does)."""
    if not ws.has_layer(layer):
        return {}
    from lzt.ingest.bim import read_model_mesh

    models = ws.read_features(layer, bbox=tuple(bbox))
    out = {}
    for fid, row in models.iterrows():
        if row.geometry is None or row.get("placed") in (0, False):
            continue
        mesh = read_model_mesh(ws, row["source"], (float(row["mesh_origin_x"]), float(row["mesh_origin_y"])))
        if mesh is None:
            continue
        v, faces = mesh
        p = shapely.point_on_surface(row.geometry)
        ground = float(terrain.height(np.array([p.x]), np.array([p.y]))[0])
        v[:, 2] += ground - v[:, 2].min()
        out[int(fid)] = Model(int(fid), str(row["name"]), row.geometry, mesh_segments(v, faces),
                              ground, float(v[:, 2].max()))
    return out


def covered_by(footprints, models: dict[int, Model], share: float = 0.5) -> np.ndarray:
    """Boolean per footprint: at least ``share`` of it lies under a BIM model's footprint (the
    model shows that building, so the white model is left out)."""
    geoms = np.asarray(footprints, dtype=object)
    hit = np.zeros(len(geoms), dtype=bool)
    if not models or not len(geoms):
        return hit
    union = shapely.union_all([m.footprint for m in models.values()])
    area = shapely.area(geoms)
    inter = shapely.area(shapely.intersection(geoms, union))
    return inter >= share * np.maximum(area, 1e-9)
