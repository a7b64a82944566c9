"""The annual report as one neutral computation: tables 二, 三 and 四, the checks, fees and provenance.

Table 三 is one SQL aggregate over the request table (GROUP BY applicant type and outcome, a
``SUM(CASE …)`` per row kind), so a million requests cost what a hand-written GROUP BY costs. Each
row's condition is written once, in :func:`conditions`, and serves both the count and the list of
requests behind a cell (``gongkai report YEAR --cell ROW:COLUMN``): provenance cannot drift from the
figure. For year Y (spec §3.6; the carried-over definition is the usual reading, UNCONFIRMED)::

    new          received in Y                                   一
    carried_in   received before 1 January, not concluded before 二
    concluded    concluded in Y, by outcome (exactly one row)     三（一）…（六）, （七）
    carried_out  received by 31 December, not concluded by it     四

The 总计 column and the （七） row count every request, not the sum of the cells they total, so a
request with an unknown applicant type or outcome shows up as a failed check instead of vanishing.

Table 四 counts each appeal in the year it was filed, with its result as known at the closing
point (``as_of``: today for a preview, the closing day for a frozen year); a result reached later is
尚未审结. JSON, Markdown, XLSX and DOCX are renderers of :class:`Report`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, not_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from rules import actions, report_checks
from rules.report_layout import (
    APPEAL_RESULTS,
    APPLICANT_TYPES,
    OUTCOME_ROWS,
    TABLE2_BLOCKS,
    TABLE3_ROWS,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
)
from workflow.app import Gongkai
from workflow.domain.errors import InvalidInput
from workflow.store import db, models

ALL = "*"  # the whole platform
COLUMNS = report_checks.COLUMNS
ROWS: tuple[str, ...] = tuple(r.code for r in TABLE3_ROWS)
FLOWS = ("new", "carried_in", "concluded", "carried_out")
LISTED = 100  # requests named per finding; the count says how many there are in all


@dataclass(frozen=True)
class Scope:
    year: int
    agency: str  # an agency code, or "*" for every agency together
    as_of: date  # the closing point for table 四

    @property
    def first(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last(self) -> date:
        return date(self.year, 12, 31)


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


# -- where each figure comes from -----------------------------------------------------------------

def conditions(scope: Scope) -> dict[str, ColumnElement[bool]]:
    """The SQL condition of each row kind of table 三 (the single definition counts and lists share)."""
    r = models.Request
    received, concluded = col(r.received_on), col(r.concluded_on)
    return {
        "new": received.between(scope.first, scope.last),
        "carried_in": and_(received < scope.first, or_(concluded.is_(None), concluded >= scope.first)),
        "concluded": concluded.between(scope.first, scope.last),
        "carried_out": and_(received <= scope.last, or_(concluded.is_(None), concluded > scope.last)),
    }


def _in_scope(scope: Scope) -> list[ColumnElement[bool]]:
    return [] if scope.agency == ALL else [col(models.Request.agency) == scope.agency]


def _pending(scope: Scope) -> ColumnElement[bool]:
    a = models.Appeal
    return or_(col(a.result).is_(None), col(a.concluded_on).is_(None), col(a.concluded_on) > scope.as_of)


def _empty3() -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(COLUMNS, 0) for row in ROWS}


def table3(session: Session, scope: Scope) -> dict[str, dict[str, int]]:
    r = models.Request
    cond = conditions(scope)
    sums = [func.sum(case((cond[k], 1), else_=0)).label(k) for k in FLOWS]
    query = (select(col(r.applicant_type), col(r.outcome), *sums)
             .where(or_(*cond.values()), *_in_scope(scope))
             .group_by(col(r.applicant_type), col(r.outcome)))
    t = _empty3()
    for applicant, outcome, *counts in session.execute(query).all():
        n = dict(zip(FLOWS, (int(c or 0) for c in counts), strict=True))
        cells = ["total"] + ([applicant] if applicant in APPLICANT_TYPES else [])
        for c in cells:
            for flow, row in (("new", "new"), ("carried_in", "carried_in"), ("concluded", "total"),
                              ("carried_out", "carried_out")):
                t[row][c] += n[flow]
            if outcome in OUTCOME_ROWS:
                t[outcome][c] += n["concluded"]
    return t


def table4(session: Session, scope: Scope) -> dict[str, dict[str, int]]:
    a, r = models.Appeal, models.Request
    query = (select(col(a.kind), col(a.result), func.sum(case((_pending(scope), 1), else_=0)), func.count())
             .join(r, col(r.id) == col(a.request_id))
             .where(col(a.filed_on).between(scope.first, scope.last), *_in_scope(scope))
             .group_by(col(a.kind), col(a.result)))
    t = {b.code: dict.fromkeys((c.code for c in TABLE4_COLUMNS), 0) for b in TABLE4_BLOCKS}
    for kind, result, pending, n in session.execute(query).all():
        if kind not in t:
            continue
        t[kind]["total"] += int(n)
        t[kind]["pending"] += int(pending or 0)
        if result in APPEAL_RESULTS:
            t[kind][result] += int(n) - int(pending or 0)
    return t


def _number(value: str) -> int | float:
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else float(d)


def empty_table2() -> dict[str, dict[str, dict[str, int | float | None]]]:
    return {b.code: {r.code: dict.fromkeys((c.code for c in b.columns), None) for r in b.rows}
            for b in TABLE2_BLOCKS}


def table2(session: Session, scope: Scope) -> dict[str, dict[str, dict[str, int | float | None]]]:
    """Table 二 as entered (``gongkai table2``); a figure not entered is None. All agencies: the sums."""
    t = empty_table2()
    e = models.Table2Entry
    query = select(e).where(e.year == scope.year)
    if scope.agency != ALL:
        query = query.where(e.agency == scope.agency)
    totals: dict[tuple[str, str, str], Decimal] = {}
    for entry in session.execute(query).scalars():
        key = (entry.block, entry.row_code, entry.column_code)
        totals[key] = totals.get(key, Decimal(0)) + Decimal(entry.value)
    for (block, row, column), value in sorted(totals.items()):
        if column in t.get(block, {}).get(row, {}):
            t[block][row][column] = _number(str(value))
    return t


def fees(session: Session, scope: Scope) -> dict[str, Any]:
    """Information-processing fees paid in the year (section 六): the amount of each paid fee notice."""
    r, notice, paid = models.Request, aliased(models.Event), aliased(models.Event)
    query = (select(notice.payload)
             .join(paid, and_(col(paid.request_id) == col(notice.request_id), col(paid.action) == actions.FEE_PAID))
             .join(r, col(r.id) == col(notice.request_id))
             .where(col(notice.action) == actions.NOTIFY_FEE, col(paid.occurred_on).between(scope.first, scope.last),
                    *_in_scope(scope)))
    amounts = [Decimal(str(json.loads(p).get("amount", "0"))) for p in session.execute(query).scalars()]
    return {"requests": len(amounts), "amount": str(sum(amounts, Decimal("0.00")))}


def by_month(session: Session, scope: Scope, flow: str) -> list[int]:
    r = models.Request
    day = col(r.received_on) if flow == "new" else col(r.concluded_on)
    month = extract("month", day)
    query = (select(month, func.count()).where(conditions(scope)[flow], *_in_scope(scope)).group_by(month))
    out = [0] * 12
    for m, n in session.execute(query).all():
        out[int(m) - 1] = int(n)
    return out


# -- the report -----------------------------------------------------------------------------------

def scope_agency(app: Gongkai, all_agencies: bool) -> str:
    """The agency a report covers; the whole platform only for those who may see every agency."""
    if not all_agencies:
        return app.agency or app.settings.agency
    role = getattr(app, "role", "single")
    if role not in ("single", "platform"):
        raise InvalidInput("--all-agencies", f"officer {app.officer!r} sees only agency {app.agency!r}; "
                                             f"the platform report is for platform officers")
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
    findings = [finding_json(session, scope, f) for f in report_checks.check(tables)]
    r = Report(scope.year, scope.agency, table2(session, scope), t3, t4, findings, scope.as_of, fees(session, scope))
    if months:
        r.received_by_month, r.concluded_by_month = by_month(session, scope, "new"), by_month(session, scope, "concluded")
    return r


def check_year(year: int) -> int:
    if not 1990 <= year <= 2200:
        raise InvalidInput("YEAR", f"{year} is not a report year (expected 1990 to 2200)")
    return year


def build(app: Gongkai, year: int, all_agencies: bool = False, months: bool = False) -> Report:
    """The year's report: the frozen one if the year is closed, else a preview as of today (``months``:
    with the monthly counts a chart needs)."""
    agency = scope_agency(app, all_agencies)
    with db.unit_of_work(app.engine, write=False) as session:
        closed = frozen(session, agency, check_year(year))
        if closed is None:
            return compute_in(session, Scope(year, agency, app.today), months)
        as_of = closed.as_of or closed.closed_at.date()
        live = compute_in(session, Scope(year, agency, as_of), months)
    stored = json.loads(closed.report)
    live.table2, live.table3, live.table4, live.checks = (
        stored["table2"], stored["table3"], stored["table4"], stored["checks"])
    live.frozen = Frozen(closed.closed_at, closed.closed_by, closed.checksum, as_of, closed.report)
    return live


# -- provenance -----------------------------------------------------------------------------------

def _request_row(row: models.Request) -> dict[str, Any]:
    return {"ref": row.ref, "agency": row.agency, "received_on": row.received_on.isoformat(),
            "concluded_on": row.concluded_on.isoformat() if row.concluded_on else None, "state": row.state,
            "outcome": row.outcome, "applicant_type": row.applicant_type, "applicant": row.applicant_name,
            "subject": row.subject}


def _cell_condition(scope: Scope, row: str, column: str) -> ColumnElement[bool]:
    r = models.Request
    cond = conditions(scope)
    if row in ("new", "carried_in", "carried_out"):
        where = cond[row]
    elif row == "total":
        where = cond["concluded"]
    else:
        where = and_(cond["concluded"], col(r.outcome) == row)
    return where if column == "total" else and_(where, col(r.applicant_type) == column)


def _requests(session: Session, scope: Scope, where: ColumnElement[bool], limit: int | None = None
              ) -> tuple[list[dict[str, Any]], int]:
    r = models.Request
    count = session.execute(select(func.count()).select_from(r).where(where, *_in_scope(scope))).scalar() or 0
    query = select(r).where(where, *_in_scope(scope)).order_by(col(r.agency), col(r.received_on), col(r.ref))
    rows = session.execute(query.limit(limit) if limit else query).scalars()
    return [_request_row(x) for x in rows], int(count)


def _appeals(session: Session, scope: Scope, block: str, column: str) -> list[dict[str, Any]]:
    a, r = models.Appeal, models.Request
    where: list[ColumnElement[bool]] = [col(a.filed_on).between(scope.first, scope.last), col(a.kind) == block]
    if column == "pending":
        where.append(_pending(scope))
    elif column != "total":
        where += [not_(_pending(scope)), col(a.result) == column]
    query = (select(a, r).join(r, col(r.id) == col(a.request_id)).where(*where, *_in_scope(scope))
             .order_by(col(a.filed_on), col(a.id)))
    return [{**appeal_row(ap, rq.ref), "request": _request_row(rq)} for ap, rq in session.execute(query).all()]


def appeal_row(a: models.Appeal, ref: str) -> dict[str, Any]:
    return {"id": a.id, "ref": ref, "kind": a.kind, "filed_on": a.filed_on.isoformat(), "result": a.result,
            "concluded_on": a.concluded_on.isoformat() if a.concluded_on else None, "officer": a.officer,
            "note": a.note}


def parse_cell(text: str) -> tuple[str, str]:
    row, sep, column = text.strip().partition(":")
    blocks = [b.code for b in TABLE4_BLOCKS]
    if not sep:
        raise InvalidInput("--cell", f"{text!r} is not ROW:COLUMN (e.g. unavailable.not_held:natural_person)")
    if row in blocks:
        columns = [c.code for c in TABLE4_COLUMNS]
        if column not in columns:
            raise InvalidInput("--cell", f"{column!r} is not a table 四 column; expected one of {', '.join(columns)}")
    elif row not in ROWS:
        raise InvalidInput("--cell", f"{row!r} is not a row of table 三 or a block of table 四; "
                                     f"expected one of {', '.join((*ROWS, *blocks))}")
    elif column not in COLUMNS:
        raise InvalidInput("--cell", f"{column!r} is not a table 三 column; expected one of {', '.join(COLUMNS)}")
    return row, column


def cell(app: Gongkai, year: int, text: str, all_agencies: bool = False) -> dict[str, Any]:
    """What is counted in one cell: the requests (table 三) or the appeals (table 四), and the figure."""
    row, column = parse_cell(text)
    report = build(app, year, all_agencies)
    scope = Scope(year, report.agency, report.as_of)
    with db.unit_of_work(app.engine, write=False) as session:
        if row in report.table4:
            items = _appeals(session, scope, row, column)
            return {"year": year, "agency": report.agency, "cell": f"{row}:{column}", "table": "四",
                    "value": report.table4[row][column], "appeals": items}
        requests, _ = _requests(session, scope, _cell_condition(scope, row, column))
    return {"year": year, "agency": report.agency, "cell": f"{row}:{column}", "table": "三",
            "value": report.table3[row][column], "requests": requests}


# -- the requests behind a failed check ---------------------------------------------------------

def _typed(column: str) -> list[ColumnElement[bool]]:
    return [] if column == "total" else [col(models.Request.applicant_type) == column]


def _behind(scope: Scope, f: report_checks.Finding) -> ColumnElement[bool] | None:
    """The requests that make a finding: those the rule cannot place where the arithmetic needs them."""
    r = models.Request
    row, _, column = f.cell.partition(":")
    cond = conditions(scope)
    if f.check == "C1":  # counted on one side of 一+二 = 三（七）+四 but not on the other
        came = case((or_(cond["new"], cond["carried_in"]), 1), else_=0)
        went = case((or_(cond["concluded"], cond["carried_out"]), 1), else_=0)
        return and_(came != went, *_typed(column))
    if f.check == "D1":
        return and_(_cell_condition(scope, row, "total"), col(r.applicant_type).not_in(APPLICANT_TYPES))
    if f.check == "D2":
        return and_(cond["concluded"], or_(col(r.outcome).is_(None), col(r.outcome).not_in(OUTCOME_ROWS)),
                    *_typed(column))
    if f.check == "D4":
        return _cell_condition(scope, "carried_in", column)
    return None


def finding_json(session: Session, scope: Scope, f: report_checks.Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"check": f.check, "cell": f.cell, "expected": f.expected, "actual": f.actual,
                           "message": f.message}
    if f.check == "D3":
        a, r = models.Appeal, models.Request
        query = (select(r.ref).join(a, col(r.id) == col(a.request_id))
                 .where(col(a.filed_on).between(scope.first, scope.last), col(a.kind) == f.cell.split(":")[0],
                        not_(_pending(scope)), col(a.result).not_in(APPEAL_RESULTS), *_in_scope(scope))
                 .order_by(col(r.ref)))
        refs = list(dict.fromkeys(session.execute(query).scalars()))
        out.update(requests=refs[:LISTED], requests_total=len(refs))
        return out
    where = _behind(scope, f)
    rows, total = _requests(session, scope, where, LISTED) if where is not None else ([], 0)
    out.update(requests=[x["ref"] for x in rows], requests_total=total)
    return out
