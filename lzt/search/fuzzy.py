"""Names typed wrong: one character wrong, left out or extra, a homophone, 路/道/大道/街 mixed up.

``FuzzyNames`` indexes a set of names (normalised) three ways, SymSpell-style so that a lookup
costs a few dictionary reads: every name and its one-character deletions; its toneless pinyin
(each character's first reading, so 龙成 finds 龙城); its stem without the road suffix (丹竹一道
finds 丹竹一路). ``match`` returns every name within reach with how it was reached; the callers
decide, and never pick one of two different names (``unique``).
"""

from __future__ import annotations

import threading

#: road suffixes people mix up, longest first
ROAD_SUFFIXES = ("大道", "大街", "路", "道", "街", "巷")
_lock = threading.Lock()


_SOUNDS: dict[str, str] = {}


def pinyin_key(name: str) -> str:
    """Toneless pinyin of ``name``, one syllable per character (each character's own first
    reading, cached: both sides of a comparison are read the same way), joined by spaces."""
    missing = [ch for ch in set(name) if ch not in _SOUNDS]
    if missing:
        from pypinyin import Style, pinyin

        with _lock:
            for ch in missing:
                got = pinyin(ch, style=Style.NORMAL, errors="default", heteronym=False)
                _SOUNDS[ch] = got[0][0] if got and got[0] else ch
    return " ".join(_SOUNDS[ch] for ch in name)


def road_stem(name: str) -> str | None:
    """``name`` without its road suffix (丹竹一路 -> 丹竹一), None when it has none."""
    for s in ROAD_SUFFIXES:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return None


def one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one character added, left out or changed (or not at all)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        return sum(ca != cb for ca, cb in zip(a, b)) == 1
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


class FuzzyNames:
    """Names within one typing slip of a word (see the module doc)."""

    def __init__(self, names, *, pinyin: bool = True, roads: bool = False, shortest: int = 3) -> None:
        self.names = sorted({n for n in names if isinstance(n, str) and len(n) >= 2})
        self.shortest = shortest
        self._del: dict[str, set[str]] = {}
        self._pin: dict[str, set[str]] = {}
        self._stem: dict[str, set[str]] = {}
        for n in self.names:
            for k in {n} | {n[:i] + n[i + 1:] for i in range(len(n))}:
                self._del.setdefault(k, set()).add(n)
            if pinyin:
                self._pin.setdefault(pinyin_key(n), set()).add(n)
            stem = road_stem(n) if roads else None
            if stem:
                self._stem.setdefault(stem, set()).add(n)
        self.pinyin, self.roads = pinyin, roads

    def match(self, word: str) -> dict[str, str]:
        """Names within reach of ``word`` -> how (错字/漏字/多字, 同音, 路名后缀); not ``word`` itself."""
        out: dict[str, str] = {}
        if len(word) < 2:
            return out
        if len(word) < self.shortest:  # short names: only a homophone (爱连 -> 爱联), never an edit
            if self.pinyin and any("\u4e00" <= ch <= "\u9fff" for ch in word):
                out = {n: "同音" for n in self._pin.get(pinyin_key(word), ()) if n != word and len(n) == len(word)}
            return out
        if self.roads:
            stem = road_stem(word)
            for n in self._stem.get(stem, ()) if stem else ():
                if n != word:
                    out[n] = "路名后缀"
        if self.pinyin and any("\u4e00" <= ch <= "\u9fff" for ch in word):
            for n in self._pin.get(pinyin_key(word), ()):
                if n != word and len(n) == len(word):
                    out.setdefault(n, "同音")
        keys = {word} | {word[:i] + word[i + 1:] for i in range(len(word))}
        for k in keys:
            for n in self._del.get(k, ()):
                if n != word and n not in out and one_edit(word, n):
                    out[n] = "错字" if len(n) == len(word) else ("漏字" if len(n) > len(word) else "多字")
        return out


def unique(found: dict[str, str]) -> str | None:
    """The one name found, or None when none or several (never pick one of two)."""
    return next(iter(found)) if len(found) == 1 else None
