"""问数's reading and refusals rendered per language: the Chinese is exactly what the JSON carries,
the English holds no Chinese but the data's own values (place names, categories, words asked)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from lzt.analysis.answer import ask
from lzt.search.explain import TEMPLATES, Said
from lzt.workspace.open import open_workspace

CJK = re.compile(r"[\u4e00-\u9fff]")
#: values from the data or the question, shown as they are in English too
DATA = ("name", "value", "category", "items", "a", "b", "word", "text", "layer", "group", "finished")
QUESTIONS = ["", "龙" * 200, "name = 'x'", "2023年投诉多少", "今年和去年投诉", "各街道按类别投诉", "最多最少的街道", "环比占比",
             "噪声扰民违章停车一级二级", "未办结的已办结投诉", "龙城 平湖 坂田 布吉投诉", "平湖花园附近500米内的学校有几所",
             "今天天气怎么样", "哪个社区投诉", "投诉最多", "各街道投诉占比", "投诉环比", "闲置的宗地有多少个按街道",
             "龙城街道闲置土地", "龙城街道BIM模型", "学校有几所", "在哪", "今年龙城街道在哪", "吉华街道回龙埔社区投诉多少",
             "龙城街道今年噪声扰民投诉多少？", "上个月哪个社区的占道经营最多？", "各街道今年噪音投诉最多",
             "龙城街道未办结的占比", "高度超过100米的建筑有多少", "BIM模型超过50米的有多少", "每月投诉的最少"]


def _data_values(parts) -> list[str]:
    out = []
    for p in parts:
        for k, v in p.params.items():
            vs = v if isinstance(v, (list, tuple)) else [v]
            out += _data_values([x for x in vs if isinstance(x, Said)])
            out += [str(x) for x in vs if not isinstance(x, Said) and (k in DATA or k.endswith("_en"))]
    return sorted(out, key=len, reverse=True)


@pytest.fixture(scope="module")
def demo_ws(demo_path):
    ws = open_workspace(demo_path)
    yield ws
    ws.close()


@pytest.mark.parametrize("question", QUESTIONS)
def test_chinese_is_the_contract_and_english_has_no_chinese_words(demo_ws, question):
    a = ask(demo_ws, question, as_of=date(2025, 12, 15))
    words, reason = a.explain("zh")
    assert words == "，".join(a.understood.words) and reason == a.reason
    assert a.understood.to_json()["words"] == a.understood.words and "said" not in a.understood.to_json()
    words_en, reason_en = a.explain("en")
    assert bool(words_en) == bool(a.understood.words) and bool(reason_en) == a.refused
    parts = a.understood.said + ([a.reason_said] if a.reason_said else [])
    rest = words_en + " " + reason_en
    for v in _data_values(parts):
        rest = rest.replace(v, "")
    assert not CJK.search(rest), (question, words_en, reason_en)


def test_every_template_has_both_languages_with_the_same_values():
    for key, (zh, en) in TEMPLATES.items():
        names = set(re.findall(r"{(\w+)}", zh)) | {n.removesuffix("_en") for n in re.findall(r"{(\w+)}", en)}
        names.discard("field_zh")
        names |= {"field"} if "field_zh" in zh else set()
        params = {n: "x" for n in names}
        if "field" in params:
            params["field"] = "cat_l1"
        Said(key, params).text("zh"), Said(key, params).text("en")  # every value either needs is given
        assert not CJK.search(en.replace("“", "").replace("”", "")), key
