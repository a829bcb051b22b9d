"""The gazetteer (地名地址库): every named place of a workspace, with the forms it is found by.

Built from the workspace itself, on either backend: streets, communities, roads, POIs (住宅小区
POIs are the compounds), supervision parcels (宗地编号, 项目名称, 受让人), parcels, buildings and
BIM models, from whichever of their columns name things (``NAME_FIELDS``). Each place is found
by its name, its short forms (龙城 = 龙城街道), its pinyin initials (coarse levels and projects)
and user aliases (workspace setting ``gazetteer_aliases``: {alias: name}).

Personal layers (``lzt.workspace.personal``: complaints and whatever derives from them) are never
read, and personal columns of other layers are never names: nothing personal is ever found.

``gazetteer(ws)`` is built from one part per layer (``place_parts``) and an index of forms over
them (``form_index``), all packed arrays kept in the workspace (``lzt.workspace.packed``, kind
``lzt_gazetteer``) keyed on ``ws.layer_stamp``: a new process loads them instead of reading the
layers, a changed layer is re-read alone, and the index is merged again only when a part or the
aliases changed. Within a process the built gazetteer is kept per workspace. A stored part
whose bytes turn out damaged when an array of it is read (``ValueError``: zstd's checksum) is
read again from its layer and stored again, with one warning line; the index over the parts
stays valid (same layer stamp, same rows).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from lzt.search import form_index, text
from lzt.search.form_index import FormIndex
from lzt.search.place_parts import (COMPOUND_CATEGORY, CONTEXT, HOWS, LEVELS, NAME_FIELDS, PART_VERSION, ROLES,
                                    anchor_points, layer_level, naming_columns, read_part)
from lzt.workspace.base import Workspace
from lzt.workspace.packed import load_packed, stamp_text, store_many, store_packed, unpack_texts

_log = logging.getLogger(__name__)

__all__ = ["ALIAS_SETTING", "COMPOUND_CATEGORY", "LEVELS", "LEVEL_RANK", "NAME_FIELDS", "Gazetteer", "FormIndex",
           "anchor_points", "forget", "gazetteer", "gazetteer_key", "layer_level"]

LEVEL_RANK = {lv: i for i, lv in enumerate(LEVELS)}
ALIAS_SETTING = "gazetteer_aliases"
#: the blob kind of the stored parts and index (``lzt.workspace.packed``)
KIND = "lzt_gazetteer"
#: store the parts and index compact (``lzt.workspace.packed.pack``: 129 → 50 MB at district scale)
COMPACT_STORE = True
#: the columns of ``Gazetteer.places`` and of ``Gazetteer.forms``
PLACE_COLUMNS = ("name", "role", "kind", "layer", "fid", "level", "x", "y", *CONTEXT, "norm")
FORM_COLUMNS = ("form", "place", "how")


class Gazetteer:
    """Places (one row per feature and naming column) and forms (one row per way to find one).

    ``col(name)`` gives a column as a numpy array (text columns as object arrays), ``by_form``
    maps a normalised form to its slice of the form rows, ``lookup`` gives the places a form
    names; ``places`` and ``forms`` are the same as DataFrames, made on first use."""

    def __init__(self, columns: _PlaceColumns, by_form: FormIndex, place: np.ndarray,
                 how: np.ndarray, norm_text: str, norm_starts: np.ndarray) -> None:
        self._columns = columns
        columns.norm_text = norm_text
        columns.norm_starts = np.append(np.asarray(norm_starts, dtype=np.int64), len(norm_text))
        self.by_form = by_form
        self._rows = place
        self._how = how
        self._arrays: dict[str, np.ndarray] = {}
        self._places: pd.DataFrame | None = None
        self._forms: pd.DataFrame | None = None
        self._segmenter: text.Segmenter | None = None
        self._blob = norm_text
        self._starts = norm_starts

    def __len__(self) -> int:
        return self._columns.size

    def lookup(self, form: str) -> np.ndarray:
        """Rows of ``places`` that ``form`` (normalised) names exactly."""
        span = self.by_form.get(form)
        return np.unique(self._rows[span[0]:span[1]]) if span else np.empty(0, dtype=np.int64)

    def col(self, name: str) -> np.ndarray:
        """Column ``name`` of ``places`` (or ``form``/``how``/``place`` of ``forms``) as a numpy array."""
        got = self._columns.get(name)
        if got is not None:
            return got
        got = self._arrays.get(name)
        if got is None:
            if name == "place":
                got = self._rows
            elif name == "how":
                got = np.asarray(HOWS, dtype=object)[self._how]
            elif name == "form":
                counts = np.diff(np.asarray(self.by_form._starts, dtype=np.int64))
                got = np.repeat(np.asarray(self.by_form.forms, dtype=object), counts)
            else:
                raise KeyError(name)
            self._arrays[name] = got
        return got

    def take(self, name: str, rows) -> np.ndarray:
        """Place column ``name`` at ``rows`` only: ``col(name)[rows]`` without making the whole column
        (a first find in a new process reads a few names, not 1.2M)."""
        return self._columns.take(name, rows)

    def entries(self, span: tuple[int, int]) -> tuple[list[str], np.ndarray]:
        """(how, place row) of the form entries ``span`` (a ``by_form`` value)."""
        return [HOWS[h] for h in self._how[span[0]:span[1]].tolist()], self._rows[span[0]:span[1]]

    @property
    def places(self) -> pd.DataFrame:
        """The places as a DataFrame (columns ``PLACE_COLUMNS``)."""
        if self._places is None:
            self._places = pd.DataFrame({c: self._columns[c] for c in PLACE_COLUMNS})
        return self._places

    @property
    def forms(self) -> pd.DataFrame:
        """The forms as a DataFrame (``form``, ``place``: row of ``places``, ``how``), grouped by form."""
        if self._forms is None:
            self._forms = pd.DataFrame({c: self.col(c) for c in FORM_COLUMNS})
        return self._forms

    def containing(self, part: str, cap: int = 20000) -> np.ndarray:
        """Rows of ``places`` whose normalised name contains ``part`` (at most ``cap``), found
        in one joined text with ``str.find`` rather than row by row."""
        hits, blob, i = [], self._blob, self._blob.find(part)
        while i >= 0 and len(hits) < cap:
            hits.append(i)
            i = blob.find(part, i + 1)
        if not hits:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.searchsorted(self._starts, np.asarray(hits), side="right") - 1)

    @property
    def segmenter(self) -> text.Segmenter:
        """jieba with the place names (all but 门牌 level) as user words."""
        if self._segmenter is None:
            coarse = self.col("level") != "门牌"
            words = self.col("norm")[coarse].tolist()
            short = self.col("how") == "short"
            self._segmenter = text.Segmenter(words + self.col("form")[short].tolist())
        return self._segmenter


class _PlaceColumns:
    """The place columns of the parts, one after another, each made on first use (text columns as
    object arrays: a million-row object array costs more than reading the packed part), or only at
    some rows (``take``: what one find needs, without making the columns)."""

    def __init__(self, parts: list) -> None:
        self._parts = parts
        self._made: dict[str, np.ndarray] = {}
        self._counts = [int(p["n"]) for p in parts]
        self._bases = np.cumsum([0] + self._counts).astype(np.int64)
        self._codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._name_ends: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.norm_text = ""  # the normalised names, each followed by a newline (from the index)
        self.norm_starts = np.zeros(1, dtype=np.int64)

    @property
    def size(self) -> int:
        """The number of places."""
        return int(self._bases[-1])

    def get(self, c: str) -> np.ndarray | None:
        got = self._made.get(c)
        if got is None and c in PLACE_COLUMNS:
            got = self._made[c] = self._make(c)
        return got

    def __getitem__(self, c: str) -> np.ndarray:
        return self.get(c)

    def _coded(self, c: str) -> tuple[np.ndarray, np.ndarray]:
        """(code per place, labels: object array, the last one for code -1) of a coded column."""
        got = self._codes.get(c)
        if got is not None:
            return got
        parts = self._parts
        if c in ("role", "level"):
            codes = np.concatenate([p[c] for p in parts]) if parts else np.empty(0, np.int8)
            got = codes, np.asarray(ROLES if c == "role" else LEVELS, dtype=object)
        elif c in ("kind", "layer"):
            got = (np.repeat(np.arange(len(parts)), self._counts),
                   np.asarray([str(p[c]) for p in parts] + [""], dtype=object))
        else:  # street, community, category: labels of each part, then None
            labels, codes, base = [], [], 0
            for p in parts:
                own = unpack_texts(p[c + "_labels"], int(p[c + "_n"]))
                codes.append(np.where(p[c] >= 0, p[c].astype(np.int64) + base, -1))
                labels += own
                base += len(own)
            got = (np.concatenate(codes) if codes else np.empty(0, np.int64)), np.asarray(labels + [None], dtype=object)
        self._codes[c] = got
        return got

    def _make(self, c: str) -> np.ndarray:
        parts = self._parts
        if c in ("fid", "x", "y"):
            return np.concatenate([p[c] for p in parts]) if parts else np.empty(0, np.int64 if c == "fid" else float)
        if c == "norm":
            return np.asarray(self.norm_text.split("\n")[:-1], dtype=object)
        if c == "name":
            texts: list[str] = []
            for p in parts:
                texts += unpack_texts(p["name"], int(p["n"]))
            return np.asarray(texts, dtype=object)
        codes, labels = self._coded(c)
        return labels[codes]

    def take(self, c: str, rows: np.ndarray) -> np.ndarray:
        """Column ``c`` at ``rows`` (row numbers), made only there unless the column is made."""
        rows = np.asarray(rows, dtype=np.int64)
        made = self._made.get(c)
        if made is not None:
            return made[rows]
        if c in ("fid", "x", "y"):  # from the parts the rows are in (others stay packed)
            out = np.empty(len(rows), dtype=np.int64 if c == "fid" else float)
            part = np.searchsorted(self._bases, rows, side="right") - 1
            for k in np.unique(part).tolist():
                at = np.flatnonzero(part == k)
                out[at] = self._parts[k][c][rows[at] - self._bases[k]]
            return out
        if c == "norm":
            text_, lo, hi = self.norm_text, self.norm_starts[rows].tolist(), self.norm_starts[rows + 1].tolist()
            out = np.empty(len(rows), dtype=object)
            out[:] = [text_[a:b - 1] for a, b in zip(lo, hi)]
            return out
        if c == "name":
            out = np.empty(len(rows), dtype=object)
            part = np.searchsorted(self._bases, rows, side="right") - 1
            for k in np.unique(part).tolist():
                at = np.flatnonzero(part == k)
                out[at] = self._names_of(k, rows[at] - self._bases[k])
            return out
        if c not in PLACE_COLUMNS:
            raise KeyError(c)
        codes, labels = self._coded(c)
        return labels[codes[rows]]

    def _names_of(self, k: int, rows: np.ndarray) -> list[str]:
        """The names of rows ``rows`` of part ``k``, cut from its packed names (``pack_texts``)."""
        packed = self._parts[k]["name"]
        cut = self._name_ends.get(k)
        if cut is None:
            ends = np.concatenate([np.flatnonzero(packed == 0), [len(packed)]])
            cut = self._name_ends[k] = (np.concatenate([[0], ends[:-1] + 1]), ends)
        starts, ends = cut
        raw = packed.tobytes() if len(rows) > 64 else None
        out = []
        for a, b in zip(starts[rows].tolist(), ends[rows].tolist()):
            out.append((raw[a:b] if raw is not None else packed[a:b].tobytes()).decode("utf-8"))
        return out


_lock = threading.Lock()
#: workspace uri -> {layer: (stamp, part or None)}
_LAYERS: dict[str, dict[str, tuple[str, dict | None]]] = {}
#: workspace uri -> (key of the parts and aliases it was built from, Gazetteer)
_BUILT: dict[str, tuple[str, Gazetteer]] = {}


def _aliases(ws: Workspace) -> dict[str, str]:
    aliases = ws.get_setting(ALIAS_SETTING, {}) or {}
    return {str(k): str(v) for k, v in aliases.items()} if isinstance(aliases, dict) else {}


def _part(ws: Workspace, name: str, stamp: str, cached: dict, to_store: dict) -> dict | None:
    """The part of layer ``name``: from this session, the workspace's store or the layer itself
    (then added to ``to_store``: written at the end, once — a write drops the layer catalogue)."""
    hit = cached.get(name)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    part = load_packed(ws, KIND, "part:" + name, stamp, lazy=True)  # arrays read when used
    if part is not None and "none" not in part:
        part = _StoredPart(part, ws.uri, name, stamp)
    if part is None:
        part = read_part(ws, ws.layer(name))
        to_store["part:" + name] = (stamp, part if part is not None else {"none": np.array(True)})
    elif "none" in part:
        part = None
    cached[name] = (stamp, part)
    return part


class _StoredPart(Mapping):
    """A layer's part as stored (each array read on first use). When the stored bytes of one turn
    out damaged (``ValueError`` from ``LazyArrays``), the part is read again from the layer on a
    connection of its own (the caller's may belong to another thread) and stored again."""

    def __init__(self, arrays: Mapping, uri: str, layer: str, stamp: str) -> None:
        self._arrays, self._uri, self._layer, self._stamp = arrays, uri, layer, stamp
        self._repair = threading.Lock()

    def __getitem__(self, name: str) -> np.ndarray:
        arrays = self._arrays
        try:
            return arrays[name]
        except ValueError as exc:
            return self._read_again(arrays, exc)[name]

    def __contains__(self, name: object) -> bool:
        return name in self._arrays

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)

    def _read_again(self, damaged: Mapping, exc: ValueError) -> Mapping:
        from lzt.workspace.open import open_workspace

        with self._repair:
            if self._arrays is not damaged:  # another thread has read it again meanwhile
                return self._arrays
            ws = open_workspace(self._uri)
            try:
                now = dict(_sources(ws)[0]).get(self._layer)
                if now != self._stamp:  # the layer changed since: the next gazetteer() reads it
                    raise exc
                part = read_part(ws, ws.layer(self._layer))
                if part is None:
                    raise exc
                store_many(ws, KIND, {"part:" + self._layer: (self._stamp, part)}, compact=COMPACT_STORE)
            finally:
                ws.close()
            _log.warning("gazetteer: the stored part of layer %s was damaged (%s); read again from the layer",
                         self._layer, exc)
            self._arrays = part
            return part


def _sources(ws: Workspace) -> tuple[list[tuple[str, str]], dict[str, str], str]:
    """([(layer, its part's stamp)], aliases, the key of the whole gazetteer)."""
    stamps = []
    for info in ws.layers():
        if info.kind == "raster" or not info.geometry_type or not naming_columns(ws, info)[0]:
            continue
        personal = info.details.get("personal_from") if info.details else None
        stamps.append((info.name, stamp_text([PART_VERSION, str(info.kind), personal, ws.layer_stamp(info.name)])))
    aliases = _aliases(ws)
    return stamps, aliases, stamp_text([PART_VERSION, stamps, sorted(aliases.items())])


def gazetteer_key(ws: Workspace) -> str:
    """Changes whenever the gazetteer of ``ws`` would (a naming layer's stamp, the aliases): what
    derived lists such as the suggestions are kept for."""
    return _sources(ws)[2]


def gazetteer(ws: Workspace) -> Gazetteer:
    """The workspace's gazetteer: kept in the process, loaded from the workspace's store, or built
    (again for the layers that changed since)."""
    with _lock:
        stamps, aliases, key = _sources(ws)
        built = _BUILT.get(ws.uri)
        if built is not None and built[0] == key:
            return built[1]
        cached = _LAYERS.setdefault(ws.uri, {})
        for gone in set(cached) - {n for n, _ in stamps}:
            del cached[gone]
        to_store: dict = {}
        parts = [p for p in (_part(ws, name, stamp, cached, to_store) for name, stamp in stamps) if p is not None]
        index = None if to_store else load_packed(ws, KIND, "index", key)
        if index is None:
            index = form_index.merge(parts, aliases)
            to_store["index"] = (key, index)
        store_many(ws, KIND, to_store, compact=COMPACT_STORE)
        gz = Gazetteer(_PlaceColumns(parts), *form_index.load(index))
        _BUILT[ws.uri] = (key, gz)
        return gz


def forget(ws: Workspace) -> None:
    """Drop the gazetteer of ``ws`` kept in this process (tests, closing a workspace); the store in
    the workspace stays valid."""
    with _lock:
        _LAYERS.pop(ws.uri, None)
        _BUILT.pop(ws.uri, None)


def drop_store(ws: Workspace) -> None:
    """Forget the gazetteer of ``ws`` and make its stored parts and index stale (a cold rebuild)."""
    forget(ws)
    keys = ["index"] + ["part:" + i.name for i in ws.layers()]
    for k in keys:
        if ws.get_blob(KIND, k) is not None:
            store_packed(ws, KIND, k, "stale", {})
