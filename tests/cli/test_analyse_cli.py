"""lzt analyse and lzt stats --by compound / --out on the demo: results saved, bad input exits 2."""

from __future__ import annotations

import json

import pytest

from lzt.cli.main import main
from lzt.workspace import open_workspace


def test_analyses_save_layers_and_print_no_personal_data(demo_copy, capsys):
    ws_path = str(demo_copy)
    assert main(["stats", ws_path, "complaints", "--by", "compound", "--top", "10", "--json"]) == 0
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert len(rows) == 10 and all(a["count"] >= b["count"] for a, b in zip(rows, rows[1:]))
    assert "距住宅小区超过 100 米" in out.err  # records near no compound: a note, not a row
    assert main(["stats", ws_path, "complaints", "--polygons", "communities", "--out", "comm_counts"]) == 0
    assert main(["analyse", ws_path, "complaints", "kde", "--cell", "100", "--bandwidth", "400",
                 "--out", "kde400"]) == 0
    assert main(["analyse", ws_path, "complaints", "repeats", "--json", "--out", "rep"]) == 0
    out = capsys.readouterr().out
    summary = json.loads(out[out.index("{"):])
    assert summary["rule"] == {"level": "cat_l2", "distance_m": 50.0, "days": 30.0, "inclusive": True}
    assert 0 < summary["repeats"] <= summary["considered"] == 20_000
    assert main(["analyse", ws_path, "complaints", "trend", "--by", "street", "--json"]) == 0
    trend = json.loads(capsys.readouterr().out)
    assert sum(r["count"] for r in trend) == 20_000 and len({r["month"] for r in trend}) == 24
    assert main(["analyse", ws_path, "complaints", "join", "--polygons", "streets", "--by", "category",
                 "--out", "street_counts", "--json"]) == 0
    joined = json.loads(capsys.readouterr().out)
    assert len(joined) == 11
    ws = open_workspace(demo_copy)
    try:
        kinds = {li.name: li.kind for li in ws.layers()}
        assert kinds["comm_counts"] == kinds["rep"] == kinds["street_counts"] == "analysis"
        assert kinds["kde400"] == "raster"
        assert ws.layer("comm_counts").count == 111
        rep_fields = set(ws.fields("rep"))
        assert not rep_fields & {"citizen_name", "citizen_phone", "citizen_id"}
        phones = set(ws.read_features("complaints", columns=["citizen_phone"], limit=2000)["citizen_phone"])
    finally:
        ws.close()
    assert not any(p and p in out for p in phones)


@pytest.mark.parametrize("argv, message", [
    (["analyse", "{ws}", "complaints", "kde", "--cell", "0", "--bandwidth", "100", "--out", "k"], "--cell"),
    (["analyse", "{ws}", "nope", "trend"], "no layer named 'nope'"),
    (["analyse", "{ws}", "parcels", "kde", "--cell", "50", "--bandwidth", "200", "--out", "k"], "not a point layer"),
    (["analyse", "{ws}", "parcels", "repeats"], "no category field"),
    (["analyse", "{ws}", "complaints", "trend", "--from", "2025-13-01"], "expected YYYY-MM-DD"),
    (["analyse", "{ws}", "complaints", "trend", "--from", "2025-06-01", "--to", "2025-01-01"], "is after --to"),
    (["analyse", "{ws}", "complaints", "join", "--polygons", "poi", "--out", "x"], "not a polygon layer"),
    (["analyse", "{ws}", "complaints", "join", "--polygons", "streets", "--out", "parcels"], "not an analysis result"),
    (["stats", "{ws}", "complaints", "--polygons", "communities", "--out", "complaints"], "input of this analysis"),
])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(demo_copy, capsys, argv, message):
    before = demo_copy.stat().st_size, sorted(li.name for li in open_workspace(demo_copy).layers())
    assert main([a.replace("{ws}", str(demo_copy)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    ws = open_workspace(demo_copy)
    assert sorted(li.name for li in ws.layers()) == before[1]
    ws.close()
