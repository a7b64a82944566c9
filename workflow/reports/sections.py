"""The words of the report around its tables: its title, sections 一, 五 and 六, the status lines.

Every renderer prints them (Markdown, XLSX, DOCX, the terminal), so they are written once here.
A text section is two parts, each with ``$year``-style placeholders:

- the computed sentences, from ``config/templates/report_section{1,5,6}.md`` (an office may
  replace one with a file of the same name in ``templates/`` of its configuration directory);
  they hold figures only, never instructions;
- the office's own text for the year, ``templates/report_section{1,5,6}-YEAR.md`` in the
  configuration directory (on a platform ``report_section5-YEAR-AGENCY.md`` first, AGENCY being
  the agency code). Until it is there the section is missing: the preview shows a 草稿 gap and
  ``close-year`` refuses (:func:`missing`).

Section 六 states the information-processing fees paid in the year (国办公开办函〔2021〕30号; spec
§3.5), as ``$fees``::

    2025年，共对1件政府信息公开申请收取信息处理费，合计700.00元。

The status lines (preview or frozen, by whom, checksum, failed checks) are for the terminal only:
no published document prints them. A preview document says 草稿 in its title instead.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from string import Template

import config
from rules.report.layout import TABLE2_TITLE, TABLE3_TITLE, TABLE4_TITLE
from workflow.reports.compute import ALL, Report

SECTION_TITLES = {
    1: "一、总体情况",
    2: TABLE2_TITLE,
    3: TABLE3_TITLE,
    4: TABLE4_TITLE,
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


TEXT_SECTIONS = (1, 5, 6)
DRAFT = "（草稿）"


def title(r: Report, office: str) -> str:
    """The office's name (each agency's own on a platform), the year, and 草稿 until the year is closed."""
    return f"{office or '本机关'}{r.year}年度政府信息公开工作年度报告" + ("" if r.frozen else DRAFT)


def _own_dir() -> Path:
    from workflow.settings import config_dir

    return config_dir() / "templates"


def _template(name: str) -> str:
    for path in (_own_dir() / f"{name}.md", config.DIR / "templates" / f"{name}.md"):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def own_text_paths(n: int, year: int, agency: str) -> list[Path]:
    """Where the office's own text of section ``n`` for ``year`` is looked for, first found first."""
    name = f"report_section{n}-{year}"
    return ([_own_dir() / f"{name}-{agency}.md"] if agency != ALL else []) + [_own_dir() / f"{name}.md"]


def own_text(n: int, year: int, agency: str) -> str:
    for path in own_text_paths(n, year, agency):
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    return ""


def missing(r: Report) -> list[str]:
    """What an officer has still to give before the year can be closed: a section's own text, a table 二 cell."""
    out = [f"{SECTION_TITLES[n]}（{own_text_paths(n, r.year, r.agency)[-1]}）"
           for n in TEXT_SECTIONS if not own_text(n, r.year, r.agency)]
    out += [f"表二 {block}.{row}.{column}" for block, rows in r.table2.items() for row, columns in rows.items()
            for column, value in columns.items() if value is None]
    return out


def fees_sentence(r: Report) -> str:
    n, amount = int(r.fees.get("requests", 0)), Decimal(str(r.fees.get("amount", "0")))
    if n == 0:
        return f"{r.year}年，无收取信息处理费情况。"
    return f"{r.year}年，共对{n}件政府信息公开申请收取信息处理费，合计{amount:,.2f}元。"


def facts(r: Report, office: str) -> dict[str, str]:
    t3, t4 = r.table3, r.table4
    return {
        "year": str(r.year), "agency": office or "本机关",
        "new": str(t3["new"]["total"]), "carried_in": str(t3["carried_in"]["total"]),
        "received": str(t3["new"]["total"] + t3["carried_in"]["total"]),
        "concluded": str(t3["total"]["total"]), "carried_out": str(t3["carried_out"]["total"]),
        "reviews": str(t4["review"]["total"]),
        "lawsuits": str(t4["litigation_direct"]["total"] + t4["litigation_after_review"]["total"]),
        "fees": fees_sentence(r),
    }


def sections(r: Report, office: str) -> dict[int, str]:
    """The text of sections 一, 五 and 六: the computed sentences, then the office's own text for the year
    (a preview without it says so in brackets, a draft's gap to fill)."""
    values = facts(r, office)
    out = {}
    for n in TEXT_SECTIONS:
        computed = Template(_template(f"report_section{n}")).safe_substitute(values).strip()
        own = Template(own_text(n, r.year, r.agency)).safe_substitute(values).strip()
        if not own and not r.frozen:
            own = "【草稿：本节本年度文字尚未提供】"
        out[n] = "\n\n".join(p for p in (computed, own) if p)
    return out


def status_lines(r: Report) -> list[str]:
    """Whether this is the frozen report or a preview, and any failed check: for the terminal, never a document."""
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
