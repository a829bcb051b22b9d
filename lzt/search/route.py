"""One box for places and questions: whether a text asks something (→ ``ask``) or names a place
(→ ``find``).

A question carries a question or measure word (多少, 几, 哪, 吗, 排名, 前N, 占比, 最多, 环比, 同比,
统计, 各/每/按 + a grouping), a time phrase (今年, 上月, 近30天, 2025年3月, 第三季度) or a question
mark; a place name or address carries none of these. Pinyin initials and short names go to find.
"""

from __future__ import annotations

import re

from lzt.search import text

_QUESTION = re.compile(
    r"[?？]|多少|几[个件宗栋条处次]|哪|吗|什么|怎么|如何|是否|有没有|排名|排行|前\s*\d+|前[一二三四五六七八九十]+[名个]?"
    r"|占比|比例|比重|最多|最少|最高|最低|环比|同比|增长|下降|趋势|统计|总数|数量|合计"
    r"|各(?:个)?(?:街道|社区|类|月|渠道|状态)|每(?:个)?(?:月|周|街道|社区)|按(?:街道|社区|类别|月|状态|渠道)"
    r"|今年|去年|本月|上月|上个月|本周|上周|近\s*\d+\s*[天日月年]|近[一二三四五六七八九十]+[天个]|\d{4}\s*年|第[一二三四]季度|上半年|下半年")


def is_question(raw: str) -> bool:
    """Whether ``raw`` is a question for 问数 rather than a place to find."""
    t = str(raw or "").strip()
    if not t or text.is_initials_query(t):
        return False
    return bool(_QUESTION.search(t))
