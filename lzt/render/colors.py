"""Colour strings -> RGBA tuples, QColors and numpy lookup tables for ramps."""

from __future__ import annotations

import functools

import numpy as np
from PySide6.QtGui import QColor


@functools.lru_cache(maxsize=4096)
def rgba(color: str | None) -> tuple[int, int, int, int]:
    """``#rgb``, ``#rrggbb`` or ``#rrggbbaa`` -> (r, g, b, a); None -> fully transparent."""
    if not color:
        return (0, 0, 0, 0)
    c = color.strip().lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    if len(c) == 6:
        c += "ff"
    if len(c) != 8:
        raise ValueError(f"bad colour {color!r}: expected #rrggbb or #rrggbbaa")
    return tuple(int(c[i:i + 2], 16) for i in (0, 2, 4, 6))  # type: ignore[return-value]


def qcolor(color: str | None, opacity: float = 1.0) -> QColor:
    r, g, b, a = rgba(color)
    return QColor(r, g, b, int(round(a * max(0.0, min(1.0, opacity)))))


def ramp_lut(stops, n: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """(n sample values, n x 4 float RGBA) interpolated linearly between ``stops``."""
    vals = np.array([float(v) for v, _ in stops])
    cols = np.array([rgba(c) for _, c in stops], dtype=np.float64)
    xs = np.linspace(vals.min(), vals.max(), n)
    out = np.stack([np.interp(xs, vals, cols[:, k]) for k in range(4)], axis=1)
    return xs, out


def ramp_color(stops, value: float) -> str:
    """The ramp's colour at ``value`` as ``#rrggbbaa``."""
    vals = np.array([float(v) for v, _ in stops])
    cols = np.array([rgba(c) for _, c in stops], dtype=np.float64)
    c = [int(round(np.interp(value, vals, cols[:, k]))) for k in range(4)]
    return "#" + "".join(f"{v:02x}" for v in c)
