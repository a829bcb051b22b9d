"""A small sunlight scene over Longgang (EPSG:4547, no DEM): two housing slabs north of a
site, an office block, a building without a height, and a proposed BIM tower on the site."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

X0, Y0 = 515_000.0, 2_511_000.0
TOWER_M = 45.0


def scene_buildings() -> gpd.GeoDataFrame:
    geoms = [shapely.box(X0 - 25, Y0 + 30, X0 + 25, Y0 + 42),  # R1: slab 30 m north of the site
             shapely.box(X0 - 25, Y0 + 80, X0 + 25, Y0 + 92),  # R2: a second slab further north
             shapely.box(X0 + 60, Y0 - 10, X0 + 80, Y0 + 10),  # O1: offices east of the site
             shapely.box(X0 - 90, Y0 - 10, X0 - 70, Y0 + 10),  # R3: housing, no height known
             shapely.box(X0 - 10, Y0 - 6, X0 + 10, Y0 + 6)]    # S1: the old building on the site
    return gpd.GeoDataFrame({"building_id": ["R1", "R2", "O1", "R3", "S1"],
                             "use": ["住宅", "住宅", "办公", "住宅", "住宅"],
                             "height_m": [18.0, 18.0, 30.0, None, 9.0]}, geometry=geoms, crs="EPSG:4547")


@pytest.fixture
def sun_ws(ws, tmp_path):
    """The scene with the proposed tower ``tower`` (a box 24 × 12 m, TOWER_M tall) imported as
    a BIM model over S1."""
    return build_scene(ws, tmp_path)


def build_scene(ws, tmp_path):
    """Write the scene's buildings and the proposed tower into ``ws``."""
    import trimesh

    from lzt.ingest.bim import import_bim

    ws.write_layer("buildings", scene_buildings())
    box = trimesh.creation.box(extents=[24.0, TOWER_M, 12.0])  # glTF: Y up
    box.apply_translation([0, TOWER_M / 2, 0])
    path = tmp_path / "tower.glb"
    box.export(path)
    (res,) = import_bim(ws, [path], origin=(X0, Y0), crs="EPSG:4547")
    assert res.status == "imported", res.error
    return ws


def tower_prism(ws) -> tuple[object, float]:
    """The proposed tower as a footprint and a roof height, read from the bim_models layer."""
    row = ws.read_features("bim_models").iloc[0]
    return row.geometry, float(row["top_z"])


def receivers_xyz(rec) -> np.ndarray:
    return np.column_stack([rec.x, rec.y, rec.z])
