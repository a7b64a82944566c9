"""The whole annual report as Markdown, sections 一 to 六 in the order of the national format.

The tables follow the official layout as far as Markdown allows: a merged cell is printed once and
left blank where it spans (the XLSX and DOCX renderers merge for real). The text sections 一, 五 and
六 come from templates (``config/templates/report_section{1,5,6}.md``) with ``$year``-style
placeholders; an office overrides one by putting a file of the same name, or one for a single year
(``report_section5-2026.md``), in ``templates/`` of its configuration directory. Section 六 states the
information-processing fees paid in the year (国办公开办函〔2021〕30号; spec §3.5), as ``$fees``.

This module also holds what the three document renderers share: the row layout of table 三 and the
text of the sections.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from string import Template

import config
from rules.report_layout import (
    APPLICANT_COLUMNS,
    ORG_GROUP,
    RESULTS,
    TABLE2_BLOCKS,
    TABLE2_TITLE,
    TABLE3_NOTE,
    TABLE3_ROWS,
    TABLE3_TITLE,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
    TABLE4_TITLE,
)
from workflow.reports.compute import ALL, Report

SECTION_TITLES = {
    1: "一、总体情况",
    2: TABLE2_TITLE,
    3: TABLE3_TITLE,
    4: TABLE4_TITLE,
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


def title(r: Report, office: str) -> str:
    who = office if r.agency == ALL else r.agency
    return f"{who}{r.year}年度政府信息公开工作年度报告"


def table3_layout() -> list[tuple[str, str, str | None, str | None]]:
    """Each row of table 三 as (code, label, outer group, inner group), as the official table nests them."""
    out: list[tuple[str, str, str | None, str | None]] = []
    for row in TABLE3_ROWS:
        if row.group is None:
            out.append((row.code, row.label, None, None))
        elif row.group == RESULTS:
            out.append((row.code, row.label, RESULTS, None))
        else:
            out.append((row.code, row.label, RESULTS, row.group))
    return out


def _template(name: str, year: int) -> str:
    from workflow.settings import config_dir

    own = config_dir() / "templates"
    for path in (own / f"{name}-{year}.md", own / f"{name}.md", config.DIR / "templates" / f"{name}.md"):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def fees_sentence(r: Report) -> str:
    n, amount = int(r.fees.get("requests", 0)), Decimal(str(r.fees.get("amount", "0")))
    if n == 0:
        return f"{r.year}年，无收取信息处理费情况。"
    return f"{r.year}年，共对{n}件政府信息公开申请收取信息处理费，合计{amount:,.2f}元。"


def facts(r: Report, office: str) -> dict[str, str]:
    t3, t4 = r.table3, r.table4
    return {
        "year": str(r.year), "agency": office if r.agency == ALL else r.agency,
        "new": str(t3["new"]["total"]), "carried_in": str(t3["carried_in"]["total"]),
        "received": str(t3["new"]["total"] + t3["carried_in"]["total"]),
        "concluded": str(t3["total"]["total"]), "carried_out": str(t3["carried_out"]["total"]),
        "reviews": str(t4["review"]["total"]),
        "lawsuits": str(t4["litigation_direct"]["total"] + t4["litigation_after_review"]["total"]),
        "fees": fees_sentence(r),
    }


def sections(r: Report, office: str) -> dict[int, str]:
    """The text of sections 一, 五 and 六, from the templates."""
    values = facts(r, office)
    return {n: Template(_template(f"report_section{n}", r.year)).safe_substitute(values).strip()
            for n in (1, 5, 6)}


def _cell(value: object) -> str:
    return "—" if value is None else str(value)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table2_md(r: Report) -> list[str]:
    lines = [_row([TABLE2_BLOCKS[0].label, "", "", ""]), "|---|---:|---:|---:|"]
    for i, block in enumerate(TABLE2_BLOCKS):
        if i:
            lines.append(_row([f"**{block.label}**", "", "", ""]))
        heads = [c.label for c in block.columns]
        lines.append(_row(["信息内容", *heads, *[""] * (3 - len(heads))]))
        for row in block.rows:
            values = [_cell(r.table2[block.code][row.code][c.code]) for c in block.columns]
            lines.append(_row([row.label, *values, *[""] * (3 - len(values))]))
    return lines


def table3_md(r: Report) -> list[str]:
    n = len(APPLICANT_COLUMNS)
    lines = [
        _row([TABLE3_NOTE, "", "", "申请人情况", *[""] * n]),
        "|---|---|---|" + "---:|" * (n + 1),
        _row(["", "", "", APPLICANT_COLUMNS[0].label, ORG_GROUP, *[""] * (n - 2), "总计"]),
        _row(["", "", "", "", *[c.label for c in APPLICANT_COLUMNS[1:]], ""]),
    ]
    seen: set[str] = set()
    for code, label, outer, inner in table3_layout():
        labels = [label, "", ""] if outer is None else \
            [outer if outer not in seen else "", label, ""] if inner is None else \
            [outer if outer not in seen else "", inner if inner not in seen else "", label]
        seen.update(g for g in (outer, inner) if g)
        values = [str(r.table3[code][c.code]) for c in APPLICANT_COLUMNS] + [str(r.table3[code]["total"])]
        lines.append(_row([*labels, *values]))
    return lines


def table4_md(r: Report) -> list[str]:
    cols = [c.label for c in TABLE4_COLUMNS]
    blocks = [b for b in TABLE4_BLOCKS]
    values = [str(r.table4[b.code][c.code]) for b in blocks for c in TABLE4_COLUMNS]
    return [
        _row([blocks[0].label, *[""] * 4, "行政诉讼", *[""] * 9]),
        "|" + "---:|" * 15,
        _row(["", "", "", "", "", blocks[1].label, *[""] * 4, blocks[2].label, *[""] * 4]),
        _row(cols * 3),
        _row(values),
    ]


def status_lines(r: Report) -> list[str]:
    """Whether this is the frozen report or a preview, and any failed check (a note, not the report)."""
    if r.frozen:
        f = r.frozen
        out = [f"> 本报告已于 {f.closed_at:%Y-%m-%d} 由 {f.closed_by} 封存（复议诉讼结果截至 "
               f"{f.as_of.isoformat()}），sha256 {f.checksum}。"]
    else:
        out = [f"> 预览：数据截至 {r.as_of.isoformat()}，本年度尚未封存（gongkai close-year {r.year}）。"]
    for c in r.checks:
        refs = "、".join(c.get("requests", []))
        more = c.get("requests_total", 0) - len(c.get("requests", []))
        behind = f"；涉及申请 {refs}" + (f" 等{c['requests_total']}件" if more > 0 else "") if refs else ""
        out.append(f"> **勾稽关系校验未通过** {c['check']} `{c['cell']}`：{c['message']}{behind}")
    return out


def markdown(r: Report, office: str, chart: str | None = None) -> str:
    """The report; ``chart`` is the PNG's file name relative to the Markdown file, if one was written."""
    text = sections(r, office)
    out = [f"# {title(r, office)}", "", *status_lines(r), ""]
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
