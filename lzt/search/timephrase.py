"""Time phrases of a question, as an inclusive date window relative to an as-of date.

Conventions [P] (the issue fixes the phrases, not their edges): 今年/本月/本周/本季度 run from
their start to the as-of date; 去年/上月/上周/上季度 and named periods (2025年3月, 第三季度,
上半年) are whole; 近N天 is the N days ending on the as-of date (today included); 近N个月 /
近N周 / 近N年 end on the as-of date and start the same day N units earlier (plus one day).
A named period that starts after the as-of date is not understood (it has not happened).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from lzt.search.text import NUMBER, chinese_number


@dataclass(frozen=True)
class Window:
    """An inclusive date window; ``unit`` says what kind of period it is (for 环比)."""

    start: date
    end: date
    label: str
    unit: str  # "year" | "half" | "quarter" | "month" | "week" | "day" | "days"


def _month_end(y: int, m: int) -> date:
    return (date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months (the day clipped to the month's length)."""
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    return date(y, m + 1, min(d.day, _month_end(y, m + 1).day))


def _quarter(y: int, q: int) -> tuple[date, date]:
    return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)


_YEAR = r"(?:(?P<y>\d{4})年|(?P<rel>今年|去年|前年|本年|上一年))?"
_PATTERNS: list[tuple[str, str]] = [
    ("range", r"(?P<y1>\d{4})年(?P<m1>\d{1,2})月(?:(?P<d1>\d{1,2})日)?(?:至|到|-|~|—)(?:(?P<y2>\d{4})年)?"
              r"(?P<m2>\d{1,2})月(?:(?P<d2>\d{1,2})日)?"),
    ("iso_month", r"(?P<y>\d{4})-(?P<m>\d{1,2})(?!\d)"),
    ("day", r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"),
    ("month", _YEAR + rf"(?P<m>{NUMBER})月份?(?!内)"),
    ("quarter", _YEAR + r"(?:第(?P<q>[一二三四1-4])季度|(?P<q2>[一二三四1-4])季度|Q(?P<q3>[1-4]))"),
    ("half", _YEAR + r"(?P<h>上半年|下半年)"),
    ("recent", rf"(?:近|最近|过去|前)(?P<n>{NUMBER})(?:个)?(?P<u>天|日|周|星期|个月|月|年)"),
    ("named", r"今年以来|今年|本年度|本年|去年|上一年|前年|本季度|这个季度|上季度|上个季度|本月|这个月|当月|"
              r"上月|上个月|本周|这周|这个星期|上周|上个星期|上星期|今天|今日|昨天|昨日"),
    ("year", r"(?P<y>\d{4})年(?:度|全年)?"),
]
_COMPILED = [(k, re.compile(p)) for k, p in _PATTERNS]
_Q = {"一": 1, "二": 2, "三": 3, "四": 4}


def _year(m: re.Match, as_of: date) -> int:
    if m.groupdict().get("y"):
        return int(m.group("y"))
    rel = m.groupdict().get("rel")
    return as_of.year - {"去年": 1, "上一年": 1, "前年": 2}.get(rel or "", 0)


def _named(text: str, as_of: date) -> Window:
    y = as_of.year
    if text in ("今年", "本年", "本年度", "今年以来"):
        return Window(date(y, 1, 1), as_of, f"{y}年（截至{as_of}）", "year")
    if text in ("去年", "上一年"):
        return Window(date(y - 1, 1, 1), date(y - 1, 12, 31), f"{y - 1}年", "year")
    if text == "前年":
        return Window(date(y - 2, 1, 1), date(y - 2, 12, 31), f"{y - 2}年", "year")
    q = (as_of.month - 1) // 3 + 1
    if text in ("本季度", "这个季度"):
        return Window(_quarter(y, q)[0], as_of, f"{y}年第{q}季度（截至{as_of}）", "quarter")
    if text in ("上季度", "上个季度"):
        py, pq = (y, q - 1) if q > 1 else (y - 1, 4)
        return Window(*_quarter(py, pq), f"{py}年第{pq}季度", "quarter")
    if text in ("本月", "这个月", "当月"):
        return Window(date(y, as_of.month, 1), as_of, f"{y}年{as_of.month}月（截至{as_of}）", "month")
    if text in ("上月", "上个月"):
        d = add_months(date(y, as_of.month, 1), -1)
        return Window(d, _month_end(d.year, d.month), f"{d.year}年{d.month}月", "month")
    monday = as_of - timedelta(days=as_of.weekday())
    if text in ("本周", "这周", "这个星期"):
        return Window(monday, as_of, f"本周（{monday}至{as_of}）", "week")
    if text in ("上周", "上个星期", "上星期"):
        s = monday - timedelta(days=7)
        return Window(s, s + timedelta(days=6), f"上周（{s}至{s + timedelta(days=6)}）", "week")
    if text in ("今天", "今日"):
        return Window(as_of, as_of, str(as_of), "day")
    d = as_of - timedelta(days=1)  # 昨天
    return Window(d, d, str(d), "day")


def _window(kind: str, m: re.Match, as_of: date) -> Window | None:
    if kind == "named":
        return _named(m.group(0), as_of)
    if kind == "range":
        y1 = int(m.group("y1"))
        y2 = int(m.group("y2") or y1)
        s = date(y1, int(m.group("m1")), int(m.group("d1") or 1))
        e = (date(y2, int(m.group("m2")), int(m.group("d2"))) if m.group("d2")
             else _month_end(y2, int(m.group("m2"))))
        return Window(s, e, f"{s}至{e}", "days") if s <= e else None
    if kind == "day":
        d = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        return Window(d, d, str(d), "day")
    if kind in ("month", "iso_month"):
        mo = chinese_number(m.group("m"))
        if mo is None or not 1 <= mo <= 12:
            return None
        y = _year(m, as_of) if kind == "month" else int(m.group("y"))
        return Window(date(y, mo, 1), _month_end(y, mo), f"{y}年{mo}月", "month")
    if kind == "quarter":
        qs = m.group("q") or m.group("q2") or m.group("q3")
        q = _Q.get(qs) or int(qs)
        y = _year(m, as_of)
        return Window(*_quarter(y, q), f"{y}年第{q}季度", "quarter")
    if kind == "half":
        y = _year(m, as_of)
        first = m.group("h") == "上半年"
        return Window(date(y, 1, 1) if first else date(y, 7, 1), date(y, 6, 30) if first else date(y, 12, 31),
                      f"{y}年{m.group('h')}", "half")
    if kind == "recent":
        n = chinese_number(m.group("n"))
        if not n or n > 3650:
            return None
        u = m.group("u")
        if u in ("天", "日"):
            return Window(as_of - timedelta(days=n - 1), as_of, f"近{n}天（截至{as_of}）", "days")
        if u in ("周", "星期"):
            return Window(as_of - timedelta(days=7 * n - 1), as_of, f"近{n}周（截至{as_of}）", "days")
        months = n if u in ("个月", "月") else 12 * n
        return Window(add_months(as_of, -months) + timedelta(days=1), as_of, f"近{n}{u}（截至{as_of}）", "days")
    if kind == "year":
        y = int(m.group("y"))
        return Window(date(y, 1, 1), date(y, 12, 31), f"{y}年", "year")
    return None


def find_windows(text: str, as_of: date) -> list[tuple[int, int, Window | None]]:
    """Every time phrase of ``text``: (start, end, window or None when it is not a valid period),
    longest phrases first, none overlapping."""
    found: list[tuple[int, int, Window | None]] = []
    taken = [False] * len(text)
    for kind, rx in _COMPILED:
        for m in rx.finditer(text):
            if not m.group(0) or any(taken[m.start():m.end()]):
                continue
            try:
                w = _window(kind, m, as_of)
            except ValueError:  # 2025年2月30日
                w = None
            if w is not None and w.start > as_of:
                w = None  # has not happened yet
            found.append((m.start(), m.end(), w))
            for i in range(m.start(), m.end()):
                taken[i] = True
    return sorted(found)


def previous(w: Window, *, year_ago: bool = False) -> Window:
    """The period before ``w`` of the same kind (环比), or the same period a year earlier (同比)."""
    if year_ago:
        s, e = add_months(w.start, -12), add_months(w.end, -12)
        return Window(s, e, f"{s}至{e}", w.unit)
    months = {"year": 12, "half": 6, "quarter": 3, "month": 1}.get(w.unit)
    if months and w.start.day == 1:
        s = add_months(w.start, -months)
        whole = w.end == _month_end(w.end.year, w.end.month) and (w.end.month - w.start.month) % 12 == months - 1
        e = add_months(w.start, 0) - timedelta(days=1) if whole else add_months(w.end, -months)
        return Window(s, e, f"{s}至{e}", w.unit)
    days = (w.end - w.start).days + 1
    return Window(w.start - timedelta(days=days), w.start - timedelta(days=1),
                  f"{w.start - timedelta(days=days)}至{w.start - timedelta(days=1)}", w.unit)
