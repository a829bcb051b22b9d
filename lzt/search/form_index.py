"""The gazetteer's index of forms: every way to find a place, sorted, over all layers' parts.

Each part (``place_parts``) brings its own distinct forms, already sorted; merging them is one
run-aware sort (Python's sort merges sorted runs in linear passes) and numpy for the rest. The
result is packed arrays — the distinct forms (sorted, packed texts), and for each form a slice of
(place row, how) entries — that the gazetteer keeps in the workspace beside the parts, so a new
process loads the index instead of merging again. ``FormIndex`` looks a form up by bisection:
no million-entry dict to build in each process.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping

import numpy as np

from lzt.search import text
from lzt.search.place_parts import HOWS
from lzt.workspace.packed import pack_texts, unpack_texts


class FormIndex(Mapping):
    """Form -> (start, end) slice of the gazetteer's form entries; read-only, looked up by bisection."""

    def __init__(self, forms: list[str], starts: np.ndarray) -> None:
        self._forms = forms
        self._starts = starts.tolist()

    def get(self, form, default=None):
        i = bisect_left(self._forms, form)
        if i < len(self._forms) and self._forms[i] == form:
            return self._starts[i], self._starts[i + 1]
        return default

    def __getitem__(self, form: str) -> tuple[int, int]:
        got = self.get(form)
        if got is None:
            raise KeyError(form)
        return got

    def __contains__(self, form: object) -> bool:
        return self.get(form) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._forms)

    def __len__(self) -> int:
        return len(self._forms)

    def items(self):  # type: ignore[override] - all at once, not one bisection per key
        return zip(self._forms, zip(self._starts[:-1], self._starts[1:]))

    @property
    def forms(self) -> list[str]:
        """The distinct forms, sorted."""
        return self._forms


def merge(parts: list[dict[str, np.ndarray]], aliases: dict[str, str]) -> dict[str, np.ndarray]:
    """The packed index over ``parts`` (places numbered in part order) and the user ``aliases``
    ({alias: name}: the alias finds every place whose normalised name is the name's)."""
    runs: list[list[str]] = []
    bases, base = [], 0
    for part in parts:
        runs.append(unpack_texts(part["forms"], int(part["forms_n"])))
        bases.append(base)
        base += int(part["n"])
    alias_pairs = _alias_entries(parts, runs, bases, aliases)
    runs.append(sorted({f for f, _ in alias_pairs}))
    offsets = np.cumsum([0] + [len(r) for r in runs])
    every = [f for run in runs for f in run]
    order = np.asarray(sorted(range(len(every)), key=every.__getitem__), dtype=np.int64)
    ordered = np.asarray(every, dtype=object)[order]
    new = np.ones(len(ordered), dtype=bool)
    if len(ordered) > 1:
        new[1:] = ordered[1:] != ordered[:-1]
    code = np.empty(len(every), dtype=np.int64)
    code[order] = np.cumsum(new) - 1
    forms = ordered[new].tolist()
    g, place, how = [], [], []
    for k, part in enumerate(parts):
        g.append(code[offsets[k] + part["entry_form"].astype(np.int64)])
        place.append(bases[k] + part["entry_row"].astype(np.int64))
        how.append(part["entry_how"])
    if alias_pairs:
        alias_code = {f: i for i, f in enumerate(runs[-1])}
        g.append(code[offsets[-2] + np.asarray([alias_code[f] for f, _ in alias_pairs], dtype=np.int64)])
        place.append(np.asarray([r for _, r in alias_pairs], dtype=np.int64))
        how.append(np.full(len(alias_pairs), HOWS.index("alias"), dtype=np.int8))
    g_all = np.concatenate(g) if g else np.empty(0, dtype=np.int64)
    place_all = np.concatenate(place) if place else np.empty(0, dtype=np.int64)
    how_all = np.concatenate(how) if how else np.empty(0, dtype=np.int8)
    o = np.lexsort((place_all, how_all, g_all))
    starts = np.concatenate([[0], np.cumsum(np.bincount(g_all, minlength=len(forms)))]).astype(np.int64)
    lengths = np.concatenate([p["norm_len"] for p in parts]).astype(np.int64) if parts else np.zeros(0, np.int64)
    return {"forms": pack_texts(forms), "forms_n": np.array(len(forms)), "starts": starts,
            "place": place_all[o], "how": how_all[o].astype(np.int8),
            # the normalised names joined, each followed by a newline (never inside one), and where
            # each starts: what ``Gazetteer.containing`` searches, without joining them again
            "norm_text": np.concatenate([p["norm_text"] for p in parts]) if parts else np.zeros(0, np.uint8),
            "norm_starts": np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)}


def _alias_entries(parts, runs, bases, aliases: dict[str, str]) -> list[tuple[str, int]]:
    """(alias form, place row) for each alias whose name names places."""
    out = []
    for a, target in sorted(aliases.items()):
        t, f = text.normalise(target), text.normalise(a)
        if not t or not f:
            continue
        for k, part in enumerate(parts):
            i = bisect_left(runs[k], t)
            if i < len(runs[k]) and runs[k][i] == t:
                hit = (part["entry_form"] == i) & (part["entry_how"] == HOWS.index("name"))
                out += [(f, bases[k] + int(r)) for r in np.unique(part["entry_row"][hit]).tolist()]
    return out


def load(index: dict[str, np.ndarray]) -> tuple[FormIndex, np.ndarray, np.ndarray, str, np.ndarray]:
    """(FormIndex, place per entry, how code per entry, joined normalised names, their starts) of a
    packed index."""
    forms = unpack_texts(index["forms"], int(index["forms_n"]))
    return (FormIndex(forms, index["starts"]), index["place"].astype(np.int64), index["how"],
            index["norm_text"].tobytes().decode("utf-8"), index["norm_starts"])
