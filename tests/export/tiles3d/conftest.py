"""A small workspace of white models (a square, an L, a courtyard block, a two-part building,
one without a height) and one placed BIM mesh model, in EPSG:4547 over Longgang."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

X0, Y0 = 515_000.0, 2_511_000.0


def buildings() -> gpd.GeoDataFrame:
    courtyard = shapely.Polygon(
        [(X0 + 200, Y0), (X0 + 260, Y0), (X0 + 260, Y0 + 60), (X0 + 200, Y0 + 60)],
        [[(X0 + 220, Y0 + 20), (X0 + 220, Y0 + 40), (X0 + 240, Y0 + 40), (X0 + 240, Y0 + 20)]])
    two_parts = shapely.MultiPolygon([shapely.box(X0 + 400, Y0 + 300, X0 + 420, Y0 + 330),
                                      shapely.box(X0 + 430, Y0 + 300, X0 + 450, Y0 + 330)])
    ell = shapely.Polygon([(X0 + 0.123, Y0 + 300.456), (X0 + 40.5, Y0 + 300.456), (X0 + 40.5, Y0 + 310.25),
                           (X0 + 10.75, Y0 + 310.25), (X0 + 10.75, Y0 + 350.875), (X0 + 0.123, Y0 + 350.875)])
    geoms = [shapely.box(X0, Y0, X0 + 30.25, Y0 + 18.5), ell, courtyard, two_parts,
             shapely.box(X0 + 600, Y0, X0 + 620, Y0 + 20), shapely.box(X0 + 700, Y0 + 700, X0 + 720, Y0 + 715)]
    return gpd.GeoDataFrame(
        {"building_id": ["B1", "B2", "B3", "B4", "B5", "B6"], "use": ["住宅", "商业", "住宅", "工业", "住宅", "住宅"],
         "height_m": [99.9, 12.5, 24.0, 8.0, None, 45.25]},
        geometry=geoms, crs="EPSG:4547")


@pytest.fixture
def models_ws(ws, tmp_path):
    import trimesh

    ws.write_layer("buildings", buildings())
    box = trimesh.creation.box(extents=[24.0, 36.0, 12.0])  # glTF: Y up, so 36 m tall
    box.apply_translation([0, 18.0, 0])
    path = tmp_path / "tower.glb"
    box.export(path)
    from lzt.ingest.bim import import_bim

    (res,) = import_bim(ws, [path], origin=(X0 + 900, Y0 + 100), crs="EPSG:4547")
    assert res.status == "imported", res.error
    return ws


def stored_bim_vertices(ws) -> np.ndarray:
    """The BIM model's stored mesh in workspace coordinates (the bim_models contract)."""
    import io

    import trimesh

    row = ws.read_features("bim_models").iloc[0]
    mesh = trimesh.load(io.BytesIO(ws.get_blob("bim_mesh", row["source"])), file_type="glb", force="mesh")
    return np.asarray(mesh.vertices) + [row["mesh_origin_x"], row["mesh_origin_y"], 0.0]
