"""The report's tables as an XLSX workbook laid out like the national format (merged header cells).

One sheet per table: 表二, 表三 (with the 勾稽关系 note in its top-left header cell, as the template
prints it), 表四; and a first sheet 说明 with the title, whether the year is frozen, the fees
sentence of section 六 and any failed check. Figures are numbers, so the sheet can be summed.
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
    TABLE2_TITLE,
    TABLE3_NOTE,
    TABLE3_TITLE,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
    TABLE4_TITLE,
)
from workflow.reports.compute import Report
from workflow.reports.markdown import fees_sentence, status_lines, table3_layout, title

FIRST_DATA_ROW = 5  # table 三: rows 2–4 are the header


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


def table2_sheet(ws: Any, r: Report) -> None:
    _title(ws, TABLE2_TITLE, 4)
    row = 2
    for block in TABLE2_BLOCKS:
        _merge(ws, row, 1, row, 4, block.label)
        row += 1
        ws.cell(row, 1, "信息内容")
        if len(block.columns) == 1:
            _merge(ws, row, 2, row, 4, block.columns[0].label)
        else:
            for j, c in enumerate(block.columns):
                ws.cell(row, 2 + j, c.label)
        row += 1
        for line in block.rows:
            ws.cell(row, 1, line.label)
            values = [r.table2[block.code][line.code][c.code] for c in block.columns]
            if len(values) == 1:
                _merge(ws, row, 2, row, 4, values[0] if values[0] is not None else "—")
            else:
                for j, v in enumerate(values):
                    ws.cell(row, 2 + j, v if v is not None else "—")
            row += 1
    _style(ws, range(2, row), range(1, 5))
    ws.column_dimensions["A"].width = 22
    for letter in "BCD":
        ws.column_dimensions[letter].width = 16


def table3_sheet(ws: Any, r: Report) -> None:
    n = len(APPLICANT_COLUMNS)
    last_col = 3 + n + 1
    _title(ws, TABLE3_TITLE, last_col)
    _merge(ws, 2, 1, 4, 3, TABLE3_NOTE)
    _merge(ws, 2, 4, 2, last_col, "申请人情况")
    _merge(ws, 3, 4, 4, 4, APPLICANT_COLUMNS[0].label)
    _merge(ws, 3, 5, 3, 3 + n, ORG_GROUP)
    for j, c in enumerate(APPLICANT_COLUMNS[1:]):
        ws.cell(4, 5 + j, c.label)
    _merge(ws, 3, last_col, 4, last_col, "总计")
    layout = table3_layout()
    spans: dict[str, list[int]] = {}
    for i, (code, label, outer, inner) in enumerate(layout):
        row = FIRST_DATA_ROW + i
        for group in (outer, inner):
            if group:
                spans.setdefault(group, []).append(row)
        if outer is None:
            _merge(ws, row, 1, row, 3, label)
        elif inner is None:
            _merge(ws, row, 2, row, 3, label)
        else:
            ws.cell(row, 3, label)
        for j, column in enumerate((*APPLICANT_TYPES, "total")):
            ws.cell(row, 4 + j, r.table3[code][column])
    for group, rows in spans.items():
        at = 1 if group == RESULTS else 2
        _merge(ws, rows[0], at, rows[-1], at, group)
    last_row = FIRST_DATA_ROW + len(layout) - 1
    _style(ws, range(2, last_row + 1), range(1, last_col + 1))
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 40
    ws.row_dimensions[2].height = 30


def table4_sheet(ws: Any, r: Report) -> None:
    _title(ws, TABLE4_TITLE, 15)
    _merge(ws, 2, 1, 2, 5, TABLE4_BLOCKS[0].label)
    _merge(ws, 2, 6, 2, 15, TABLE4_BLOCKS[1].group)
    for j, c in enumerate(TABLE4_COLUMNS):
        _merge(ws, 3, 1 + j, 4, 1 + j, c.label)
    for k, block in enumerate(TABLE4_BLOCKS[1:]):
        start = 6 + 5 * k
        _merge(ws, 3, start, 3, start + 4, block.label)
        for j, c in enumerate(TABLE4_COLUMNS):
            ws.cell(4, start + j, c.label)
    for k, block in enumerate(TABLE4_BLOCKS):
        for j, c in enumerate(TABLE4_COLUMNS):
            ws.cell(5, 1 + 5 * k + j, r.table4[block.code][c.code])
    _style(ws, range(2, 6), range(1, 16))


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
