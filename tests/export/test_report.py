"""The parcel PDF report: vector text with the embedded CJK font, the numbers of the checks, no personal data."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from lzt.cli.main import main
from lzt.workspace import open_workspace

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_report_holds_terms_results_map_and_history(demo_copy, tmp_path, capsys):
    ws = open_workspace(demo_copy)
    try:
        from lzt.analysis.supervision import run_checks

        checks = run_checks(ws, as_of=date(2026, 11, 1))
        target = next(c for c in checks if c.models and c.worst == "FAIL")
        ws.add_inspection("supervision", target.fid, {"inspected_on": "2026-10-30", "inspector": "刘工",
                                                      "result": "在建", "notes": "主体结构施工"},
                          expected_version=1)
        phones = ws.read_features("complaints", columns=["citizen_phone"], limit=5000)["citizen_phone"]
    finally:
        ws.close()
    out = tmp_path / "report.pdf"
    assert main(["check", str(demo_copy), "--parcel", target.parcel_id, "--as-of", "2026-11-01",
                 "--report", str(out)]) == 0
    text = _text(out)
    flat = "".join(text.split())
    assert "宗地批后监管核查报告" in flat and target.parcel_id in flat
    for r in target.results:
        assert {"idle_land": "闲置土地", "overdue_completion": "逾期竣工", "far": "容积率", "coverage": "建筑密度",
                "height": "建筑限高", "setback": "退线"}[r.rule] in flat
    far = next(r for r in target.results if r.rule == "far")
    assert f"{far.value:g}" in flat
    assert "刘工" in flat and "主体结构施工" in flat and "周边300米内民生诉求共" in flat
    assert not any(p and p in flat for p in phones)  # no raw phone number of any complaint
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "LZTSansSC" in fonts and " yes " in fonts.splitlines()[2]
    assert not list(tmp_path.glob(".report*"))


def test_report_of_all_failing_parcels_and_bad_output(demo_path, tmp_path, capsys):
    out = tmp_path / "all.pdf"
    assert main(["check", str(demo_path), "--as-of", "2026-11-01", "--report", str(out), "--json"]) == 0
    import json

    failing = [c["parcel_id"] for c in json.loads(capsys.readouterr().out) if c["status"] == "FAIL"]
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    n_pages = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
    assert n_pages >= len(failing) > 10
    assert main(["check", str(demo_path), "--parcel", failing[0], "--report", str(tmp_path / "x.txt")]) == 2
    assert main(["check", str(demo_path), "--parcel", failing[0], "--report", str(tmp_path / "no" / "x.pdf")]) == 2
    assert "folder does not exist" in capsys.readouterr().err
