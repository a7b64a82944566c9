"""The annual report on the terminal: tables 二, 三 and 四 in the official layout, what one cell counts.

Its own module so that both ``gongkai report`` (``cli/closing.py``) and the demo's views
(``cli/render.py``) can draw the report. It draws on the console it is given (the one ``cli/render``
holds), so it imports neither. The tables are those every renderer shares (``workflow.reports.layout``
and the format in ``rules.report.layout``), drawn in lines that fit the console (``text_grid``): table
三 with every row label in full under its group rows and the merged heads over its figures, table 四
with its fifteen columns side by side as the format has them. On a narrow console the labels and the
heads wrap (商业企业 in two lines of two characters); a figure never wraps and is never cut. At 80
columns (the demo year)::

    （本列数据的勾稽关系为：第一项加第二项之                 申请人情况
    和，等于第三项加第四项之和）                            法人或其他组织
                                                自然人 商业 科研 社会 法律 其他 总计
                                                       企业 机构 公益 服务
                                                                 组织 机构
    ────────────────────────────────────────────────────────────────────────────────
    一、本年新收政府信息公开申请数量                30    6    1    1    0    0   38
    三、本年度办理结果
      （三）不予公开
        1.属于国家秘密                               0    0    0    0    0    0    0

rich (but for its cell widths) is imported inside the functions, as everywhere in the CLI, so that importing
this is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cli.output.text_grid import GAP, Part, fit, indented, row, span, wrap
from rules.report.layout import (
    APPLICANT_COLUMNS,
    APPLICANTS,
    ORG_GROUP,
    TABLE2_BLOCKS,
    TABLE2_TITLE,
    TABLE3_COLUMNS,
    TABLE3_NOTE,
    TABLE3_TITLE,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
    TABLE4_TITLE,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from workflow.reports.compute import Report

Line = tuple[str, str]  # a line of a table and its style
INDENT = 2  # cells per level of table 三's groups
LEAST_LABEL = 32  # cells (16 characters) table 三's row labels keep while its heads can still wrap
TOTALS = ("new", "carried_in", "total", "carried_out")  # the rows in bold
NOT_ENTERED = "—"  # a figure of table 二 not entered


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _widths(heads: Sequence[str], columns: Sequence[Sequence[str]], room: int) -> list[int]:
    """Figure columns as wide as their heads where ``room`` allows, never narrower than a figure."""
    least = [max((len(v) for v in col), default=1) for col in columns]
    return fit([max(_cells(h), low) for h, low in zip(heads, least, strict=True)], least, room)


def _beside(left: list[str], width: int, right: list[str]) -> list[str]:
    """Two blocks of lines side by side, the left one ``width`` cells wide."""
    height = max(len(left), len(right))
    left, right = left + [""] * (height - len(left)), right + [""] * (height - len(right))
    return [(a + " " * (width - _cells(a)) + GAP + b).rstrip() for a, b in zip(left, right, strict=True)]


def table3_lines(r: Report, width: int) -> list[Line]:
    """The merged heads, a rule, then each group row once and each row with its figures."""
    from workflow.reports.layout import table3_rows

    rows, heads = table3_rows(r), [c.label for c in TABLE3_COLUMNS]
    figures = [[str(line.figures[j]) for line in rows] for j in range(len(heads))]
    fw = _widths(heads, figures, width - LEAST_LABEL - len(GAP))
    longest = max(_cells(TABLE3_NOTE) // 2, *(INDENT * line.depth + _cells(line.label) for line in rows))
    label = max(min(longest, width - span(fw) - len(GAP)), 2 * INDENT)
    n = len(APPLICANT_COLUMNS)
    head = [*row([(APPLICANTS, span(fw), "center")]),
            *row([("", fw[0], "left"), (ORG_GROUP, span(fw[1:n]), "center"), ("", fw[n], "left")]),
            *row([(h, w, "right") for h, w in zip(heads, fw, strict=True)])]
    out = [(line, "bold") for line in _beside(wrap(TABLE3_NOTE, label), label, head)]
    out.append(("─" * (label + len(GAP) + span(fw)), ""))
    shown: set[str] = set()
    for line in rows:
        for depth, group in enumerate(line.groups):
            if group not in shown:
                shown.add(group)
                out += [(g, "") for g in indented(group, label, INDENT * depth)]
        style = "bold" if line.code in TOTALS else ""
        parts: list[Part] = [(indented(line.label, label, INDENT * line.depth), label, "left"),
                             *((str(v), w, "right") for v, w in zip(line.figures, fw, strict=True))]
        out += [(text, style) for text in row(parts)]
    return out


def table4_lines(r: Report, width: int) -> list[Line]:
    """行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉) side by side, each with its five results; on a
    terminal too narrow for fifteen columns (under 74), the three blocks one under the other."""
    from workflow.reports.layout import table4_rows

    blocks = table4_rows(r)
    heads = [c.label for _ in blocks for c in TABLE4_COLUMNS]
    figures = [str(v) for b in blocks for v in b.figures]
    fw = _widths(heads, [[f] for f in figures], width)
    if span(fw) > width:
        return [line for b, block in zip(TABLE4_BLOCKS, blocks, strict=True)
                for line in _figures_under_heads([f"{b.group}·{b.label}" if b.group else b.label],
                                                 [c.label for c in TABLE4_COLUMNS],
                                                 [str(v) for v in block.figures], width)]
    k = len(TABLE4_COLUMNS)
    parts = [fw[i * k:(i + 1) * k] for i in range(len(blocks))]
    first, *suits = TABLE4_BLOCKS
    lines = [*row([(first.label, span(parts[0]), "center"), (suits[0].group or "", span(fw[k:]), "center")]),
             *row([("", span(parts[0]), "left"), *((b.label, span(w), "center") for b, w in zip(suits, parts[1:],
                                                                                                strict=True))])]
    return [(line, "bold") for line in lines] + _figures_under_heads([], heads, figures, width, fw)


def _figures_under_heads(titles: list[str], heads: list[str], figures: list[str], width: int,
                         fw: list[int] | None = None) -> list[Line]:
    """Titles over the columns, a head over each figure, a rule, then the figures."""
    fw = fw or _widths(heads, [[f] for f in figures], width)
    out = [(line, "bold") for title in titles for line in row([(title, span(fw), "center")])]
    out += [(line, "bold") for line in row([(h, w, "right") for h, w in zip(heads, fw, strict=True)])]
    out.append(("─" * span(fw), ""))
    return out + [(text, "") for text in row([(f, w, "right") for f, w in zip(figures, fw, strict=True)])]


def table2_lines(r: Report, width: int) -> list[Line]:
    """Each block of table 二: its title, 信息内容 and its heads, a line per row (— where not entered)."""
    label = max(_cells("信息内容"), *(_cells(line.label) for b in TABLE2_BLOCKS for line in b.rows))
    wide = max(TABLE2_BLOCKS, key=lambda b: len(b.columns))
    entered = [NOT_ENTERED if v is None else str(v) for b in TABLE2_BLOCKS for got in r.table2[b.code].values()
               for v in got.values()]
    fw = _widths([c.label for c in wide.columns], [entered] * len(wide.columns), width - label - len(GAP))
    out: list[Line] = []
    for b in TABLE2_BLOCKS:
        ws = [span(fw)] if len(b.columns) == 1 else fw
        out += [(t, "bold") for t in wrap(b.label, width)]
        out += [(t, "bold") for t in row([("信息内容", label, "left"),
                                          *((c.label, w, "right") for c, w in zip(b.columns, ws, strict=True))])]
        for line in b.rows:
            got = r.table2[b.code][line.code]
            cells = [NOT_ENTERED if got[c.code] is None else str(got[c.code]) for c in b.columns]
            out += [(t, "") for t in row([(line.label, label, "left"),
                                          *((v, w, "right") for v, w in zip(cells, ws, strict=True))])]
    return out


def _table(console: Console, title: str, lines: list[Line]) -> None:
    from rich.text import Text

    console.print()
    for t in wrap(title, console.width):
        console.print(Text(t, style="bold"), soft_wrap=True)
    for text, style in lines:
        console.print(Text(text, style=style), soft_wrap=True)


def render_report(console: Console, r: Report, log: list[dict[str, Any]] | None = None) -> None:
    """The preview or frozen note and any failed check, tables 二, 三 and 四, then who closed and reopened the year."""
    from workflow.reports.sections import status_lines

    who = "全部机关" if r.agency == "*" else r.agency
    for line in status_lines(r):
        console.print(line.lstrip("> ").replace("**", ""), style="bold red" if "未通过" in line else "dim",
                      markup=False)
    width = console.width
    _table(console, f"{who} {r.year} 年度 · {TABLE2_TITLE}", table2_lines(r, width))
    _table(console, TABLE3_TITLE, table3_lines(r, width))
    _table(console, TABLE4_TITLE, table4_lines(r, width))
    console.print()
    if not r.checks:
        console.print("勾稽关系校验：全部通过（C1、D1–D4）。")
    for e in log or []:
        what = "封存" if e["action"] == "close" else f"重新打开（{e['reason']}）"
        console.print(f"{e['at'][:16].replace('T', ' ')} {e['officer']} {what}，报告 sha256 {e['checksum'][:16]}…",
                      style="dim", markup=False)


def render_cell(console: Console, data: dict[str, Any]) -> None:
    """What ``report --cell`` lists: the appeals (table 四) or the requests (table 三) counted in one cell."""
    from rich.table import Table


    if "appeals" in data:
        t = Table(title=f"{data['year']} 表四 {data['cell']} = {data['value']}", header_style="bold")
        for h in ("#", "申请编号", "类别", "提起日期", "结果", "审结日期"):
            t.add_column(h)
        for a in data["appeals"]:
            t.add_row(str(a["id"]), a["ref"], a["kind"], a["filed_on"], a["result"] or "尚未审结", a["concluded_on"] or "")
    else:
        t = Table(title=f"{data['year']} 表三 {data['cell']} = {data['value']}", header_style="bold")
        for h in ("编号", "收到日期", "办结日期", "办理结果", "申请人类型", "申请人", "申请内容"):
            t.add_column(h, no_wrap=h in ("编号", "收到日期", "办结日期"), overflow="fold")
        for q in data["requests"]:
            concluded = (q["concluded_on"] + ("（逾期）" if q.get("late") else "")) if q["concluded_on"] else "未办结"
            t.add_row(q["ref"], q["received_on"], concluded, q["outcome"] or "",
                      q["applicant_type"], q["applicant"], q["subject"][:20])
    console.print(t)


def render_table2(console: Console, data: dict[str, Any], year: int) -> None:
    """Table 二 as entered, a line per figure; one not entered says so."""
    from rich.table import Table

    t = Table(title=f"{year} 年度 · {TABLE2_TITLE}", header_style="bold")
    for h in ("", "信息内容", "项目", "数值"):
        t.add_column(h)
    for b in TABLE2_BLOCKS:
        for line in b.rows:
            for c in b.columns:
                value = data[b.code][line.code][c.code]
                t.add_row(b.label, line.label, c.label, "—（未填报）" if value is None else str(value))
    console.print(t)
