"""IFC files -> facts (schema, units, georeferencing, storeys, element counts, quantities).

Parsing runs in this process (ifcopenshell's parser reports errors as exceptions);
anything that builds geometry runs in a child process (``tessellate``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bim_import.georef import read_georef
from bim_import.model import IfcFacts, Storey
from lzt.core.errors import LztInputError

SUPPORTED_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3", "IFC4X3_ADD2", "IFC4X3_ADD1", "IFC4X3_TC1")
COUNTED = ("IfcWall", "IfcSlab", "IfcRoof", "IfcColumn", "IfcBeam", "IfcDoor", "IfcWindow", "IfcStair",
           "IfcRailing", "IfcSpace", "IfcCovering", "IfcMember", "IfcPlate", "IfcFooting", "IfcPile",
           "IfcBuildingElementProxy", "IfcCurtainWall", "IfcRamp", "IfcFurnishingElement")


def open_ifc(path: str | Path):
    """The parsed model; ``LztInputError`` for unreadable or unsupported files."""
    import ifcopenshell

    path = Path(path)
    if not path.is_file():
        raise LztInputError(path, "no such file")
    with open(path, "rb") as fh:
        head = fh.read(64)
        fh.seek(max(0, path.stat().st_size - 256))
        tail = fh.read()
    if b"ISO-10303-21" not in head:
        raise LztInputError(path, "not an IFC (STEP) file: the ISO-10303-21 header is missing")
    if b"END-ISO-10303-21" not in tail:
        raise LztInputError(path, "truncated: the file does not end with END-ISO-10303-21;")
    try:
        return ifcopenshell.open(str(path))
    except Exception as exc:  # ifcopenshell raises RuntimeError/SchemaError/...
        raise LztInputError(path, f"cannot read IFC: {' '.join(str(exc).split())[:200]}") from None


def _quantity(obj, name: str) -> float | None:
    import ifcopenshell.util.element as ue

    for qto in ue.get_psets(obj, qtos_only=True).values():
        v = qto.get(name)
        if isinstance(v, (int, float)) and v > 0:
            return float(v)
    return None


def read_facts(model, path: str | Path) -> IfcFacts:
    """Schema, name, unit, georeferencing, storeys, element counts, base quantities."""
    import ifcopenshell.util.unit as uu

    if model.schema not in SUPPORTED_SCHEMAS:
        raise LztInputError(path, f"unsupported IFC schema {model.schema}")
    projects = model.by_type("IfcProject")
    if not projects:
        raise LztInputError(path, "has no IfcProject")
    unit = float(uu.calculate_unit_scale(model))
    if not (1e-4 <= unit <= 1e3):
        raise LztInputError(path, f"absurd length unit ({unit} m per unit)")
    georef, found = read_georef(model)
    counts = Counter()
    for cls in COUNTED:
        try:
            counts[cls] = len(model.by_type(cls))
        except RuntimeError:  # class absent from this schema
            pass
    storeys = []
    for s in model.by_type("IfcBuildingStorey"):
        elev = None if s.Elevation is None else float(s.Elevation) * unit
        storeys.append(Storey(s.Name or f"#{s.id()}", elev, _quantity(s, "GrossFloorArea")))
    storeys.sort(key=lambda s: (s.elevation_m is None, s.elevation_m or 0.0))
    spaces = [_quantity(sp, "GrossFloorArea") for sp in model.by_type("IfcSpace")]
    space_gfa = sum(v for v in spaces if v) if spaces and all(spaces) else None
    name = projects[0].LongName or projects[0].Name or Path(path).stem
    warnings = []
    if len(found) > 1 and georef.kind != "none":
        warnings.append("several georeferencing sources: " + ", ".join(f.kind for f in found)
                        + f"; used {georef.kind}")
    return IfcFacts(schema=model.schema, name=str(name), length_unit_m=unit, georef=georef,
                    georef_candidates=found, storeys=storeys,
                    element_counts={k: v for k, v in counts.items() if v}, space_gfa_m2=space_gfa,
                    warnings=warnings)
