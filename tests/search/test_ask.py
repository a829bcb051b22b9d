"""问数 and find on the demo: the question set scored against an independent pandas oracle."""

from __future__ import annotations

import json

from lzt.cli.main import main
from tests.search.ask_cases import run


def test_question_set_exact_and_never_wrong(demo_path):
    t = run(demo_path)
    n = sum(len(v) for v in t.values())
    assert n >= 200
    assert len(t["wrong"]) <= 0.02 * n, t["wrong"][:5]
    assert len(t["exact"]) >= 0.9 * n, t["refused"][:5]


def test_find_json_contract_and_no_personal_data(demo_path, capsys):
    assert main(["find", str(demo_path), "龙城街道", "--json", "--limit", "3"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and set(rows[0]) == {"name", "kind", "layer", "fid", "level", "score", "x", "y"}
    assert rows[0]["level"] == "街道" and rows[0]["layer"] == "streets"
    # no complaint layer, no citizen name is ever a result
    from lzt.workspace.open import open_workspace

    ws = open_workspace(demo_path)
    name = str(ws.read_features("complaints", columns=["citizen_name"], geometry=False, limit=1).iloc[0, 0])
    ws.close()
    assert main(["find", str(demo_path), name, "--json"]) == 0
    assert all(r["layer"] != "complaints" for r in json.loads(capsys.readouterr().out))


def test_bad_input_is_refused_not_raised(demo_path, capsys):
    assert main(["find", str(demo_path), ""]) == 2
    for q in ("", "龙" * 5000, "name = 'x'; DROP TABLE poi"):
        assert main(["ask", str(demo_path), q, "--json", "--as-of", "2025-12-15"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["refused"] and out["reason"] and out["answer"] is None


def test_the_answer_says_what_dates_the_data_covers(demo_path, capsys):
    import pandas as pd
    import pyogrio

    df = pyogrio.read_dataframe(demo_path, layer="complaints", read_geometry=False, columns=["received_at"])
    day = pd.to_datetime(df["received_at"]).dt.strftime("%Y-%m-%d")
    first, last = day.min(), day.max()
    end = pd.Timestamp(last)

    def ask(q, as_of):
        assert main(["ask", str(demo_path), q, "--json", "--as-of", as_of]) == 0
        out = json.loads(capsys.readouterr().out)
        assert {"understood", "query", "answer", "rows", "refused", "reason", "data_range"} <= set(out)
        return out

    # a window inside the data: answered, the last day said
    inside = ask("去年投诉多少", (end + pd.Timedelta(days=10)).strftime("%Y-%m-%d"))
    assert not inside["refused"] and f"数据截至 {last}" in inside["text"]
    assert inside["data_range"] == {"from": first, "to": last, "field": "received_at", "window": "inside"}
    assert inside["answer"] == int((day.str[:4] == str(end.year)).sum())
    # 今年 when the records end last year: refused saying so, not answered 0
    after = ask("今年投诉多少", f"{end.year + 1}-03-01")
    assert after["refused"] and after["answer"] is None and f"数据截至 {last}" in after["reason"]
    assert "在数据之后" in after["reason"] and after["data_range"]["window"] == "outside"
    # a window reaching past the last day: answered with what there is, and said
    as_of = end + pd.Timedelta(days=10)
    part = ask("近30天投诉多少", as_of.strftime("%Y-%m-%d"))
    lo = (as_of - pd.Timedelta(days=29)).strftime("%Y-%m-%d")
    assert not part["refused"] and part["answer"] == int((day >= lo).sum())
    assert part["data_range"]["window"] == "partial" and "只有部分时段有数据" in part["text"]
    # a question about another layer has no complaint dates
    assert ask("有多少BIM模型", "2025-12-15")["data_range"] is None
