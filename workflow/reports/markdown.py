"""The whole annual report as Markdown, sections 一 to 六 in the order of the national format.

The tables are the grids of ``workflow.reports.layout``, as far as Markdown allows: it has no
merged cells, so a cell that spans is printed once, in its first row and column, and left blank
where it spans (the XLSX and DOCX renderers merge for real). In table 四 a head spanning two rows is
printed in the lower one, the line that names every figure. The first row of a grid is the
Markdown header; the titles of table 二's later blocks are set in bold. The words around the
tables are ``workflow.reports.sections``.
"""

from __future__ import annotations

from pathlib import Path

from workflow.reports.compute import Report
from workflow.reports.layout import Grid, table2_grid, table3_grid, table4_grid
from workflow.reports.sections import SECTION_TITLES, sections, title


def _text(value: object) -> str:
    return "—" if value is None else str(value)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table_md(grid: Grid, low: bool = False) -> list[str]:
    """The grid's lines: each cell in its first column and in its first row (``low``: its last)."""
    lines = [[""] * grid.cols for _ in range(grid.rows)]
    for c in grid.cells:
        text = _text(c.value)
        lines[c.last_row if low else c.row][c.col] = f"**{text}**" if c.block and c.row else text
    rule = "|" + "---|" * grid.label_cols + "---:|" * (grid.cols - grid.label_cols)
    return [_row(lines[0]), rule, *map(_row, lines[1:])]


def table2_md(r: Report) -> list[str]:
    return table_md(table2_grid(r))


def table3_md(r: Report) -> list[str]:
    return table_md(table3_grid(r))


def table4_md(r: Report) -> list[str]:
    return table_md(table4_grid(r), low=True)


def markdown(r: Report, office: str, chart: str | None = None) -> str:
    """The report; ``chart`` is the PNG's file name relative to the Markdown file, if one was written."""
    text = sections(r, office)
    out = [f"# {title(r, office)}", ""]  # the status lines are the terminal's, not the document's
    out += [f"## {SECTION_TITLES[1]}", "", text[1], ""]
    out += [f"## {SECTION_TITLES[2]}", "", *table2_md(r), ""]
    out += [f"## {SECTION_TITLES[3]}", "", *table3_md(r), ""]
    if chart:
        out += [f"![{r.year}年每月申请数与办理结果]({chart})", ""]
    out += [f"## {SECTION_TITLES[4]}", "", *table4_md(r), ""]
    out += [f"## {SECTION_TITLES[5]}", "", text[5], ""]
    out += [f"## {SECTION_TITLES[6]}", "", text[6], ""]
    return "\n".join(out)


def chart_path(md_path: Path) -> Path:
    return md_path.with_name(md_path.stem + "-chart.png")
