"""IFC files -> facts (schema, units, georeferencing, storeys, element counts, quantities).

Parsing runs in this process (ifcopenshell's parser reports errors as exceptions);
anything that builds geometry runs in a child process (``tessellate``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bim_import.georef import read_georef
from bim_import.levels import NOT_FLOOR_SLAB_PARENTS, NOT_FLOOR_SLAB_TYPES, ElementFacts
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


def _quantity(obj, name: str, unit: float = 1.0) -> float | None:
    """A base quantity of ``obj`` times ``unit`` (its unit in SI), None when absent."""
    import ifcopenshell.util.element as ue

    for qto in ue.get_psets(obj, qtos_only=True).values():
        v = qto.get(name)
        if isinstance(v, (int, float)) and v > 0:
            return float(v) * unit
    return None


def _area_unit(model) -> float:
    import ifcopenshell.util.unit as uu

    try:
        return float(uu.calculate_unit_scale(model, "AREAUNIT"))
    except Exception:  # no area unit assigned: square metres
        return 1.0


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
    georef, found = read_georef(model, unit)
    counts = Counter()
    for cls in COUNTED:
        try:
            counts[cls] = len(model.by_type(cls))
        except RuntimeError:  # class absent from this schema
            pass
    storeys = []
    area_unit = _area_unit(model)
    for s in model.by_type("IfcBuildingStorey"):
        storeys.append(Storey(s.Name or f"#{s.id()}", _storey_elevation(s, unit),
                              _quantity(s, "GrossFloorArea", area_unit), s.id()))
    storeys.sort(key=lambda s: (s.elevation_m is None, s.elevation_m or 0.0))
    name = projects[0].LongName or projects[0].Name or Path(path).stem
    warnings = []
    if len(found) > 1 and georef.kind != "none":
        warnings.append("several georeferencing sources: " + ", ".join(f.kind for f in found)
                        + f"; used {georef.kind}")
    return IfcFacts(schema=model.schema, name=str(name), length_unit_m=unit, georef=georef,
                    georef_candidates=found, storeys=storeys,
                    element_counts={k: v for k, v in counts.items() if v}, warnings=warnings)


def _storey_elevation(storey, unit: float) -> float | None:
    """The storey's Elevation, else the height of its placement (metres); None when neither."""
    if storey.Elevation is not None:
        return float(storey.Elevation) * unit
    if storey.ObjectPlacement is not None:
        import ifcopenshell.util.placement as up

        return float(up.get_local_placement(storey.ObjectPlacement)[2, 3]) * unit
    return None


def _parents(el, depth: int = 6, memo: dict | None = None):
    """The element's spatial container or aggregating whole, then theirs, up the tree.

    ``memo`` (a dict kept for one model) remembers each parent's own way up: the thousands of
    parts of a steel model share a few assemblies and storeys."""
    import ifcopenshell.util.element as ue

    memo = {} if memo is None else memo
    for _ in range(depth):
        key = el.id() or None  # an entity without an id is not remembered
        if key is None or key not in memo:
            up = _container(el, memo) or ue.get_aggregate(el)
            if key is None:
                el = up
            else:
                memo[key] = el = up
        else:
            el = memo[key]
        if el is None:
            return
        yield el


def _container(el, memo: dict):
    """``ifcopenshell.util.element.get_container(el)``: its spatial structure, else its parent's
    (nest, aggregate, ...); a parent's is remembered in ``memo`` under ("container", its id)."""
    import ifcopenshell.util.element as ue

    if contained := getattr(el, "ContainedInStructure", None):
        return contained[0].RelatingStructure
    parent = ue.get_parent(el)
    if not parent:
        return None
    key = ("container", parent.id()) if parent.id() else None
    if key is None:
        return _container(parent, memo)
    if key not in memo:
        memo[key] = _container(parent, memo)
    return memo[key]


def element_facts(model, element_ids: list[int], storeys: list[Storey]) -> tuple[list[ElementFacts], dict[int, float]]:
    """Facts per tessellated element, and the area quantities of spaces without geometry per storey.

    An element's storey is found through the spatial structure (containment or aggregation);
    a slab is a possible floor unless it is a roof or landing or part of a roof, stair or ramp.
    """
    memo: dict = {}
    out = facts_of(model, element_ids, storeys, memo)
    return out, spaces_without_geometry(space_areas(model, storeys, memo, skip=set(element_ids)), element_ids)


def facts_of(model, element_ids, storeys: list[Storey], memo: dict | None = None) -> list[ElementFacts]:
    """``ElementFacts`` of each element (``memo``: the parents' ways up, kept for one model)."""
    index = {s.step_id: i for i, s in enumerate(storeys) if s.step_id is not None}
    out = []
    memo = {} if memo is None else memo
    for sid in element_ids:
        el = model.by_id(sid)
        storey, parents = None, []
        for parent in _parents(el, memo=memo):
            if parent.is_a("IfcBuildingStorey"):
                storey = index.get(parent.id())
                break
            parents.append(parent.is_a())
        floor_slab = el.is_a("IfcSlab") and str(getattr(el, "PredefinedType", None)) not in NOT_FLOOR_SLAB_TYPES \
            and not any(any(p == c or p.startswith(c) for c in NOT_FLOOR_SLAB_PARENTS) for p in parents)
        out.append(ElementFacts(el.is_a(), storey, floor_slab))
    return out


def space_areas(model, storeys: list[Storey], memo: dict | None = None, skip=frozenset()) -> list[tuple[int, int, float]]:
    """(space id, storey index, floor area) of every IfcSpace with an area quantity and a storey,
    but those whose ids are in ``skip``."""
    index = {s.step_id: i for i, s in enumerate(storeys) if s.step_id is not None}
    memo = {} if memo is None else memo
    out = []
    area_unit = _area_unit(model)
    for sp in model.by_type("IfcSpace"):
        if sp.id() in skip:
            continue
        area = _quantity(sp, "GrossFloorArea", area_unit) or _quantity(sp, "NetFloorArea", area_unit)
        st = next((index.get(p.id()) for p in _parents(sp, memo=memo) if p.is_a("IfcBuildingStorey")), None)
        if area and st is not None:
            out.append((sp.id(), st, area))
    return out


def spaces_without_geometry(areas: list[tuple[int, int, float]], element_ids) -> dict[int, float]:
    """The area quantities (``space_areas``) of the spaces not among the drawn elements, per storey."""
    drawn = set(element_ids)
    space_qto: dict[int, float] = {}
    for sid, st, area in areas:
        if sid not in drawn:
            space_qto[st] = space_qto.get(st, 0.0) + area
    return space_qto
