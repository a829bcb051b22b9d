"""Text rules shared by the gazetteer, find, geocode and ask: normalising, short forms, pinyin
initials, Chinese numerals and word segmentation.

Normalising folds what users type differently but mean the same: full-width letters and digits
(NFKC), case, whitespace and punctuation. Short forms drop a level suffix (龙城街道 -> 龙城,
布吉社区 -> 布吉). Pinyin initials (``lcjd`` for 龙城街道) come from ``pypinyin``; segmentation
from ``jieba`` with the gazetteer's names added as user words so that place names stay whole.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable

#: level suffixes a short form may drop, longest first
LEVEL_SUFFIXES = ("街道办事处", "街道办", "街道", "社区工作站", "社区居委会", "社区", "小区", "花园小区")
_PUNCT = re.compile(r"[\s\u3000,，.。、;；:：!！?？'\"“”‘’()（）\[\]【】《》<>{}|/\\·~～`@#$%^&*+=_-]+")
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def normalise(text: str) -> str:
    """NFKC, lower case, without whitespace and punctuation: the form names are compared in."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text)).lower())


def short_forms(name: str) -> list[str]:
    """The forms of ``name`` without a level suffix (龙城街道 -> [龙城]); two characters at least."""
    n = normalise(name)
    out = []
    for suffix in LEVEL_SUFFIXES:
        if n.endswith(suffix) and len(n) - len(suffix) >= 2:
            out.append(n[: -len(suffix)])
    return out


_pinyin_lock = threading.Lock()


def initials(name: str) -> str | None:
    """Pinyin initials of a Chinese name (龙城 -> ``lc``); None when it has no Han characters."""
    n = normalise(name)
    if not n or not any("\u4e00" <= ch <= "\u9fff" for ch in n):
        return None
    from pypinyin import Style, lazy_pinyin

    with _pinyin_lock:
        parts = lazy_pinyin(n, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[:1] for p in parts if p).lower() or None


def is_initials_query(text: str) -> bool:
    """Whether ``text`` looks like pinyin initials (2-8 ASCII letters)."""
    return bool(re.fullmatch(r"[a-z]{2,8}", normalise(text)))


def chinese_number(text: str) -> int | None:
    """An integer written in digits or Chinese numerals (三十, 十二, 一百二十, 两); None otherwise."""
    t = unicodedata.normalize("NFKC", text).strip()
    if t.isdigit():
        return int(t)
    if not t or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in t):
        return None
    total, current = 0, 0
    for ch in t:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        else:
            unit = CN_UNITS[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


#: a number as a pattern: digits or Chinese numerals
NUMBER = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"


class Segmenter:
    """jieba with the gazetteer's names as user words (one tokenizer per gazetteer)."""

    def __init__(self, words: Iterable[str]) -> None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._tok = jieba.Tokenizer()
        self._words = list(dict.fromkeys(w for w in words if len(w) >= 2))
        self._ready = False
        self._lock = threading.Lock()

    def cut(self, text: str) -> list[str]:
        """The words of ``text`` (normalised), place names kept whole."""
        with self._lock:
            if not self._ready:
                for w in self._words:
                    self._tok.add_word(w, freq=100000)
                self._ready = True
            return [w for w in self._tok.lcut(normalise(text), HMM=False) if w.strip()]
