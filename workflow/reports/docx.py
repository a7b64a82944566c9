"""The whole annual report as a Word document (python-docx), in the national format's layout.

Sections 一 to 六 with the three tables built cell by cell from the grids of
``workflow.reports.layout``, their header cells merged as the template merges them (table 三's
top-left cell carries the 勾稽关系 note), and the chart after table 三. Chinese text is set in 宋体
(East Asian font slot), which Word and LibreOffice substitute where it is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rules.report.layout import APPLICANT_COLUMNS
from workflow.reports.compute import Report
from workflow.reports.layout import Grid, table2_grid, table3_grid, table4_grid
from workflow.reports.sections import SECTION_TITLES, sections, status_lines, title

FONT = "宋体"


def _font(document: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _table(document: Any, grid: Grid) -> Any:
    """The grid as a Word table, merged as it spans, a figure not entered as "—"."""
    table = document.add_table(rows=grid.rows, cols=grid.cols)
    table.style = "Table Grid"
    for c in grid.cells:
        cell = table.cell(c.row, c.col)
        if c.merged:
            cell = cell.merge(table.cell(c.last_row, c.last_col))
        cell.text = "—" if c.value is None else str(c.value)
    return table


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
    t = _table(document, table2_grid(r))
    _small(t, 9)
    _widths(t, [5.0, 4.3, 4.3, 4.3])
    return t


def table3(document: Any, r: Report) -> Any:
    t = _table(document, table3_grid(r))
    _small(t)
    _widths(t, [1.7, 1.9, 5.3, *[1.3] * (len(APPLICANT_COLUMNS) + 1)])
    return t


def table4(document: Any, r: Report) -> Any:
    t = _table(document, table4_grid(r))
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
