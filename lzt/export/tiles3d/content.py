"""Tile content: a glTF binary (GLB) of one tile's triangles, bare or wrapped as Batched 3D Model.

The GLB is written by trimesh: positions (float32, the tile's local frame, Y up), flat normals,
and the tile's ENU -> ECEF matrix as the node matrix (double precision in the glTF JSON). In a
b3dm each vertex carries ``_BATCHID`` (the model it belongs to) and the batch table lists the
models' attributes, so a web viewer can pick a building and show what it is.
"""

from __future__ import annotations

import io
import json
import struct

import numpy as np

B3DM_MAGIC = b"b3dm"


def glb(positions: np.ndarray, node_matrix: np.ndarray, batch_ids: np.ndarray | None = None) -> bytes:
    """A GLB of a triangle soup (``positions`` m x 3 x 3, glTF axes) under ``node_matrix``."""
    import trimesh

    v = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
    faces = np.arange(len(v), dtype=np.int64).reshape(-1, 3)
    mesh = trimesh.Trimesh(vertices=v, faces=faces, process=False)
    # Flat shading: every vertex belongs to one triangle, so its normal is the face's.
    normals = np.repeat(_face_normals(v.reshape(-1, 3, 3)), 3, axis=0)
    mesh.vertex_normals = normals
    if batch_ids is not None:
        mesh.vertex_attributes["_BATCHID"] = np.repeat(np.asarray(batch_ids, dtype=np.float32), 3)
    scene = trimesh.Scene()
    scene.add_geometry(mesh, node_name="tile", geom_name="tile", transform=node_matrix)
    buf = io.BytesIO()
    scene.export(buf, file_type="glb", include_normals=True)
    return buf.getvalue()


def _face_normals(tris: np.ndarray) -> np.ndarray:
    n = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    length = np.linalg.norm(n, axis=1, keepdims=True)
    length[length == 0] = 1.0
    return n / length


def b3dm(glb_bytes: bytes, batch_length: int, batch_table: dict) -> bytes:
    """Wrap a GLB as Batched 3D Model (3D Tiles 1.0) with a JSON batch table."""
    feature = _padded(json.dumps({"BATCH_LENGTH": int(batch_length)}, separators=(",", ":")).encode(), 28)
    batch = _padded(json.dumps(batch_table, ensure_ascii=False, separators=(",", ":")).encode(),
                    28 + len(feature))
    body = glb_bytes + b"\0" * (-len(glb_bytes) % 8)
    total = 28 + len(feature) + len(batch) + len(body)
    header = struct.pack("<4sIIIIII", B3DM_MAGIC, 1, total, len(feature), 0, len(batch), 0)
    return header + feature + batch + body


def _padded(data: bytes, start: int) -> bytes:
    """JSON padded with spaces so that what follows starts on an 8-byte boundary."""
    return data + b" " * (-(start + len(data)) % 8)
