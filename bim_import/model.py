"""Plain values the BIM importers return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

GEOREF_KINDS = ("map_conversion", "epset_map_conversion", "site_latlon", "user", "none")


SCALE_READINGS = {
    # IFC 4.3: local coordinates are converted to the map unit first, Scale is applied on top
    "excludes_unit_conversion": "Scale applied after converting the project unit to the map unit (IFC 4.3)",
    # IFC4 text, ifcopenshell.util.geolocation: local value x Scale = map value (0.001 for mm -> m)
    "includes_unit_conversion": "Scale includes the conversion from the project unit to the map unit "
                                "(IFC4, ifcopenshell.util.geolocation)",
    "units_agree": "project and map units are the same: both readings of Scale agree",
}


@dataclass(frozen=True)
class Georef:
    """How a model's local coordinates (metres) map to a CRS.

    ``E = eastings + k * (cos(r) * x - sin(r) * y)``, ``N = northings + k * (sin(r) * x +
    cos(r) * y)``, ``H = height + z`` with ``r = rotation_deg`` anticlockwise from map east and
    ``k = applied_scale``; the result is in ``crs`` (None when unknown: the model cannot be placed).
    ``scale`` is the file's IfcMapConversion.Scale (1.0 when omitted); ``scale_reading`` says how
    it was read (``SCALE_READINGS``; "" for placements without a Scale).
    """

    kind: str  # one of GEOREF_KINDS
    eastings: float = 0.0  # map units
    northings: float = 0.0
    height: float = 0.0  # metres
    rotation_deg: float = 0.0
    scale: float = 1.0
    crs: str | None = None
    note: str = ""
    project_unit_m: float = 1.0  # metres per project length unit
    map_unit_m: float = 1.0  # metres per map unit
    scale_reading: str = ""

    @property
    def placed(self) -> bool:
        return self.kind != "none" and self.crs is not None

    def factor(self, reading: str | None = None) -> float:
        """Local metres -> map units under ``reading`` (default: the reading recorded)."""
        reading = self.scale_reading if reading is None else reading
        if reading == "includes_unit_conversion":
            return self.scale / self.project_unit_m
        if reading in ("excludes_unit_conversion", "units_agree"):
            return self.scale / self.map_unit_m
        return self.scale

    @property
    def applied_scale(self) -> float:
        """The factor from local metres to map units actually applied."""
        return self.factor()

    def apply(self, xyz: np.ndarray) -> np.ndarray:
        """Local metres (n x 3) -> CRS coordinates (n x 3)."""
        r = np.radians(self.rotation_deg)
        k = self.applied_scale
        x, y = xyz[:, 0] * k, xyz[:, 1] * k
        out = np.empty_like(xyz, dtype=float)
        out[:, 0] = self.eastings + np.cos(r) * x - np.sin(r) * y
        out[:, 1] = self.northings + np.sin(r) * x + np.cos(r) * y
        out[:, 2] = self.height + xyz[:, 2]
        return out

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "eastings": self.eastings, "northings": self.northings,
                "height": self.height, "rotation_deg": self.rotation_deg, "scale": self.scale,
                "scale_reading": self.scale_reading, "applied_scale": self.applied_scale,
                "project_unit_m": self.project_unit_m, "map_unit_m": self.map_unit_m,
                "crs": self.crs, "note": self.note}


@dataclass
class Storey:
    name: str
    elevation_m: float | None
    gross_floor_area_m2: float | None = None  # from base quantities, when present
    step_id: int | None = None  # the IfcBuildingStorey's id in its file


@dataclass
class IfcFacts:
    """What the IFC file says about itself (no geometry engine needed)."""

    schema: str
    name: str
    length_unit_m: float  # metres per project length unit
    georef: Georef
    georef_candidates: list[Georef] = field(default_factory=list)  # every source found, in order
    storeys: list[Storey] = field(default_factory=list)
    element_counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class BimModel:
    """One imported model: facts, 2-D shape and mesh in local metres, and its georeferencing."""

    source: str
    name: str
    schema: str
    georef: Georef
    footprint: Any  # shapely (Multi)Polygon, local metres
    height_m: float
    height_reference: str
    base_z: float
    top_z: float
    storeys: list[Storey]
    gfa_m2: float | None
    gfa_method: str
    gfa_by_storey: list[dict]  # every level: its area, source, kind (storey, mezzanine, ...) and why
    element_counts: dict[str, int]
    vertices: np.ndarray  # (n, 3) local metres
    faces: np.ndarray  # (m, 3)
    warnings: list[str] = field(default_factory=list)
    storey_count: int | None = None  # storeys above the reference level (None: not known for meshes)
    gfa_estimates: dict[str, float] = field(default_factory=dict)  # independent totals, by method
    kernel: str = ""  # the IFC geometry library that tessellated it ("" for meshes)
    kernel_note: str = ""  # why the file fell back to the safe library ("" when it did not)
