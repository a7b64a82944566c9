"""The annual report as one neutral computation: tables 二, 三 and 四, the checks, the fees, frozen or not.

:func:`build` gives a year's report: the frozen copy if the year is closed, else a preview computed
now from the requests (``workflow.reports.counts`` says where each figure comes from). The
template's checks (``rules.report.checks``) run on every computation, and each failed check names
the requests behind it (``workflow.reports.provenance``), as :func:`cell` names those of one cell.
JSON, Markdown, XLSX, DOCX and the terminal are renderers of :class:`Report`::

    report = build(app, 2026)           # preview as of app.today, or the frozen 2026
    report.table3["new"]["total"]       # 一、本年新收政府信息公开申请数量, all applicants
    report.json_text()                  # what is printed and frozen, byte for byte
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from rules.report import checks as report_checks
from workflow.app import Gongkai
from workflow.domain.errors import InvalidInput
from workflow.reports import provenance
from workflow.reports.counts import ALL, Scope, by_month, fees, table2, table3, table4
from workflow.store import db, models
from workflow.store.evidence import facts as evidence


@dataclass(frozen=True)
class Frozen:
    """The stored report of a closed year."""

    closed_at: datetime
    closed_by: str
    checksum: str
    as_of: date
    text: str  # the report JSON exactly as stored


@dataclass
class Report:
    year: int
    agency: str
    table2: dict[str, dict[str, dict[str, int | float | None]]]
    table3: dict[str, dict[str, int]]
    table4: dict[str, dict[str, int]]
    checks: list[dict[str, Any]]
    as_of: date
    fees: dict[str, Any] = field(default_factory=dict)  # {"requests": n, "amount": "yuan"} paid in the year
    # Requests per month, for the chart only; None unless asked for (two more passes over the year).
    received_by_month: list[int] | None = None
    concluded_by_month: list[int] | None = None
    frozen: Frozen | None = None

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "agency": self.agency, "table2": self.table2, "table3": self.table3,
                "table4": self.table4, "checks": self.checks}

    def json_text(self) -> str:
        """The JSON as printed and as frozen: byte for byte the same for the same report."""
        return self.frozen.text if self.frozen else dumps(self.as_json())


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- the report -----------------------------------------------------------------------------------

def scope_agency(app: Gongkai, all_agencies: bool) -> str:
    """The agency a report covers; the whole platform only for those who may see every agency."""
    if not all_agencies:
        return app.agency or app.settings.agency
    role = getattr(app, "role", "single")
    if role not in ("single", "platform"):
        raise InvalidInput("--all-agencies", f"经办人 {app.officer!r} 只能查看机关 {app.agency!r}；"
                                             f"全平台的报告只供平台管理员使用")
    return ALL


def frozen(session: Session, agency: str, year: int) -> models.ClosedYear | None:
    query = select(models.ClosedYear).where(models.ClosedYear.agency == agency, models.ClosedYear.year == year)
    return session.execute(query).scalars().first()


def _previous_carried_out(session: Session, scope: Scope) -> dict[str, int] | None:
    before = frozen(session, scope.agency, scope.year - 1)
    if before is None:
        return None
    return {k: int(v) for k, v in json.loads(before.report)["table3"]["carried_out"].items()}


def compute_in(session: Session, scope: Scope, months: bool = False) -> Report:
    """The report as the requests give it now (never the frozen copy); ``months`` adds the requests
    received and concluded per month, which only the chart draws."""
    t3, t4 = table3(session, scope), table4(session, scope)
    tables = report_checks.Tables(t3, t4, _previous_carried_out(session, scope))
    findings = [provenance.finding_json(session, scope, f) for f in report_checks.check(tables)]
    r = Report(scope.year, scope.agency, table2(session, scope), t3, t4, findings, scope.as_of, fees(session, scope))
    if months:
        r.received_by_month, r.concluded_by_month = by_month(session, scope, "new"), by_month(session, scope, "concluded")
    return r


def check_year(year: int) -> int:
    if not 1990 <= year <= 2200:
        raise InvalidInput("YEAR", f"{year} 不是报告年度；应为 1990 至 2200 之间的年份")
    return year


def build(app: Gongkai, year: int, all_agencies: bool = False, months: bool = False) -> Report:
    """The year's report: the frozen one if the year is closed, else a preview as of today (``months``:
    with the monthly counts a chart needs)."""
    agency = scope_agency(app, all_agencies)
    with db.unit_of_work(app.engine, write=False) as session:
        closed = frozen(session, agency, check_year(year))
        if closed is None:
            return compute_in(session, Scope(year, agency, app.today), months)
        evidence.check_frozen(session, closed)  # an edited frozen report is refused, never printed
        as_of = closed.as_of or closed.closed_at.date()
        live = compute_in(session, Scope(year, agency, as_of), months)
    stored = json.loads(closed.report)
    live.table2, live.table3, live.table4, live.checks = (
        stored["table2"], stored["table3"], stored["table4"], stored["checks"])
    live.frozen = Frozen(closed.closed_at, closed.closed_by, closed.checksum, as_of, closed.report)
    return live


def office_name(app: Gongkai, agency: str) -> str:
    """The name the report is published under: the agency's own (the agency table) on a platform,
    else ``office.name``."""
    configured = str(app.settings.get("office", "name") or "").strip()
    if agency == ALL:
        return configured or "本机关"
    with db.unit_of_work(app.engine, write=False) as session:
        row = session.get(models.Agency, agency)
    return (row.name.strip() if row is not None and row.name.strip() else "") or configured or agency


def cell(app: Gongkai, year: int, text: str, all_agencies: bool = False) -> dict[str, Any]:
    """What is counted in one cell: the requests (table 三) or the appeals (table 四), and the figure."""
    row, column = provenance.parse_cell(text)
    report = build(app, year, all_agencies)
    scope = Scope(year, report.agency, report.as_of)
    with db.unit_of_work(app.engine, write=False) as session:
        if row in report.table4:
            items = provenance.appeals_in(session, scope, row, column)
            return {"year": year, "agency": report.agency, "cell": f"{row}:{column}", "table": "四",
                    "value": report.table4[row][column], "appeals": items}
        requests, _ = provenance.requests_where(session, scope, provenance.cell_condition(scope, row, column))
    return {"year": year, "agency": report.agency, "cell": f"{row}:{column}", "table": "三",
            "value": report.table3[row][column], "requests": requests}
