"""lzt warn: the --json contract, stderr notes apart, --out, one-line errors, nothing personal."""

import json

import pytest

from lzt.cli.main import main
from tests.warn_data import REPEAT_ID, REPEAT_NAME, REPEAT_PHONE, make_workspace


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def ws_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("warncli") / "w.gpkg"
    make_workspace(path).close()
    return path


def test_json_contract(capsys, ws_path):
    code, out, err = run(capsys, "warn", ws_path, "complaints", "--cell", 200, "--json")
    assert code == 0
    rows = json.loads(out)  # notes stay on stderr
    assert "季节调整" in err
    assert rows and all(set(r) == {"area", "category", "kind", "level", "evidence", "first_seen", "orders"}
                        for r in rows)
    assert {"异动", "多人同诉", "一人多诉", "重复地址", "敏感词", "新增热点"} <= {r["kind"] for r in rows}
    for secret in (REPEAT_PHONE, REPEAT_ID, REPEAT_NAME, "李四"):
        assert secret not in out and secret not in err


def test_text_polygons_month_and_out_layer(capsys, ws_path):
    code, out, _ = run(capsys, "warn", ws_path, "complaints", "--polygons", "communities", "--out", "预警")
    assert code == 0 and "苗头预警" in out and "已保存为图层 预警" in out
    from lzt.workspace import open_workspace

    ws = open_workspace(ws_path)
    try:
        layer = ws.read_features("预警")
        assert len(layer) and set(layer["kind"]) >= {"异动", "一人多诉"}
        assert not layer.to_json().count(REPEAT_PHONE)
    finally:
        ws.close()
    code, out, _ = run(capsys, "warn", ws_path, "complaints", "--cell", 250, "--hex", "--period", "month",
                       "--by", "category2", "--json")
    assert code == 0 and isinstance(json.loads(out), list)


@pytest.mark.parametrize("argv,needle", [
    (["--cell", "200", "--as-of", "2031-01-01"], "no records in the week"),
    (["--cell", "200", "--as-of", "2025-13-01"], "YYYY-MM-DD"),
    (["--polygons", "nosuch"], "nosuch"),
    (["--polygons", "communities", "--hex"], "--hex"),
    (["--cell", "-5"], "--cell"),
])
def test_bad_input_is_one_line_exit_2(capsys, ws_path, argv, needle):
    code, out, err = run(capsys, "warn", ws_path, "complaints", *argv)
    assert code == 2 and out == ""
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_needs_cell_or_polygons(capsys, ws_path):
    code, _, err = run(capsys, "warn", ws_path, "complaints")
    assert code == 2 and "--cell" in err
