"""Picking in the 三维 view without the renderer: a ray from the camera through the clicked
pixel, intersected with cell locators built in the worker together with the scene
(``vtkStaticCellLocator``), so that a click costs milliseconds on the GUI thread. The
``vtkCellPicker`` it replaces walked the cells of every prop under the cursor on the GUI
thread (0.2-0.6 s on the district, the window frozen meanwhile) and needed the render window,
which now belongs to the view's frame thread.
"""

from __future__ import annotations

import numpy as np

#: the meshes a ray is tested against, in the scene's attributes; the terrain hides what is behind a hill
PICKED = ("terrain", "models", "buildings")


def build_locators(scene) -> dict[str, object]:
    """name -> a built ``vtkStaticCellLocator`` of each of the scene's meshes (in the worker)."""
    from vtkmodules.vtkCommonDataModel import vtkStaticCellLocator

    out = {}
    for name in PICKED:
        mesh = getattr(scene, name, None)
        if mesh is None or not mesh.n_cells:
            continue
        loc = vtkStaticCellLocator()
        loc.SetDataSet(mesh)
        loc.BuildLocator()
        out[name] = loc
    return out


def camera_ray(position, focal_point, view_up, view_angle_deg: float, size_px: tuple[int, int],
               at_px: tuple[float, float], far: float = 1e6) -> tuple[np.ndarray, np.ndarray]:
    """The segment (start, end) from a perspective camera through the pixel ``at_px`` (x right,
    y down from the top left) of a ``size_px`` view; ``view_angle_deg`` is the vertical angle
    (VTK's default)."""
    pos, foc = np.asarray(position, float), np.asarray(focal_point, float)
    fwd = foc - pos
    fwd /= np.linalg.norm(fwd)
    right = np.cross(fwd, np.asarray(view_up, float))
    right /= max(np.linalg.norm(right), 1e-12)
    up = np.cross(right, fwd)
    w, h = size_px
    nx = 2.0 * at_px[0] / w - 1.0
    ny = 1.0 - 2.0 * at_px[1] / h
    half = np.tan(np.radians(view_angle_deg) / 2)
    d = fwd + nx * half * (w / h) * right + ny * half * up
    d /= np.linalg.norm(d)
    return pos, pos + d * far


def hits(locators: dict[str, object], start, end) -> list[tuple[float, str, int]]:
    """(distance from ``start``, mesh name, cell id) of every cell the segment crosses, nearest first."""
    from vtkmodules.vtkCommonCore import vtkIdList, vtkPoints

    out = []
    start = np.asarray(start, float)
    for name, loc in locators.items():
        pts, cells = vtkPoints(), vtkIdList()
        loc.IntersectWithLine(tuple(start), tuple(np.asarray(end, float)), 0.0, pts, cells)
        for i in range(cells.GetNumberOfIds()):
            out.append((float(np.linalg.norm(np.array(pts.GetPoint(i)) - start)), name, int(cells.GetId(i))))
    out.sort()
    return out
