"""An independent reader of what lzt export3d writes: b3dm and GLB parsed from their bytes by
the specifications (3D Tiles 1.0 b3dm header, glTF 2.0 binary), positions taken to ECEF with
the specification's Y-up -> Z-up turn and the node matrix, and back to EPSG:4547 with pyproj.
Nothing here imports lzt."""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyproj import CRS, Transformer

Y_UP_TO_Z_UP = np.array([[1, 0, 0, 0], [0, 0, -1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=float)
_COMPONENTS = {5126: np.float32, 5125: np.uint32, 5123: np.uint16, 5121: np.uint8}
_WIDTH = {"SCALAR": 1, "VEC3": 3}
TO_4547 = Transformer.from_crs(CRS("EPSG:4978"), CRS("EPSG:4547").to_3d(), always_xy=True)
# ECEF -> longitude, latitude, height on WGS84: the plain conversion (no datum-ensemble step).
TO_LONLATH = Transformer.from_pipeline("+proj=pipeline +step +inv +proj=cart +ellps=WGS84 "
                                       "+step +proj=unitconvert +xy_in=rad +xy_out=deg")


@dataclass
class TileContent:
    ecef: np.ndarray  # triangle vertices, n x 3 (three per triangle, in index order)
    batch_ids: np.ndarray | None  # per vertex
    batch_length: int | None
    batch_table: dict | None
    gltf: dict
    glb: bytes


def parse_b3dm(data: bytes) -> tuple[dict, dict, bytes]:
    magic, version, length, ftj, ftb, btj, btb = struct.unpack_from("<4sIIIIII", data, 0)
    assert magic == b"b3dm" and version == 1 and length == len(data)
    assert length % 8 == 0
    pos = 28
    feature = json.loads(data[pos:pos + ftj]); pos += ftj + ftb
    batch = json.loads(data[pos:pos + btj]) if btj else {}; pos += btj + btb
    assert pos % 8 == 0, "the glb must start on an 8-byte boundary"
    return feature, batch, data[pos:]


def parse_glb(data: bytes) -> tuple[dict, bytes]:
    magic, version, length = struct.unpack_from("<4sII", data, 0)
    assert magic == b"glTF" and version == 2 and length <= len(data)
    jlen, jtype = struct.unpack_from("<II", data, 12)
    assert jtype == 0x4E4F534A
    gltf = json.loads(data[20:20 + jlen])
    blen, btype = struct.unpack_from("<II", data, 20 + jlen)
    assert btype == 0x004E4942
    return gltf, data[28 + jlen:28 + jlen + blen]


def accessor(gltf: dict, binary: bytes, i: int) -> np.ndarray:
    acc = gltf["accessors"][i]
    view = gltf["bufferViews"][acc["bufferView"]]
    dtype = np.dtype(_COMPONENTS[acc["componentType"]]).newbyteorder("<")
    width = _WIDTH[acc["type"]]
    start = view.get("byteOffset", 0) + acc.get("byteOffset", 0)
    stride = view.get("byteStride", dtype.itemsize * width)
    assert stride == dtype.itemsize * width, "these tiles use tightly packed accessors"
    arr = np.frombuffer(binary, dtype=dtype, count=acc["count"] * width, offset=start)
    return arr.reshape(acc["count"], width) if width > 1 else arr


def read_content(path: Path) -> TileContent:
    data = path.read_bytes()
    feature = batch = None
    if data[:4] == b"b3dm":
        feature, batch, glb = parse_b3dm(data)
    else:
        glb = data
    gltf, binary = parse_glb(glb)
    (node,) = [n for n in gltf["nodes"] if "mesh" in n]
    matrix = np.array(node.get("matrix", np.eye(4).ravel().tolist()), dtype=float).reshape(4, 4).T  # column-major
    prim = gltf["meshes"][node["mesh"]]["primitives"][0]
    assert prim.get("mode", 4) == 4
    pos = accessor(gltf, binary, prim["attributes"]["POSITION"]).astype(float)
    idx = accessor(gltf, binary, prim["indices"]) if "indices" in prim else np.arange(len(pos))
    hom = np.column_stack([pos, np.ones(len(pos))])
    ecef = (Y_UP_TO_Z_UP @ matrix @ hom.T).T[:, :3][idx]
    ids = None
    if "_BATCHID" in prim["attributes"]:
        ids = accessor(gltf, binary, prim["attributes"]["_BATCHID"])[idx].astype(int)
    return TileContent(ecef, ids, None if feature is None else feature["BATCH_LENGTH"], batch, gltf, glb)


def to_4547(ecef: np.ndarray) -> np.ndarray:
    x, y, z = TO_4547.transform(ecef[:, 0], ecef[:, 1], ecef[:, 2])
    return np.column_stack([x, y, z])


def to_region_units(ecef: np.ndarray) -> np.ndarray:
    lon, lat, h = TO_LONLATH.transform(ecef[:, 0], ecef[:, 1], ecef[:, 2])
    return np.column_stack([np.radians(lon), np.radians(lat), h])


def walk(tile: dict, parent: dict | None = None):
    """(tile, parent) for every tile of a tileset."""
    yield tile, parent
    for child in tile.get("children", []):
        yield from walk(child, tile)
