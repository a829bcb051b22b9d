"""Sunlight in the 3D view: façade colours are the engine's hours classes (as ``lzt sunlight``
says per point), the proposal's toggle shows before/after, the time slider casts shadows."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pytest

PROPOSAL = 7  # a 90 m model in the demo that shades residential neighbours


@pytest.fixture
def sunlit(main_window, demo_path, tmp_path):
    """The 3D view after a sunlight run with PROPOSAL, and ``lzt sunlight --proposed`` per point."""
    import geopandas as gpd

    win = main_window
    win.show_view("3d")
    v = win.view3d
    assert v.plotter is not None
    win.session.select("bim_models", [PROPOSAL])  # the proposal is the selected model
    assert v.run_sunlight()
    assert v.sunlight.proposed_fid == PROPOSAL
    ws_copy = tmp_path / "cli.gpkg"
    shutil.copyfile(demo_path, ws_copy)
    subprocess.run([sys.executable, "-m", "lzt", "sunlight", str(ws_copy), "--buildings", "buildings",
                    "--proposed", str(PROPOSAL), "--out", "sun_cli"], check=True, capture_output=True)
    cli = gpd.read_file(ws_copy, layer="sun_cli")
    return win, v, cli


def _matched(v, cli):
    """The view's façade points (workspace x, y) matched to the CLI's points."""
    mesh = v.plotter.actors["sunlight"].GetMapper().GetInput()
    cells = mesh.GetCellData()
    x, y = np.asarray(cells.GetArray("x")), np.asarray(cells.GetArray("y"))
    centres = np.asarray(mesh.GetPoints().GetData()).reshape(4, -1, 3).mean(axis=0)  # each patch's centre
    assert np.allclose(np.hypot(centres[:, 0] + v.scene.origin[0] - x, centres[:, 1] + v.scene.origin[1] - y),
                       0.25 - 0.0, atol=0.01)  # on its receiver's wall, just in front
    cx, cy = cli.geometry.x.to_numpy(), cli.geometry.y.to_numpy()
    order = np.lexsort((np.round(cy, 2), np.round(cx, 2)))
    mine = np.lexsort((np.round(y, 2), np.round(x, 2)))
    assert len(x) == len(cx) > 50
    assert np.allclose(x[mine], cx[order], atol=0.01) and np.allclose(y[mine], cy[order], atol=0.01)
    cls = np.asarray(cells.GetArray("hours_class"))[mine]
    hours = np.asarray(cells.GetArray("hours"))[mine]
    return cli.iloc[order].reset_index(drop=True), cls, hours


def test_facade_colour_class_is_the_engine_hours_class(sunlit):
    from lzt.gui.view3d.sunlight import class_colours, hours_class

    win, v, cli = sunlit
    rows, cls, hours = _matched(v, cli)
    assert np.allclose(hours, rows["hours"], atol=1e-4)  # after the proposal, as the CLI says
    assert (cls == hours_class(rows["hours"], 3.0)).all()
    assert ((cls < 3) == (rows["status"] == "FAIL")).all()  # red exactly where the engine says FAIL
    assert class_colours()[0].startswith("#7f") and len(set(cls)) >= 2
    img = v.plotter.screenshot(return_img=True)
    assert img.shape[0] > 0


def test_hiding_the_proposal_shows_the_hours_before(sunlit):
    win, v, cli = sunlit
    rows, cls_after, after = _matched(v, cli)
    v.sunbar.proposal_box.setChecked(False)  # the user's toggle
    assert not v.proposal_visible
    v.settle()  # the frame drawn (on the view's frame thread): the mapper's input is up to date
    ids = np.asarray(v.plotter.actors["models"].GetMapper().GetInput().GetCellData().GetArray("model"))
    assert PROPOSAL not in set(ids) and len(set(ids)) == len(v.scene.facts) - 1
    assert not v.plotter.actors["selected"].GetVisibility()  # nor its highlight
    rows, cls_before, before = _matched(v, cli)
    assert np.allclose(before, rows["hours_before"], atol=1e-4)
    assert ((cls_before < 3) == (rows["status_before"] == "FAIL")).all()
    assert (before > after + 1e-9).any()  # the proposal takes sun away somewhere
    v.sunbar.proposal_box.setChecked(True)
    v.settle()
    ids = np.asarray(v.plotter.actors["models"].GetMapper().GetInput().GetCellData().GetArray("model"))
    assert PROPOSAL in set(ids)
    assert np.allclose(_matched(v, cli)[2], rows["hours"], atol=1e-4)


def _shadow_union(v):
    import shapely

    if v.shadow_mesh is None:
        return shapely.Polygon()
    tris = (v.shadow_mesh.points[:, :2] + v.scene.origin).reshape(-1, 3, 2)
    return shapely.union_all(shapely.polygons(np.concatenate([tris, tris[:, :1]], axis=1)))


def test_time_slider_casts_the_proposals_shadow(sunlit):
    import shapely
    import shapely.affinity

    from lzt.analysis.sun import sun_position, true_solar_to_utc
    from lzt.analysis.sunlight.analyse import lonlat_and_convergence

    win, v, cli = sunlit
    v.sunbar.proposal_box.setChecked(False)
    v.sunbar.slider.setValue(10 * 60)  # 10:00 true solar time
    assert "shadows" in v.plotter.actors and v.sun_hour == pytest.approx(10.0)
    assert v.sunbar.time_label.text().startswith("10:00")
    without = _shadow_union(v)
    v.sunbar.proposal_box.setChecked(True)
    with_model = _shadow_union(v)
    # the model's shadow by hand: its footprint swept away from the Sun by height / tan(altitude)
    model = win.ws.read_features("bim_models").loc[PROPOSAL]
    c = model.geometry.centroid
    lon, lat, gamma = lonlat_and_convergence(win.ws.crs, c.x, c.y)
    pos = sun_position(true_solar_to_utc(v.sunlight.run.day, [10.0], lon), lat, lon)
    alt, az = float(pos.elevation[0]), np.radians(float(pos.azimuth[0]) - gamma)
    length = (model["top_z"] - model["base_z"]) / np.tan(np.radians(alt))
    moved = shapely.affinity.translate(model.geometry, -length * np.sin(az), -length * np.cos(az))
    expected = shapely.convex_hull(shapely.union(model.geometry, moved)).difference(model.geometry)
    new = expected.difference(without)  # where only the proposal shades the ground
    assert new.area > 100.0
    inner = new.buffer(-1.0)
    probe = shapely.point_on_surface(inner if not inner.is_empty else new)
    assert with_model.buffer(0.01).contains(probe) and not without.contains(probe)
    far = shapely.affinity.translate(moved, -0.3 * length * np.sin(az), -0.3 * length * np.cos(az))
    beyond = far.difference(expected.buffer(2.0)).difference(without)  # past the tip: no new shadow
    if not beyond.is_empty:
        assert not with_model.difference(without).buffer(-0.5).intersects(shapely.point_on_surface(beyond))


def test_without_a_proposal_the_residential_buildings_around_the_view_centre(main_window):
    import geopandas as gpd
    import shapely

    from lzt.gui.view3d.sunlight import AREA_HALF_M, hours_class

    win = main_window
    win.show_view("3d")
    v = win.view3d
    homes = win.ws.read_features("buildings", columns=["use"])
    home = homes[homes["use"] == "住宅"].iloc[[len(homes) // 3]]
    c = home.geometry.iloc[0].centroid
    z = v.camera_position[1][2]
    v.set_camera(focal_point=(c.x - v.scene.origin[0], c.y - v.scene.origin[1], z))
    win.session.clear_selection()
    assert v.run_sunlight()
    fs = v.sunlight
    assert fs.proposed_fid is None and not v.sunbar.proposal_box.isEnabled()
    box = shapely.box(c.x - AREA_HALF_M, c.y - AREA_HALF_M, c.x + AREA_HALF_M, c.y + AREA_HALF_M)
    inside = gpd.GeoDataFrame(homes, geometry=homes.geometry)
    expected = set(inside.index[(inside["use"] == "住宅") & inside.intersects(box)])
    owners = set(int(o) for o in fs.run.receivers.owner)
    assert int(home.index[0]) in owners and owners <= expected and len(owners) >= 0.8 * len(expected)
    assert len(fs.run.results) == len(owners)
    cells = v.plotter.actors["sunlight"].GetMapper().GetInput().GetCellData()
    cls = np.asarray(cells.GetArray("hours_class"))
    assert ((cls < 3) == (fs.run.hours.hours < fs.run.rule.min_hours - 1e-9)).all()
    assert (cls == hours_class(fs.run.hours.hours, fs.run.rule.min_hours)).all()


def test_hours_classes_and_legend_follow_the_rule():
    from lzt.gui.view3d.sunlight import hours_class, legend

    got = hours_class([0.0, 0.99, 1.0, 2.5, 2.9999999999, 3.0, 3.99, 4.0, 5.0, 7.5], 3.0)
    assert list(got) == [0, 0, 1, 2, 3, 3, 3, 4, 5, 5]  # 3 h less 1e-9 counts as 3 h, as the engine's PASS
    assert list(hours_class([0.5, 0.7, 1.0, 2.0], 1.0)) == [1, 2, 3, 4]  # 冬至 ≥ 1 h
    rows = legend(3.0)
    assert [r[1] for r in rows] == ["0:00–1:00", "1:00–2:00", "2:00–3:00", "3:00–4:00", "4:00–5:00", "≥ 5:00"]
