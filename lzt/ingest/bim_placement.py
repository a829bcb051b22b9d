"""Where an imported model goes: a user's placement over the file's own georeferencing, and the
check that it lies in the workspace CRS's region.

Kept apart from ``lzt.ingest.bim`` (geopandas, pandas) because ``Placement`` is pickled to the
reader processes (``bim_import.pool``): unpickling it there imports this module only
(``lzt.ingest`` loads its importer on first use).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import shapely

from bim_import.model import Georef
from lzt.core import crs as crsmod
from lzt.core.errors import LztInputError

PLACE_HINT = "place it with --origin X,Y [--rotation DEG] --crs CRS (overrides the file's own location)"


@dataclass(frozen=True)
class UserPlacement:
    """A placement the user gives (``--origin X,Y[,Z]``, ``--rotation DEG``, ``--crs CRS``).

    With an origin it places the model whatever the file says; ``crs`` alone names the CRS of
    a map conversion; ``rotation`` alone turns a located model about its own origin.
    """

    origin: tuple[float, ...] | None = None
    rotation: float | None = None
    crs: str | None = None

    def apply(self, g: Georef) -> tuple[Georef, list[str]]:
        """The georeferencing to use for a model whose file says ``g``, and the warnings."""
        from bim_import.georef import describe, user_georef

        if self.origin is not None:
            if not self.crs:
                raise LztInputError("--origin", "give the CRS of the origin with --crs")
            u = user_georef(self.origin, self.rotation or 0.0, self.crs)
            return u, ([] if g.kind == "none" else [f"the file's own georeferencing ({describe(g)}) is "
                                                    f"overridden by the {u.note}"])
        warnings = []
        if self.crs and g.kind in ("map_conversion", "epset_map_conversion"):
            if g.crs and crsmod.crs_string(crsmod.parse_crs(g.crs)) != crsmod.crs_string(
                    crsmod.parse_crs(self.crs, source="--crs")):
                warnings.append(f"the file's CRS {g.crs} is overridden by --crs {self.crs}")
            g = replace(g, crs=self.crs, note=(g.note + "; " if g.note else "") + f"CRS from --crs {self.crs}")
        elif self.crs and g.kind != "none":
            raise LztInputError("--crs", f"this model is located by {describe(g)}; --crs alone cannot move it: "
                                         "give --origin X,Y as well")
        if self.rotation is not None and g.kind != "none":
            warnings.append(f"the file's rotation {g.rotation_deg:g}° is overridden by --rotation {self.rotation:g}")
            g = replace(g, rotation_deg=float(self.rotation))
        return g, warnings


def check_region(georef, ws_crs: str, path: Path) -> None:
    """A model located outside the workspace CRS's area of use is an input error (suggesting a placement)."""
    from bim_import.georef import describe
    from lzt.ingest.geometry import reproject

    origin = georef.apply(np.zeros((1, 3)))[0]
    try:
        reproject(np.array([shapely.Point(origin[0], origin[1])], dtype=object),
                  crsmod.parse_crs(georef.crs), crsmod.parse_crs(ws_crs), str(path))
    except LztInputError as exc:
        if georef.kind == "user":
            raise
        raise LztInputError(path, f"{exc.problem}; the file places it by {describe(georef)}, perhaps an "
                                  f"authoring tool's default site: {PLACE_HINT}") from None


class Placement:
    """The georeferencing to use for a file (``UserPlacement.apply`` and the region check).

    A plain picklable callable: the IFC reader calls it in a worker process; the warnings it
    collects come back with it.
    """

    def __init__(self, user: UserPlacement, ws_crs: str, path: Path):
        self.user, self.ws_crs, self.path = user, ws_crs, path
        self.warnings: list[str] = []

    def __call__(self, g: Georef) -> Georef:
        g, warns = self.user.apply(g)
        self.warnings.extend(warns)
        if g.placed:
            check_region(g, self.ws_crs, self.path)
        return g
