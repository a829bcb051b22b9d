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
