"""The report's tables as an XLSX workbook laid out like the national format (merged header cells).

One sheet per table: 表二, 表三 (with the 勾稽关系 note in its top-left header cell, as the template
prints it), 表四; and a first sheet 说明 with the title and the text sections 一, 五 and 六. The
tables are the grids of ``workflow.reports.layout``, merged as they span. Figures are numbers, so the
sheet can be summed. Every sheet prints: landscape A4, one page wide, its title and header rows
repeated, column widths and row heights that hold the wrapped labels. No status line (preview,
frozen, checksum) is written; a preview says 草稿 in its title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rules.report.layout import TABLE2_TITLE, TABLE3_TITLE, TABLE4_TITLE
from workflow.reports.compute import Report
from workflow.reports.layout import Grid, table2_grid, table3_grid, table4_grid
from workflow.reports.sections import SECTION_TITLES, sections, title

TOP = 2  # each sheet's table starts under its title, in row 2


def _style(ws: Any, rows: range, cols: range) -> None:
    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin")
    for r in rows:
        for c in cols:
            cell = ws.cell(r, c)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _title(ws: Any, text: str, width: int) -> None:
    from openpyxl.styles import Alignment, Font

    ws.cell(1, 1, text).font = Font(bold=True, size=12)
    ws.cell(1, 1).alignment = Alignment(horizontal="left", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 24


def _print(ws: Any, head_rows: int) -> None:
    """Landscape A4, one page wide (as many pages tall as needed), the title and heads on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"1:{head_rows}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom, ws.page_margins.footer = 0.6, 0.8, 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _merge(ws: Any, r1: int, c1: int, r2: int, c2: int, value: Any = None) -> None:
    if value is not None:
        ws.cell(r1, c1, value)
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _grid(ws: Any, grid: Grid) -> None:
    """The grid from row ``TOP``, merged as it spans, a figure not entered as "—", bordered and centred."""
    for c in grid.cells:
        _merge(ws, TOP + c.row, 1 + c.col, TOP + c.last_row, 1 + c.last_col, "—" if c.value is None else c.value)
    _style(ws, range(TOP, TOP + grid.rows), range(1, 1 + grid.cols))


def get_column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter as letter

    return str(letter(n))


def table2_sheet(ws: Any, r: Report) -> None:
    grid = table2_grid(r)
    _title(ws, TABLE2_TITLE, grid.cols)
    _grid(ws, grid)
    ws.column_dimensions["A"].width = 30
    for letter in "BCD":
        ws.column_dimensions[letter].width = 18
    for row in range(TOP, TOP + grid.rows):
        ws.row_dimensions[row].height = 20
    _print(ws, TOP)


def table3_sheet(ws: Any, r: Report) -> None:
    grid = table3_grid(r)
    _title(ws, TABLE3_TITLE, grid.cols)
    _grid(ws, grid)
    for letter, width in zip("ABCDEFGHIJ", (14, 16, 44, 10, 12, 12, 16, 16, 8, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.row_dimensions[2].height = ws.row_dimensions[3].height = ws.row_dimensions[4].height = 22
    for row in range(TOP + 3, TOP + grid.rows):
        long = max(len(str(c.value)) for c in grid.cells if c.row == row - TOP and c.col < 3 and c.rows == 1)
        ws.row_dimensions[row].height = 20 if long <= 20 else 34  # 44 wide holds about 20 characters a line
    _print(ws, TOP + 2)


def table4_sheet(ws: Any, r: Report) -> None:
    grid = table4_grid(r)
    _title(ws, TABLE4_TITLE, grid.cols)
    _grid(ws, grid)
    for col in range(1, grid.cols + 1):
        ws.column_dimensions[get_column_letter(col)].width = 10
    for row in range(TOP, TOP + grid.rows):
        ws.row_dimensions[row].height = 22
    _print(ws, TOP + 2)


def about_sheet(ws: Any, r: Report, office: str) -> None:
    """The title, then sections 一, 五 and 六 as wrapped paragraphs (the tables are the next sheets)."""
    from openpyxl.styles import Alignment, Font

    ws.title = "说明"
    ws.column_dimensions["A"].width = 120
    ws.cell(1, 1, title(r, office)).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    text, row = sections(r, office), 3
    for n in (1, 5, 6):
        ws.cell(row, 1, SECTION_TITLES[n]).font = Font(bold=True)
        row += 1
        for para in (p.strip() for p in text[n].split("\n\n") if p.strip()):
            ws.cell(row, 1, " ".join(para.split())).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = 16 * (1 + len(para) // 60)  # 120 wide holds about 60 characters
            row += 1
        row += 1
    ws.cell(row, 1, "二、三、四 见表二、表三、表四。")
    _print(ws, 1)


def write(r: Report, office: str, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    about_sheet(wb.active, r, office)
    table2_sheet(wb.create_sheet("表二"), r)
    table3_sheet(wb.create_sheet("表三"), r)
    table4_sheet(wb.create_sheet("表四"), r)
    if r.frozen is None:  # a preview: 草稿 at the top of every printed page
        for ws in wb.worksheets:
            ws.oddHeader.right.text = "草稿 · 未封存，不得公开"
    wb.save(path)
