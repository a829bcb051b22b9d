"""Mesh models through trimesh: real files, Y-up glTF, units, broken files."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from bim_import.mesh import read_mesh_model
from lzt.core.errors import LztInputError


def test_gltf_is_turned_z_up(real_data):
    path = real_data / "mesh/no_indices_3storybuilding.glb"
    m = read_mesh_model(path)
    ref = trimesh.load(str(path), force="scene").to_geometry()
    # glTF's y (up) becomes z: the height is the y-range of the file
    assert m.height_m == pytest.approx(np.ptp(ref.vertices[:, 1]), abs=1e-6) == pytest.approx(9.0)
    assert m.schema == "glTF" and not m.georef.placed and m.gfa_m2 is None


@pytest.mark.parametrize("name, area, height", [("mesh/BoxTextured.glb", 1.0, 1.0), ("mesh/box.obj", 4.0, 2.0)])
def test_boxes(real_data, name, area, height):
    m = read_mesh_model(real_data / name)
    assert m.footprint.area == pytest.approx(area, rel=1e-6) and m.height_m == pytest.approx(height)


@pytest.mark.parametrize("name, needle", [
    ("malformed/invalid_magic.glb", "incorrect header"),
    ("malformed/truncated_chunk_data.glb", "no triangles"),
    ("malformed/length_mismatch.glb", "no triangles"),
])
def test_broken_meshes(real_data, name, needle):
    with pytest.raises(LztInputError) as e:
        read_mesh_model(real_data / name)
    assert needle in str(e.value) and "\n" not in str(e.value)


def test_obj_with_short_face_warns(real_data):
    m = read_mesh_model(real_data / "malformed/notenoughindices.obj")
    assert any("fewer than 3 vertices" in w for w in m.warnings)


def test_millimetre_obj_is_scaled(tmp_path):
    box = trimesh.creation.box(extents=(20000, 12000, 9000))
    box.apply_translation((10000, 6000, 4500))
    p = tmp_path / "mm.obj"
    box.export(p)
    m = read_mesh_model(p)
    assert m.footprint.area == pytest.approx(240.0) and m.height_m == pytest.approx(9.0)
    assert any("millimetres" in w for w in m.warnings)
