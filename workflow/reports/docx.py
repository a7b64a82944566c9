"""The whole annual report as a Word document (python-docx), in the national format's layout.

Sections 一 to 六 with the three tables built cell by cell and their header cells merged as the
template merges them (table 三's top-left cell carries the 勾稽关系 note), and the chart after table
三. Chinese text is set in 宋体 (East Asian font slot), which Word and LibreOffice substitute where
it is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rules.report_layout import (
    APPLICANT_COLUMNS,
    APPLICANT_TYPES,
    ORG_GROUP,
    RESULTS,
    TABLE2_BLOCKS,
    TABLE3_NOTE,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
)
from workflow.reports.compute import Report
from workflow.reports.markdown import SECTION_TITLES, sections, status_lines, table3_layout, title

FONT = "宋体"


def _font(document: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _put(table: Any, r1: int, c1: int, text: Any, r2: int | None = None, c2: int | None = None) -> None:
    cell = table.cell(r1, c1)
    if r2 is not None or c2 is not None:
        cell = cell.merge(table.cell(r1 if r2 is None else r2, c1 if c2 is None else c2))
    cell.text = "—" if text is None else str(text)


def _widths(table: Any, cm: list[float]) -> None:
    """Column widths (Word reads the cells' widths, LibreOffice the grid's): labels wide, figures narrow."""
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, cm, strict=True):
            cell.width = Cm(width)


def _small(table: Any, size: float = 8) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in p.runs:
                    run.font.size = Pt(size)


def table2(document: Any, r: Report) -> Any:
    n_rows = sum(2 + len(b.rows) for b in TABLE2_BLOCKS)
    t = document.add_table(rows=n_rows, cols=4)
    t.style = "Table Grid"
    i = 0
    for block in TABLE2_BLOCKS:
        _put(t, i, 0, block.label, c2=3)
        _put(t, i + 1, 0, "信息内容")
        if len(block.columns) == 1:
            _put(t, i + 1, 1, block.columns[0].label, c2=3)
        else:
            for j, c in enumerate(block.columns):
                _put(t, i + 1, 1 + j, c.label)
        for k, line in enumerate(block.rows):
            _put(t, i + 2 + k, 0, line.label)
            values = [r.table2[block.code][line.code][c.code] for c in block.columns]
            if len(values) == 1:
                _put(t, i + 2 + k, 1, values[0], c2=3)
            else:
                for j, v in enumerate(values):
                    _put(t, i + 2 + k, 1 + j, v)
        i += 2 + len(block.rows)
    _small(t, 9)
    _widths(t, [5.0, 4.3, 4.3, 4.3])
    return t


def table3(document: Any, r: Report) -> Any:
    n = len(APPLICANT_COLUMNS)
    layout = table3_layout()
    t = document.add_table(rows=3 + len(layout), cols=3 + n + 1)
    t.style = "Table Grid"
    last = 3 + n
    _put(t, 0, 0, TABLE3_NOTE, 2, 2)
    _put(t, 0, 3, "申请人情况", c2=last)
    _put(t, 1, 3, APPLICANT_COLUMNS[0].label, r2=2)
    _put(t, 1, 4, ORG_GROUP, c2=3 + n - 1)
    for j, c in enumerate(APPLICANT_COLUMNS[1:]):
        _put(t, 2, 4 + j, c.label)
    _put(t, 1, last, "总计", r2=2)
    spans: dict[str, list[int]] = {}
    for i, (code, label, outer, inner) in enumerate(layout):
        row = 3 + i
        for group in (outer, inner):
            if group:
                spans.setdefault(group, []).append(row)
        if outer is None:
            _put(t, row, 0, label, c2=2)
        elif inner is None:
            _put(t, row, 1, label, c2=2)
        else:
            _put(t, row, 2, label)
        for j, column in enumerate((*APPLICANT_TYPES, "total")):
            _put(t, row, 3 + j, r.table3[code][column])
    for group, rows in spans.items():
        at = 0 if group == RESULTS else 1
        _put(t, rows[0], at, group, r2=rows[-1])
    _small(t)
    _widths(t, [1.7, 1.9, 5.3, *[1.3] * (n + 1)])
    return t


def table4(document: Any, r: Report) -> Any:
    t = document.add_table(rows=4, cols=15)
    t.style = "Table Grid"
    _put(t, 0, 0, TABLE4_BLOCKS[0].label, c2=4)
    _put(t, 0, 5, TABLE4_BLOCKS[1].group, c2=14)
    for j, c in enumerate(TABLE4_COLUMNS):
        _put(t, 1, j, c.label, r2=2)
    for k, block in enumerate(TABLE4_BLOCKS[1:]):
        start = 5 + 5 * k
        _put(t, 1, start, block.label, c2=start + 4)
        for j, c in enumerate(TABLE4_COLUMNS):
            _put(t, 2, start + j, c.label)
    for k, block in enumerate(TABLE4_BLOCKS):
        for j, c in enumerate(TABLE4_COLUMNS):
            _put(t, 3, 5 * k + j, r.table4[block.code][c.code])
    _small(t, 7.5)
    return t


def write(r: Report, office: str, path: Path, chart: bytes | None = None) -> None:
    import io

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = Document()
    _font(document)
    for s in document.sections:
        s.left_margin = s.right_margin = Cm(1.8)
    heading = document.add_heading(title(r, office), level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in status_lines(r):
        document.add_paragraph(line.lstrip("> ").replace("**", "")).runs[0].italic = True
    text = sections(r, office)

    def section(n: int) -> None:
        document.add_heading(SECTION_TITLES[n], level=2)

    def paragraphs(body: str) -> None:
        for para in (p for p in body.split("\n\n") if p.strip()):
            document.add_paragraph(para.strip())

    section(1)
    paragraphs(text[1])
    section(2)
    table2(document, r)
    section(3)
    table3(document, r)
    if chart:
        document.add_picture(io.BytesIO(chart), width=Cm(17))
    section(4)
    table4(document, r)
    section(5)
    paragraphs(text[5])
    section(6)
    paragraphs(text[6])
    document.save(str(path))
