"""The words of the report around its tables: its title, the preview or frozen note, sections 一, 五 and 六.

Every renderer prints them (Markdown, XLSX, DOCX, the terminal), so they are written once here.
The text sections come from templates (``config/templates/report_section{1,5,6}.md``) with
``$year``-style placeholders; an office overrides one by putting a file of the same name, or one for
a single year (``report_section5-2026.md``), in ``templates/`` of its configuration directory.
Section 六 states the information-processing fees paid in the year (国办公开办函〔2021〕30号; spec
§3.5), as ``$fees``::

    2025年，共对1件政府信息公开申请收取信息处理费，合计700.00元。
"""

from __future__ import annotations

from decimal import Decimal
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


def title(r: Report, office: str) -> str:
    who = office if r.agency == ALL else r.agency
    return f"{who}{r.year}年度政府信息公开工作年度报告"


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
