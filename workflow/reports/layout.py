"""The report's tables laid out once, as the national format lays them out; every renderer draws these.

Markdown, XLSX, DOCX and the terminal all read this one walk of tables 二, 三 and 四, so no two of
them can lay a table out differently. A table is a :class:`Grid` of cells, each at its row and
column with the rows and columns it spans (the merged cells of the official template), heads and
figures alike, in the order a renderer fills them. Table 三's first three columns are its row heads, nested
as ``rules.report.layout.TABLE3_NESTING`` says::

    row 0   （本列数据的勾稽关系…）  ·  ·  申请人情况 ……………………………………………
    row 1   ·                       ·  ·  自然人   法人或其他组织 …………   总计
    row 2   ·                       ·  ·  ·        商业企业 … 其他         ·
    row 3   一、本年新收政府信息公开申请数量 (3 columns)        127  10 …  149
    row 5   三、本年度办理结果   （一）予以公开 (2 columns)      30   4 …   38
    row 7   ·                   （三）不予公开  1.属于国家秘密     0   0 …    0

The terminal draws table 三 as an indented list instead: :func:`table3_rows` gives each row with
the groups it sits in and its figures, and :func:`table4_rows` each block of table 四.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.report.layout import (
    APPLICANT_COLUMNS,
    APPLICANTS,
    ORG_GROUP,
    TABLE2_BLOCKS,
    TABLE3_COLUMNS,
    TABLE3_NESTING,
    TABLE3_NOTE,
    TABLE3_ROWS,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
)
from workflow.reports.compute import Report

Value = str | int | float | None  # None: a figure not entered (table 二), printed "—"
TABLE3_FIGURES: tuple[str, ...] = tuple(c.code for c in TABLE3_COLUMNS)  # the applicant columns, then 总计
LABEL_COLUMNS = 3  # table 三's row heads: outer group, inner group, row


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    value: Value
    rows: int = 1  # rows spanned, downwards
    cols: int = 1  # columns spanned, rightwards
    block: bool = False  # the title of a block of table 二

    @property
    def last_row(self) -> int:
        return self.row + self.rows - 1

    @property
    def last_col(self) -> int:
        return self.col + self.cols - 1

    @property
    def merged(self) -> bool:
        return self.rows > 1 or self.cols > 1


@dataclass(frozen=True)
class Grid:
    rows: int
    cols: int
    label_cols: int  # the leading columns hold heads; the others hold figures
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Row3:
    code: str
    label: str
    groups: tuple[str, ...]  # the group heads it sits in, outermost first
    figures: tuple[int, ...]  # in the order of TABLE3_FIGURES

    @property
    def depth(self) -> int:
        return len(self.groups)


@dataclass(frozen=True)
class Row4:
    code: str
    label: str
    group: str | None
    figures: tuple[int, ...]  # in the order of TABLE4_COLUMNS


def table3_rows(r: Report) -> list[Row3]:
    return [Row3(row.code, row.label, TABLE3_NESTING[row.code], tuple(r.table3[row.code][c] for c in TABLE3_FIGURES))
            for row in TABLE3_ROWS]


def table4_rows(r: Report) -> list[Row4]:
    return [Row4(b.code, b.label, b.group, tuple(r.table4[b.code][c.code] for c in TABLE4_COLUMNS))
            for b in TABLE4_BLOCKS]


def table2_grid(r: Report) -> Grid:
    """Per block: its title across the table, 信息内容 and the column heads, then a line per row; a
    block with one column spans it over the three figure columns."""
    cells: list[Cell] = []
    row = 0
    for block in TABLE2_BLOCKS:
        span = 3 if len(block.columns) == 1 else 1
        cells += [Cell(row, 0, block.label, cols=4, block=True), Cell(row + 1, 0, "信息内容")]
        cells += [Cell(row + 1, 1 + j, c.label, cols=span) for j, c in enumerate(block.columns)]
        for k, line in enumerate(block.rows, start=row + 2):
            cells.append(Cell(k, 0, line.label))
            cells += [Cell(k, 1 + j, r.table2[block.code][line.code][c.code], cols=span)
                      for j, c in enumerate(block.columns)]
        row += 2 + len(block.rows)
    return Grid(row, 4, 1, tuple(cells))


def table3_head() -> list[Cell]:
    """The three head rows: the 勾稽关系 note over the row heads, then the applicant columns."""
    n, last = len(APPLICANT_COLUMNS), LABEL_COLUMNS + len(APPLICANT_COLUMNS)
    return [
        Cell(0, 0, TABLE3_NOTE, rows=3, cols=LABEL_COLUMNS),
        Cell(0, LABEL_COLUMNS, APPLICANTS, cols=n + 1),
        Cell(1, LABEL_COLUMNS, APPLICANT_COLUMNS[0].label, rows=2),
        Cell(1, LABEL_COLUMNS + 1, ORG_GROUP, cols=n - 1),
        *(Cell(2, LABEL_COLUMNS + 1 + j, c.label) for j, c in enumerate(APPLICANT_COLUMNS[1:])),
        Cell(1, last, TABLE3_COLUMNS[-1].label, rows=2),
    ]


def table3_grid(r: Report) -> Grid:
    """The head, then a line per row (its label spanning the head columns its groups leave), then
    each group head down the rows it holds."""
    cells, rows = table3_head(), table3_rows(r)
    spans: dict[str, tuple[int, int, int]] = {}  # group → first row, last row, column
    for i, line in enumerate(rows, start=3):
        cells.append(Cell(i, line.depth, line.label, cols=LABEL_COLUMNS - line.depth))
        cells += [Cell(i, LABEL_COLUMNS + j, v) for j, v in enumerate(line.figures)]
        for level, group in enumerate(line.groups):
            first, _, _ = spans.setdefault(group, (i, i, level))
            spans[group] = (first, i, level)
    cells += [Cell(first, level, group, rows=last - first + 1) for group, (first, last, level) in spans.items()]
    return Grid(3 + len(rows), LABEL_COLUMNS + len(TABLE3_FIGURES), LABEL_COLUMNS, tuple(cells))


def table4_grid(r: Report) -> Grid:
    """行政复议 and 行政诉讼 side by side, each block's five columns under it; one line of figures."""
    w = len(TABLE4_COLUMNS)
    first, *suits = TABLE4_BLOCKS
    cells = [Cell(0, 0, first.label, cols=w), Cell(0, w, suits[0].group, cols=w * len(suits))]
    cells += [Cell(1, j, c.label, rows=2) for j, c in enumerate(TABLE4_COLUMNS)]
    for k, block in enumerate(suits, start=1):
        cells.append(Cell(1, w * k, block.label, cols=w))
        cells += [Cell(2, w * k + j, c.label) for j, c in enumerate(TABLE4_COLUMNS)]
    cells += [Cell(3, w * k + j, v) for k, line in enumerate(table4_rows(r)) for j, v in enumerate(line.figures)]
    return Grid(4, w * len(TABLE4_BLOCKS), 0, tuple(cells))
