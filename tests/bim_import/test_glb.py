"""The GLB writer: the bytes trimesh writes, and a mesh that reads back as written."""

from __future__ import annotations

import io

import numpy as np
import pytest

from bim_import.glb import glb_bytes


@pytest.mark.parametrize("n", [3, 4, 17, 2000])
def test_glb_bytes_are_trimesh_s(n):
    trimesh = pytest.importorskip("trimesh")
    rng = np.random.default_rng(n)
    v = rng.normal(size=(n, 3)) * 500.0
    f = rng.integers(0, n, size=(2 * n, 3))
    buf = io.BytesIO()
    trimesh.Trimesh(vertices=v, faces=f, process=False).export(buf, file_type="glb")
    assert glb_bytes(v, f) == buf.getvalue()


def test_glb_reads_back():
    trimesh = pytest.importorskip("trimesh")
    v = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 0.0], [10.0, 5.0, 0.0], [0.0, 5.0, 3.25]])
    f = np.array([[0, 1, 2], [0, 2, 3]])
    data = glb_bytes(v, f)
    assert len(data) % 4 == 0 and data[:4] == b"glTF"
    mesh = trimesh.load(io.BytesIO(data), file_type="glb", force="mesh", process=False)
    assert np.allclose(mesh.vertices, v) and (mesh.faces == f).all()
