"""The briefing: PDF (vector, font embedded, text readable) and DOCX, with nothing personal in the bytes."""

import re
import subprocess
import zipfile
from datetime import date

import pytest

from lzt.core.errors import LztInputError
from lzt.export.briefing import briefing_content, write_briefing
from tests.pdftools import Pdf
from tests.warn_data import REPEAT_ID, REPEAT_NAME, REPEAT_PHONE, make_workspace

SECRETS = (REPEAT_PHONE, "1234-5678", REPEAT_ID, "199001011237", REPEAT_NAME, "李四", "440307198502023334", "3栋1201室")


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    w = make_workspace(tmp_path_factory.mktemp("brief") / "w.gpkg")
    yield w
    w.close()


def test_numbers_match_an_independent_count(ws):
    import pandas as pd

    b = briefing_content(ws, period="week")
    df = ws.read_features("complaints", columns=["received_at", "status", "satisfaction", "cat_l1"], geometry=False)
    t = pd.to_datetime(df["received_at"])
    week = df[(t >= "2025-06-24") & (t < "2025-07-01")]
    prev = df[(t >= "2025-06-17") & (t < "2025-06-24")]
    head = dict((k, v) for k, v, _ in b.headline)
    assert head["受理量"] == f"{len(week):,}"
    assert head["环比"] == f"{(len(week) - len(prev)) / len(prev) * 100:+.1f}%"
    rated = week[week["satisfaction"] != "未评价"]
    assert head["满意率"] == f"{rated['satisfaction'].isin(['满意', '基本满意']).mean() * 100:.1f}%"
    assert head["办结率"] == f"{(week['status'] == '已办结').mean() * 100:.1f}%"
    assert dict((c, n) for c, n, _ in b.categories) == week["cat_l1"].value_counts().to_dict()
    assert b.paragraphs[0].startswith(f"本周（2025-06-24 至 2025-06-30）全区共受理民生诉求 {len(week):,} 件")
    assert b.trend[-1] == ("2025-06-24", len(week))
    assert {a.kind for a in b.alerts} >= {"异动", "一人多诉", "多人同诉"}


def _pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_is_vector_with_the_font_embedded_and_nothing_personal(ws, tmp_path):
    out = write_briefing(ws, tmp_path / "简报.pdf", period="week")
    pdf = Pdf(out)
    assert pdf.page_count >= 3
    assert any("lztsanssc" in f.lower() for f in pdf.embedded_fonts())
    text = _pdf_text(out)
    for needle in ("龙岗区民生诉求周报", "受理量", "环比", "同比", "办结率", "满意率", "热点分布", "时空模式",
                   "预警清单", "一人多诉", "数据口径"):
        assert needle in text
    raw = out.read_bytes()
    for s in SECRETS:
        assert s not in text and s.encode() not in raw


def test_docx_opens_and_holds_nothing_personal(ws, tmp_path):
    from docx import Document

    out = write_briefing(ws, tmp_path / "简报.docx", period="month", as_of=date(2025, 6, 30))
    doc = Document(str(out))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "龙岗区民生诉求月报" in body and "本月（2025-06-01 至 2025-06-30）" in body
    assert len(doc.inline_shapes) >= 4  # headline, trend, categories, two maps
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    flat = re.sub(r"<[^>]+>", "", xml)
    for s in SECRETS:
        assert s not in flat and s not in xml


def test_street_and_bad_input(ws, tmp_path):
    b = briefing_content(ws, street="测试街道")
    assert b.title == "龙岗区民生诉求周报（测试街道）" and "测试街道共受理" in b.paragraphs[0]
    with pytest.raises(LztInputError, match="street"):
        briefing_content(ws, street="无此街道")
    with pytest.raises(LztInputError, match=r"\.pdf or a \.docx"):
        write_briefing(ws, tmp_path / "b.txt")
    with pytest.raises(LztInputError, match="no records"):
        write_briefing(ws, tmp_path / "b.pdf", as_of=date(2031, 1, 1))
    assert not (tmp_path / "b.pdf").exists()


def test_cli(tmp_path, ws, capsys):
    from lzt.cli.main import main

    code = main(["briefing", ws.uri, str(tmp_path / "c.pdf"), "--period", "month"])
    out, err = capsys.readouterr()
    assert code == 0 and "简报已生成" in out and (tmp_path / "c.pdf").stat().st_size > 10_000
    code = main(["briefing", ws.uri, str(tmp_path / "c.pdf"), "--as-of", "yesterday"])
    assert code == 2 and "YYYY-MM-DD" in capsys.readouterr().err
