"""Georeferencing of IFC models, in the order the issue fixes:

1. IfcMapConversion + IfcProjectedCRS (IFC4 and later);
2. the ePSet_MapConversion / ePSet_ProjectedCRS property sets (IFC2X3 convention; on IfcSite
   or IfcProject);
3. IfcSite RefLatitude / RefLongitude / RefElevation with the context's TrueNorth;
4. else unplaced (the caller may supply a placement with ``user_georef``).

ifcopenshell reads the map-conversion parameters; lzt applies them itself because the
unit question matters. Eastings/northings are in the map unit. Writers disagree on Scale when
the project unit is not the map unit: IFC 4.3 (and Revit, and buildingSMART's own IFC4
example, millimetres with Scale omitted) convert the project unit first and apply Scale on
top; the IFC4 text, ``ifcopenshell.util.geolocation`` and ifcopenshell.api write Scale 0.001
for a millimetre project in a metre CRS (Scale includes the conversion). ``read_georef``
records the reading the file's Scale suggests; ``decide_scale`` settles it from the model's
size once its geometry is known (a building is not 2 cm nor 20 km wide).
"""

from __future__ import annotations

import math

from dataclasses import replace

from bim_import.model import Georef
from lzt.core.errors import LztInputError

_MAP_UNIT_M = {"METRE": 1.0, "MILLIMETRE": 0.001, "CENTIMETRE": 0.01, "KILOMETRE": 1000.0}


def _map_unit_m(unit) -> float:
    if unit is None:
        return 1.0
    try:
        name = unit.Name
        prefix = getattr(unit, "Prefix", None)
        if name == "METRE":
            return {"MILLI": 0.001, "CENTI": 0.01, "KILO": 1000.0, None: 1.0}.get(prefix, 1.0)
        if unit.is_a("IfcConversionBasedUnit"):
            return float(unit.ConversionFactor.ValueComponent.wrappedValue)
    except AttributeError:
        pass
    return _MAP_UNIT_M.get(str(unit), 1.0)


def _crs_name(name) -> str | None:
    """'EPSG:4547', 'epsg:4547' or '4547' -> 'EPSG:4547'; anything else -> None (unknown)."""
    if not name:
        return None
    text = str(name).strip()
    if text.upper().startswith("EPSG:"):
        text = text[5:]
    return f"EPSG:{int(text)}" if text.isdigit() else None


def _rotation(xaa, xao) -> float:
    a = float(xaa) if xaa is not None else 1.0
    o = float(xao) if xao is not None else 0.0
    if a == 0 and o == 0:
        a = 1.0
    return math.degrees(math.atan2(o, a))


def _crs_unit_m(crs: str | None) -> float:
    """Metres per unit of the CRS's first axis (1.0 when unknown)."""
    if crs is None:
        return 1.0
    try:
        from pyproj import CRS

        axis = CRS.from_user_input(crs).axis_info
        return float(axis[0].unit_conversion_factor) if axis else 1.0
    except Exception:  # an unknown code: the caller reports the CRS itself
        return 1.0


def _prior_reading(scale: float, project_unit_m: float, map_unit_m: float) -> str:
    """The reading a file's Scale suggests before its size is known."""
    if math.isclose(project_unit_m, map_unit_m, rel_tol=1e-9):
        return "units_agree"
    if math.isclose(scale, project_unit_m / map_unit_m, rel_tol=1e-6):
        return "includes_unit_conversion"  # Scale is exactly the unit conversion
    return "excludes_unit_conversion"


def from_map_conversion(model, project_unit_m: float = 1.0) -> Georef | None:
    """IFC4+: IfcMapConversion with its IfcProjectedCRS."""
    if model.schema == "IFC2X3":
        return None
    convs = [c for c in model.by_type("IfcCoordinateOperation") if c.is_a("IfcMapConversion")]
    if not convs:
        return None
    c = convs[0]
    target = c.TargetCRS
    crs = _crs_name(getattr(target, "Name", None)) if target is not None else None
    map_unit = getattr(target, "MapUnit", None) if target is not None else None
    unit_m = _map_unit_m(map_unit) if map_unit is not None else _crs_unit_m(crs)
    note = "" if crs else f"IfcProjectedCRS name {getattr(target, 'Name', None)!r} is not an EPSG code"
    scale = float(c.Scale) if c.Scale else 1.0
    return Georef("map_conversion", eastings=float(c.Eastings or 0), northings=float(c.Northings or 0),
                  height=float(c.OrthogonalHeight or 0) * unit_m,
                  rotation_deg=_rotation(c.XAxisAbscissa, c.XAxisOrdinate),
                  scale=scale, crs=crs, note=note, project_unit_m=project_unit_m, map_unit_m=unit_m,
                  scale_reading=_prior_reading(scale, project_unit_m, unit_m))


def from_epset(model, project_unit_m: float = 1.0) -> Georef | None:
    """IFC2X3: ePSet_MapConversion and ePSet_ProjectedCRS on IfcSite or IfcProject."""
    import ifcopenshell.util.element as ue

    for owner in model.by_type("IfcSite") + model.by_type("IfcProject"):
        psets = ue.get_psets(owner)
        conv = psets.get("ePSet_MapConversion")
        if not conv:
            continue
        crs_set = psets.get("ePSet_ProjectedCRS") or {}
        crs = _crs_name(crs_set.get("Name"))
        unit_m = _map_unit_m(crs_set["MapUnit"]) if crs_set.get("MapUnit") else _crs_unit_m(crs)
        scale = float(conv.get("Scale") or 1.0)
        return Georef("epset_map_conversion", eastings=float(conv.get("Eastings") or 0),
                      northings=float(conv.get("Northings") or 0),
                      height=float(conv.get("OrthogonalHeight") or 0) * unit_m,
                      rotation_deg=_rotation(conv.get("XAxisAbscissa"), conv.get("XAxisOrdinate")),
                      scale=scale, crs=crs,
                      note=f"on {owner.is_a()}" + ("" if crs else "; ePSet_ProjectedCRS missing or not EPSG"),
                      project_unit_m=project_unit_m, map_unit_m=unit_m,
                      scale_reading=_prior_reading(scale, project_unit_m, unit_m))
    return None


def _compound_angle(value) -> float | None:
    if not value:
        return None
    parts = list(value) + [0] * (4 - len(value))
    d, m, s, us = (int(p) for p in parts[:4])
    sign = -1 if any(p < 0 for p in (d, m, s, us)) else 1
    return sign * (abs(d) + abs(m) / 60 + (abs(s) + abs(us) / 1e6) / 3600)


def from_site(model) -> Georef | None:
    """IfcSite RefLatitude/RefLongitude/RefElevation, rotated by TrueNorth."""
    sites = model.by_type("IfcSite")
    if not sites:
        return None
    site = sites[0]
    lat, lon = _compound_angle(site.RefLatitude), _compound_angle(site.RefLongitude)
    if lat is None or lon is None or (lat == 0 and lon == 0):
        return None
    rotation = 0.0
    for ctx in model.by_type("IfcGeometricRepresentationContext"):
        tn = getattr(ctx, "TrueNorth", None)
        if tn is not None and tn.DirectionRatios:
            tx, ty = tn.DirectionRatios[0], tn.DirectionRatios[1]
            # TrueNorth is the direction of north in local coordinates; local +y is rotated
            # from north by this angle, anticlockwise positive.
            rotation = -math.degrees(math.atan2(-tx, ty))
            break
    # A local transverse Mercator centred on the site: metres east/north of the site point.
    crs = f"+proj=tmerc +lat_0={lat:.10f} +lon_0={lon:.10f} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    return Georef("site_latlon", height=float(site.RefElevation or 0), rotation_deg=rotation, crs=crs,
                  note=f"IfcSite {lat:.6f}°N {lon:.6f}°E")


def read_georef(model, project_unit_m: float | None = None) -> tuple[Georef, list[Georef]]:
    """The georeferencing to use (first usable source in order) and every source found."""
    if project_unit_m is None:
        import ifcopenshell.util.unit as uu

        project_unit_m = float(uu.calculate_unit_scale(model))
    found = [g for g in (from_map_conversion(model, project_unit_m), from_epset(model, project_unit_m),
                         from_site(model)) if g is not None]
    usable = [g for g in found if g.crs is not None]
    if usable:
        return usable[0], found
    if found:  # a map conversion whose CRS is unknown: cannot place without the user's CRS
        g = found[0]
        return replace(g, crs=None, note=g.note or "CRS unknown"), found
    return Georef("none", note="no IfcMapConversion, ePSet_MapConversion or IfcSite location"), found


# A building's horizontal extent and its ratio to its height, for choosing a reading of Scale [P]
MIN_EXTENT_M, MAX_EXTENT_M = 0.5, 5000.0
MIN_ASPECT, MAX_ASPECT = 1 / 40, 500.0  # extent / height: a needle tower ~1:24, a long shed ~1:100
_UNIT_NAMES = {1.0: "metre", 0.001: "millimetre", 0.01: "centimetre", 0.3048: "foot", 0.0254: "inch",
               1000.0: "kilometre"}


def _unit_name(unit_m: float) -> str:
    for v, name in _UNIT_NAMES.items():
        if math.isclose(unit_m, v, rel_tol=1e-6):
            return name
    return f"{unit_m:g} m unit"


def plausible_size(extent_m: float, height_m: float) -> bool:
    """Whether a building ``extent_m`` wide (longest side) and ``height_m`` tall is plausible."""
    if not (MIN_EXTENT_M <= extent_m <= MAX_EXTENT_M):
        return False
    return height_m < 1.0 or MIN_ASPECT <= extent_m / height_m <= MAX_ASPECT


def decide_scale(g: Georef, extent_m: float, height_m: float, path) -> tuple[Georef, list[str]]:
    """Settle the reading of a map conversion's Scale from the model's size.

    ``extent_m`` is the model's longest horizontal side and ``height_m`` its height, both in
    local metres (the height does not depend on Scale). Returns the georeferencing with the
    reading recorded and the warnings to show; raises ``LztInputError`` when no reading gives
    a plausible building.
    """
    if g.kind not in ("map_conversion", "epset_map_conversion"):
        return g, []
    readings = ("excludes_unit_conversion", "includes_unit_conversion")
    if g.scale_reading == "includes_unit_conversion":
        readings = readings[::-1]  # the file's own hint first
    size = {r: g.factor(r) * g.map_unit_m * extent_m for r in readings}  # metres on the ground
    if g.scale_reading == "units_agree" or math.isclose(size[readings[0]], size[readings[1]], rel_tol=1e-9):
        if not plausible_size(size[readings[0]], height_m):
            raise LztInputError(path, f"its map conversion (Scale {g.scale:g}) makes the building "
                                      f"{size[readings[0]]:.3g} m wide and {height_m:.3g} m tall, "
                                      "not a plausible building: check IfcMapConversion.Scale")
        return replace(g, scale_reading="units_agree"), []
    ok = [r for r in readings if plausible_size(size[r], height_m)]
    units = f"a {_unit_name(g.project_unit_m)} project in a {_unit_name(g.map_unit_m)} map"
    if not ok:
        raise LztInputError(path, f"IfcMapConversion.Scale {g.scale:g} ({units}) makes the building "
                                  f"{size[readings[0]]:.3g} m or {size[readings[1]]:.3g} m wide "
                                  f"({height_m:.3g} m tall) depending on how Scale is read; neither is "
                                  "a plausible building")
    used, other = ok[0], next(r for r in readings if r != ok[0])
    how = {"excludes_unit_conversion": "as applied after the unit conversion (IFC 4.3)",
           "includes_unit_conversion": "as including the unit conversion (IFC4, ifcopenshell)"}
    warning = (f"IfcMapConversion.Scale {g.scale:g} with {units}: read {how[used]}, "
               f"the building is {size[used]:.1f} m wide; read {how[other]} it would be "
               f"{size[other]:.3g} m wide")
    if len(ok) > 1:
        warning += " (also plausible: check the model's size)"
    return replace(g, scale_reading=used), [warning]


def describe(g: Georef) -> str:
    """The georeferencing in a few words, for messages."""
    if g.kind in ("map_conversion", "epset_map_conversion"):
        name = "IfcMapConversion" if g.kind == "map_conversion" else "ePSet_MapConversion"
        return (f"{name} E {g.eastings:.3f} N {g.northings:.3f}" + (f" in {g.crs}" if g.crs else "")
                + f", rotation {g.rotation_deg:.2f}°")
    if g.kind == "site_latlon":
        return g.note or "IfcSite latitude/longitude"
    return g.note or g.kind


def user_georef(origin: tuple[float, ...], rotation_deg: float, crs: str) -> Georef:
    """A placement given by the user (--origin X,Y[,Z] --rotation DEG --crs CRS).

    A lon/lat CRS is placed through a transverse Mercator centred on the origin, so that the
    model's metres stay metres.
    """
    x, y = float(origin[0]), float(origin[1])
    z = float(origin[2]) if len(origin) > 2 else 0.0
    note = f"placement given by the user: {x:g}, {y:g} in {crs}, rotation {float(rotation_deg):g}°"
    if _is_geographic(crs):
        from pyproj import CRS, Transformer

        lon, lat = Transformer.from_crs(CRS.from_user_input(crs), "EPSG:4326", always_xy=True).transform(x, y)
        tm = f"+proj=tmerc +lat_0={lat:.10f} +lon_0={lon:.10f} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        return Georef("user", height=z, rotation_deg=float(rotation_deg), crs=tm, note=note)
    return Georef("user", eastings=x, northings=y, height=z, rotation_deg=float(rotation_deg), crs=crs,
                  scale=1.0 / _crs_unit_m(crs), note=note)


def _is_geographic(crs: str) -> bool:
    try:
        from pyproj import CRS

        return CRS.from_user_input(crs).is_geographic
    except Exception:  # the caller has checked the CRS already
        return False
