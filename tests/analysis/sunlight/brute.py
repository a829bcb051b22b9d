"""An independent brute-force ray cast for the sunlight tests: march along each 3D ray to
the Sun in small steps and ask shapely whether the point is inside a footprint below its
roof. Nothing here shares code with lzt.analysis.sunlight.horizon."""

from __future__ import annotations

import numpy as np
import shapely


def blocked(x: float, y: float, z: float, az: np.ndarray, tan_alt: np.ndarray, prisms, *, step: float = 0.02,
            start: float = 0.06) -> np.ndarray:
    """Per instant (grid azimuth ``az`` in radians, ``tan_alt`` of the Sun): does a ray from
    (x, y, z) hit one of ``prisms`` [(footprint, top_z)] before rising above the tallest?"""
    top = max(t for _, t in prisms)
    out = np.zeros(len(az), dtype=bool)
    for i, (a, ta) in enumerate(zip(az, tan_alt)):
        if not ta > 0:
            out[i] = True  # the Sun is down
            continue
        reach = max(0.0, (top - z) / ta)
        d = np.arange(start, reach + step, step)
        px, py, pz = x + d * np.sin(a), y + d * np.cos(a), z + d * ta
        for poly, roof in prisms:
            if shapely.contains_xy(poly, px, py)[pz < roof].any():
                out[i] = True
                break
    return out
