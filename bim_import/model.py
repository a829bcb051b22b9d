"""Plain values the BIM importers return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

GEOREF_KINDS = ("map_conversion", "epset_map_conversion", "site_latlon", "user", "none")


@dataclass(frozen=True)
class Georef:
    """How a model's local coordinates (metres) map to a CRS.

    ``E = eastings + scale * (cos(r) * x - sin(r) * y)``, ``N = northings + scale * (sin(r) * x +
    cos(r) * y)``, ``H = height + z`` with ``r = rotation_deg`` anticlockwise from map east; the
    result is in ``crs`` (None when unknown: the model cannot be placed).
    """

    kind: str  # one of GEOREF_KINDS
    eastings: float = 0.0
    northings: float = 0.0
    height: float = 0.0
    rotation_deg: float = 0.0
    scale: float = 1.0
    crs: str | None = None
    note: str = ""

    @property
    def placed(self) -> bool:
        return self.kind != "none" and self.crs is not None

    def apply(self, xyz: np.ndarray) -> np.ndarray:
        """Local metres (n x 3) -> CRS coordinates (n x 3)."""
        r = np.radians(self.rotation_deg)
        x, y = xyz[:, 0] * self.scale, xyz[:, 1] * self.scale
        out = np.empty_like(xyz, dtype=float)
        out[:, 0] = self.eastings + np.cos(r) * x - np.sin(r) * y
        out[:, 1] = self.northings + np.sin(r) * x + np.cos(r) * y
        out[:, 2] = self.height + xyz[:, 2]
        return out

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "eastings": self.eastings, "northings": self.northings,
                "height": self.height, "rotation_deg": self.rotation_deg, "scale": self.scale,
                "crs": self.crs, "note": self.note}


@dataclass
class Storey:
    name: str
    elevation_m: float | None
    gross_floor_area_m2: float | None = None  # from base quantities, when present


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
    space_gfa_m2: float | None = None  # sum of IfcSpace GrossFloorArea quantities
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
    gfa_by_storey: list[dict]
    element_counts: dict[str, int]
    vertices: np.ndarray  # (n, 3) local metres
    faces: np.ndarray  # (m, 3)
    warnings: list[str] = field(default_factory=list)

    @property
    def storey_count(self) -> int:
        """Storeys above the reference level with room for a floor (roof levels excluded)."""
        from bim_import.quantities import storeys_above

        return len(storeys_above(self.storeys, self.base_z, self.top_z))
