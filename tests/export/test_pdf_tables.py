"""Every table in every PDF product is readable: rendered with poppler, the cells behind the text
have their own background (white, or the row's status colour), never a brush left over from the
map drawing (the 核查记录 table was once filled black by the report's north arrow)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import numpy as np
import pytest
from PIL import Image

from lzt.cli.main import main
from lzt.workspace import open_workspace

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftoppm, pdftotext) not installed")

DPI = 100
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


class Rendered:
    """The pages of a PDF as RGB arrays, with poppler's word boxes (device pixels)."""

    def __init__(self, pdf):
        stem = pdf.with_suffix("")
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(stem)], check=True)
        pngs = sorted(pdf.parent.glob(f"{stem.name}-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        self.pages = [np.asarray(Image.open(p).convert("RGB")).astype(int) for p in pngs]
        html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        k = DPI / 72.0
        self.words: list[tuple[int, str, tuple[float, float, float, float]]] = []
        for n, page in enumerate(html.split("<page ")[1:]):
            for m in _WORD.finditer(page):
                x0, y0, x1, y1 = (float(v) * k for v in m.groups()[:4])
                self.words.append((n, m.group(5), (x0, y0, x1, y1)))

    def find(self, text: str, nth: int = 0) -> tuple[int, tuple[float, float, float, float]]:
        hits = [(n, box) for n, t, box in self.words if t == text]
        assert len(hits) > nth, f"{text!r} not found in the PDF's text"
        return hits[nth]

    def band_colour(self, page: int, y0: float, y1: float, x0: float, x1: float) -> np.ndarray:
        """The median colour of a rectangle (the background behind sparse text and thin lines)."""
        a = self.pages[page][int(y0):int(np.ceil(y1)), int(x0):int(np.ceil(x1))]
        assert a.size, "empty sample"
        return np.median(a.reshape(-1, 3), axis=0)

    def dark_share(self, page: int, y0: float, y1: float, x0: float, x1: float) -> float:
        a = self.pages[page][int(y0):int(np.ceil(y1)), int(x0):int(np.ceil(x1))]
        return float((a.mean(axis=2) < 90).mean())


def mm(v: float) -> float:
    return v * DPI / 25.4


def hexrgb(h: str) -> np.ndarray:
    return np.array([int(h[i:i + 2], 16) for i in (1, 3, 5)])


def row_of(r: Rendered, text: str, nth: int = 0, *, left_mm: float = 15.5, right_mm: float = 194.5):
    """(page, y0, y1, x0, x1) of the table row whose text holds ``text``, across the table's width."""
    page, (_, y0, _, y1) = r.find(text, nth)
    cy = (y0 + y1) / 2
    return page, cy - mm(2.4), cy + mm(2.4), mm(left_mm), mm(right_mm)


def assert_background(r: Rendered, where, colour: str, what: str) -> None:
    got = r.band_colour(*where)
    assert np.abs(got - hexrgb(colour)).max() <= 10, f"{what}: background {got} instead of {colour}"
    assert r.dark_share(*where) < 0.12, f"{what}: {r.dark_share(*where):.0%} of the row is dark"


@pytest.fixture
def inspected(demo_copy):
    """The demo with an inspection recorded on a failing parcel that has BIM models."""
    from lzt.analysis.supervision import run_checks

    ws = open_workspace(demo_copy)
    try:
        target = next(c for c in run_checks(ws, as_of=date(2026, 11, 1)) if c.models and c.worst == "FAIL")
        ws.add_inspection("supervision", target.fid, {"inspected_on": "2026-10-30", "inspector": "刘工",
                                                      "result": "在建", "notes": "主体结构施工"},
                          expected_version=1)
    finally:
        ws.close()
    return demo_copy, target


def test_report_tables_are_white_or_status_coloured_under_the_map(inspected, tmp_path):
    from lzt.analysis.supervision import RULE_ZH, STATUS_ZH
    from lzt.export.report_page import STATUS_FILL

    path, target = inspected
    out = tmp_path / "report.pdf"
    assert main(["check", str(path), "--parcel", target.parcel_id, "--as-of", "2026-11-01",
                 "--report", str(out)]) == 0
    r = Rendered(out)
    # 一、terms: a white grid
    assert_background(r, row_of(r, "受让人"), "#ffffff", "terms row")
    # 二、results: the header tinted, each row in its verdict's colour
    assert_background(r, row_of(r, "规则"), "#e8eef6", "results header")
    for res in target.results:
        name = RULE_ZH[res.rule]
        if any(t == name for _, t, _ in r.words):
            assert_background(r, row_of(r, name), STATUS_FILL[STATUS_ZH[res.status]], f"results row {name}")
    # 四、inspection history, drawn after the map and its north arrow
    head = row_of(r, "核查日期")
    map_page = next(n for n, t, _ in r.words if t.startswith("三、宗地位置"))
    assert head[0] >= map_page
    assert_background(r, head, "#e8eef6", "history header")
    assert_background(r, row_of(r, "刘工"), "#ffffff", "history row")


def test_sheet_adjoining_table_legend_and_atlas_pages_are_white(demo_path, tmp_path):
    sheet = tmp_path / "s.pdf"
    assert main(["sheet", str(demo_path), str(sheet), "--sheet-no", "2513.50-525.25"]) == 0
    r = Rendered(sheet)
    # the 接图表: the eight neighbours' cells are white (the middle one is hatched)
    for no in ("2513.75-525.00", "2513.75-525.50", "2513.25-525.25"):
        page, (x0, y0, x1, y1) = r.find(no)
        assert_background(r, (page, y0, y1, x0 - 2, x1 + 2), "#ffffff", f"adjoining cell {no}")
    # the legend: labels on white, right of their swatches
    for label in ("道路", "用地性质"):
        page, (x0, y0, x1, y1) = r.find(label)
        assert_background(r, (page, y0, y1, x0, x0 + mm(40)), "#ffffff", f"legend {label}")

    atlas = tmp_path / "atlas.pdf"
    assert main(["atlas", str(demo_path), "--coverage", "streets", "--where", "name IN ('龙城', '龙岗')",
                 str(atlas), "--paper", "A4", "--title", "街道用地图"]) == 0
    a = Rendered(atlas)
    assert len(a.pages) == 2
    for n in range(2):  # every page: the legend's heading row and the notes are on white
        heads = [(p, box) for p, t, box in a.words if p == n and t == "道路"]
        assert heads, f"page {n + 1} has no legend"
        _, (x0, y0, x1, y1) = heads[0]
        assert_background(a, (n, y0, y1, x0, x0 + mm(30)), "#ffffff", f"atlas page {n + 1} legend")
