"""Where each figure of the report comes from: tables 二, 三 and 四, the fees and the monthly counts, in SQL.

Table 三 is one SQL aggregate over the request table (GROUP BY applicant type and outcome, a
``SUM(CASE …)`` per row kind), so a million requests cost what a hand-written GROUP BY costs. Each
row's condition is written once, in :func:`conditions`, and serves both the count and the list of
requests behind a cell (``workflow.reports.provenance``): provenance cannot drift from the figure.
For year Y (spec §3.6; the carried-over definition is the usual reading, UNCONFIRMED)::

    new          received in Y                                   一
    carried_in   received before 1 January, not concluded before 二
    concluded    concluded in Y, by outcome (exactly one row)     三（一）…（六）, （七）
    carried_out  received by 31 December, not concluded by it     四

The 总计 column and the （七） row count every request, not the sum of the cells they total, so a
request with an unknown applicant type or outcome shows up as a failed check instead of vanishing.

Table 四 counts each appeal in the year it was filed, with its result as known at the closing
point (``Scope.as_of``: today for a preview, the closing day for a frozen year); a result reached
later is 尚未审结.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from rules import actions
from rules.report import checks as report_checks
from rules.report.layout import (
    APPEAL_RESULTS,
    APPLICANT_TYPES,
    OUTCOME_ROWS,
    TABLE2_BLOCKS,
    TABLE3_ROWS,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
)
from workflow.domain.states import VOIDED
from workflow.store import models

ALL = "*"  # the whole platform
COLUMNS = report_checks.COLUMNS
ROWS: tuple[str, ...] = tuple(r.code for r in TABLE3_ROWS)
FLOWS = ("new", "carried_in", "concluded", "carried_out")


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


def in_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """The requests a report counts: the agency's (or every agency's), never a voided one (a request
    registered by mistake is in no figure, nor are its appeals or fees; ``gongkai void``)."""
    voided = col(models.Request.state) != VOIDED
    return [voided] if scope.agency == ALL else [col(models.Request.agency) == scope.agency, voided]


def pending_appeal(scope: Scope) -> ColumnElement[bool]:
    a = models.Appeal
    return or_(col(a.result).is_(None), col(a.concluded_on).is_(None), col(a.concluded_on) > scope.as_of)


def _empty3() -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(COLUMNS, 0) for row in ROWS}


def table3(session: Session, scope: Scope) -> dict[str, dict[str, int]]:
    r = models.Request
    cond = conditions(scope)
    sums = [func.sum(case((cond[k], 1), else_=0)).label(k) for k in FLOWS]
    query = (select(col(r.applicant_type), col(r.outcome), *sums)
             .where(or_(*cond.values()), *in_scope(scope))
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
    query = (select(col(a.kind), col(a.result), func.sum(case((pending_appeal(scope), 1), else_=0)), func.count())
             .join(r, col(r.id) == col(a.request_id))
             .where(col(a.filed_on).between(scope.first, scope.last), *in_scope(scope))
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
                    *in_scope(scope)))
    amounts = [Decimal(str(json.loads(p).get("amount", "0"))) for p in session.execute(query).scalars()]
    return {"requests": len(amounts), "amount": str(sum(amounts, Decimal("0.00")))}


def by_month(session: Session, scope: Scope, flow: str) -> list[int]:
    r = models.Request
    day = col(r.received_on) if flow == "new" else col(r.concluded_on)
    month = extract("month", day)
    query = (select(month, func.count()).where(conditions(scope)[flow], *in_scope(scope)).group_by(month))
    out = [0] * 12
    for m, n in session.execute(query).all():
        out[int(m) - 1] = int(n)
    return out
