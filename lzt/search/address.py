"""Shenzhen addresses read into their parts: 区, 街道, 社区, 路, 号, 小区, 栋, 单元, 室.

The order DOMAIN.md §7.4 gives ([M], not checked against a primary source) is 省 市 区 街道 社区
路/街/大道 号 小区/大厦 栋/座 单元 室, with any prefix left out, 龙岗区 written 龙岗 and 街道 left out
("龙城爱联社区"). The text is normalised (full-width digits and letters folded, punctuation and
spaces dropped) and cut by dynamic programming into the pieces that explain most of it, the
pieces in that order: names the gazetteer knows at their level (streets, communities, roads,
compounds and other named points), numbers with their unit (12号, 3栋/3座/3幢/3号楼/3#/B栋/三栋,
2单元, 1201室), and the prefixes 广东省 深圳市 龙岗区. What is left is kept as unknown text (a
misspelt or unknown name) for the matcher to try fuzzily, never dropped silently.

Old township names from before the 2004 town-to-street reform (布吉镇, 横岗镇, 平湖镇, 坪地镇,
龙岗镇) stand for the streets carved from them ([M], DOMAIN.md §7.4; the split below follows
the street history as remembered, not a gazette). Places of 坪山/坑梓/大鹏/葵涌/南澳, and other
districts written with 区, are outside the workspace's district: they are reported, not placed.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import numpy as np

from lzt.search import text
from lzt.search.gazetteer import Gazetteer

#: the parts of an address in the order they are written
SLOTS = ("省", "市", "区", "街道", "社区", "道路", "号", "小区", "栋", "单元", "室")
SLOT_RANK = {s: i for i, s in enumerate(SLOTS)}
#: gazetteer level -> the slot a name of that level fills
LEVEL_SLOT = {"区": "区", "街道": "街道", "社区": "社区", "道路": "道路", "小区": "小区", "门牌": "小区"}
#: the only gazetteer roles that name a place in an address (not 宗地编号, 受让人, 建筑编号 ...)
ADDRESS_ROLES = {"名称"}
#: pre-2004 townships -> the streets of today carved from them [M]
TOWNSHIPS = {"布吉镇": ("布吉", "吉华", "南湾", "坂田"), "横岗镇": ("横岗", "园山"), "平湖镇": ("平湖",),
             "坪地镇": ("坪地",), "龙岗镇": ("龙岗", "龙城", "宝龙")}
#: places that left Longgang (2016-2017) or other districts of Shenzhen
OUTSIDE = ("坪山区", "大鹏新区", "坪山镇", "坑梓镇", "大鹏镇", "葵涌镇", "南澳镇", "坪山街道", "坑梓街道", "大鹏街道",
           "葵涌街道", "南澳街道", "福田区", "罗湖区", "南山区", "宝安区", "龙华区", "光明区", "盐田区", "坪山新区",
           "光明新区", "龙华新区", "东莞市", "惠州市")
_PREFIX = {"广东省": "省", "广东": "省", "深圳市": "市", "深圳": "市"}
_CN = "零〇一二两三四五六七八九十百"
_NUM = rf"(?:\d+|[{_CN}]+)"
#: (slot, pattern) of the numbered parts; matched at a position, longest first
_NUMBERED = (
    ("号", re.compile(rf"{_NUM}(?:-\d+)?号(?!楼)")),
    ("栋", re.compile(rf"(?:{_NUM}|[a-z])(?:栋|座|幢|号楼|楼栋|#楼|#)")),
    ("单元", re.compile(rf"{_NUM}单元")),
    ("室", re.compile(rf"(?:{_NUM}楼)?\d+(?:室|房|号房)?|{_NUM}楼")),
)
#: words that may follow a name without changing it (爱联村, 龙城街道办, 爱联社区工作站)
_TRAILERS = {"街道": ("办事处", "办"), "社区": ("工作站", "居委会", "居委", "村委会", "村委", "村"),
             "小区": ("小区",)}
_MAX_FORM = 24


@dataclass
class Part:
    """One piece of an address: its slot, its text and the gazetteer rows it may name."""

    slot: str
    text: str
    rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    number: str | None = None  # 12 of 12号, 3 of 3栋, 1201 of 1201室
    streets: tuple[str, ...] = ()  # a township's streets of today
    outside: bool = False  # a place outside the district


@dataclass
class ParsedAddress:
    text: str  # normalised
    parts: list[Part]
    unknown: list[str]  # text nothing explained, in order

    def get(self, slot: str) -> Part | None:
        return next((p for p in self.parts if p.slot == slot), None)

    def to_json(self) -> dict:
        out: dict = {p.slot: p.text for p in self.parts}
        if self.unknown:
            out["未识别"] = self.unknown
        return out


class _Vocab:
    """Form -> {slot: rows} for the forms of a gazetteer that can stand in an address."""

    def __init__(self, gz: Gazetteer) -> None:
        level = gz.col("level")
        role = gz.col("role")
        how = gz.col("how")
        place = gz.col("place")
        self.slots: dict[str, dict[str, np.ndarray]] = {}
        usable = (how != "initials") & np.isin(role[place], list(ADDRESS_ROLES))
        for form, (a, b) in gz.by_form.items():
            if len(form) > _MAX_FORM or not usable[a:b].any():
                continue
            rows = place[a:b][usable[a:b]]
            by: dict[str, list[int]] = {}
            for r in rows.tolist():
                by.setdefault(LEVEL_SLOT.get(level[r], "小区"), []).append(r)
            self.slots[form] = {s: np.unique(np.asarray(v, dtype=np.int64)) for s, v in by.items()}
        # the district by its short name (龙岗区 -> 龙岗)
        for r in np.flatnonzero(level == "区").tolist():
            n = gz.col("norm")[r]
            if n.endswith("区") and len(n) >= 3:
                self.slots.setdefault(n[:-1], {}).setdefault("区", np.asarray([r], dtype=np.int64))
        self.longest = max((len(f) for f in self.slots), default=0)
        self.cache: dict[str, ParsedAddress] = {}


_vocab_lock = threading.Lock()


def _vocab(gz: Gazetteer) -> _Vocab:
    """The address vocabulary of ``gz``, kept on it (a rebuilt gazetteer gets a new one)."""
    with _vocab_lock:
        v = gz.__dict__.get("_address_vocab")
        if v is None:
            v = gz.__dict__["_address_vocab"] = _Vocab(gz)
        return v


def _pieces_at(q: str, i: int, vocab: _Vocab) -> list[tuple[int, Part, float]]:
    """Every piece that may start at ``i``: (end, part, bonus)."""
    out: list[tuple[int, Part, float]] = []
    for word, slot in _PREFIX.items():
        if q.startswith(word, i):
            out.append((i + len(word), Part(slot, word), 0.0))
    for word in OUTSIDE:
        if q.startswith(word, i):
            slot = "街道" if word.endswith(("镇", "街道")) else "区"
            out.append((i + len(word), Part(slot, word, outside=True), 0.0))
    for word, streets in TOWNSHIPS.items():
        if q.startswith(word, i):
            out.append((i + len(word), Part("街道", word, streets=streets), 0.0))
    for j in range(i + 2, min(len(q), i + vocab.longest) + 1):
        by = vocab.slots.get(q[i:j])
        if not by:
            continue
        for slot, rows in by.items():
            end = j
            for t in _TRAILERS.get(slot, ()):
                if q.startswith(t, end):
                    end += len(t)
                    break
            # a leading 龙岗 is the district more often than the street (龙岗龙城街道, 龙岗爱联社区);
            # a bare name of both a street and a community (龙城) is the street more often
            bonus = {"区": 0.001, "街道": 0.0005}.get(slot, 0.0)
            out.append((end, Part(slot, q[i:end], rows), bonus))
    for slot, rx in _NUMBERED:
        m = rx.match(q, i)
        if m and m.end() > i:
            digits = re.search(rf"\d+|[a-z]|[{_CN}]+", m.group(0))
            num = digits.group(0) if digits else m.group(0)
            cn = text.chinese_number(num)
            out.append((m.end(), Part(slot, m.group(0), number=str(cn) if cn is not None else num), 0.0))
    return out


def parse_address(gz: Gazetteer, raw: str) -> ParsedAddress:
    """The parts of the address ``raw``, read against the gazetteer ``gz``."""
    vocab = _vocab(gz)
    q = text.normalise(raw)
    hit = vocab.cache.get(q)
    if hit is not None:
        return hit
    n = len(q)
    # best[i][s]: (cost, parts as a linked tuple) for q[:i] read with the last slot s
    inf = (float("inf"), None)
    best: list[dict[int, tuple[float, tuple | None]]] = [dict() for _ in range(n + 1)]
    best[0][-1] = (0.0, None)
    for i in range(n):
        if not best[i]:
            continue
        pieces = _pieces_at(q, i, vocab)
        for s, (cost, chain) in list(best[i].items()):
            # one unknown character: kept in the current slot
            c = cost + 1.0
            if c < best[i + 1].get(s, inf)[0]:
                best[i + 1][s] = (c, (chain, ("?", q[i])))
            for end, part, bonus in pieces:
                r = SLOT_RANK[part.slot]
                if r <= s:
                    continue
                c = cost + 0.01 - bonus
                if c < best[end].get(r, inf)[0]:
                    best[end][r] = (c, (chain, part))
    _, chain = min(best[n].values(), key=lambda v: v[0])
    items = []
    while chain is not None:
        chain, item = chain
        items.append(item)
    items.reverse()
    parts, unknown, run = [], [], ""
    for item in items:
        if isinstance(item, tuple):
            run += item[1]
            continue
        if run:
            unknown.append(run)
            run = ""
        parts.append(item)
    if run:
        unknown.append(run)
    parsed = ParsedAddress(q, parts, unknown)
    if len(vocab.cache) < 200_000:
        vocab.cache[q] = parsed
    return parsed
