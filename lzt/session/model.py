"""What the user is looking at: the layers on the map (order, visibility, opacity), the view
extent and the selection. Qt-free, so the GUI draws it and tests drive it without a display."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from layers.kinds import LayerKind
from lzt.core.errors import LztInputError
from lzt.session.events import Event

Bounds = tuple[float, float, float, float]

_GEOM_ORDER = {"MultiPolygon": 0, "Polygon": 0, "MultiLineString": 1, "LineString": 1, "Point": 2, "MultiPoint": 2}



def _draw_order(kind: str) -> int:
    """The kind's default place in the drawing order (bottom first); unknown kinds as vectors."""
    known = LayerKind.of(kind)
    return (known or LayerKind.VECTOR).draw_order


@dataclass(frozen=True)
class LayerState:
    """One layer as the map shows it."""

    name: str
    kind: str
    geometry_type: str | None
    visible: bool = True
    opacity: float = 1.0


class Session:
    """The viewer model over one workspace. Events: ``layers_changed``, ``extent_changed``,
    ``selection_changed(layer)``, ``current_changed(layer)``, ``styles_changed(layer)`` (a
    layer's saved style: the map and the legend follow, the views of its rows need not)."""

    def __init__(self, ws):
        self.ws = ws
        self.layers_changed = Event("layers_changed")
        self.extent_changed = Event("extent_changed")
        self.selection_changed = Event("selection_changed")
        self.current_changed = Event("current_changed")
        self.filters_changed = Event("filters_changed")
        self.styles_changed = Event("styles_changed")
        self.time_range: tuple | None = None  # (first day, last day) shown of complaint layers
        self._layers: list[LayerState] = []
        self._hidden: set[str] = set()
        self._selection: dict[str, np.ndarray] = {}
        self._edits: dict[str, int] = {}
        self.current: str | None = None
        self.extent: Bounds | None = None
        self.reload()

    # -- layers ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Take the workspace's layers; keep the state of those already shown."""
        old = {s.name: s for s in self._layers}
        infos = [i for i in self.ws.layers() if i.name not in self._hidden]
        states = [old.get(i.name) or LayerState(i.name, i.kind, i.geometry_type,
                                                 visible=i.kind != LayerKind.COMPLAINTS or i.count < 2_000_000)
                  for i in infos]
        known = [s for s in self._layers if s.name in {i.name for i in infos}]
        new = sorted((s for s in states if s.name not in old),
                     key=lambda s: (_draw_order(s.kind), _GEOM_ORDER.get(s.geometry_type, 0), s.name))
        self._layers = known + new
        for gone in set(self._selection) - {s.name for s in self._layers}:
            del self._selection[gone]
        if self.current not in {s.name for s in self._layers}:
            self.current = self._layers[-1].name if self._layers else None
        if self.extent is None:
            self.extent = self.full_extent()
        self.layers_changed.emit()

    @property
    def layers(self) -> list[LayerState]:
        """Bottom to top."""
        return list(self._layers)

    def layer(self, name: str) -> LayerState:
        for s in self._layers:
            if s.name == name:
                return s
        raise LztInputError(self.ws.uri, f"no layer {name!r} on the map")

    def layer_version(self, name: str) -> tuple:
        """Changes whenever the layer's content does: written anew under the same name (a query
        run again, an import), its fields or size changed, or edited through this session
        (``mark_edited``). Views holding a layer's rows compare it, never the name."""
        info = self.ws.layer(name)
        return (info.kind, info.count, info.extent, info.fields, info.imported_at, info.source_hash,
                self._edits.get(name, 0))

    def mark_edited(self, name: str) -> None:
        """Say that features of ``name`` were edited in place (e.g. an inspection changed a
        parcel's status): views showing its rows read them again."""
        self._edits[name] = self._edits.get(name, 0) + 1
        self.layers_changed.emit()

    def set_visible(self, name: str, visible: bool) -> None:
        self._update(name, visible=bool(visible))

    def set_opacity(self, name: str, opacity: float) -> None:
        self._update(name, opacity=float(min(1.0, max(0.0, opacity))))

    def move(self, name: str, to_index: int) -> None:
        """Move a layer to position ``to_index`` (0 = bottom)."""
        s = self.layer(name)
        rest = [x for x in self._layers if x.name != name]
        to_index = max(0, min(len(rest), to_index))
        self._layers = rest[:to_index] + [s] + rest[to_index:]
        self.layers_changed.emit()

    def remove(self, name: str) -> None:
        """Take a layer off the map (the workspace keeps it; ``show`` brings it back)."""
        self.layer(name)
        self._hidden.add(name)
        self._layers = [s for s in self._layers if s.name != name]
        self._selection.pop(name, None)
        if self.current == name:
            self.set_current(self._layers[-1].name if self._layers else None)
        self.layers_changed.emit()

    def show(self, name: str) -> None:
        """Put a workspace layer (back) on the map, on top."""
        self.ws.layer(name)  # LztInputError naming the workspace when there is no such layer
        self._hidden.discard(name)
        self.reload()

    def forget_service(self, name: str) -> None:
        """Delete the saved service ``name`` from the workspace's catalogue (``lzt service
        remove``) and so from the map and the workspace's layers; ``LztInputError`` when no
        service of that name is saved. Workspace layers are never deleted here."""
        from lzt.services import catalog

        catalog.remove(self.ws, name)
        remove = getattr(self.ws, "remove_service", None)
        if callable(remove):
            remove(name)
        self._hidden.discard(name)
        self.reload()

    def off_map(self) -> list[str]:
        """Workspace layers not on the map (taken off with ``remove``), in the workspace's order."""
        return [i.name for i in self.ws.layers() if i.name in self._hidden]

    def set_current(self, name: str | None) -> None:
        if name is not None:
            self.layer(name)
        if name != self.current:
            self.current = name
            self.current_changed.emit(layer=name)

    def _update(self, name: str, **changes) -> None:
        self._layers = [replace(s, **changes) if s.name == name else s for s in self._layers]
        self.layer(name)
        self.layers_changed.emit()

    # -- extent --------------------------------------------------------------------------------
    def full_extent(self) -> Bounds | None:
        boxes = [i.extent for i in self.ws.layers() if i.extent]
        if not boxes:
            return None
        b = np.asarray(boxes, dtype=float)
        return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())

    def set_extent(self, extent: Bounds) -> None:
        x0, y0, x1, y1 = map(float, extent)
        if not (x1 > x0 and y1 > y0):
            raise ValueError(f"empty extent {extent}")
        self.extent = (x0, y0, x1, y1)
        self.extent_changed.emit()

    def zoom_to_layer(self, name: str) -> None:
        info = self.ws.layer(name)
        if info.extent:
            self.set_extent(_padded(info.extent))

    # -- time filter -----------------------------------------------------------------------------
    def set_time_range(self, time_range: tuple | None) -> None:
        """Show only complaint records received in [first, last] (dates), or all (None)."""
        if time_range is not None and time_range[0] > time_range[1]:
            raise ValueError(f"empty time range {time_range}")
        if time_range != self.time_range:
            self.time_range = time_range
            self.filters_changed.emit()

    def layer_filter(self, name: str):
        """The attribute predicate the map applies to a layer (the time range on complaints), or None."""
        if self.time_range is None or self.layer(name).kind != LayerKind.COMPLAINTS:
            return None
        from datetime import timedelta

        from lzt.core.filters import And, Compare

        first, last = self.time_range
        return And((Compare("received_at", ">=", f"{first.isoformat()}T00:00:00.000"),
                    Compare("received_at", "<", f"{(last + timedelta(days=1)).isoformat()}T00:00:00.000")))

    def drawn_layers(self) -> list[tuple[str, float, object]]:
        """What the map draws, bottom first: (name, opacity, attribute filter or None) of each
        visible layer. The canvas and a printed sheet both take it, so paper shows the screen."""
        return [(s.name, s.opacity, self.layer_filter(s.name)) for s in self._layers if s.visible]

    # -- selection ----------------------------------------------------------------------------
    def selection(self, name: str) -> np.ndarray:
        return self._selection.get(name, np.empty(0, dtype=np.int64))

    def select(self, name: str, fids, *, mode: str = "replace") -> None:
        """Select features by fid: ``mode`` replace | add | remove."""
        self.layer(name)
        fids = _unique(np.asarray(list(fids) if not isinstance(fids, np.ndarray) else fids, dtype=np.int64))
        cur = self.selection(name)
        if mode == "add":
            new = _unique(np.concatenate([cur, fids]))
        elif mode == "remove":
            new = cur[~np.isin(cur, fids)]
        elif mode == "replace":
            new = fids
        else:
            raise ValueError(f"unknown selection mode {mode!r}")
        if np.array_equal(new, cur):
            return
        self._selection[name] = new
        self.selection_changed.emit(layer=name)

    def clear_selection(self, name: str | None = None) -> None:
        for n in [name] if name else list(self._selection):
            if len(self.selection(n)):
                self._selection[n] = np.empty(0, dtype=np.int64)
                self.selection_changed.emit(layer=n)

    def pan_to(self, name: str, fids) -> None:
        """Centre the view on features of ``name`` keeping the scale (zoomed out if they do not fit)."""
        fids = np.asarray(list(fids), dtype=np.int64)
        if not len(fids):
            return
        b = self.ws.read_features(name, fids=fids, columns=[]).total_bounds
        if np.isfinite(b).all():
            self.set_extent(_centred(self.extent or _padded(tuple(b)), tuple(map(float, b))))

    def zoom_to_selection(self, name: str) -> None:
        fids = self.selection(name)
        if not len(fids):
            return
        g = self.ws.read_features(name, fids=fids, columns=[])
        b = g.total_bounds
        if np.isfinite(b).all():
            self.set_extent(_padded(tuple(b)))


def _centred(view: Bounds, b: Bounds) -> Bounds:
    """``view`` moved to centre on box ``b`` (its size kept), or grown to hold ``b`` with a margin."""
    w, h = view[2] - view[0], view[3] - view[1]
    if b[2] - b[0] > w * 0.9 or b[3] - b[1] > h * 0.9:
        return _padded(b)
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _unique(a: np.ndarray) -> np.ndarray:
    """Sorted distinct ids (a sort: numpy's hashing ``unique`` is far slower on 100k+ ids); ids
    already strictly increasing (a map selection's hits) are kept as they are, without a sort."""
    if len(a) < 2 or bool((a[1:] > a[:-1]).all()):
        return a.copy()  # the session's own array: the caller may reuse its own
    a = np.sort(a)
    return a[np.r_[True, a[1:] != a[:-1]]] if len(a) else a


def _padded(b: Bounds, share: float = 0.05, least: float = 50.0) -> Bounds:
    w, h = b[2] - b[0], b[3] - b[1]
    pad = max(least, share * max(w, h))
    return b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad
