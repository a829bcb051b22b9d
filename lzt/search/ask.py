"""问数: a question in Chinese -> what it asks (``Understood``), by grammar, never by guessing.

The question is read in passes, each marking the characters it explains: time phrases
(``timephrase``), numbers with their units (前5, 100米, 超过50米), grouping words (各街道, 按类别,
每月, 哪个社区), measures (多少, 占比, 最多, 最少, 环比, 同比, 在哪), topic words (``topics``:
catalogue values, synonyms, stems), places (the gazetteer: 区, 街道, 社区, 小区 and projects),
and subjects beyond complaints (闲置宗地, BIM 模型, 建筑, POI categories near a place).
What is left must be only function words (``FILLER``); any other word left over makes the
question refused, with what was understood and the words that were not, so an answer is never
given to a question that was only half read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np

from lzt.search import text
from lzt.search.explain import Said
from lzt.search.gazetteer import gazetteer
from lzt.search.timephrase import Window, find_windows
from lzt.search.topics import FINISHED, UNFINISHED_WORDS, vocabulary
from lzt.workspace.base import Workspace
from lzt.workspace.personal import layer_is_personal
from lzt.workspace.value_counts import value_counts

MAX_QUESTION = 120
#: words asking for what lies near a place (a POI question); without a distance they mean ``NEAR_METRES``
NEAR_WORDS = ("附近", "周边", "周围", "旁边")
#: default radius of 附近/周边 when the question gives none [P] (said in ``words`` as an assumption)
NEAR_METRES = 500.0
#: grouping word -> the ``lzt stats --by`` key
GROUPS = {"街道": "street", "社区": "community", "类别": "category", "分类": "category", "类型": "category",
          "大类": "category", "一级分类": "category", "小类": "subcategory", "二级分类": "subcategory",
          "月": "month", "月份": "month", "状态": "status", "办理状态": "status", "渠道": "channel",
          "来源": "channel", "来源渠道": "channel", "类": "category", "种": "category", "方面": "category"}
_GROUP_WORDS = "|".join(sorted(GROUPS, key=len, reverse=True))
_GROUP_RX = [
    re.compile(rf"(?:各个?|每个?|按|分|逐|哪个|哪一个|哪些|哪几个|哪条|哪一|哪|什么)(?P<g>{_GROUP_WORDS})"),
]
#: the words that carry no meaning of their own here
FILLER = sorted("""请问 请 帮我 帮忙 我想 想 知道 一下 查询 查 统计 看看 看 告诉我 给出 列出 显示 分别 各自 其中 一共 总共 共 总计 合计
共计 累计 有 是 为 的 了 吗 呢 啊 呀 么 在 里 中 内 里面 当中 期间 以来 全部 所有 整个 都 和 与 及 跟 以及 或
投诉 工单 诉求 件 单 宗 条 个 起 次 栋 幢 座 所 家 处 案件 问题 事件 情况 数量 数 量 总数 总量 件数 多少 几 若干 相关 有关 关于 方面 类 反映
市民 群众 居民 收到 受理 接到 发生 产生 出现 排名 排行 排序 名 前 位 哪 哪个 哪些 什么 怎么样 如何 多 少 最 的是
呢 吧 ？ 年 月 一级 二级 那 那么 变化 增长 下降 增减 比例 占比 比重 百分比 相比 比 对比 较 同期 上期 幅度 多大
龙岗区 龙岗全区 全区 本区 区 全 区里 辖区 整体 总体 现在 目前 当前 截至 截止 到 为止 能 可以 下""".split(),
                key=len, reverse=True)


@dataclass
class Understood:
    """What a question asks. ``subject``: complaints | idle_land | bim | buildings | poi_near | where."""

    question: str
    subject: str | None = None
    layer: str | None = None
    measure: str = "count"  # count | share | top | max | min | mom | yoy | rows | where
    group_by: str | None = None
    top_n: int | None = None
    window: Window | None = None
    filters: list[tuple[str, str, Any]] = field(default_factory=list)  # (field, op, value)
    share_of: list[tuple[str, str, Any]] = field(default_factory=list)  # filters of the share's whole
    place: dict | None = None  # {name, level, layer, fid, x, y}
    distance: float | None = None
    height: float | None = None
    height_inclusive: bool = False
    which: bool = False  # 哪个/哪些 ...: the answer is a name
    poi_category: str | None = None
    as_of: date | None = None
    words: list[str] = field(default_factory=list)  # what each understood part was, for the user
    unknown: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    said: list[Said] = field(default_factory=list)  # ``words`` as parts, for other languages
    problems_said: list[Said] = field(default_factory=list)  # ``problems`` as parts

    def note(self, key: str, **params: Any) -> None:
        """An understood part: in ``words`` (Chinese) and ``said``."""
        part = Said(key, params)
        self.said.append(part)
        self.words.append(part.text("zh"))

    def problem(self, key: str, **params: Any) -> None:
        """A reason the question cannot be answered: in ``problems`` (Chinese) and ``problems_said``."""
        part = Said(key, params)
        self.problems_said.append(part)
        self.problems.append(part.text("zh"))

    def to_json(self) -> dict:
        d = asdict(self)
        del d["said"], d["problems_said"]
        d["window"] = None if self.window is None else {"from": self.window.start.isoformat(),
                                                        "to": self.window.end.isoformat(),
                                                        "label": self.window.label}
        d["as_of"] = None if self.as_of is None else self.as_of.isoformat()
        d["filters"] = [{"field": f, "op": o, "value": list(v) if isinstance(v, tuple) else v}
                        for f, o, v in self.filters]
        d["share_of"] = [{"field": f, "op": o, "value": list(v) if isinstance(v, tuple) else v}
                         for f, o, v in self.share_of]
        return d


class _Marks:
    """The question with the characters each pass explained; ``cuts``: the positions where the
    user had a space or punctuation (normalising drops them: LG-003001-00199 500米 reads as one run)."""

    def __init__(self, q: str, cuts: frozenset[int] = frozenset()) -> None:
        self.q = q
        self.used = [False] * len(q)
        self.cuts = cuts

    def free(self, s: int, e: int) -> bool:
        return not any(self.used[s:e])

    def take(self, s: int, e: int) -> None:
        for i in range(s, e):
            self.used[i] = True

    def find(self, word: str):
        """Free occurrences of ``word``."""
        i = self.q.find(word)
        while i >= 0:
            if self.free(i, i + len(word)):
                yield i
            i = self.q.find(word, i + 1)

    def rest(self) -> list[str]:
        out, cur = [], ""
        for ch, u in zip(self.q, self.used):
            if u:
                if cur:
                    out.append(cur)
                cur = ""
            else:
                cur += ch
        return out + ([cur] if cur else [])


def complaint_layer(ws: Workspace) -> str | None:
    """The workspace's complaint layer (the only one of kind complaints; None if none or several)."""
    names = [i.name for i in ws.layers() if i.kind == "complaints"]
    return names[0] if len(names) == 1 else None


def _layer_of_kind(ws: Workspace, kind: str, hint: str) -> str | None:
    infos = [i for i in ws.layers() if i.kind == kind] or [i for i in ws.layers() if i.name == hint]
    return infos[0].name if len(infos) == 1 else None


def parse(ws: Workspace, question: str, *, as_of: date) -> Understood:
    """Read ``question``; ``problems`` or ``unknown`` non-empty means it must be refused."""
    u = Understood(question=question, as_of=as_of)
    if question is None or not str(question).strip():
        u.problem("empty")
        return u
    if len(question) > MAX_QUESTION:
        u.problem("too_long", n=len(question), max=MAX_QUESTION)
        return u
    q = text.normalise(question)
    if re.search(r"[=<>;']|\b(select|drop|delete|insert|update|union|where|from)\b", question, re.I):
        u.problem("query_text")
        return u
    m = _Marks(q, _cuts(question, q))
    _time(u, m, as_of)
    _numbers(ws, u, m)
    _groups(u, m)
    _measure(u, m)
    _subject(ws, u, m)
    if u.subject == "complaints":
        _topics(ws, u, m)
    _places(ws, u, m)
    _near(u, m)
    _late_group(u, m)
    _finish(u, m)
    return u


def _time(u: Understood, m: _Marks, as_of: date) -> None:
    for s, e, w in find_windows(m.q, as_of):
        if w is None:
            u.problem("bad_time", text=m.q[s:e], as_of=as_of.isoformat())
        elif u.window is not None:
            u.problem("two_times", a=u.window.label, b=w.label, a_en=f"{u.window.start} to {u.window.end}",
                      b_en=f"{w.start} to {w.end}")
        else:
            u.window = w
            u.note("time", label=w.label, **{"from": w.start.isoformat(), "to": w.end.isoformat()})
        m.take(s, e)


_NUM = text.NUMBER


def _cuts(question: str, q: str) -> frozenset[int]:
    """Positions in ``q`` (``text.normalise(question)``) where a space or punctuation was dropped."""
    out, n = set(), 0
    for ch in unicodedata.normalize("NFKC", str(question)).lower():
        if text.normalise(ch):
            n += len(text.normalise(ch))
        else:
            out.add(n)
    return frozenset(out) if n == len(q) else frozenset()


def _number_start(ws: Workspace, m: _Marks, ns: int, ne: int) -> int:
    """Where the number of a distance or height begins when its digits run on from a code before
    it (振业学校28500米, LG-003001-00199500米; normalising drops the space of "… 00199 500米"):
    after the part that is a place's name, the user's last space or punctuation deciding between
    several such parts, else the longest name; with no name found, at that space (else the run
    stays whole)."""
    inside = [c for c in m.cuts if ns < c < ne]
    if ns == 0 or ns in m.cuts and not inside or not m.q[ns:ne].isdigit():
        return ns
    gz = gazetteer(ws)
    splits = [k for k in range(ns, ne) if any(m.free(i, k) and len(gz.lookup(m.q[i:k]))
                                                for i in range(max(0, k - 30), ns))]
    cut = max(inside) if inside else ns
    if not splits or cut in splits:
        return cut
    return splits[-1]  # the longest name, as places are read (振业学校28 over 振业学校2)


def _numbers(ws: Workspace, u: Understood, m: _Marks) -> None:
    for rx, what in ((rf"(?:排名|排行)?前(?P<n>{_NUM})(?:名|位|个|条|类|项)?", "top"),
                     (rf"(?:最多|最高|最大)的(?P<n>{_NUM})(?:个|条|类|项)", "top"),
                     (rf"(?P<n>{_NUM})(?:米|m|公里|千米|km)(?:以内|之内|内|范围内|范围|半径)", "distance"),
                     (rf"(?:半径|距离|相距)(?P<n>{_NUM})(?:米|m|公里|千米|km)", "distance"),
                     (rf"(?<=附近|周边|周围|旁边)(?P<n>{_NUM})(?:米|m|公里|千米|km)", "distance"),
                     (rf"(?:高度)?(?:超过|高于|大于|不低于|以上|至少)(?P<n>{_NUM})(?:米|m)(?:以上)?", "height"),
                     (rf"(?:高度)?(?P<n>{_NUM})(?:米|m)(?:以上|及以上)", "height")):
        for mm in re.finditer(rx, m.q):
            if not m.free(mm.start(), mm.end()):
                continue
            start, n_start = mm.start(), mm.start("n")
            if what != "top" and n_start == start:  # digits that may run on from a code
                start = n_start = _number_start(ws, m, n_start, mm.end("n"))
            n = text.chinese_number(m.q[n_start:mm.end("n")])
            if n is None:
                continue
            if what == "distance" and re.search(r"公里|千米|km", mm.group(0)):
                n *= 1000
            unit_in = re.search(r"(?:以上|超过|高于|大于|不低于|至少)", mm.group(0))
            if what == "top":
                u.top_n, u.measure = int(n), "top"
                u.note("top", n=int(n))
            elif what == "distance":
                u.distance = float(n)
                u.note("within", m=float(n))
            else:
                u.height = float(n)
                u.note("height", op="超过" if unit_in and "不低于" not in mm.group(0) else "≥", m=float(n))
                if "不低于" in mm.group(0) or "及以上" in mm.group(0) or ("以上" in mm.group(0)
                                                                      and "超过" not in mm.group(0)):
                    u.height_inclusive = True
            m.take(start, mm.end())  # the digits before ``start`` are the code's: left for places


def _groups(u: Understood, m: _Marks) -> None:
    for rx in _GROUP_RX:
        for mm in rx.finditer(m.q):
            if not m.free(mm.start(), mm.end()):
                continue
            g = GROUPS[mm.group("g")]
            which = mm.group(0).startswith(("哪", "什么"))
            if u.group_by and u.group_by != g:
                u.problem("two_groups", a=u.group_by, b=g)
            u.group_by = g
            if which:
                u.which = True
            u.note("group", word=mm.group("g"), by=g)
            m.take(mm.start(), mm.end())


def _late_group(u: Understood, m: _Marks) -> None:
    """最多的社区, 前5的街道: a level word after a ranking measure is the grouping (looked for
    after places, so that the 街道 of 龙城街道 is not taken for one)."""
    if u.group_by is not None or u.measure not in ("top", "max", "min"):
        return
    found = []
    for word in sorted(GROUPS, key=len, reverse=True):
        if len(word) < 2 and word not in ("月", "类"):
            continue
        for i in list(m.find(word)):
            found.append(GROUPS[word])
            m.take(i, i + len(word))
    if len(set(found)) == 1:
        u.group_by = found[0]
        u.note("group", word=found[0], by=found[0])
    elif len(set(found)) > 1:
        u.problem("rank_objects", items=sorted(set(found)))


_MEASURES = (("环比", "mom"), ("同比", "yoy"), ("占比", "share"), ("比例", "share"), ("比重", "share"),
             ("百分之几", "share"), ("百分比", "share"), ("占多少", "share"), ("所占", "share"),
             ("最多", "max"), ("最高", "max"), ("最大", "max"), ("最集中", "max"), ("最少", "min"), ("最低", "min"),
             ("在哪里", "where"), ("在哪儿", "where"), ("在哪", "where"), ("什么位置", "where"), ("位置", "where"),
             ("趋势", "rows"), ("分布", "rows"), ("明细", "rows"))


def _measure(u: Understood, m: _Marks) -> None:
    seen = []
    for word, measure in _MEASURES:
        for i in list(m.find(word)):
            m.take(i, i + len(word))
            seen.append(measure)
    kinds = set(seen)
    if {"max", "min"} <= kinds:
        u.problem("max_and_min")
    for measure in ("mom", "yoy", "share"):
        if measure in kinds:
            u.measure = measure
            u.note("measure", word={"mom": "环比", "yoy": "同比", "share": "占比"}[measure])
            break
    else:
        if "where" in kinds:
            u.measure = "where"
        elif kinds & {"max", "min"}:
            if u.measure != "top":
                u.measure = "max" if "max" in kinds else "min"
            u.note("measure", word="最多" if "max" in kinds else "最少")
        elif "rows" in kinds or (u.group_by and u.measure == "count"):
            u.measure = "rows"
    if kinds & {"mom", "yoy", "share"} and len(kinds & {"mom", "yoy", "share"}) > 1:
        u.problem("two_measures")


_IDLE = re.compile(r"闲置(?:土地|宗地|地块|用地)?|(?:土地|宗地|地块)闲置")
_BIM = re.compile(r"bim模型|bim|建筑信息模型|模型")
_BUILDING = re.compile(r"建筑物|建筑|楼宇|楼房|高楼|楼栋|房屋|栋楼|栋|楼")
_PARCEL_WORDS = re.compile(r"宗地|土地|地块|出让地块")


def _subject(ws: Workspace, u: Understood, m: _Marks) -> None:
    q = m.q
    mm = _IDLE.search(q)
    if mm:
        u.subject, u.layer = "idle_land", _layer_of_kind(ws, "supervision", "supervision")
        m.take(mm.start(), mm.end())
        for p in _PARCEL_WORDS.finditer(q):
            m.take(p.start(), p.end())
        u.note("idle_land")
        return
    mm = _BIM.search(q)
    if mm:
        u.subject, u.layer = "bim", _layer_of_kind(ws, "bim", "bim_models")
        m.take(mm.start(), mm.end())
        u.note("bim")
        return
    poi = _poi_category(ws, m)
    if poi is not None:
        u.subject, u.poi_category = "poi_near", poi[0]
        u.layer = poi[1]
        u.note("poi_category", category=poi[0])
        return
    if u.height is not None:
        mm = _BUILDING.search(q)
        if mm and m.free(mm.start(), mm.end()):
            u.subject = "buildings"
            u.layer = "buildings" if ws.has_layer("buildings") else None
            m.take(mm.start(), mm.end())
            u.note("buildings")
            return
    if u.measure == "where":
        u.subject = "where"
        return
    u.subject, u.layer = "complaints", complaint_layer(ws)


def _poi_category(ws: Workspace, m: _Marks) -> tuple[str, str] | None:
    """The POI category a question asks for (学校, 幼儿园 ...) and its layer: of several named
    (学校附近的医院, 振业学校28附近的医院), the last one; the others are left to be read as
    parts of a place's name or refused."""
    found = []  # (start, end, category, layer)
    for info in ws.layers():
        if info.kind == "raster" or (info.geometry_type or "").lower() != "point" or layer_is_personal(info):
            continue
        if "category" not in ws.fields(info.name):
            continue
        for c in (c for c in value_counts(ws, info.name, "category") if c):
            for form in dict.fromkeys((text.normalise(c), text.normalise(c).removesuffix("中心"))):
                if len(form) >= 2:
                    found += [(i, i + len(form), c, info.name) for i in m.find(form)]
    kept: list[tuple[int, int, str, str]] = []
    for hit in sorted(found, key=lambda h: (h[0] - h[1], h[0])):  # longest first: 社康中心 over 社康
        if all(hit[1] <= k[0] or k[1] <= hit[0] for k in kept):
            kept.append(hit)
    if not kept:
        return None
    s, e, category, layer = max(kept)
    m.take(s, e)
    return category, layer


def _topics(ws: Workspace, u: Understood, m: _Marks) -> None:
    if u.layer is None:
        return
    voc = vocabulary(ws, u.layer)
    chosen: dict[str, list[str]] = {}
    for word in UNFINISHED_WORDS:
        for i in list(m.find(word)):
            m.take(i, i + len(word))
            chosen.setdefault("unfinished", []).append(word)
    for word in voc.longest_first():
        for i in list(m.find(word)):
            f, v = voc.words[word]
            m.take(i, i + len(word))
            if v not in chosen.get(f, []):
                chosen.setdefault(f, []).append(v)
                if text.normalise(v) == word:
                    u.note("topic", field=f, value=v)
                else:
                    u.note("topic_word", field=f, value=v, word=word)
    if "unfinished" in chosen:
        if "status" in chosen:
            u.problem("unfinished_and_status")
        u.filters.append(("status", "not in", FINISHED))
        u.note("unfinished", finished=list(FINISHED))
    cat_fields = [f for f in ("cat_l1", "cat_l2") if f in chosen]
    if len(cat_fields) == 2:
        u.problem("two_cat_levels", a=chosen["cat_l1"], b=chosen["cat_l2"])
    for f in ("cat_l1", "cat_l2", "status", "channel", "appeal_type"):
        if f in chosen:
            vals = chosen[f]
            u.filters.append((f, "=", vals[0]) if len(vals) == 1 else (f, "in", tuple(vals)))


def _places(ws: Workspace, u: Understood, m: _Marks) -> None:
    gz = gazetteer(ws)
    level = gz.col("level")
    role = gz.col("role")
    wanted = {"complaints": ("区", "街道", "社区", "小区"), "buildings": ("区", "街道", "社区"),
              "bim": ("区", "街道", "社区"), "idle_land": ("区", "街道", "社区"),
              "poi_near": ("区", "街道", "社区", "小区", "道路", "门牌"), "where": ("区", "街道", "社区", "小区", "道路",
                                                                             "门牌")}.get(u.subject or "", ())
    q = m.q
    found = []
    for i in range(len(q)):
        for j in range(min(len(q), i + 30), i + 1, -1):
            if not m.free(i, j):
                continue
            rows = gz.lookup(q[i:j])
            rows = rows[np.isin(level[rows], wanted)] if len(rows) else rows
            if u.subject != "poi_near" and u.subject != "where" and len(rows):
                rows = rows[role[rows] == "名称"]
            if len(rows):
                found.append((i, j, rows))
                m.take(i, j)
                break
    if not found:
        return
    if len(found) > 2:
        u.problem("many_places", items=[q[i:j] for i, j, _ in found])
        return
    picks = [_pick(gz, q[i:j], rows, q[j:j + 2]) for i, j, rows in found]
    if any(p is None for p in picks):
        names = [q[i:j] for (i, j, _), p in zip(found, picks) if p is None]
        u.problem("same_name", items=names)
        return
    # a street and a community inside it: the community, checked against its street
    if len(picks) == 2:
        a, b = sorted(picks, key=lambda p: ("区", "街道", "社区", "小区", "道路", "门牌").index(p["level"]))
        if a["level"] == "区":
            picks = [b]
        elif a["level"] == "街道" and b["level"] in ("社区", "小区") and (b.get("street") in (None, a["name"])):
            picks = [b]
        else:
            u.problem("two_places", a=a["name"], b=b["name"])
            return
    u.place = picks[0]
    u.note("place", name=u.place["name"], level=u.place["level"], layer=u.place["layer"])


def _near(u: Understood, m: _Marks) -> None:
    """附近/周边/周围/旁边 in a POI question: near the place, whatever kind it is (a point, a road,
    an area); with no distance stated, within ``NEAR_METRES``, noted so the user sees the assumption.
    Other subjects leave the word unread (the question is refused, as a distance would be ignored)."""
    if u.subject != "poi_near":
        return
    hit = False
    for word in NEAR_WORDS:
        for i in list(m.find(word)):
            m.take(i, i + len(word))
            hit = True
    if hit and u.distance is None:
        u.distance = NEAR_METRES
        u.note("near", m=NEAR_METRES)


def _pick(gz, form: str, rows: np.ndarray, after: str) -> dict | None:
    """One place for ``form``: a level word right after it decides; a bare name that is both a
    street and a community is the street (龙城 = 龙城街道); otherwise it must be unique (rows of
    several layers at one spot, within 100 m, count as one)."""
    level = gz.col("level")
    lv = level[rows]
    if after.startswith("社区") and (lv == "社区").any():
        rows = rows[lv == "社区"]
    elif after.startswith("街道") and (lv == "街道").any():
        rows = rows[lv == "街道"]
    else:
        for coarse in ("区", "街道", "社区"):
            if (lv == coarse).any():
                rows = rows[lv == coarse]
                break
    if len(rows) != 1:  # one place when all stand at one spot (a 宗地编号 in parcels and in supervision)
        spots = {(round(float(gz.col("x")[r]), -2), round(float(gz.col("y")[r]), -2)) for r in rows}
        if len(spots) != 1:
            return None
    r = int(rows[0])
    return {"name": str(gz.col("name")[r]), "level": str(level[r]), "layer": str(gz.col("layer")[r]),
            "fid": int(gz.col("fid")[r]), "x": float(gz.col("x")[r]), "y": float(gz.col("y")[r]),
            "street": gz.col("street")[r], "community": gz.col("community")[r]}


def _finish(u: Understood, m: _Marks) -> None:
    for filler in FILLER:
        for i in list(m.find(filler)):
            m.take(i, i + len(filler))
    u.unknown = [w for w in m.rest() if re.search(r"[\w]", w)]
    if u.subject is None:
        u.problem("no_subject")
    elif u.layer is None and u.subject != "where":
        u.problem("no_layer")
