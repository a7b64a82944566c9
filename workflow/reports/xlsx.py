"""The report's tables as an XLSX workbook laid out like the national format (merged header cells).

One sheet per table: 表二, 表三 (with the 勾稽关系 note in its top-left header cell, as the template
prints it), 表四; and a first sheet 说明 with the title, whether the year is frozen, the fees
sentence of section 六 and any failed check. The tables are the grids of ``workflow.reports.layout``,
merged as they span. Figures are numbers, so the sheet can be summed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rules.report.layout import TABLE2_TITLE, TABLE3_TITLE, TABLE4_TITLE
from workflow.reports.compute import Report
from workflow.reports.layout import Grid, table2_grid, table3_grid, table4_grid
from workflow.reports.sections import fees_sentence, status_lines, title

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
    from openpyxl.styles import Font

    ws.cell(1, 1, text).font = Font(bold=True, size=12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


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


def table2_sheet(ws: Any, r: Report) -> None:
    grid = table2_grid(r)
    _title(ws, TABLE2_TITLE, grid.cols)
    _grid(ws, grid)
    ws.column_dimensions["A"].width = 22
    for letter in "BCD":
        ws.column_dimensions[letter].width = 16


def table3_sheet(ws: Any, r: Report) -> None:
    grid = table3_grid(r)
    _title(ws, TABLE3_TITLE, grid.cols)
    _grid(ws, grid)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 40
    ws.row_dimensions[2].height = 30


def table4_sheet(ws: Any, r: Report) -> None:
    grid = table4_grid(r)
    _title(ws, TABLE4_TITLE, grid.cols)
    _grid(ws, grid)


def write(r: Report, office: str, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    about = wb.active
    about.title = "说明"
    about.cell(1, 1, title(r, office))
    for i, line in enumerate([*status_lines(r), f"六、其他需要报告的事项：{fees_sentence(r)}"]):
        about.cell(3 + i, 1, line.lstrip("> ").replace("**", ""))
    about.column_dimensions["A"].width = 100
    table2_sheet(wb.create_sheet("表二"), r)
    table3_sheet(wb.create_sheet("表三"), r)
    table4_sheet(wb.create_sheet("表四"), r)
    wb.save(path)
