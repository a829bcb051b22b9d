"""The demo's IFC files written as STEP text (``lzt.demo.ifc_step``) hold what ifcopenshell.api
wrote for the same plan: the same entities and values, and read back as the same model."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

ifcopenshell = pytest.importorskip("ifcopenshell")
import ifcopenshell.api  # noqa: E402

from lzt.demo.bim import SLAB, WALL, BuildingPlan, write_ifc  # noqa: E402


def write_ifc_api(plan: BuildingPlan, path) -> None:
    """The demo's former writer (ifcopenshell.api), the reference."""
    run = ifcopenshell.api.run
    f = run("project.create_file", version="IFC4")
    project = run("root.create_entity", f, ifc_class="IfcProject", name=plan.parcel_id)
    run("unit.assign_unit", f, length={"is_metric": True, "raw": "METRE"})
    ctx = run("context.add_context", f, context_type="Model")
    body = run("context.add_context", f, context_type="Model", context_identifier="Body",
               target_view="MODEL_VIEW", parent=ctx)
    run("georeference.add_georeferencing", f)
    r = math.radians(plan.rotation_deg)
    run("georeference.edit_georeferencing", f, projected_crs={"Name": "EPSG:4547"},
        coordinate_operation={"Eastings": plan.origin[0], "Northings": plan.origin[1], "OrthogonalHeight": 0.0,
                              "XAxisAbscissa": math.cos(r), "XAxisOrdinate": math.sin(r), "Scale": 1.0})
    site = run("root.create_entity", f, ifc_class="IfcSite", name=plan.parcel_id)
    building = run("root.create_entity", f, ifc_class="IfcBuilding", name=plan.parcel_id)
    run("aggregate.assign_object", f, relating_object=project, products=[site])
    run("aggregate.assign_object", f, relating_object=site, products=[building])
    w, d, h = plan.width_m, plan.depth_m, plan.storey_height_m

    def box(product, x, y, z, sx, sy, sz):
        m = np.eye(4)
        m[:3, 3] = (x, y, z)
        run("geometry.edit_object_placement", f, product=product, matrix=m)
        prof = f.createIfcRectangleProfileDef("AREA", None, f.createIfcAxis2Placement2D(
            f.createIfcCartesianPoint((sx / 2, sy / 2))), sx, sy)
        rep = run("geometry.add_profile_representation", f, context=body, profile=prof, depth=sz)
        run("geometry.assign_representation", f, product=product, representation=rep)

    for s in range(plan.storeys + 1):
        z = s * h
        roof = s == plan.storeys
        storey = run("root.create_entity", f, ifc_class="IfcBuildingStorey", name="屋面" if roof else f"{s + 1}F")
        storey.Elevation = z
        run("aggregate.assign_object", f, relating_object=building, products=[storey])
        slab = run("root.create_entity", f, ifc_class="IfcSlab", name="屋面板" if roof else f"{s + 1}F楼板")
        run("spatial.assign_container", f, relating_structure=storey, products=[slab])
        box(slab, 0, 0, z, w, d, SLAB)
        if roof:
            continue
        qto = run("pset.add_qto", f, product=storey, name="Qto_BuildingStoreyBaseQuantities")
        run("pset.edit_qto", f, qto=qto, properties={"GrossFloorArea": w * d, "GrossHeight": h})
        walls = []
        for (x, y, sx, sy) in ((0, 0, w, WALL), (0, d - WALL, w, WALL), (0, 0, WALL, d), (w - WALL, 0, WALL, d)):
            wall = run("root.create_entity", f, ifc_class="IfcWall", name="外墙")
            box(wall, x, y, z + SLAB, sx, sy, h - SLAB)
            walls.append(wall)
        run("spatial.assign_container", f, relating_structure=storey, products=walls)
    f.write(str(path))


PLANS = [
    BuildingPlan("a.ifc", "LG-016004-00250", "M1", (529678.335, 2515535.936), 109.1808, 52.7, 24.49, 3, 5.0,
                 24.0, 0.8, "far"),
    BuildingPlan("b.ifc", "LG-003001-00189", "R2", (514301.838, 2512929.838), -18.5697, 41.3, 27.049, 7, 3.0,
                 60.0, 3.2, ""),
    BuildingPlan("c.ifc", "LG-009002-01234", "B1", (520001.1, 2510007.7), 0.0, 12.0, 10.0, 1, 4.2, 9.0, 1.1, "height"),
]


def _entities(path) -> list[tuple]:
    """Every entity as (class, attributes with references replaced by the referenced entity's
    content and GlobalIds dropped), in file order of the products, sorted otherwise."""
    model = ifcopenshell.open(str(path))

    def value(v, depth=0):
        if isinstance(v, ifcopenshell.entity_instance):
            return (v.is_a(), tuple(value(a, depth + 1) for a in _attrs(v))) if depth < 6 else v.is_a()
        if isinstance(v, tuple):
            items = [value(a, depth + 1) for a in v]
            return tuple(sorted(items, key=repr))  # sets (aggregates, containment) in any order
        return v

    def _attrs(e):
        return [a for i, a in enumerate(e) if not (i == 0 and isinstance(a, str) and re.fullmatch(r"[0-9A-Za-z_$]{22}", a))]

    return sorted((e.is_a(), tuple(value(a) for a in _attrs(e))) for e in model)


def _products(path) -> list[tuple[str, str]]:
    model = ifcopenshell.open(str(path))
    return [(p.is_a(), p.Name) for p in sorted(model.by_type("IfcProduct"), key=lambda p: p.id())]


@pytest.mark.parametrize("plan", PLANS, ids=[p.file for p in PLANS])
def test_step_text_holds_what_the_api_wrote(tmp_path, plan):
    write_ifc_api(plan, tmp_path / "api.ifc")
    write_ifc(plan, tmp_path / "step.ifc")
    assert _entities(tmp_path / "step.ifc") == _entities(tmp_path / "api.ifc")
    assert _products(tmp_path / "step.ifc") == _products(tmp_path / "api.ifc")  # same order of elements


def test_step_text_reads_back_as_the_same_model(tmp_path):
    from bim_import import read_ifc_model
    from lzt.ingest.bim_placement import Placement, UserPlacement

    plan = PLANS[1]
    models = []
    for name, writer in (("api.ifc", write_ifc_api), ("step.ifc", write_ifc)):
        writer(plan, tmp_path / name)
        models.append(read_ifc_model(tmp_path / name, placement=Placement(UserPlacement(), "EPSG:4547", tmp_path / name),
                                     in_process=True))
    a, b = models
    np.testing.assert_array_equal(a.vertices, b.vertices)
    np.testing.assert_array_equal(a.faces, b.faces)
    assert a.footprint.equals_exact(b.footprint, 0)
    assert [(x.name, x.elevation_m, x.gross_floor_area_m2) for x in a.storeys] == \
        [(x.name, x.elevation_m, x.gross_floor_area_m2) for x in b.storeys]  # STEP ids are not stored
    for k in ("height_m", "base_z", "top_z", "gfa_m2", "gfa_by_storey", "element_counts", "georef"):
        assert getattr(a, k) == getattr(b, k), k
