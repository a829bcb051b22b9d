"""Earth-centred frames for 3D Tiles: workspace coordinates -> ECEF (EPSG:4978) and local ENU.

3D Tiles place content in WGS84 earth-centred, earth-fixed metres. Each content tile keeps
its vertices in a local east-north-up frame at its centre (small float32 numbers, millimetre
precise) and carries the ENU -> ECEF matrix, in double precision, as its glTF node matrix.
The workspace's heights are written as heights above the ellipsoid: lzt has no geoid
model offline, so a viewer showing the tileset on an orthometric terrain sees the
buildings offset by the local geoid undulation (a few metres in Shenzhen) [M].
"""

from __future__ import annotations

import numpy as np

from pyproj import Transformer

from lzt.core import crs as crsmod

ECEF = "EPSG:4978"
GEODETIC_3D = "EPSG:4979"
CART_TO_GEODETIC = ("+proj=pipeline +step +inv +proj=cart +ellps=WGS84 "
                    "+step +proj=unitconvert +xy_in=rad +xy_out=deg")
#: glTF is Y-up; 3D Tiles turn it Z-up with this matrix before the tile transform.
Y_UP_TO_Z_UP = np.array([[1, 0, 0, 0], [0, 0, -1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=float)
Z_UP_TO_Y_UP = np.linalg.inv(Y_UP_TO_Z_UP)


class EarthFrame:
    """Transforms from one projected CRS (with heights in metres) to ECEF and geodetic."""

    def __init__(self, crs: str):
        src = crsmod.parse_crs(crs)
        # A 3D source: the ellipsoidal height is carried through (the 2D CRS is promoted).
        self._to_ecef = crsmod.transformer(src.to_3d(), crsmod.parse_crs(ECEF))
        # ECEF -> geodetic on one ellipsoid is a pure conversion: say so, so that PROJ picks no
        # datum-ensemble transformation (which depends on the grids and context at hand).
        self._to_geodetic = Transformer.from_pipeline(CART_TO_GEODETIC)

    def to_ecef(self, xyz: np.ndarray) -> np.ndarray:
        """n x 3 workspace coordinates -> n x 3 ECEF metres (float64)."""
        xyz = np.asarray(xyz, dtype=float)
        x, y, z = self._to_ecef.transform(xyz[:, 0], xyz[:, 1], xyz[:, 2])
        return np.column_stack([x, y, z])

    def geodetic(self, ecef: np.ndarray) -> np.ndarray:
        """n x 3 ECEF -> n x 3 (longitude°, latitude°, ellipsoidal height m)."""
        lon, lat, h = self._to_geodetic.transform(ecef[:, 0], ecef[:, 1], ecef[:, 2])
        return np.column_stack([lon, lat, h])


def enu_to_ecef_matrix(lon_deg: float, lat_deg: float, origin_ecef: np.ndarray) -> np.ndarray:
    """4 x 4 matrix taking local east-north-up metres at a point to ECEF."""
    lon, lat = np.radians(lon_deg), np.radians(lat_deg)
    east = np.array([-np.sin(lon), np.cos(lon), 0.0])
    north = np.array([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)])
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    m = np.eye(4)
    m[:3, 0], m[:3, 1], m[:3, 2], m[:3, 3] = east, north, up, origin_ecef
    return m


def local_frame(frame: EarthFrame, ecef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An ENU frame at the centre of ``ecef`` points: (the points in it, the glTF node matrix).

    The node matrix is what a 3D Tiles client needs after its own Y-up -> Z-up turn:
    ``Y_UP_TO_Z_UP @ node @ gltf_position`` gives ECEF. The returned positions are already
    in glTF's Y-up axes (east, up, -north).
    """
    centre = (ecef.min(axis=0) + ecef.max(axis=0)) / 2.0
    lon, lat, _ = frame.geodetic(centre[None, :])[0]
    enu2ecef = enu_to_ecef_matrix(lon, lat, centre)
    rot = enu2ecef[:3, :3]
    enu = (ecef - centre) @ rot  # rot is orthonormal: its transpose is its inverse
    gltf = np.column_stack([enu[:, 0], enu[:, 2], -enu[:, 1]])
    node = Z_UP_TO_Y_UP @ enu2ecef @ Y_UP_TO_Z_UP
    return gltf, node
