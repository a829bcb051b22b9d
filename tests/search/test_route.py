"""The search box's routing: places to find, questions to ask."""

from __future__ import annotations

import pytest

from lzt.search.route import is_question


@pytest.mark.parametrize("text", ["龙城街道", "lcjd", "紫薇花园3栋", "龙城街道爱联社区怡景路23号", "平湖花园项目",
                                  "LG-003001-00001", "龙城", ""])
def test_places_go_to_find(text):
    assert not is_question(text)


@pytest.mark.parametrize("text", ["龙城街道今年噪声扰民投诉多少？", "上个月哪个社区的占道经营最多", "平湖花园项目在哪？",
                                  "各街道投诉", "闲置宗地有多少", "2025年3月噪音投诉排名前5的社区", "近30天违停环比",
                                  "第三季度按类别统计"])
def test_questions_go_to_ask(text):
    assert is_question(text)
