"""The 三维 view's camera as plain numbers, moved on the GUI thread: ``(position, focal point,
view up)`` in the scene's local coordinates, as pyvista's ``camera_position``. The view keeps
the camera it wants in this form and its frame thread puts it on the plotter's VTK camera at
the start of the next frame, under the OpenGL lock (``widget._draw``): the GUI thread never
touches the VTK camera while a frame is drawn with it.
"""

from __future__ import annotations

import numpy as np

MIN_ELEVATION, MAX_ELEVATION = 2.0, 89.0  # degrees above the horizon the orbit keeps the camera
VERTICAL = (0.0, 0.0, 1.0)

Camera = tuple  # ((x, y, z) position, (x, y, z) focal point, (x, y, z) view up)


def as_camera(position, focal_point, up) -> Camera:
    return (tuple(float(v) for v in position), tuple(float(v) for v in focal_point), tuple(float(v) for v in up))


def orbit(cam: Camera, azimuth_deg: float, elevation_deg: float) -> Camera:
    """Turned about the focal point like a turntable: the azimuth about the vertical, the
    elevation kept between 2° and 89° above the horizon, the view up always vertical (the
    horizon never rolls, however long the drag)."""
    pos, foc = np.array(cam[0]), np.array(cam[1])
    v = pos - foc
    r = float(np.linalg.norm(v))
    if r == 0:
        return cam
    az = np.arctan2(v[1], v[0]) + np.radians(azimuth_deg)
    el = np.arcsin(np.clip(v[2] / r, -1.0, 1.0)) + np.radians(elevation_deg)
    el = float(np.clip(el, np.radians(MIN_ELEVATION), np.radians(MAX_ELEVATION)))
    pos = foc + r * np.array([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)])
    return as_camera(pos, foc, VERTICAL)


def pan(cam: Camera, dx_px: float, dy_px: float, view_angle_deg: float, height_px: int) -> Camera:
    """Camera and focus moved along the view plane by a screen distance (the vertical kept up)."""
    pos, foc = np.array(cam[0]), np.array(cam[1])
    dist = np.linalg.norm(pos - foc)
    if dist == 0:
        return cam
    scale = 2 * dist * np.tan(np.radians(view_angle_deg) / 2) / max(1, height_px)
    fwd = (foc - pos) / dist
    right = np.cross(fwd, VERTICAL)
    right /= max(np.linalg.norm(right), 1e-12)
    up = np.cross(right, fwd)
    move = (-dx_px * right + dy_px * up) * scale
    return as_camera(pos + move, foc + move, cam[2])


def dolly(cam: Camera, factor: float) -> Camera:
    """Closer to the focal point by ``factor`` (> 1), farther (< 1): VTK's ``Dolly``."""
    pos, foc = np.array(cam[0]), np.array(cam[1])
    return as_camera(foc + (pos - foc) / factor, foc, cam[2])


def centred_on(cam: Camera, centre, max_dist: float = 600.0) -> Camera:
    """Looking at ``centre`` from the same direction, at most ``max_dist`` away."""
    pos, foc = np.array(cam[0]), np.array(cam[1])
    dist = float(np.linalg.norm(pos - foc))
    if dist == 0:
        return cam
    c = np.array(centre, dtype=float)
    return as_camera(c + (pos - foc) / dist * min(dist, max_dist), c, cam[2])
