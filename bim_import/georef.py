"""Georeferencing of IFC models, in the order the issue fixes:

1. IfcMapConversion + IfcProjectedCRS (IFC4 and later);
2. the ePSet_MapConversion / ePSet_ProjectedCRS property sets (IFC2X3 convention; on IfcSite
   or IfcProject);
3. IfcSite RefLatitude / RefLongitude / RefElevation with the context's TrueNorth;
4. else unplaced (the caller may supply a placement with ``user_georef``).

ifcopenshell reads the map-conversion parameters; lzt applies them itself because the
unit question matters: local coordinates are converted to metres with the project's length
unit, and eastings/northings are in the map unit (IFC 4.3 clarified that Scale excludes unit
conversion; buildingSMART's own IFC4 example, in millimetres with Scale omitted, only
lands in the right place this way).
"""

from __future__ import annotations

import math

from bim_import.model import Georef

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


def from_map_conversion(model) -> Georef | None:
    """IFC4+: IfcMapConversion with its IfcProjectedCRS."""
    if model.schema == "IFC2X3":
        return None
    convs = [c for c in model.by_type("IfcCoordinateOperation") if c.is_a("IfcMapConversion")]
    if not convs:
        return None
    c = convs[0]
    target = c.TargetCRS
    unit_m = _map_unit_m(getattr(target, "MapUnit", None)) if target is not None else 1.0
    crs = _crs_name(getattr(target, "Name", None)) if target is not None else None
    note = "" if crs else f"IfcProjectedCRS name {getattr(target, 'Name', None)!r} is not an EPSG code"
    return Georef("map_conversion", eastings=float(c.Eastings or 0) * unit_m,
                  northings=float(c.Northings or 0) * unit_m,
                  height=float(c.OrthogonalHeight or 0) * unit_m,
                  rotation_deg=_rotation(c.XAxisAbscissa, c.XAxisOrdinate),
                  scale=float(c.Scale) if c.Scale else 1.0, crs=crs, note=note)


def from_epset(model) -> Georef | None:
    """IFC2X3: ePSet_MapConversion and ePSet_ProjectedCRS on IfcSite or IfcProject."""
    import ifcopenshell.util.element as ue

    for owner in model.by_type("IfcSite") + model.by_type("IfcProject"):
        psets = ue.get_psets(owner)
        conv = psets.get("ePSet_MapConversion")
        if not conv:
            continue
        crs_set = psets.get("ePSet_ProjectedCRS") or {}
        crs = _crs_name(crs_set.get("Name"))
        return Georef("epset_map_conversion", eastings=float(conv.get("Eastings") or 0),
                      northings=float(conv.get("Northings") or 0),
                      height=float(conv.get("OrthogonalHeight") or 0),
                      rotation_deg=_rotation(conv.get("XAxisAbscissa"), conv.get("XAxisOrdinate")),
                      scale=float(conv.get("Scale") or 1.0), crs=crs,
                      note=f"on {owner.is_a()}" + ("" if crs else "; ePSet_ProjectedCRS missing or not EPSG"))
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


def read_georef(model) -> tuple[Georef, list[Georef]]:
    """The georeferencing to use (first usable source in order) and every source found."""
    found = [g for g in (from_map_conversion(model), from_epset(model), from_site(model)) if g is not None]
    usable = [g for g in found if g.crs is not None]
    if usable:
        return usable[0], found
    if found:  # a map conversion whose CRS is unknown: cannot place without the user's CRS
        g = found[0]
        return Georef(g.kind, g.eastings, g.northings, g.height, g.rotation_deg, g.scale, None,
                      g.note or "CRS unknown"), found
    return Georef("none", note="no IfcMapConversion, ePSet_MapConversion or IfcSite location"), found


def user_georef(origin: tuple[float, ...], rotation_deg: float, crs: str, base: Georef | None = None) -> Georef:
    """A placement given by the user (--origin X,Y[,Z] --rotation DEG --crs CRS)."""
    x, y = float(origin[0]), float(origin[1])
    z = float(origin[2]) if len(origin) > 2 else 0.0
    return Georef("user", eastings=x, northings=y, height=z, rotation_deg=float(rotation_deg), crs=crs,
                  note="placement given by the user")
