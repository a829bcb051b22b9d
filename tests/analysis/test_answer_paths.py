"""问数's fast paths give what the commands it names give: the coded counts equal ``lzt stats``
run with the answer's own arguments (the database's GROUP BY), and the 闲置土地 count equals the
idle-land rule of the full ``lzt check``."""

from __future__ import annotations

from datetime import date

import pytest

from lzt.analysis.answer import ask
from lzt.analysis.coded_columns import coded
from lzt.analysis.complaints import stats_by_field
from lzt.analysis.supervision import run_checks
from lzt.query import expr as cql
from lzt.workspace.open import open_workspace

AS_OF = date(2025, 12, 15)
QUESTIONS = ["龙城街道今年噪声扰民投诉多少？", "上个月哪个社区的占道经营最多？", "各街道投诉数量排名前5",
             "第三季度各街道投诉", "按类别统计今年的投诉", "每月投诉趋势", "龙城街道未办结的占比",
             "上个月投诉环比", "今年噪声扰民同比", "最少的街道是哪个", "2025年3月各渠道投诉"]


@pytest.fixture(scope="module")
def demo_ws(demo_path):
    ws = open_workspace(demo_path)
    yield ws
    ws.close()


def _stats_rows(ws, args: dict) -> list[dict]:
    where = cql.parse(args["where"], fields=ws.fields(args["layer"])) if args["where"] else None
    return stats_by_field(ws, args["layer"], args["by"], where=where,
                          date_from=date.fromisoformat(args["from"]) if args["from"] else None,
                          date_to=date.fromisoformat(args["to"]) if args["to"] else None)


@pytest.mark.parametrize("question", QUESTIONS)
def test_counts_equal_lzt_stats_with_the_answers_arguments(demo_ws, question):
    assert coded(demo_ws, "complaints") is not None  # the fast path is the one under test
    a = ask(demo_ws, question, as_of=AS_OF)
    assert not a.refused, a.reason
    for q in (a.query, a.query.get("whole"), a.query.get("compared_with")):
        if not q:
            continue
        rows = _stats_rows(demo_ws, q["stats"])
        total = sum(r["count"] for r in rows)
        if q is a.query and a.rows and "key" in a.rows[0] and a.understood.group_by:
            by_key = {r["key"]: r["count"] for r in rows}
            assert all(by_key.get(r["key"], 0) == r["count"] for r in a.rows)
        elif q is a.query and a.understood.measure == "count":
            assert a.answer == total
    if a.understood.measure == "share":
        part, whole = (_stats_rows(demo_ws, q["stats"]) for q in (a.query, a.query["whole"]))
        assert a.answer == round(100.0 * sum(r["count"] for r in part) / sum(r["count"] for r in whole), 1)


def test_idle_land_is_the_full_checks_idle_rule(demo_ws):
    a = ask(demo_ws, "闲置的宗地有多少", as_of=AS_OF)
    full = sorted(c.parcel_id for c in run_checks(demo_ws, as_of=AS_OF)
                  for r in c.results if r.rule == "idle_land" and r.status == "FAIL")
    assert not a.refused and a.answer == len(full) and sorted(r["key"] for r in a.rows) == full
    assert full  # the demo has idle parcels: the comparison is not of two empty lists


@pytest.mark.parametrize("question", ["水官高速附近的学校有几所", "水官高速500米内的便利店有多少",
                                      "园山山体景观控制区周边的幼儿园有多少", "万科公寓13栋附近的便利店有几个"])
def test_near_counts_equal_lzt_query_with_the_answers_arguments(demo_ws, question):
    from lzt.query.run import QuerySpec, run_query

    a = ask(demo_ws, question, as_of=AS_OF)
    assert not a.refused, a.reason
    q = a.query["query"]
    dwithin = tuple(q["dwithin"]) if q["dwithin"] else None
    got = run_query(demo_ws, QuerySpec(layer=q["layer"], where=q["where"], dwithin=dwithin))
    assert a.answer == got.count
    # a point place is queried by its point, any other place by its geometry (never both)
    point = demo_ws.layer(a.understood.place["layer"]).geometry_type.lower() == "point"
    assert (dwithin is not None) == point and ("S_DWITHIN" in q["where"]) != point
    assert a.query["command"].startswith(f"lzt query WS {q['layer']} --where \"{q['where']}\"")
