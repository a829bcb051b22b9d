"""Small IFC building models written with ifcopenshell.api, for the BIM tests.

Every dimension is given in metres and written in the file's own length unit (metres or
millimetres), the way an authoring tool would: geometry, storey elevations, map conversions.
"""

from __future__ import annotations

import math

import numpy as np

E0, N0 = 525354.413, 2513606.263  # a Longgang point in EPSG:4547 (DOMAIN.md §3.2)
BOSTON = (42.3584, -71.0598)  # Revit's default project site


class IfcModel:
    """A building being written: storeys, boxes of any IFC class, spaces, roofs, georeferencing."""

    def __init__(self, *, schema: str = "IFC4", unit: str = "METRE", name: str = "测试楼"):
        import ifcopenshell.api

        self.run = run = ifcopenshell.api.run
        self.f = f = run("project.create_file", version=schema)
        if schema == "IFC2X3":  # an owner history on every rooted entity (ifcopenshell.api finds these)
            org = f.createIfcOrganization(None, "lzt", None)
            f.createIfcPersonAndOrganization(f.createIfcPerson(None, "Test", None), org)
            f.createIfcApplication(org, "1", "lzt tests", "lzt")
        self.project = run("root.create_entity", f, ifc_class="IfcProject", name=name)
        run("unit.assign_unit", f, length={"is_metric": True, "raw": unit})
        self.u = {"METRE": 1.0, "MILLIMETRE": 0.001}[unit]  # metres per file unit
        ctx = run("context.add_context", f, context_type="Model")
        self.body = run("context.add_context", f, context_type="Model", context_identifier="Body",
                        target_view="MODEL_VIEW", parent=ctx)
        self.site = run("root.create_entity", f, ifc_class="IfcSite", name="Site")
        self.building = run("root.create_entity", f, ifc_class="IfcBuilding", name="Building")
        run("aggregate.assign_object", f, relating_object=self.project, products=[self.site])
        run("aggregate.assign_object", f, relating_object=self.site, products=[self.building])

    # -- georeferencing ------------------------------------------------------------------------
    def map_conversion(self, crs: str = "EPSG:4547", e: float = E0, n: float = N0, rotation: float = 0.0,
                       scale: float | None = 1.0, map_unit: str | None = "METRE") -> IfcModel:
        """An IfcMapConversion (eastings/northings in the map unit); ``scale=None`` leaves Scale out."""
        run, f = self.run, self.f
        run("georeference.add_georeferencing", f)
        a, o = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))
        run("georeference.edit_georeferencing", f, projected_crs={"Name": crs},
            coordinate_operation={"Eastings": e, "Northings": n, "OrthogonalHeight": 0.0,
                                  "XAxisAbscissa": a, "XAxisOrdinate": o, "Scale": scale if scale else 1.0})
        conv = f.by_type("IfcMapConversion")[0]
        if scale is None:
            conv.Scale = None
        if map_unit:
            conv.TargetCRS.MapUnit = f.createIfcSIUnit(None, "LENGTHUNIT", None, map_unit)
        return self

    def site_latlon(self, lat: float, lon: float) -> IfcModel:
        def dms(v):
            d = int(abs(v))
            m = int((abs(v) - d) * 60)
            s = int(((abs(v) - d) * 60 - m) * 60)
            us = int(round((((abs(v) - d) * 60 - m) * 60 - s) * 1e6))
            sign = -1 if v < 0 else 1
            return [sign * d, sign * m, sign * s, sign * us]

        self.site.RefLatitude, self.site.RefLongitude, self.site.RefElevation = dms(lat), dms(lon), 0.0
        return self

    # -- structure -----------------------------------------------------------------------------
    def storey(self, name: str, elevation_m: float, gross_floor_area: float | None = None):
        run, f = self.run, self.f
        s = run("root.create_entity", f, ifc_class="IfcBuildingStorey", name=name)
        s.Elevation = elevation_m / self.u
        run("aggregate.assign_object", f, relating_object=self.building, products=[s])
        if gross_floor_area is not None:
            qto = run("pset.add_qto", f, product=s, name="Qto_BuildingStoreyBaseQuantities")
            run("pset.edit_qto", f, qto=qto, properties={"GrossFloorArea": gross_floor_area})
        return s

    def box(self, ifc_class: str, where, x: float, y: float, z: float, sx: float, sy: float, sz: float,
            name: str | None = None, predefined_type: str | None = None, part_of=None):
        """A box of ``ifc_class`` from (x, y, z), size (sx, sy, sz) metres, in storey ``where``
        (contained; spaces are aggregated), or part of ``part_of`` (an IfcRoof, IfcStair...)."""
        run, f, u = self.run, self.f, self.u
        el = run("root.create_entity", f, ifc_class=ifc_class, name=name or ifc_class,
                 predefined_type=predefined_type)
        if part_of is not None:
            run("aggregate.assign_object", f, relating_object=part_of, products=[el])
        elif ifc_class == "IfcSpace":
            run("aggregate.assign_object", f, relating_object=where, products=[el])
        elif where is not None:
            run("spatial.assign_container", f, relating_structure=where, products=[el])
        m = np.eye(4)
        m[:3, 3] = (x, y, z)
        run("geometry.edit_object_placement", f, product=el, matrix=m)  # metres (is_si)
        prof = f.createIfcRectangleProfileDef("AREA", None, f.createIfcAxis2Placement2D(
            f.createIfcCartesianPoint((sx / 2 / u, sy / 2 / u))), sx / u, sy / u)
        rep = run("geometry.add_profile_representation", f, context=self.body, profile=prof, depth=sz)
        run("geometry.assign_representation", f, product=el, representation=rep)
        return el

    def slab(self, storey, x, y, top, sx, sy, t=0.2, **kw):
        """A floor slab whose top is at ``top``."""
        return self.box("IfcSlab", storey, x, y, top - t, sx, sy, t, predefined_type="FLOOR", **kw)

    def walls(self, storey, x, y, z, sx, sy, h, t=0.3, ifc_class="IfcWall", name="外墙"):
        """Four walls of thickness ``t`` whose outer faces are the rectangle (x, y, sx, sy)."""
        return [self.box(ifc_class, storey, *b, name=name) for b in (
            (x, y, z, sx, t, h), (x, y + sy - t, z, sx, t, h), (x, y, z, t, sy, h), (x + sx - t, y, z, t, sy, h))]

    def roof(self, storey, x, y, top, sx, sy, t=0.3):
        """An IfcRoof made of one ROOF slab whose top is at ``top``."""
        roof = self.run("root.create_entity", self.f, ifc_class="IfcRoof", name="屋顶")
        self.run("spatial.assign_container", self.f, relating_structure=storey, products=[roof])
        self.box("IfcSlab", None, x, y, top - t, sx, sy, t, predefined_type="ROOF", part_of=roof)
        return roof

    def write(self, path):
        self.f.write(str(path))
        return path


def scale_model(path, *, unit: str = "MILLIMETRE", scale: float | None = 0.001, size=(20.0, 10.0),
                rotation: float = 30.0, crs: str = "EPSG:4547"):
    """An IFC4 two-storey box building of ``size`` metres with an IfcMapConversion of the given Scale."""
    m = IfcModel(unit=unit).map_conversion(crs, rotation=rotation, scale=scale)
    w, d = size
    for i, z in enumerate((0.0, 3.5)):
        s = m.storey(f"{i + 1}F", z)
        m.slab(s, 0, 0, z + 0.2, w, d)
        m.walls(s, 0, 0, z + 0.2, w, d, 3.3)
    m.roof(s, 0, 0, 7.2, w, d)
    return m.write(path)


REVIT_FLOOR = (50.0, 35.0)  # m: the Revit-like model's plan
ROOF_ROOM = (4.0, 6.0)  # m: its roof-access stair room


def revit_parapet_model(path, *, stair_room: bool = True):
    """A Revit-like IFC2X3 export in millimetres: Level 1, Level 2 and a "Roof" level that holds
    only 1.1 m parapet walls (the roof itself is hosted on Level 2), optionally a 3 m roof-access
    stair room on the roof; spaces on both floors; the site at Revit's default location (Boston)."""
    m = IfcModel(schema="IFC2X3", unit="MILLIMETRE", name="Revit export").site_latlon(*BOSTON)
    w, d = REVIT_FLOOR
    l1, l2, roof = m.storey("Level 1", 0.0), m.storey("Level 2", 4.2), m.storey("Roof", 8.4)
    for s, z in ((l1, 0.0), (l2, 4.2)):
        m.slab(s, 0, 0, z, w, d, t=0.25, name="Floor:Generic 250mm")
        m.walls(s, 0, 0, z, w, d, 4.2, ifc_class="IfcWallStandardCase", name="Basic Wall:Exterior 300mm")
        m.box("IfcSpace", s, 0.3, 0.3, z, w - 0.6, d - 0.6, 3.9, name="Room")
    m.roof(l2, 0, 0, 8.4, w, d)
    m.walls(roof, 0, 0, 8.4, w, d, 1.1, t=0.2, ifc_class="IfcWallStandardCase", name="Basic Wall:Parapet")
    if stair_room:
        sx, sy = ROOF_ROOM
        m.walls(roof, 10, 10, 8.4, sx, sy, 3.0, t=0.2, ifc_class="IfcWallStandardCase", name="Basic Wall:Stair")
        m.roof(roof, 10, 10, 11.4, sx, sy, t=0.2)
    return m.write(path)


HALL = (30.0, 20.0)  # m: the mezzanine model's hall
MEZZANINE = (10.0, 10.0)  # m: its mezzanine storey
GALLERY = (5.0, 5.0)  # m: a gallery slab with no storey of its own


def mezzanine_model(path):
    """An IFC4 hall 9 m high with a mezzanine storey at +4.5 m (10 x 10 m) and a gallery slab at
    +3.0 m (5 x 5 m) contained in the ground storey."""
    m = IfcModel().map_conversion(rotation=0.0)
    w, d = HALL
    g, mz = m.storey("Ground", 0.0), m.storey("Mezzanine", 4.5)
    m.slab(g, 0, 0, 0.0, w, d)
    m.walls(g, 0, 0, 0.0, w, d, 9.0)
    m.roof(g, 0, 0, 9.3, w, d)
    m.slab(mz, 0, 0, 4.5, *MEZZANINE)
    m.box("IfcRailing", mz, MEZZANINE[0] - 0.05, 0, 4.5, 0.05, MEZZANINE[1], 1.1)
    m.slab(g, 20, 10, 3.0, *GALLERY, name="gallery")
    return m.write(path)
