"""Frozen render requests: everything a background render needs, snapshotted.

A ``RenderRequest`` carries the extent (workspace CRS), the output size in device pixels,
the dots per inch (to turn millimetre sizes into pixels and to compute the scale), and a
snapshot of the layers with their styles. Each request gets a fresh ``id``; results carry
it so that a canvas can drop stale ones.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from lzt.render.style import LayerStyle
from lzt.workspace.base import Workspace

Bounds = tuple[float, float, float, float]
_ids = itertools.count(1)

INCH_M = 0.0254


@dataclass(frozen=True)
class LayerSnapshot:
    """One layer to draw: its name, what the workspace says it is, and its style."""

    name: str
    kind: str
    geometry_type: str | None
    style: LayerStyle
    stamp: str = ""  # changes when the layer's data does (count/extent/import time)
    where: object | None = None  # an attribute predicate (lzt.core.filters): only matching features are drawn
    personal: bool = False  # holds personal data (lzt.workspace.personal): labels are masked
    personal_columns: tuple[str, ...] = ()  # its name/phone/ID columns (to find them in label text)


@dataclass(frozen=True)
class RenderRequest:
    extent: Bounds  # minx, miny, maxx, maxy in the workspace CRS (metres)
    width: float  # device pixels (integers for images; fractional for a frame on a sheet)
    height: float
    dpi: float = 96.0
    layers: tuple[LayerSnapshot, ...] = ()
    background: str | None = "#ffffff"
    id: int = field(default_factory=lambda: next(_ids))

    @property
    def pixel_size(self) -> float:
        """Ground metres per device pixel (x; ``fit_extent`` makes x and y equal)."""
        return (self.extent[2] - self.extent[0]) / self.width

    @property
    def scale(self) -> float:
        """The scale denominator N of 1:N at this dpi."""
        return self.pixel_size * self.dpi / INCH_M

    def mm_to_px(self, mm: float) -> float:
        return mm * self.dpi / 25.4


def fit_extent(extent: Bounds, width: int, height: int) -> Bounds:
    """Grow ``extent`` about its centre to the aspect ratio of ``width`` x ``height``."""
    minx, miny, maxx, maxy = extent
    w, h = max(maxx - minx, 1e-9), max(maxy - miny, 1e-9)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    res = max(w / width, h / height)
    return (cx - res * width / 2, cy - res * height / 2, cx + res * width / 2, cy + res * height / 2)


def layer_stamp(info) -> str:
    """Changes when a layer's data does (count, extent, import time; for a live service layer
    the features fetched so far): the renderer's cache key."""
    fetched = ((info.details or {}).get("service") or {}).get("fetched", "")
    return f"{info.count}|{info.extent}|{info.imported_at}|{fetched}"


def snapshot_layers(ws: Workspace, names, styles: dict[str, LayerStyle] | None = None, filters: dict | None = None,
                    opacity: dict[str, float] | None = None) -> tuple[LayerSnapshot, ...]:
    """Layer snapshots for ``names`` (bottom first) with ``styles`` or the workspace's (saved or
    default), sorted by the styles' draw order ``z`` (stable). ``filters`` maps a layer to an
    attribute predicate (e.g. the dashboard's time window on complaints); ``opacity`` to the
    map's opacity of the layer, applied on top of its style's."""
    from dataclasses import replace

    from lzt.render.style import styles_for
    from lzt.workspace.personal import column_roles, layer_is_personal

    names = list(names)
    have = styles_for(ws, names)
    if styles:
        have.update({k: v for k, v in styles.items() if k in names})
    for n, o in (opacity or {}).items():
        if n in have and o != 1.0:
            have[n] = replace(have[n], opacity=have[n].opacity * float(o))
    snaps = []
    for n in names:
        info = ws.layer(n)
        personal = layer_is_personal(info)
        own = tuple(column_roles(f.name for f in info.fields)) if personal else ()
        snaps.append(LayerSnapshot(n, info.kind, info.geometry_type, have[n], layer_stamp(info), (filters or {}).get(n),
                                   personal, own))
    order = sorted(range(len(snaps)), key=lambda i: (snaps[i].style.z, i))
    return tuple(snaps[i] for i in order)


def make_request(ws: Workspace, extent: Bounds, width: int, height: int, *, dpi: float = 96.0, layers=None,
                 styles: dict[str, LayerStyle] | None = None, fit: bool = True,
                 background: str | None = "#ffffff") -> RenderRequest:
    """A request over ``extent`` (grown to the pixel aspect when ``fit``) for ``layers``
    (default: every layer of the workspace)."""
    names = [i.name for i in ws.layers()] if layers is None else list(layers)
    ext = fit_extent(extent, width, height) if fit else tuple(extent)
    return RenderRequest(tuple(float(v) for v in ext), int(width), int(height), float(dpi),
                         snapshot_layers(ws, names, styles), background)
