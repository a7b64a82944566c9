"""The annual report on the terminal: tables 三 and 四, what one cell counts, and table 二 as entered.

Its own module so that both ``gongkai report`` (``cli/closing.py``) and the demo's views
(``cli/render.py``) can draw the report. It draws on the console it is given (the one ``cli/render``
holds), so it imports neither. Table 三 is the layout every renderer shares
(``workflow.reports.layout``), drawn as an indented list with shortened labels::

    一、本年新收申请数量            127     10      1      2       2      7    149
     （一）予以公开                  30      4      1      1       1      1     38
       1.属于国家秘密                 0      0      0      0       0      0      0

rich is imported inside the functions, as everywhere in the CLI, so that importing this is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rules.report.layout import (
    APPLICANT_COLUMNS,
    TABLE2_BLOCKS,
    TABLE2_TITLE,
    TABLE3_TITLE,
    TABLE4_COLUMNS,
    TABLE4_TITLE,
)

if TYPE_CHECKING:
    from rich.console import Console

    from workflow.reports.compute import Report

INDENT = ("", " ", "   ")  # a row of table 三 by how deep its groups nest it
TOTALS = ("new", "carried_in", "total", "carried_out")  # the rows in bold


def _short(label: str) -> str:
    return label.split("（区分处理", 1)[0].replace("政府信息公开申请", "申请")


def render_report(console: Console, r: Report, log: list[dict[str, Any]] | None = None) -> None:
    """The preview or frozen note and any failed check, tables 三 and 四, then who closed and reopened the year."""
    from rich import box
    from rich.table import Table

    from workflow.reports.layout import table3_rows, table4_rows
    from workflow.reports.sections import status_lines

    who = "全部机关" if r.agency == "*" else r.agency
    for line in status_lines(r):
        console.print(line.lstrip("> ").replace("**", ""), style="bold red" if "未通过" in line else "dim",
                      markup=False)
    t = Table(title=f"{who} {r.year} 年度 · {TABLE3_TITLE}", header_style="bold", box=box.SIMPLE_HEAD,
              pad_edge=False)
    t.add_column("项目", no_wrap=True, overflow="ellipsis", min_width=16, max_width=28)
    for c in APPLICANT_COLUMNS:
        t.add_column(c.label, justify="right", overflow="fold", min_width=4, max_width=6)
    t.add_column("总计", justify="right", style="bold", min_width=4, max_width=6)
    for row in table3_rows(r):
        t.add_row(INDENT[row.depth] + _short(row.label), *map(str, row.figures),
                  style="bold" if row.code in TOTALS else "")
    console.print(t)
    t4 = Table(title=TABLE4_TITLE, header_style="bold", box=box.SIMPLE_HEAD)
    t4.add_column("")
    for c in TABLE4_COLUMNS:
        t4.add_column(c.label, justify="right")
    for block in table4_rows(r):
        t4.add_row((f"{block.group}·" if block.group else "") + block.label, *map(str, block.figures))
    console.print(t4)
    if not r.checks:
        console.print("勾稽关系校验：全部通过（C1、D1–D4）。")
    for e in log or []:
        what = "封存" if e["action"] == "close" else f"重新打开（{e['reason']}）"
        console.print(f"{e['at'][:16].replace('T', ' ')} {e['officer']} {what}，报告 sha256 {e['checksum'][:16]}…",
                      style="dim", markup=False)


def render_cell(console: Console, data: dict[str, Any]) -> None:
    """What ``report --cell`` lists: the appeals (table 四) or the requests (table 三) counted in one cell."""
    from rich.table import Table

    from cli.output.cell_labels import cell_title, label

    # Labels, not codes (codes stay in --json); dates, references and counts never wrap, at 80 columns too.
    title = f"{data['year']} 表{data.get('table', '三')} {cell_title(data['cell'])} = {data['value']}"
    if "appeals" in data:
        t = Table(title=title, header_style="bold")
        for h in ("#", "申请编号", "类别", "提起日期", "结果", "审结日期"):
            t.add_column(h, no_wrap=True, overflow="ellipsis", max_width=14 if h in ("类别", "结果") else None)
        for a in data["appeals"]:
            t.add_row(str(a["id"]), a["ref"], label("kind", a["kind"]), a["filed_on"],
                      label("result", a["result"]) if a["result"] else "尚未审结", a["concluded_on"] or "")
    else:
        t = Table(title=title, header_style="bold")
        rows = data["requests"]
        varying = [k for k in ("outcome", "applicant_type") if len({q[k] for q in rows}) > 1]  # else the title says it
        heads = ["编号", "收到日期", "办结日期", *(("办理结果",) if "outcome" in varying else ()),
                 *(("申请人类型",) if "applicant_type" in varying else ()), "申请人", "申请内容"]
        subject = console.width >= 100 or not varying  # a narrow terminal leaves the subject to `show`
        for h in heads[:None if subject else -1]:
            t.add_column(h, no_wrap=True, overflow="ellipsis",
                         max_width={"办理结果": 10, "申请人类型": 8, "申请人": 8, "申请内容": 16}.get(h))
        for q in rows:
            concluded = (q["concluded_on"] + ("（逾期）" if q.get("late") else "")) if q["concluded_on"] else "未办结"
            t.add_row(q["ref"], q["received_on"], concluded, *[label(k, q[k]) for k in varying], q["applicant"],
                      *([q["subject"]] if subject else []))
    console.print(t)


def render_table2(console: Console, data: dict[str, Any], year: int) -> None:
    """Table 二 as entered, a line per figure; one not entered says so."""
    from rich.table import Table

    t = Table(title=f"{year} 年度 · {TABLE2_TITLE}", header_style="bold")
    for h in ("", "信息内容", "项目", "数值"):
        t.add_column(h)
    for b in TABLE2_BLOCKS:
        for row in b.rows:
            for c in b.columns:
                value = data[b.code][row.code][c.code]
                t.add_row(b.label, row.label, c.label, "—（未填报）" if value is None else str(value))
    console.print(t)
