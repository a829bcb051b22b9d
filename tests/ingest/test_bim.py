"""lzt bim: models land where their georeferencing says; bad files are skipped; re-import updates."""

from __future__ import annotations

import json

import numpy as np
import pytest

ifcopenshell = pytest.importorskip("ifcopenshell")
import ifcopenshell.api  # noqa: E402

from lzt.cli.main import main  # noqa: E402

E0, N0, ROT = 525354.413, 2513606.263, 30.0  # a Longgang point (DOMAIN.md §3.2) and a rotation


def make_ifc(path, *, e=E0, n=N0, rotation=ROT, size=(20.0, 12.0), storeys=(0.0, 3.0, 6.0), crs="EPSG:4547"):
    """An IFC4 building: storeys of one slab each, a box of ``size`` m, a known IfcMapConversion."""
    run = ifcopenshell.api.run
    f = ifcopenshell.api.run("project.create_file", version="IFC4")
    project = run("root.create_entity", f, ifc_class="IfcProject", name="测试楼")
    run("unit.assign_unit", f, length={"is_metric": True, "raw": "METRE"})
    ctx = run("context.add_context", f, context_type="Model")
    body = run("context.add_context", f, context_type="Model", context_identifier="Body",
               target_view="MODEL_VIEW", parent=ctx)
    if crs:
        run("georeference.add_georeferencing", f)
        a, o = np.cos(np.radians(rotation)), np.sin(np.radians(rotation))
        run("georeference.edit_georeferencing", f,
            projected_crs={"Name": crs},
            coordinate_operation={"Eastings": e, "Northings": n, "OrthogonalHeight": 50.0,
                                  "XAxisAbscissa": a, "XAxisOrdinate": o, "Scale": 1.0})
    site = run("root.create_entity", f, ifc_class="IfcSite", name="Site")
    building = run("root.create_entity", f, ifc_class="IfcBuilding", name="Building")
    run("aggregate.assign_object", f, relating_object=project, products=[site])
    run("aggregate.assign_object", f, relating_object=site, products=[building])
    for i, z in enumerate(storeys):
        storey = run("root.create_entity", f, ifc_class="IfcBuildingStorey", name=f"{i + 1}F")
        storey.Elevation = z
        run("aggregate.assign_object", f, relating_object=building, products=[storey])
        slab = run("root.create_entity", f, ifc_class="IfcSlab", name=f"slab{i}")
        run("spatial.assign_container", f, relating_structure=storey, products=[slab])
        m = np.eye(4)
        m[2, 3] = z
        run("geometry.edit_object_placement", f, product=slab, matrix=m)
        profile = f.createIfcRectangleProfileDef("AREA", None,
                                                 f.createIfcAxis2Placement2D(f.createIfcCartesianPoint(
                                                     (size[0] / 2, size[1] / 2))), size[0], size[1])
        rep = run("geometry.add_profile_representation", f, context=body, profile=profile, depth=0.3)
        run("geometry.assign_representation", f, product=slab, representation=rep)
    f.write(str(path))
    return path


def test_map_conversion_lands_within_5_cm(tmp_path, capsys):
    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    ifc = make_ifc(tmp_path / "楼.ifc")
    assert main(["bim", str(ws), str(ifc), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["status"] == "imported" and rec["georef_source"] == "map_conversion"
    # the box's centre (10, 6) local -> rotated and shifted, computed independently
    r = np.radians(ROT)
    cx = E0 + np.cos(r) * 10 - np.sin(r) * 6
    cy = N0 + np.sin(r) * 10 + np.cos(r) * 6
    assert np.hypot(rec["centroid"][0] - cx, rec["centroid"][1] - cy) < 0.05
    assert rec["footprint_area_m2"] == pytest.approx(240.0, abs=0.5)
    # the slab at 6.0 m has 0.3 m of building above it: a roof, not a storey
    assert rec["height_m"] == pytest.approx(6.3, abs=0.01) and rec["storeys"] == 2
    assert rec["gfa_method"] == "computed_slabs" and rec["gfa_m2"] == pytest.approx(480.0, abs=1.0)
    from lzt.workspace import open_workspace

    w = open_workspace(ws)
    fp = w.read_features("bim_models").geometry.iloc[0]
    corner = (E0, N0)
    assert min(np.hypot(x - corner[0], y - corner[1]) for x, y in fp.geoms[0].exterior.coords) < 0.05
    glb = w.get_blob("bim_mesh", str(ifc.resolve()))
    assert glb[:4] == b"glTF"
    w.close()


def test_batch_skips_bad_files_and_reimport_updates(tmp_path, capsys, real_data):
    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    good = make_ifc(tmp_path / "a.ifc")
    bad = tmp_path / "b.ifc"
    bad.write_bytes((real_data / "malformed/cyclic-placement.ifc").read_bytes())
    assert main(["bim", str(ws), str(tmp_path), "--json"]) == 0
    recs = {r["file"].split("/")[-1]: r for r in json.loads(capsys.readouterr().out)}
    assert recs["a.ifc"]["status"] == "imported" and recs["b.ifc"]["status"] == "failed"
    assert "crashed" in recs["b.ifc"]["error"]
    assert main(["bim", str(ws), str(good), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "updated"
    from lzt.workspace import open_workspace

    w = open_workspace(ws)
    assert w.layer("bim_models").count == 1
    w.close()
    assert main(["bim", str(ws), str(bad)]) == 2  # none could be imported


def test_unplaced_and_user_placement(tmp_path, capsys):
    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    ifc = make_ifc(tmp_path / "c.ifc", crs=None)
    assert main(["bim", str(ws), str(ifc), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["status"] == "unplaced" and rec["centroid"] is None
    assert main(["bim", str(ws), str(ifc), "--origin", "520000,2510000", "--rotation", "90",
                 "--crs", "EPSG:4547", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["georef_source"] == "user"
    # local (10, 6) rotated by 90°: (-6, 10)
    assert rec["centroid"] == pytest.approx([520000 - 6, 2510000 + 10], abs=0.05)


def test_model_outside_the_workspace_region_fails(tmp_path, capsys, real_data):
    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    assert main(["bim", str(ws), str(real_data / "ifc/AC20-FZK-Haus.ifc"), "--json"]) == 2
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["status"] == "failed" and "area of use" in rec["error"]


def test_mesh_needs_a_placement(tmp_path, capsys, real_data):
    ws = tmp_path / "ws.gpkg"
    main(["init", str(ws)])
    capsys.readouterr()
    glb = real_data / "mesh/no_indices_3storybuilding.glb"
    assert main(["bim", str(ws), str(glb), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "unplaced"
    assert main(["bim", str(ws), str(glb), "--origin", "521000,2511000", "--crs", "EPSG:4547", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)[0]
    assert rec["status"] == "updated" and rec["schema"] == "glTF" and rec["height_m"] == pytest.approx(9.0)
    assert rec["storeys"] is None and rec["gfa_m2"] is None
