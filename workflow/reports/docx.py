"""The whole annual report as a Word document (python-docx), in the form of an official document.

GB/T 9704-2012 (党政机关公文格式): A4, margins 37 mm top, 35 bottom, 28 left, 26 right; the title
in 小标宋 二号, centred; headings 一、… in 黑体 三号; body text in 仿宋 三号 on a 28 pt line; all
black; page numbers "— 1 —" in 宋体 四号 at the foot. The tables are built cell by cell from the grids
of ``workflow.reports.layout``, merged as the template merges them (table 三's top-left cell carries
the 勾稽关系 note), in 仿宋 五号 (table 三 小五, table 四 小五 on a landscape page, so that every head
stays on one line), their header rows repeated on each page and no row broken across pages. The
chart, if any, comes after section 六 as 附图, outside the official sections.

The Chinese font names are those of GB/T 9704; LibreOffice and Word substitute an installed CJK
font (e.g. Noto Serif/Sans CJK) where they are missing. A preview says 草稿 in its title and in the
header of every page; no status line (preview, frozen, checksum) is printed in the document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workflow.reports.compute import Report
from workflow.reports.layout import Grid, table2_grid, table3_grid, table4_grid
from workflow.reports.sections import SECTION_TITLES, sections, title

BODY, HEADING, TITLE, PAGE = "仿宋_GB2312", "黑体", "方正小标宋简体", "宋体"
LATIN = "Times New Roman"
# Column widths in cm, within the 15.6 cm of a portrait page and the 24.3 cm of a landscape one.
TABLE2_CM = [5.4, 3.4, 3.4, 3.4]
TABLE3_CM = [1.1, 1.4, 3.2, 1.1, 1.5, 1.5, 2.1, 2.1, 0.8, 0.8]
TABLE4_CM = [1.6] * 15


def _fonts(run: Any, east_asian: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name, run.font.size, run.font.bold = LATIN, Pt(size), bold
    run.font.color.rgb = RGBColor(0, 0, 0)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(slot), east_asian if slot == "w:eastAsia" else LATIN)


def _normal(document: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style = document.styles["Normal"]
    style.font.name, style.font.size = LATIN, Pt(16)
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY)


def _paragraph(document: Any, text: str, font: str = BODY, size: float = 16, *, centre: bool = False,
               indent: bool = True, outline: int | None = None) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = document.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing, fmt.space_before, fmt.space_after = Pt(28), Pt(0), Pt(0)
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Pt(size * 2) if indent else None
    if outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        p._p.get_or_add_pPr().append(level)
        fmt.keep_with_next = True
    _fonts(p.add_run(text), font, size)
    return p


def _row_flags(table: Any, header_rows: int) -> None:
    """Header rows repeated on each page; no row split across two pages."""
    from docx.oxml import OxmlElement

    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))


def _cell_margins(table: Any, cm: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(int(cm * 567)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    table._tbl.tblPr.append(margins)


def _table(document: Any, grid: Grid, cm: list[float], size: float, header_rows: int) -> Any:
    """The grid as a Word table, merged as it spans, a figure not entered as "—"."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    table = document.add_table(rows=grid.rows, cols=grid.cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table, 0.08)
    for column, width in zip(table.columns, cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, cm, strict=True):
            cell.width = Cm(width)
    for c in grid.cells:
        cell = table.cell(c.row, c.col)
        if c.merged:
            cell = cell.merge(table.cell(c.last_row, c.last_col))
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        _fonts(p.add_run("—" if c.value is None else str(c.value)), BODY, size, bold=c.block)
    _row_flags(table, header_rows)
    return table


def table2(document: Any, r: Report) -> Any:
    return _table(document, table2_grid(r), TABLE2_CM, 10.5, 0)


def table3(document: Any, r: Report) -> Any:
    return _table(document, table3_grid(r), TABLE3_CM, 9, 3)


def table4(document: Any, r: Report) -> Any:
    return _table(document, table4_grid(r), TABLE4_CM, 9, 3)


def _page(section: Any, landscape: bool = False) -> None:
    """A4 with the margins of GB/T 9704 (turned with the page for a landscape one)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    if landscape:
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
            Mm(28), Mm(26), Mm(27), Mm(27))
    else:
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
            Mm(37), Mm(35), Mm(28), Mm(26))
    section.header_distance, section.footer_distance = Mm(15), Mm(20)


def _field(paragraph: Any, code: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == code else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    return run


def _foot_and_head(section: Any, draft: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(foot.add_run("— "), PAGE, 14)
    _fonts(_field(foot, "PAGE"), PAGE, 14)
    _fonts(foot.add_run(" —"), PAGE, 14)
    if draft:
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _fonts(head.add_run("草稿 · 未封存，不得公开"), HEADING, 14, bold=True)


def write(r: Report, office: str, path: Path, chart: bytes | None = None) -> None:
    import io

    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.shared import Cm

    document = Document()
    document.core_properties.title = title(r, office)
    document.core_properties.author = office or ""
    _normal(document)
    _page(document.sections[0])
    _foot_and_head(document.sections[0], r.frozen is None)
    _paragraph(document, title(r, office), TITLE, 22, centre=True, outline=0)
    _paragraph(document, "", indent=False)
    text = sections(r, office)

    def heading(n: int) -> None:
        _paragraph(document, SECTION_TITLES[n], HEADING, 16, outline=1)

    def paragraphs(body: str) -> None:
        for para in (p for p in body.split("\n\n") if p.strip()):
            _paragraph(document, " ".join(para.split()))

    heading(1)
    paragraphs(text[1])
    heading(2)
    table2(document, r)
    heading(3)
    table3(document, r)
    _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    heading(4)
    table4(document, r)
    _page(document.add_section(WD_SECTION.NEW_PAGE))
    heading(5)
    paragraphs(text[5])
    heading(6)
    paragraphs(text[6])
    if chart:
        _paragraph(document, "附图：本年度每月申请数与办理结果", HEADING, 16, outline=1)
        document.add_picture(io.BytesIO(chart), width=Cm(15.6))
    document.save(str(path))
