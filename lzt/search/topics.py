"""The words of a question that name complaint topics, statuses and channels.

The vocabulary comes from the complaint layer itself (its 一级分类, 二级分类, 处理状态, 来源渠道 and
诉求类型 values), so a workspace with another catalogue is understood the same way, plus:

- synonyms (``SYNONYMS``: the words callers and analysts use for a catalogue value; a synonym is
  used only when the catalogue has the value it points to and does not have the word itself);
- stems: a leading part of a 一级分类 (噪声 for 噪声扰民) when every catalogue value containing it
  belongs to that 一级分类 (施工噪声, 交通噪声 ... are all 噪声扰民).

Cached per complaint layer on ``ws.layer_stamp``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from lzt.search.text import normalise
from lzt.workspace.base import Workspace

#: field of the complaint schema -> what it is called in an answer
TOPIC_FIELDS = {"cat_l1": "一级分类", "cat_l2": "二级分类", "status": "处理状态", "channel": "来源渠道",
                "appeal_type": "诉求类型"}
#: word -> catalogue value it means [M] (common usage in 12345 work orders, not an official list)
SYNONYMS = {
    "噪音": "噪声扰民", "扰民噪音": "噪声扰民", "施工噪音": "施工噪声", "交通噪音": "交通噪声", "工业噪音": "工业噪声",
    "乱摆卖": "占道经营", "摆摊": "占道经营", "占道": "占道经营", "乱摆摊": "占道经营", "流动摊贩": "占道经营",
    "违停": "违章停车", "乱停车": "违章停车", "乱停乱放": "违章停车", "停车难": "违章停车",
    "垃圾": "垃圾清运", "垃圾没人清": "垃圾清运", "小广告": "违规广告", "乱贴广告": "违规广告",
    "拖欠工资": "欠薪", "欠工资": "欠薪", "讨薪": "欠薪", "社保": "社保缴纳",
    "油烟扰民": "油烟", "餐饮油烟": "油烟", "积水": "内涝积水", "水浸": "内涝积水", "内涝": "内涝积水",
    "断水": "停水", "没水": "停水", "路面破损": "道路破损", "坑洼": "道路破损", "红绿灯": "交通信号",
    "物业": "物业管理", "违建": "违法建设", "燃气": "燃气安全", "学位": "学位申请", "培训机构": "校外培训",
    "蚊虫": "病媒生物", "老鼠": "病媒生物", "消防": "消防隐患", "治安": "治安隐患", "食品": "食品安全",
    "热线": "12345热线", "12345": "12345热线", "小程序": "民意速办小程序", "网格员": "网格上报", "网格": "网格上报",
    "办结": "已办结", "已完结": "已办结", "回访": "已回访", "派单": "已派单", "在办": "办理中", "正在办理": "办理中",
    "返工": "重办",
}
#: words for records not yet finished [M]: any status other than these
FINISHED = ("已办结", "已回访")
UNFINISHED_WORDS = ("未办结", "未完结", "没办结", "没有办结", "未处理完", "尚未办结", "未完成")


@dataclass
class Vocabulary:
    """word (normalised) -> (field, value); longest words are tried first."""

    words: dict[str, tuple[str, str]] = field(default_factory=dict)
    values: dict[str, set[str]] = field(default_factory=dict)  # field -> its values

    def longest_first(self) -> list[str]:
        return sorted(self.words, key=len, reverse=True)


_lock = threading.Lock()
_CACHE: dict[tuple[str, str], tuple[object, Vocabulary]] = {}


def vocabulary(ws: Workspace, layer: str) -> Vocabulary:
    """The topic words of complaint layer ``layer``."""
    stamp = ws.layer_stamp(layer)
    with _lock:
        hit = _CACHE.get((ws.uri, layer))
        if hit is not None and hit[0] == stamp:
            return hit[1]
    fields = ws.fields(layer)
    voc = Vocabulary()
    for f in TOPIC_FIELDS:
        if f in fields:
            voc.values[f] = {str(v) for v in ws.count_values(layer, f) if v is not None and str(v).strip()}
    for f in ("appeal_type", "channel", "status", "cat_l1", "cat_l2"):  # finer fields win a shared word
        for v in voc.values.get(f, ()):
            if f == "appeal_type" and v == "投诉":  # the generic word for any record
                continue
            voc.words[normalise(v)] = (f, v)
    known = {normalise(v) for vs in voc.values.values() for v in vs}
    for word, target in SYNONYMS.items():
        w = normalise(word)
        if w in known:
            continue
        for f in ("cat_l2", "cat_l1", "status", "channel"):
            if target in voc.values.get(f, ()):
                voc.words[w] = (f, target)
                break
    if "cat_l1" in voc.values and "cat_l2" in fields:
        pairs = ws.read_features(layer, columns=["cat_l1", "cat_l2"], geometry=False).drop_duplicates()
        children: dict[str, set[str]] = {}
        for a, b in zip(pairs["cat_l1"], pairs["cat_l2"]):
            if isinstance(a, str) and isinstance(b, str):
                children.setdefault(a, set()).add(b)
        for parent in voc.values["cat_l1"]:
            n = normalise(parent)
            for k in (2,):  # a two-character head: 噪声, 环境, 劳动
                stem = n[:k]
                owners = {v for v in known if stem in v}
                family = {normalise(parent)} | {normalise(c) for c in children.get(parent, ())}
                if stem not in voc.words and owners and owners <= family:
                    voc.words[stem] = ("cat_l1", parent)
                    break
    with _lock:
        _CACHE[(ws.uri, layer)] = (stamp, voc)
    return voc
