"""What 问数 understood, why it refused and what it answered, as structured parts rendered per language.

``lzt.search.ask`` and ``lzt.analysis.answer`` record each understood part, each reason and the
answer's sentence as a ``Said`` (a template key and its values); ``Said.text("zh")`` is the Chinese
the CLI and the JSON contract (``understood.words``, ``reason``, ``text``) carry, ``Said.text("en")`` the English the GUI shows
when its language is English. Values from the data (place names, categories, layer names) are
shown as they are in either language. Qt-free: the GUI picks the language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVEL_EN = {"区": "district", "街道": "subdistrict", "社区": "community", "小区": "compound", "道路": "road",
            "门牌": "door plate"}
FIELD_EN = {"cat_l1": "category", "cat_l2": "subcategory", "status": "status", "channel": "channel",
            "appeal_type": "appeal type", "street": "subdistrict", "community": "community", "month": "month",
            "category": "category", "subcategory": "subcategory"}

#: key -> (Chinese, English); {name} are the part's values, {name_en} their English where one exists
TEMPLATES: dict[str, tuple[str, str]] = {
    # understood parts
    "time": ("时间：{label}", "time: {from} to {to}"),
    "top": ("前 {n} 名", "top {n}"),
    "within": ("{m} 米以内", "within {m} m"),
    "height": ("高度{op} {m} 米", "height {op_en} {m} m"),
    "group": ("分组：{word}", "grouped by {by_en}"),
    "measure": ("{word}", "{measure_en}"),
    "idle_land": ("闲置土地（lzt check 的闲置土地规则）", "idle land (the idle-land rule of lzt check)"),
    "bim": ("BIM 模型", "BIM models"),
    "buildings": ("建筑", "buildings"),
    "poi_category": ("POI 类别：{category}", "POI category: {category}"),
    "topic": ("{field_zh}：{value}", "{field_en}: {value}"),
    "topic_word": ("{field_zh}：{value}（“{word}”）", "{field_en}: {value} (“{word}”)"),
    "unfinished": ("处理状态：未办结（{finished} 以外）", "status: not finished (other than {finished})"),
    "place": ("地点：{name}（{level}，{layer}）", "place: {name} ({level_en}, layer {layer})"),
    "near": ("附近 = {m} 米以内 [P]", "nearby = within {m} m [P]"),
    # problems found while reading
    "empty": ("问题为空", "the question is empty"),
    "too_long": ("问题有 {n} 个字符，超过 {max} 个，不予解析",
                 "the question has {n} characters, more than {max}; not read"),
    "query_text": ("问题里有查询语句或运算符；请用中文提问，或直接用 lzt query --where",
                   "the question holds query statements or operators; ask in words, or use lzt query --where"),
    "bad_time": ("时间“{text}”不是截至 {as_of} 已发生的有效时段",
                 "the time “{text}” is not a period that has happened by {as_of}"),
    "two_times": ("问题里有两个时段（{a}、{b}），只能回答一个", "the question has two periods ({a_en}; {b_en}); only one can be answered"),
    "two_groups": ("问题按两种方式分组（{a}、{b}），只能回答一种",
                   "the question groups two ways ({a_en}, {b_en}); only one can be answered"),
    "rank_objects": ("排名的对象不止一种：{items}", "more than one thing to rank: {items_en}"),
    "max_and_min": ("问题同时问最多和最少", "the question asks for both the most and the fewest"),
    "two_measures": ("问题同时问了环比、同比或占比中的两种",
                     "the question asks for two of month-on-month, year-on-year and share"),
    "two_cat_levels": ("问题同时给了一级分类（{a}）和二级分类（{b}）",
                       "the question gives both a category ({a}) and a subcategory ({b})"),
    "unfinished_and_status": ("问题既问未办结又给了处理状态", "the question asks for unfinished orders and gives a status too"),
    "many_places": ("问题里的地点多于两个：{items}", "more than two places in the question: {items}"),
    "same_name": ("地点“{items}”有多处同名，请说明是哪一个（如加上街道或社区）",
                  "several places are called “{items}”; say which one (add its subdistrict or community)"),
    "two_places": ("问题里有两个地点（{a}、{b}）", "the question names two places ({a}, {b})"),
    "no_subject": ("没有看出问的是投诉、宗地、建筑、BIM 模型还是 POI",
                   "could not tell whether the question is about complaints, parcels, buildings, BIM models or POIs"),
    "no_layer": ("工作空间里找不到回答这个问题的图层（或有多个，无法确定用哪个）",
                 "the workspace has no layer to answer this (or several, and which one is unclear)"),
    # refusals
    "problems": ("{items}", "{items}"),
    "unknown": ("没有理解“{items}”", "did not understand “{items}”"),
    "unknown_known": ("没有理解“{items}”；已理解：{known}", "did not understand “{items}”; understood: {known}"),
    "place_level": ("按{level}（{name}）统计投诉还不支持；小区请用 lzt stats --by compound",
                    "counting complaints by {level_en} ({name}) is not supported yet; for compounds use lzt stats --by compound"),
    "no_place_field": ("投诉图层没有 {field} 字段，无法按{level}筛选",
                       "the complaint layer has no {field} field to filter by {level_en}"),
    "place_not_in_records": ("投诉记录的{level}字段里没有“{name}”", "no complaint record has “{name}” as its {level_en}"),
    "outside_data": ("数据范围为 {first} 至 {last}（数据截至 {last}），所问时段 {start} 至 {end} 在数据{side}，没有可统计的记录",
                     "the records cover {first} to {last} (data up to {last}); the period asked, {start} to {end}, "
                     "lies {side_en} them: there is nothing to count"),
    "bad_group": ("不能按“{group}”分组", "cannot group by “{group}”"),
    "rank_without_group": ("问的是“最多/前几名”，但没有说按什么排（如“哪个社区”“各街道”“哪类”）",
                           "the question asks for the most or a top N but not of what (e.g. which community, each subdistrict, which category)"),
    "which_without_rank": ("问的是“哪个”，但没有说是最多还是最少", "the question asks “which” but not whether the most or the fewest"),
    "nothing_to_compare": ("{scope}没有记录，无从比较", "no records in {scope}: nothing to compare"),
    "tie_at_n": ("第 {n} 名与第 {n1} 名并列（{a}、{b} 各 {count} 件），前 {n} 名不唯一",
                 "places {n} and {n1} are tied ({a}, {b}: {count} each); the top {n} is not unique"),
    "share_grouped": ("占比问题不能同时分组", "a share cannot be grouped as well"),
    "share_of_what": ("占比：没有看出是谁占谁的比例", "share: could not tell what is a share of what"),
    "share_of_nothing": ("{scope}的总数为 0，占比无意义", "the total of {scope} is 0: a share means nothing"),
    "change_needs_window": ("环比/同比需要一个时段（如“上月”“第三季度”）",
                            "a month-on-month or year-on-year change needs a period (e.g. last month, the third quarter)"),
    "change_grouped": ("环比/同比问题不能同时分组", "a month-on-month or year-on-year change cannot be grouped as well"),
    "change_of_nothing": ("对比时段 {label} 没有记录，{word}无意义",
                          "the period compared with ({from} to {to}) has no records: the {measure_en} means nothing"),
    "only_counts": ("这类问题目前只回答“有多少”，不分组、不带时间或分类",
                    "questions of this kind are answered only as “how many”, without grouping, time or categories"),
    "idle_by_place": ("闲置土地按街道/社区统计还不支持；请去掉地点或用 lzt check",
                      "idle land by subdistrict or community is not supported yet; leave out the place or use lzt check"),
    "no_height_field": ("图层 {layer} 没有高度字段", "layer {layer} has no height field"),
    "bim_by_place": ("BIM 模型按街道/社区统计还不支持", "BIM models by subdistrict or community are not supported yet"),
    "buildings_by_level": ("建筑按{level}统计还不支持", "buildings by {level_en} are not supported yet"),
    "poi_only_near": ("POI 问题目前只回答某地附近某类 POI 有多少",
                      "POI questions are answered only as how many POIs of a kind lie near a place"),
    "poi_near_where": ("没有说在哪里附近找{category}", "the question does not say near where to look for {category}"),
    "poi_not_a_point": ("“{name}”是{level}，不是一个点；请说一个小区、道路或 POI",
                        "“{name}” is a {level_en}, not a point; name a compound, road or POI"),
    "poi_no_distance": ("没有说在{name}多大范围内找{category}", "the question does not say how far from {name} to look for {category}"),
    "where_no_place": ("问的是位置，但没有找到这个地名", "the question asks where, but the place was not found"),
    "where_extra": ("位置问题不带时间、分类或分组", "a question of where takes no time, category or grouping"),
    "refused": ("无法准确回答：{reason}", "Cannot answer precisely: {reason}"),
    "cannot": ("无法回答：{reason}", "Cannot answer: {reason}"),
    # the answer's sentence (counts come formatted) and the scope it counted
    "scope": ("{items} ", "{items}"),
    "all_time": ("全部时间", "all time"),
    "period": ("{label}", "{from} to {to}"),
    "in_place": ("{name}{suffix}", "{name}"),
    "value": ("{value}", "{value}"),
    "not_finished": ("未办结", "not finished"),
    "total": ("{scope}共 {n} 件", "{scope}: {n} complaints"),
    "total_groups": ("{scope}共 {n} 件，分{groups}组", "{scope}: {n} complaints in {groups} groups"),
    "top_n": ("{scope}排名前 {n}：{items}", "{scope}, top {n}: {items}"),
    "ranked": ("{key} {n} 件", "{key} ({n})"),
    "extreme": ("{scope}{word}的是 {keys}（{n} 件）", "{scope}, {measure_en}: {keys} ({n} complaints)"),
    "extreme_tied": ("{scope}{word}的是 {keys}（{n} 件，并列）", "{scope}, {measure_en}: {keys} ({n} complaints each, tied)"),
    "share": ("{scope}{part} 件，占 {total} 件的 {pct}%", "{scope}: {part} of {total} complaints, {pct}%"),
    "change_up": ("{scope}{now} 件，{word}增长 {pct}%（对比 {label} {then} 件）",
                  "{scope}: {now} complaints, {measure_en}: up {pct}% (against {then} from {from} to {to})"),
    "change_down": ("{scope}{now} 件，{word}下降 {pct}%（对比 {label} {then} 件）",
                    "{scope}: {now} complaints, {measure_en}: down {pct}% (against {then} from {from} to {to})"),
    "idle_count": ("截至 {as_of}，闲置土地 {n} 宗", "idle land as of {as_of}: {n} parcels"),
    "bim_count": ("{items}：{n} 个", "{items}: {n}"),
    "building_count": ("{items}：{n} 栋", "{items}: {n}"),
    "poi_count": ("{name} {m} 米内的{category}：{n} 个", "{category} within {m} m of {name}: {n}"),
    "place_at": ("{name}（{level}，图层 {layer} #{fid}）位于 {x}, {y}（{crs}）",
                 "{name} ({level_en}, layer {layer} #{fid}) lies at {x}, {y} ({crs})"),
    "data_to": ("（数据截至 {to}）", " (data up to {to})"),
    "data_partial": ("（数据范围 {from} 至 {to}，{label}只有部分时段有数据）",
                     " (the records cover {from} to {to}; only part of {start} to {end} has data)"),
    # the keys of an answer's rows that are not values of the data
    "row_total": ("合计", "total"),
    "row_part": ("部分", "part"),
    "row_whole": ("总数", "whole"),
    "row_empty": ("（空）", "(empty)"),
    "level": ("{level}", "{level_en}"),
}

#: (key, value name) -> (Chinese, English) separators of a list value; else 、 and ", "
SEPARATORS = {("problems", "items"): ("；", "; "), ("unknown", "items"): ("”“", "”, “"),
              ("unknown_known", "items"): ("”“", "”, “"), ("unknown_known", "known"): ("，", ", "),
              ("scope", "items"): (" ", " "), ("top_n", "items"): ("，", ", ")}
_MEASURE_EN = {"环比": "month-on-month change", "同比": "year-on-year change", "占比": "share", "最多": "the most",
               "最少": "the fewest"}
_OP_EN = {"超过": ">", "≥": "≥"}
_SIDE_EN = {"之后": "after", "之前": "before"}


@dataclass(frozen=True)
class Said:
    """One understood part, reason or answer: a ``TEMPLATES`` key and its values (a ``Said`` is
    rendered in the same language, lists of texts or of ``Said`` are joined)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        """The part in ``lang`` ("zh" or "en"; anything else is English)."""
        zh = lang.startswith("zh")
        values = {}
        for name, v in self.params.items():
            if isinstance(v, (list, tuple)):
                sep = SEPARATORS.get((self.key, name), ("、", ", "))[0 if zh else 1]
                v = sep.join(x.text(lang) if isinstance(x, Said) else str(x) for x in v)
            elif isinstance(v, Said):
                v = v.text(lang)
            elif isinstance(v, float):
                v = f"{v:g}"
            values[name] = v
        values.update(_english(values))
        return TEMPLATES[self.key][0 if zh else 1].format(**values)


def _english(values: dict[str, Any]) -> dict[str, str]:
    out = {}
    for name, v in values.items():
        s = str(v)
        en = LEVEL_EN.get(s) or FIELD_EN.get(s) or _MEASURE_EN.get(s) or _OP_EN.get(s) or _SIDE_EN.get(s)
        if name == "items":  # a list of field keys (rank_objects)
            en = ", ".join(FIELD_EN.get(x, x) for x in s.split("、"))
        out[f"{name}_en"] = en if en is not None else s
    if "field" in values:
        from lzt.search.topics import TOPIC_FIELDS

        out["field_zh"] = TOPIC_FIELDS.get(values["field"], values["field"])
    if "word" in values:
        out["measure_en"] = _MEASURE_EN.get(str(values["word"]), str(values["word"]))
    return {k: v for k, v in out.items() if k not in values}  # a value given in English stays


def join(parts: list[Said], lang: str = "zh") -> str:
    """Understood parts as one line (，/, between them)."""
    return ("，" if lang.startswith("zh") else ", ").join(p.text(lang) for p in parts)
