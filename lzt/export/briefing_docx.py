"""The briefing as DOCX (python-docx), for staff to edit in WPS or Word.

The same sections as the PDF: headings, the generated paragraphs as editable text, tables,
and the charts and maps as pictures drawn by ``briefing_page``'s functions. Written to a
temporary file beside the target and moved into place, so a failure leaves nothing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from lzt.export.briefing_model import Briefing
from lzt.export.briefing_page import (HOT_COLOURS, PATTERN_COLOURS, category_chart, headline, map_panel, picture,
                                      trend_chart)

FONT = "宋体"  # present in WPS and Word on Chinese Windows; the text stays editable either way


def write_docx(path: Path, b: Briefing, ws) -> None:
    """Write ``b`` to ``path`` (.docx)."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Mm(20)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    doc.core_properties.title = b.title
    doc.core_properties.author = b.producer

    t = doc.add_heading(b.title, level=0)
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph(f"{b.period_label}    数据截至 {b.as_of}    {b.producer}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    with tempfile.TemporaryDirectory(prefix="lzt-docx-") as d:
        d = Path(d)
        width = 170.0
        picture(d / "headline.png", (width, 24), lambda p, r, mm: headline(p, r, b, mm))
        doc.add_picture(str(d / "headline.png"), width=Mm(width))
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for c, h in zip(table.rows[0].cells, ("指标", "数值", "说明")):
            c.text = h
        for label, value, note in b.headline:
            row = table.add_row().cells
            row[0].text, row[1].text, row[2].text = label, value, note

        doc.add_heading("一、总体情况", level=1)
        for para in b.paragraphs:
            doc.add_paragraph(para)
        doc.add_heading("二、受理量趋势", level=1)
        picture(d / "trend.png", (width, 55), lambda p, r, mm: trend_chart(p, r, b, mm))
        doc.add_picture(str(d / "trend.png"), width=Mm(width))
        doc.add_heading("三、分类情况（本期与上期）", level=1)
        h = min(6.0 * len(b.categories[:12]) + 12, 80)
        picture(d / "categories.png", (width, h), lambda p, r, mm: category_chart(p, r, b, mm))
        doc.add_picture(str(d / "categories.png"), width=Mm(width))
        _table(doc, ("类别", "本期", "上期"), [(c, f"{a:,}", f"{p:,}") for c, a, p in b.categories])

        for i, (title, cells, colours) in enumerate((("四、热点分布（本期 Gi* 热点）", b.hotspots, HOT_COLOURS),
                                                     ("五、时空模式（新兴热点分析）", b.patterns, PATTERN_COLOURS))):
            doc.add_heading(title, level=1)
            png = d / f"map{i}.png"
            picture(png, (width, 110), lambda p, r, mm, cells=cells, colours=colours:
                    map_panel(p, r, ws, b, cells, colours, mm), dpi=150)
            doc.add_picture(str(png), width=Mm(width))
            cap = doc.add_paragraph(f"{b.cell_note}；坐标系 {ws.crs}")
            cap.runs[0].font.size = Pt(8)

        doc.add_heading("六、诉求较多的社区与小区", level=1)
        _table(doc, ("社区", "本期", "上期"), [(n, str(a), str(p)) for n, a, p in b.communities])
        doc.add_paragraph()
        _table(doc, ("小区", "本期", "上期"), [(n, str(a), str(p)) for n, a, p in b.compounds])
        doc.add_heading(f"七、预警清单（{len(b.alerts)} 条）", level=1)
        _table(doc, ("级别", "类型", "类别", "位置", "首次出现", "依据"),
               [(a.level, a.kind, a.category, a.place or a.area, a.first_seen, a.summary()) for a in b.alerts],
               colours={"红": "C00000", "橙": "C55A11", "黄": "7F6000"})
        doc.add_heading("八、重复来电与重复地址（来电人信息已脱敏）", level=1)
        _table(doc, ("类型", "类别", "位置", "首次出现", "情况", "工单编号"),
               [(a.kind, a.category, a.place or a.area, a.first_seen, a.summary(), "、".join(a.orders))
                for a in b.callers + b.addresses])
        doc.add_heading("九、数据口径", level=1)
        for label, query in b.sources:
            doc.add_paragraph(f"{label}：{query}", style="List Bullet")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".docx", dir=str(path.parent))
        os.close(fd)
        try:
            doc.save(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _table(doc, header, rows, colours: dict | None = None) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for c, h in zip(table.rows[0].cells, header):
        c.text = h
        c.paragraphs[0].runs[0].font.bold = True
    for r in rows or [("（无）",) + ("",) * (len(header) - 1)]:
        cells = table.add_row().cells
        for c, v in zip(cells, r):
            c.text = str(v)
        if colours and r[0] in colours:
            run = cells[0].paragraphs[0].runs[0]
            run.font.color.rgb = RGBColor.from_string(colours[r[0]])
            run.font.bold = True
