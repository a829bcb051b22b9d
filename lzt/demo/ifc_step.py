"""A demo building plan written straight as IFC4 STEP text: the entities ``ifcopenshell.api``
made for it (``tests/demo/test_ifc_step.py`` keeps that writer and compares the two), without
the api's per-call bookkeeping, which took ~0.2 s CPU per model (placements recomputed on
every containment, unit scales looked up per call) and was most of the demo's IFC work.

The file holds the same entities with the same attribute values, in the same creation order
(STEP ids numbered without the api's gaps), so a reader sees the same elements in the same
order: the same meshes, footprints, heights and GFA. GlobalIds are new on every write, as
with the api.
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path


def _real(v: float) -> str:
    """A REAL as STEP writes it: the shortest text that reads back as the same double."""
    mant, _, exp = repr(float(v)).partition("e")
    mant = mant.rstrip("0") if "." in mant else mant + "."
    return f"{mant}E{int(exp):+03d}" if exp else mant


def _str(s: str | None) -> str:
    """A STRING: quotes doubled, backslashes escaped, other than ASCII as \\X2\\...\\X0\\."""
    if s is None:
        return "$"
    out, wide = [], []

    def flush():
        if wide:
            out.append("\\X2\\" + "".join(wide) + "\\X0\\")
            wide.clear()

    for ch in s:
        if 32 <= ord(ch) < 127:
            flush()
            out.append({"'": "''", "\\": "\\\\"}.get(ch, ch))
        else:
            b = ch.encode("utf-16-be")
            wide.extend(f"{b[i]:02X}{b[i + 1]:02X}" for i in range(0, len(b), 2))
    flush()
    return "'" + "".join(out) + "'"


class _Step:
    def __init__(self):
        self.lines: list[str] = []

    def add(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines)

    def reserve(self) -> int:
        self.lines.append("")
        return len(self.lines)

    def put(self, i: int, text: str) -> None:
        self.lines[i - 1] = text


def _refs(ids) -> str:
    return "(" + ",".join(f"#{i}" for i in ids) + ")"


def write_ifc_step(plan, path: Path, name: str | None = None, *, wall: float, slab: float) -> Path:
    """Write ``plan`` (``lzt.demo.bim.BuildingPlan``) as an IFC4 file at ``path``."""
    import ifcopenshell.guid

    guid = ifcopenshell.guid.new
    s = _Step()
    R = _real
    project = s.reserve()
    units = [s.add(f"IFCSIUNIT(*,.{u}.,$,.{n}.)") for u, n in
             (("LENGTHUNIT", "METRE"), ("AREAUNIT", "SQUARE_METRE"), ("VOLUMEUNIT", "CUBIC_METRE"))]
    assignment = s.add(f"IFCUNITASSIGNMENT({_refs(units)})")

    def axis3(x: float, y: float, z: float) -> int:
        p = s.add(f"IFCCARTESIANPOINT(({R(x)},{R(y)},{R(z)}))")
        zd = s.add("IFCDIRECTION((0.,0.,1.))")
        xd = s.add("IFCDIRECTION((1.,0.,0.))")
        return s.add(f"IFCAXIS2PLACEMENT3D(#{p},#{zd},#{xd})")

    world = axis3(0.0, 0.0, 0.0)
    ctx = s.add(f"IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-05,#{world},$)")
    body = s.add(f"IFCGEOMETRICREPRESENTATIONSUBCONTEXT('Body','Model',*,*,*,*,#{ctx},$,.MODEL_VIEW.,$)")
    s.put(project, f"IFCPROJECT('{guid()}',$,{_str(name or plan.parcel_id)},$,$,$,$,(#{ctx}),#{assignment})")
    crs = s.add("IFCPROJECTEDCRS('EPSG:4547',$,$,$,$,$,$)")
    r = math.radians(plan.rotation_deg)
    s.add(f"IFCMAPCONVERSION(#{ctx},#{crs},{R(plan.origin[0])},{R(plan.origin[1])},0.,"
          f"{R(math.cos(r))},{R(math.sin(r))},1.)")
    site = s.add(f"IFCSITE('{guid()}',$,{_str(plan.parcel_id)},$,$,$,$,$,$,$,$,$,$,$)")
    building = s.add(f"IFCBUILDING('{guid()}',$,{_str(name or plan.parcel_id)},$,$,$,$,$,$,$,$,$)")
    s.add(f"IFCRELAGGREGATES('{guid()}',$,$,$,#{project},(#{site}))")
    s.add(f"IFCRELAGGREGATES('{guid()}',$,$,$,#{site},(#{building}))")
    w, d, h = plan.width_m, plan.depth_m, plan.storey_height_m

    def shape(sx: float, sy: float, sz: float) -> int:
        p = s.add(f"IFCCARTESIANPOINT(({R(sx / 2)},{R(sy / 2)}))")
        a = s.add(f"IFCAXIS2PLACEMENT2D(#{p},$)")
        prof = s.add(f"IFCRECTANGLEPROFILEDEF(.AREA.,$,#{a},{R(sx)},{R(sy)})")
        at = axis3(0.0, 0.0, 0.0)
        up = s.add("IFCDIRECTION((0.,0.,1.))")
        solid = s.add(f"IFCEXTRUDEDAREASOLID(#{prof},#{at},#{up},{R(sz)})")
        rep = s.add(f"IFCSHAPEREPRESENTATION(#{body},'Body','SweptSolid',(#{solid}))")
        return s.add(f"IFCPRODUCTDEFINITIONSHAPE($,$,(#{rep}))")

    def placement(x: float, y: float, z: float) -> int:
        return s.add(f"IFCLOCALPLACEMENT($,#{axis3(x, y, z)})")

    storeys, aggregates = [], None
    for k in range(plan.storeys + 1):
        z = k * h
        roof = k == plan.storeys
        storey = s.add(f"IFCBUILDINGSTOREY('{guid()}',$,{_str('屋面' if roof else f'{k + 1}F')},$,$,$,$,$,$,{R(z)})")
        storeys.append(storey)
        if aggregates is None:
            aggregates = s.reserve()
        slab_id = s.reserve()
        contained = s.reserve()
        members = [slab_id]
        slab_place = placement(0.0, 0.0, z)
        s.put(slab_id, f"IFCSLAB('{guid()}',$,{_str('屋面板' if roof else f'{k + 1}F楼板')},$,$,#{slab_place},"
                       f"#{shape(w, d, slab)},$,$)")
        if not roof:
            qto = s.reserve()
            s.add(f"IFCRELDEFINESBYPROPERTIES('{guid()}',$,$,$,(#{storey}),#{qto})")
            area = s.add(f"IFCQUANTITYAREA('GrossFloorArea',$,$,{R(w * d)},$)")
            height = s.add(f"IFCQUANTITYLENGTH('GrossHeight',$,$,{R(h)},$)")
            s.put(qto, f"IFCELEMENTQUANTITY('{guid()}',$,'Qto_BuildingStoreyBaseQuantities',$,'BaseQuantities',"
                       f"(#{area},#{height}))")
            for (x, y, sx, sy) in ((0, 0, w, wall), (0, d - wall, w, wall), (0, 0, wall, d), (w - wall, 0, wall, d)):
                wall_id = s.reserve()
                pds = shape(sx, sy, h - slab)
                s.put(wall_id, f"IFCWALL('{guid()}',$,{_str('外墙')},$,$,#{placement(x, y, z + slab)},#{pds},$,$)")
                members.append(wall_id)
        s.put(contained, f"IFCRELCONTAINEDINSPATIALSTRUCTURE('{guid()}',$,$,$,{_refs(members)},#{storey})")
    s.put(aggregates, f"IFCRELAGGREGATES('{guid()}',$,$,$,#{building},{_refs(storeys)})")
    stamp = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    head = ("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('ViewDefinition[DesignTransferView]'),'2;1');\n"
            f"FILE_NAME({_str(Path(path).name)},'{stamp}',(''),(''),'lzt demo','lzt demo','Nobody');\n"
            "FILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n")
    body_text = "".join(f"#{i}={line};\n" for i, line in enumerate(s.lines, 1))
    Path(path).write_text(head + body_text + "ENDSEC;\nEND-ISO-10303-21;\n", encoding="ascii")
    return Path(path)
