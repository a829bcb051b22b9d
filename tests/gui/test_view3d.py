"""The 3D CIM view: models where the workspace says, picking, selection synced with the 2D map."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF


@pytest.fixture
def view3d(main_window):
    win = main_window
    win.show_view("3d")
    v = win.view3d
    assert v.error is None and v.plotter is not None
    return win, v


def _screen_point(v, xyz):
    import vtk

    v.render(wait=True)  # frames are drawn on the view's frame thread: the full-size one, settled
    c = vtk.vtkCoordinate()
    c.SetCoordinateSystemToWorld()
    c.SetValue(*xyz)
    dx, dy = c.GetComputedDoubleDisplayValue(v.plotter.renderer)
    r = v.devicePixelRatioF()
    return QPointF(dx / r, (v._size()[1] - dy) / r)


def test_scene_holds_every_model_at_its_footprint(view3d):
    win, v = view3d
    s = v.scene
    models = win.ws.read_features("bim_models")
    assert set(s.facts) == set(int(f) for f in models.index) and len(s.facts) == 40
    ids = np.asarray(s.models.cell_data["model"])
    for fid, row in models.iloc[:10].iterrows():
        sub = s.models.extract_cells(np.flatnonzero(ids == fid))
        x0, x1, y0, y1, z0, z1 = sub.bounds
        fb = row.geometry.bounds
        assert abs(x0 + s.origin[0] - fb[0]) < 1.0 and abs(y1 + s.origin[1] - fb[3]) < 1.0
        assert z1 - z0 == pytest.approx(row["height_m"], abs=0.5)  # the whole height stands up
    assert s.triangles > 1000 and s.terrain is not None and s.texture is not None


def test_pick_selects_in_the_session_and_2d_selection_flies_there(view3d):
    win, v = view3d
    fid = max(v.scene.facts, key=lambda f: v.scene.facts[f]["height_m"])
    win.session.select("bim_models", [fid])  # 2D -> 3D: highlighted, centred
    assert "selected" in v.plotter.actors
    centre = np.array(v.scene.model_centre(fid))
    v.settle()  # the camera is put on the plotter by the frame thread
    assert np.linalg.norm(np.array(v.plotter.camera.focal_point) - centre) < 1.0
    win.session.clear_selection()
    assert "selected" not in v.plotter.actors
    at = _screen_point(v, centre)
    assert v.pick(at) == fid  # 3D -> 2D
    assert list(win.session.selection("bim_models")) == [fid]
    assert v.scene.facts[fid]["name"] in v.info
    assert v.pick(QPointF(2, 2)) is None  # the sky


def test_orbit_pan_zoom_change_the_camera_and_frames_are_drawn(view3d, qtbot):
    from PySide6.QtCore import Qt

    win, v = view3d
    before = v.camera_position
    qtbot.mousePress(v, Qt.MouseButton.LeftButton, pos=v.rect().center())
    qtbot.mouseMove(v, v.rect().center() + v.rect().topLeft() + QPointF(60, 0).toPoint())
    qtbot.mouseRelease(v, Qt.MouseButton.LeftButton, pos=v.rect().center() + QPointF(60, 0).toPoint())
    assert v.camera_position != before
    v.settle()
    assert np.allclose(v.plotter.camera_position[0], v.camera_position[0])
    img = v.grab().toImage()
    px = np.array([[img.pixelColor(x, y).lightness() for x in range(0, img.width(), 25)]
                   for y in range(0, img.height(), 25)])
    assert px.std() > 10  # a scene, not a blank widget
    assert v.frame_time(5) < 1.0


def test_buildings_are_extruded_by_height_on_the_terrain(view3d):
    win, v = view3d
    s = v.scene
    assert s.building_layer == "buildings" and s.buildings is not None
    b = win.ws.read_features("buildings", bbox=s.bounds)
    assert s.building_count == len(b)  # every footprint in view (none lies under a BIM model)
    ids = np.asarray(s.buildings.cell_data["building"])
    for fid, row in b.sort_values("height_m").iloc[[0, len(b) // 2, -1]].iterrows():
        sub = s.buildings.extract_cells(np.flatnonzero(ids == fid))
        x0, x1, y0, y1, z0, z1 = sub.bounds
        fx0, fy0, fx1, fy1 = row.geometry.bounds
        assert (x0 + s.origin[0], y0 + s.origin[1]) == pytest.approx((fx0, fy0), abs=0.01)
        assert (x1 + s.origin[0], y1 + s.origin[1]) == pytest.approx((fx1, fy1), abs=0.01)
        assert z1 - z0 == pytest.approx(row["height_m"] + 0.5, abs=0.01)  # 0.5 m sunk into the ground
        assert sub.n_cells == 10  # four walls and a roof, two triangles each


def test_a_footprint_under_a_bim_model_is_left_to_the_model(demo_copy):
    import geopandas as gpd

    from lzt.gui.view3d.scene import extrude_footprints, extrusion_height_field
    from lzt.workspace import open_workspace

    ws = open_workspace(demo_copy)
    try:
        model = ws.read_features("bim_models").iloc[0]
        other = model.geometry.buffer(30).envelope.difference(model.geometry.buffer(5))
        gdf = gpd.GeoDataFrame({"层数": [12, 3]}, geometry=[model.geometry, other], crs=ws.crs)
        ws.write_layer("楼栋", gdf, kind="vector")
        bounds = tuple(other.buffer(50).bounds)
        mesh, n = extrude_footprints(ws, "楼栋", bounds, None, skip=[model.geometry])
        assert n == 1 and set(np.asarray(mesh.cell_data["building"])) == {2}
        assert mesh.bounds[5] - mesh.bounds[4] == pytest.approx(3 * 3.0 + 0.5)  # storeys x 3 m
        assert extrusion_height_field({"层数": "integer"}) == ("层数", 3.0)
        assert extrusion_height_field({"name": "text"}) is None
        mesh, n = extrude_footprints(ws, "楼栋", bounds, None)
        assert n == 2
    finally:
        ws.close()


def test_picking_a_building_selects_it_and_shows_its_facts(view3d):
    win, v = view3d
    s = v.scene
    b = win.ws.read_features("buildings", bbox=s.bounds)
    fid = int(b["height_m"].idxmax())
    win.session.select("buildings", [fid])  # 2D -> 3D: highlighted and centred
    assert "selected" in v.plotter.actors
    win.session.clear_selection()
    centre = s.buildings.extract_cells(np.flatnonzero(np.asarray(s.buildings.cell_data["building"]) == fid)).center
    assert v.pick(_screen_point(v, centre)) == fid  # 3D -> 2D and the identify panel
    assert list(win.session.selection("buildings")) == [fid]
    assert "白模" in v.info and win.identify.title.text().startswith("buildings")


def test_scene_is_built_in_a_worker_and_a_cancel_can_be_retried(main_window, monkeypatch):
    from lzt.gui import tasks

    win = main_window
    v = win.view3d
    calls = []
    real = tasks.run_task

    def cancelled(parent, title, fn, **kw):
        calls.append(title)
        return False, None  # the user pressed 取消

    monkeypatch.setattr(tasks, "run_task", cancelled)
    win.show_view("3d")
    assert calls == ["构建三维场景"] and v.plotter is None and v.error is None and "重试" in v.info
    monkeypatch.setattr(tasks, "run_task", real)
    assert v.ensure_built() and v.plotter is not None and v.scene.buildings is not None


def test_the_scene_module_is_imported_in_the_worker_not_on_the_gui_thread(main_window, monkeypatch):
    """Compiled and imported on the GUI thread, the scene module (pandas, shapely, its own code)
    held the window 0.1-0.2 s on opening 三维 (py-spy of the session bench)."""
    import importlib.abc
    import sys
    import threading

    name = "lzt.gui.view3d.scene"
    seen = []

    class Recorder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname == name:
                seen.append(threading.current_thread() is threading.main_thread())
            return None

    monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(sys, "meta_path", [Recorder(), *sys.meta_path])
    win = main_window
    win.show_view("3d")
    v = win.view3d
    assert v.error is None and v.plotter is not None
    assert seen == [False]


def test_extrusion_survives_odd_footprints(demo_copy):
    import geopandas as gpd
    import shapely

    from lzt.gui.view3d.scene import extrude_footprints
    from lzt.workspace import open_workspace

    ws = open_workspace(demo_copy)
    try:
        x, y = 520000.0, 2510000.0
        bowtie = shapely.Polygon([(x, y), (x + 20, y + 20), (x + 20, y), (x, y + 20)])  # self-crossing
        geoms = [shapely.GeometryCollection([shapely.LineString([(x, y), (x + 5, y)])]),
                 shapely.box(x + 40, y, x + 60, y + 20), bowtie, shapely.box(x + 80, y, x + 90, y + 10)]
        gdf = gpd.GeoDataFrame({"高度": ["5", "30", "12", "abc"]}, geometry=geoms, crs=ws.crs)
        ws.write_layer("odd", gdf, kind="vector")
        fids = ws.read_features("odd", columns=[]).index.tolist()
        mesh, n = extrude_footprints(ws, "odd", (x - 100, y - 100, x + 200, y + 200), None)
        ids = np.asarray(mesh.cell_data["building"])
        assert n == 2 and set(ids) == {fids[1], fids[2]}  # the line stays flat, the text height is skipped
        tall = mesh.extract_cells(np.flatnonzero(ids == fids[1]))
        assert tall.bounds[5] - tall.bounds[4] == pytest.approx(30.5)  # the box's own height, not the line's
    finally:
        ws.close()


def test_terrain_from_a_lonlat_dem_under_its_own_name(tmp_path):
    """An SRTM-like tile (EPSG:4326, not called "dem") is the terrain: heights at the grid's
    nodes and under each model are the DEM's, its texture shows it."""
    import geopandas as gpd
    import shapely
    from pyproj import Transformer

    from lzt.gui.view3d.scene import _model_ground, build_scene, dem_heights, terrain_layer
    from tests.dems import dem_workspace, height_at

    ws = dem_workspace(tmp_path, "EPSG:4326", "plane")
    try:
        assert terrain_layer(ws) == "srtm"
        bounds = (521_000.0, 2_510_000.0, 527_000.0, 2_514_000.0)
        z = dem_heights(ws, bounds, 61, 41)
        gx, gy = np.meshgrid(np.linspace(bounds[0], bounds[2], 61), np.linspace(bounds[3], bounds[1], 41))
        lon, lat = Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True).transform(gx, gy)
        np.testing.assert_allclose(z, height_at("EPSG:4326", lon, lat), atol=0.05)  # nodes, not cell centres
        models = gpd.GeoDataFrame({"name": ["a", "b"]}, index=[7, 9], crs="EPSG:4547",
                                  geometry=[shapely.box(522_000, 2_511_000, 522_040, 2_511_030), None])
        ground = _model_ground(ws, models, z, bounds)
        c = shapely.point_on_surface(models.geometry.iloc[0])
        lon, lat = Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True).transform(c.x, c.y)
        assert ground[7] == pytest.approx(float(height_at("EPSG:4326", lon, lat)), abs=0.01) and ground[9] == 0.0
        scene = build_scene(ws, bounds=bounds, dem_cells=64, texture_px=256)
        assert scene.terrain is not None
        tex = np.asarray(scene.texture.to_array())
        assert (tex.reshape(-1, tex.shape[-1])[:, :3].min(axis=1) < 235).mean() > 0.9  # the DEM is drawn on it
    finally:
        ws.close()
def _roll_and_elevation(v) -> tuple[float, float]:
    """The screen's horizontal axis' vertical component (0 = horizon level) and the camera's
    elevation above the horizon, degrees; of the VTK camera the frame thread has drawn with."""
    v.render(wait=True)
    m = v.plotter.camera.GetViewTransformMatrix()
    right_z = m.GetElement(0, 2)
    pos, foc = np.array(v.plotter.camera.position), np.array(v.plotter.camera.focal_point)
    d = pos - foc
    return right_z, float(np.degrees(np.arcsin(d[2] / np.linalg.norm(d))))


def test_orbit_keeps_the_horizon_level_and_the_camera_above_it(view3d, qtbot):
    from PySide6.QtCore import QPoint, Qt

    win, v = view3d
    c = v.rect().center()
    qtbot.mousePress(v, Qt.MouseButton.LeftButton, pos=c)
    at = QPoint(c)
    for step in [QPoint(15, 7)] * 30 + [QPoint(-20, -9)] * 25 + [QPoint(9, 14)] * 20:  # a long diagonal drag
        at += step
        qtbot.mouseMove(v, at)
    qtbot.mouseRelease(v, Qt.MouseButton.LeftButton, pos=at)
    roll, elevation = _roll_and_elevation(v)
    assert abs(roll) < 1e-9 and 2.0 - 1e-6 <= elevation <= 89.0 + 1e-6
    v.orbit(0, 500)  # far over the top: stops short of the zenith, still level
    roll, elevation = _roll_and_elevation(v)
    assert abs(roll) < 1e-9 and elevation == pytest.approx(89.0)
    v.orbit(37, -500)  # and never under the ground
    assert _roll_and_elevation(v)[1] == pytest.approx(2.0)
    focus = np.array(v.plotter.camera.focal_point)
    v.pan(40, -25)  # panning moves along the screen, the horizon stays level
    assert abs(_roll_and_elevation(v)[0]) < 1e-9 and np.linalg.norm(np.array(v.plotter.camera.focal_point) - focus) > 0


def test_a_3d_pick_centres_the_2d_map_and_raises_identify(view3d):
    win, v = view3d
    win.docks["query"].raise_()
    fid = min(v.scene.facts, key=lambda f: v.scene.facts[f]["height_m"] or 0)
    footprint = win.ws.read_features("bim_models", fids=[fid], columns=[]).geometry.iloc[0]
    win.session.set_extent((500_000.0, 2_490_000.0, 501_000.0, 2_490_800.0))  # somewhere else, 1 km wide
    win.session.select("bim_models", [fid])  # flies the 3D view there
    centre = np.array(v.scene.model_centre(fid))
    win.session.clear_selection()
    assert v.pick(_screen_point(v, centre)) == fid
    e = win.session.extent
    assert e[2] - e[0] == pytest.approx(1000.0) and e[3] - e[1] == pytest.approx(800.0)  # the scale kept
    c = footprint.centroid
    assert abs((e[0] + e[2]) / 2 - footprint.bounds[0] / 2 - footprint.bounds[2] / 2) < 1e-6
    assert e[0] < c.x < e[2] and e[1] < c.y < e[3]
    ident = win.docks["identify"]
    assert not ident.visibleRegion().isEmpty() and win.identify.title.text().startswith("bim_models")


def test_flying_to_a_model_draws_the_sharper_ground_when_the_worker_has_made_it(view3d, qtbot):
    """The view moves at once; the DEM window and base-map texture around the model are made in a
    worker (``busy`` meanwhile) and then drawn, centred on the model and cut into the terrain."""
    win, v = view3d
    fid = min(v.scene.facts, key=lambda f: v.scene.facts[f]["height_m"])
    win.session.select("bim_models", [fid])
    centre = np.array(v.scene.model_centre(fid))
    assert np.linalg.norm(np.array(v.camera_position[1]) - centre) < 1.0  # moved at once
    qtbot.waitUntil(lambda: not v.busy, timeout=60_000)
    assert "detail" in v.plotter.actors
    x0, x1, y0, y1 = v.plotter.actors["detail"].GetMapper().GetInput().GetBounds()[:4]
    assert x0 <= centre[0] <= x1 and y0 <= centre[1] <= y1
    import pyvista as pv

    terrain = pv.wrap(v.plotter.actors["terrain"].GetMapper().GetInput())
    pts = np.asarray(terrain.points)
    m = 0.01 * (x1 - x0)
    inside = (pts[:, 0] > x0 + m) & (pts[:, 0] < x1 - m) & (pts[:, 1] > y0 + m) & (pts[:, 1] < y1 - m)
    assert len(pts) and not inside.any()  # the coarse ground under the patch is cut away


def test_the_camera_is_moved_only_by_the_frame_thread_under_the_gl_lock(view3d, qtbot):
    """Orbit, pan, wheel zoom, fly-to and reset change the VTK camera (and its clipping range)
    only on the frame thread with ``gl_lock`` held: never on the GUI thread while a frame is
    drawn with it. The pick still finds the model the view flew to."""
    import threading

    from PySide6.QtCore import QPoint, Qt

    win, v = view3d
    v.render(wait=True)
    seen = []

    def modified(_obj, _event):
        seen.append((threading.current_thread() is threading.main_thread(), v.gl_lock._is_owned()))

    tag = v.plotter.camera.AddObserver("ModifiedEvent", modified)
    try:
        c = v.rect().center()
        qtbot.mousePress(v, Qt.MouseButton.LeftButton, pos=c)
        qtbot.mouseMove(v, c + QPoint(40, 10))
        qtbot.mouseRelease(v, Qt.MouseButton.LeftButton, pos=c + QPoint(40, 10))
        qtbot.mousePress(v, Qt.MouseButton.RightButton, pos=c)
        qtbot.mouseMove(v, c + QPoint(-30, 20))
        qtbot.mouseRelease(v, Qt.MouseButton.RightButton, pos=c + QPoint(-30, 20))
        for delta in (120, -240):
            v.wheelEvent(_wheel(v, delta))
        v.reset_camera()
        fid = max(v.scene.facts, key=lambda f: v.scene.facts[f]["height_m"])
        win.session.select("bim_models", [fid])  # flies there
        v.settle()
    finally:
        v.plotter.camera.RemoveObserver(tag)
    assert seen and not [s for s in seen if s != (False, True)]  # the frame thread, the lock held
    centre = np.array(v.scene.model_centre(fid))
    assert np.linalg.norm(np.array(v.plotter.camera.focal_point) - centre) < 1.0  # what the view wanted
    assert np.allclose(v.plotter.camera_position[0], v.camera_position[0])
    win.session.clear_selection()
    assert v.pick(_screen_point(v, centre)) == fid


def _wheel(v, delta):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent

    at = QPointF(v.rect().center())
    return QWheelEvent(at, v.mapToGlobal(at), QPoint(), QPoint(0, delta), Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
