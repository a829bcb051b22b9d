"""The 问数 question set: questions phrased as analysts phrase them, with answers computed
independently (pandas on the complaint table read by pyogrio, windows written out by hand for
as-of 2025-12-15), and the scoring: exact / wrong / refused.

``python -m tests.search.ask_cases WS.gpkg`` prints the rates for a demo workspace.
"""

from __future__ import annotations

import itertools
import sys
from datetime import date

import pandas as pd
import pyogrio

AS_OF = date(2025, 12, 15)
#: phrase -> (from, to) inclusive, for AS_OF (by hand, not by lzt.search.timephrase)
TIMES = {"今年": ("2025-01-01", "2025-12-15"), "去年": ("2024-01-01", "2024-12-31"),
         "上个月": ("2025-11-01", "2025-11-30"), "上月": ("2025-11-01", "2025-11-30"),
         "2025年3月": ("2025-03-01", "2025-03-31"), "第三季度": ("2025-07-01", "2025-09-30"),
         "2024年第二季度": ("2024-04-01", "2024-06-30"), "近30天": ("2025-11-16", "2025-12-15"),
         "上半年": ("2025-01-01", "2025-06-30"), "2024年下半年": ("2024-07-01", "2024-12-31"),
         "本月": ("2025-12-01", "2025-12-15"), "上周": ("2025-12-08", "2025-12-14")}
SYN = {"噪音": ("cat_l1", "噪声扰民"), "违停": ("cat_l2", "违章停车"), "拖欠工资": ("cat_l2", "欠薪"),
       "积水": ("cat_l2", "内涝积水")}


def load(path) -> pd.DataFrame:
    df = pyogrio.read_dataframe(path, layer="complaints", read_geometry=False,
                                columns=["received_at", "street", "community", "cat_l1", "cat_l2", "status"])
    df["day"] = pd.to_datetime(df["received_at"]).dt.strftime("%Y-%m-%d")
    return df


def _sel(df, time=None, street=None, cat=None):
    m = pd.Series(True, index=df.index)
    if time:
        a, b = TIMES[time]
        m &= (df["day"] >= a) & (df["day"] <= b)
    if street:
        m &= df["street"] == street
    if cat:
        m &= df[cat[0]] == cat[1]
    return df[m]


def cases(df: pd.DataFrame) -> list[tuple[str, object]]:
    """[(question, expected)]: a number, a set of names, or None where a refusal is right."""
    streets = sorted(df["street"].dropna().unique())
    cats = [("cat_l1", v) for v in sorted(df["cat_l1"].dropna().unique())[:6]] + \
           [("cat_l2", v) for v in sorted(df["cat_l2"].dropna().unique())[:6]]
    out = []
    for (t, s), c in zip(itertools.product(list(TIMES)[:8], streets[:8]), itertools.cycle(cats)):
        n = len(_sel(df, t, s, c))
        out += [(f"{s}街道{t}{c[1]}投诉多少？", n), (f"{t}{s}街道有多少{c[1]}方面的工单", n)]
    for word, c in SYN.items():
        for t in ("今年", "去年", "上半年"):
            out.append((f"{t}{word}投诉有几件", len(_sel(df, t, cat=c))))
    for t in TIMES:
        for grp, label in (("community", "社区"), ("street", "街道")):
            counts = _sel(df, t).groupby(grp).size()
            out.append((f"{t}哪个{label}的投诉最多？", set(counts[counts == counts.max()].index)))
        counts = _sel(df, t).groupby("cat_l1").size()
        out.append((f"{t}哪类投诉最多", set(counts[counts == counts.max()].index)))
    for t, c in zip(TIMES, itertools.cycle(cats)):
        part, whole = len(_sel(df, t, cat=c)), len(_sel(df, t))
        out.append((f"{t}{c[1]}投诉占比是多少", round(100 * part / whole, 1) if whole else None))
        for s in streets[:2]:
            part, whole = len(_sel(df, t, s, c)), len(_sel(df, t, s))
            out.append((f"{s}街道{t}{c[1]}占比", round(100 * part / whole, 1) if whole else None))
    months = {"上月": ("2025-11-01", "2025-11-30", "2025-10-01", "2025-10-31"),
              "2025年3月": ("2025-03-01", "2025-03-31", "2025-02-01", "2025-02-28")}
    for t, (a, b, pa, pb) in months.items():
        for s in streets:
            now = ((df.day >= a) & (df.day <= b) & (df.street == s)).sum()
            then = ((df.day >= pa) & (df.day <= pb) & (df.street == s)).sum()
            out.append((f"{s}街道{t}投诉环比", round(100 * (now - then) / then, 1) if then else None))
    for t in list(TIMES)[:6]:
        for n in (3, 5):
            counts = _sel(df, t).groupby("community").size().sort_values(ascending=False)
            tie = len(counts) > n and counts.iloc[n - 1] == counts.iloc[n]
            out.append((f"{t}投诉排名前{n}的社区", None if tie else set(counts.index[:n])))
    for q in ("龙华区今年投诉多少", "明天会下雨吗", "SELECT * FROM complaints", "帮我画一张热力图",
              "福田区上月噪音投诉", "", "龙" * 5000, "今年火星上的投诉多少", "cat_l1 = '水务'",
              "今年和去年投诉多少"):
        out.append((q, None))
    return out


def score(got: dict, expected) -> str:
    """"exact", "wrong" or "refused" for one answer (a right refusal counts as exact)."""
    if got["refused"]:
        return "exact" if expected is None else "refused"
    if expected is None:
        return "wrong"
    if isinstance(expected, set):
        return "exact" if set(str(got["answer"]).split("、")) == expected else "wrong"
    return "exact" if abs(float(got["answer"]) - float(expected)) < 0.051 else "wrong"


def tally(path, questions) -> dict:
    """Each ``(question, expected)`` asked of the workspace at ``path`` as of ``AS_OF`` and scored:
    {"exact" | "wrong" | "refused": [(question, expected, answer, reason)]} (every question set's)."""
    from lzt.analysis.answer import ask
    from lzt.workspace.open import open_workspace

    ws = open_workspace(path)
    out = {"exact": [], "wrong": [], "refused": []}
    try:
        for q, expected in questions:
            got = ask(ws, q, as_of=AS_OF).to_json()
            out[score(got, expected)].append((q, expected, got["answer"], got["reason"]))
    finally:
        ws.close()
    return out


def print_rates(t: dict, shown: int = 15) -> None:
    """The rates of a ``tally`` and its first wrong and refused answers."""
    n = sum(len(v) for v in t.values())
    print(f"{n} questions: " + ", ".join(f"{k} {len(v)} ({100 * len(v) / max(n, 1):.1f} %)" for k, v in t.items()))
    for k in ("wrong", "refused"):
        for row in t[k][:shown]:
            print(k, row)


def run(path) -> dict:
    return tally(path, cases(load(path)))


if __name__ == "__main__":
    print_rates(run(sys.argv[1]))
