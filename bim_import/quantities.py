"""Gross floor area (建筑面积) and storeys from what each level holds (``levels.analyse_levels``).

Each counted level (storey, mezzanine, rooftop structure) contributes its storey base quantity
(Qto GrossFloorArea) when the file has one, else the union of its floor slabs, its spaces and
the area its walls enclose, cut to where building of full storey height stands over it.
``gfa_method`` names the sources used ("qto_storeys", "slabs", "spaces", "enclosed_walls",
joined with "+"). Independent estimates are kept: each source alone (over the counted levels
that have it, when every storey does) and footprint x storeys; when one differs by more than
``DISAGREE`` from the area used on the same levels, a warning gives the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bim_import.levels import MIN_FLOOR_M2, Level

DISAGREE = 0.10  # relative difference between two estimates worth a warning [P]
METHODS = {"qto_storey": "qto_storeys", "slabs": "slabs", "spaces": "spaces", "enclosed_walls": "enclosed_walls"}
COUNTED_KINDS = ("storey", "mezzanine", "rooftop")
LABELS = {"footprint_x_floors": "footprint x storeys"}


@dataclass
class FloorArea:
    gfa_m2: float | None
    method: str
    rows: list[dict]
    storey_count: int
    estimates: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def gross_floor_area(levels: list[Level], footprint_area_m2: float) -> FloorArea:
    """Total GFA, the method used, one row per level, the storey count and the independent estimates."""
    levels = sorted(levels, key=lambda lv: lv.elevation_m)
    rows = [lv.row() for lv in levels]
    counted = [lv for lv in levels if lv.kind in COUNTED_KINDS]
    storeys = sum(lv.kind == "storey" for lv in levels)
    if not counted:
        return FloorArea(None, "none", rows, 0, warnings=[
            "no level holds a floor (slab, space, storey quantity or enclosing walls) with building above "
            "it: floor area unknown"])
    gfa = float(sum(lv.area_m2 for lv in counted))
    used = dict.fromkeys(part for lv in counted for part in lv.source.split("+"))
    method = "+".join(METHODS[s] for s in used)
    # each independent estimate against the area used on the same levels
    estimates, compare = {}, {}
    for src, name in METHODS.items():
        having = [lv for lv in counted if lv.areas.get(src, 0.0) >= MIN_FLOOR_M2]
        if having and all(lv in having for lv in counted if lv.kind == "storey"):
            estimates[name] = round(float(sum(lv.areas[src] for lv in having)), 2)
            compare[name] = float(sum(lv.area_m2 for lv in having))
    if storeys:
        estimates["footprint_x_floors"] = round(float(footprint_area_m2) * storeys, 2)
        compare["footprint_x_floors"] = float(sum(lv.area_m2 for lv in levels if lv.kind == "storey"))
    off = {k: (estimates[k] - compare[k]) / compare[k] for k in estimates
           if compare[k] > 0 and abs(estimates[k] - compare[k]) > DISAGREE * max(estimates[k], compare[k])}
    warnings = []
    if off:
        warnings.append(f"floor-area estimates differ by more than {DISAGREE:.0%}: used {method}, {gfa:,.0f} m²; "
                        + ", ".join(f"{LABELS.get(k, k)} {estimates[k]:,.0f} m² ({d:+.0%})" for k, d in off.items()))
    return FloorArea(gfa, method, rows, storeys, estimates, warnings)
