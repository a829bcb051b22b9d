"""The 三维 view's picking ray, the models read from their GLB with numpy and the footprint
extrusion in slices: each against the slower way it replaces."""

from __future__ import annotations

import numpy as np
import pytest


def test_camera_ray_passes_through_the_point_vtk_projects_to_that_pixel():
    import pyvista as pv
    from vtkmodules.vtkRenderingCore import vtkCoordinate

    from lzt.gui.view3d.pick import camera_ray

    p = pv.Plotter(off_screen=True, window_size=(640, 400))
    try:
        p.camera_position = [(-300.0, -450.0, 260.0), (40.0, 25.0, 8.0), (0.0, 0.0, 1.0)]
        cam = p.camera
        for xyz in [(40.0, 25.0, 8.0), (120.0, -60.0, 30.0), (-80.0, 140.0, 0.0)]:
            c = vtkCoordinate()
            c.SetCoordinateSystemToWorld()
            c.SetValue(*xyz)
            dx, dy = c.GetComputedDoubleDisplayValue(p.renderer)
            start, end = camera_ray(cam.position, cam.focal_point, cam.up, cam.view_angle, (640, 400),
                                    (dx, 400 - dy))
            d = (end - start) / np.linalg.norm(end - start)
            off = np.asarray(xyz) - start
            assert np.linalg.norm(off - d * off.dot(d)) < 0.05  # the point lies on the ray
    finally:
        p.close()


def test_models_read_with_numpy_are_trimesh_s_faces(demo_path):
    from lzt.gui.view3d.scene import model_mesh
    from lzt.ingest.bim import read_model_mesh
    from lzt.workspace import open_workspace

    ws = open_workspace(demo_path)
    try:
        models = ws.read_features("bim_models")
        assert len(models)
        for _fid, row in models.iterrows():
            a = model_mesh(ws, row["source"], (5.0, -7.0))
            b = read_model_mesh(ws, row["source"], (5.0, -7.0))
            assert (a is None) == (b is None)
            if a is not None:  # the same triangles, corner by corner (trimesh merges shared vertices)
                assert a[1].shape == b[1].shape and np.allclose(a[0][a[1]], b[0][b[1]])
    finally:
        ws.close()


def test_extrusion_in_slices_is_the_extrusion_at_once(demo_path, monkeypatch):
    from lzt.gui.view3d import scene
    from lzt.workspace import open_workspace

    ws = open_workspace(demo_path)
    try:
        bounds = ws.layer("buildings").extent
        skip = ws.read_features("bim_models").geometry.values  # footprints under a model are left out
        whole, n = scene.extrude_footprints(ws, "buildings", bounds, None, skip=skip)
        monkeypatch.setattr(scene, "SLICE", 7)
        sliced, m = scene.extrude_footprints(ws, "buildings", bounds, None, skip=skip)
        assert n == m and n > 7 * 3
        assert np.array_equal(whole.points, sliced.points) and np.array_equal(whole.faces, sliced.faces)
        assert np.array_equal(whole.cell_data["building"], sliced.cell_data["building"])
    finally:
        ws.close()


@pytest.mark.parametrize("n", [1, 5])
def test_sliced_keeps_the_indices_into_the_whole_array(monkeypatch, n):
    import shapely

    from lzt.gui.view3d import scene

    monkeypatch.setattr(scene, "SLICE", n)
    geoms = np.array([shapely.MultiPolygon([shapely.box(i, 0, i + 1, 1), shapely.box(i, 2, i + 1, 3)])
                      for i in range(12)])
    parts, owner = scene._sliced(shapely.get_parts, geoms, return_index=True)
    assert len(parts) == 24 and list(owner) == [i for i in range(12) for _ in range(2)]
    assert np.allclose(shapely.get_x(shapely.centroid(parts)), owner + 0.5)
