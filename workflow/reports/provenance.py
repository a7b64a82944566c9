"""What is counted in a figure: the requests (or appeals) behind a cell, and behind a failed check.

``gongkai report YEAR --cell ROW:COLUMN`` lists a cell's requests with the very condition that
counts them (``counts.conditions``), so the list and the figure cannot drift apart. A failed check
names the requests that make it, at most ``LISTED`` of them with the count of all::

    D2 total:natural_person  →  the requests concluded in the year with no outcome, or one not in table 三
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, not_, or_
from sqlmodel import Session, col, select

from rules.report import checks as report_checks
from rules.report.layout import APPEAL_RESULTS, APPLICANT_TYPES, OUTCOME_ROWS, TABLE4_BLOCKS, TABLE4_COLUMNS
from workflow.domain.errors import InvalidInput
from workflow.reports.counts import COLUMNS, ROWS, Scope, conditions, in_scope, pending_appeal
from workflow.store import models

LISTED = 100  # requests named per finding; the count says how many there are in all


# -- the requests behind a cell -----------------------------------------------------------------------------------

def request_row(row: models.Request) -> dict[str, Any]:
    return {"ref": row.ref, "agency": row.agency, "received_on": row.received_on.isoformat(),
            "concluded_on": row.concluded_on.isoformat() if row.concluded_on else None, "late": row.late,
            "state": row.state,
            "outcome": row.outcome, "applicant_type": row.applicant_type, "applicant": row.applicant_name,
            "subject": row.subject}


def cell_condition(scope: Scope, row: str, column: str) -> ColumnElement[bool]:
    r = models.Request
    cond = conditions(scope)
    if row in ("new", "carried_in", "carried_out"):
        where = cond[row]
    elif row == "total":
        where = cond["concluded"]
    else:
        where = and_(cond["concluded"], col(r.outcome) == row)
    return where if column == "total" else and_(where, col(r.applicant_type) == column)


def requests_where(session: Session, scope: Scope, where: ColumnElement[bool], limit: int | None = None
              ) -> tuple[list[dict[str, Any]], int]:
    r = models.Request
    count = session.execute(select(func.count()).select_from(r).where(where, *in_scope(scope))).scalar() or 0
    query = select(r).where(where, *in_scope(scope)).order_by(col(r.agency), col(r.received_on), col(r.ref))
    rows = session.execute(query.limit(limit) if limit else query).scalars()
    return [request_row(x) for x in rows], int(count)


def appeals_in(session: Session, scope: Scope, block: str, column: str) -> list[dict[str, Any]]:
    a, r = models.Appeal, models.Request
    where: list[ColumnElement[bool]] = [col(a.filed_on).between(scope.first, scope.last), col(a.kind) == block]
    if column == "pending":
        where.append(pending_appeal(scope))
    elif column != "total":
        where += [not_(pending_appeal(scope)), col(a.result) == column]
    query = (select(a, r).join(r, col(r.id) == col(a.request_id)).where(*where, *in_scope(scope))
             .order_by(col(a.filed_on), col(a.id)))
    return [{**appeal_row(ap, rq.ref), "request": request_row(rq)} for ap, rq in session.execute(query).all()]


def appeal_row(a: models.Appeal, ref: str) -> dict[str, Any]:
    return {"id": a.id, "ref": ref, "kind": a.kind, "filed_on": a.filed_on.isoformat(), "result": a.result,
            "concluded_on": a.concluded_on.isoformat() if a.concluded_on else None, "officer": a.officer,
            "note": a.note}


def parse_cell(text: str) -> tuple[str, str]:
    row, sep, column = text.strip().partition(":")
    blocks = [b.code for b in TABLE4_BLOCKS]
    if not sep:
        raise InvalidInput("--cell", f"{text!r} 不是 行:列 的形式（如 unavailable.not_held:natural_person）")
    if row in blocks:
        columns = [c.code for c in TABLE4_COLUMNS]
        if column not in columns:
            raise InvalidInput("--cell", f"{column!r} 不是表四的列；可用：{', '.join(columns)}")
    elif row not in ROWS:
        raise InvalidInput("--cell", f"{row!r} 既不是表三的行，也不是表四的栏目；"
                                     f"可用：{', '.join((*ROWS, *blocks))}")
    elif column not in COLUMNS:
        raise InvalidInput("--cell", f"{column!r} 不是表三的列；可用：{', '.join(COLUMNS)}")
    return row, column


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
        return and_(cell_condition(scope, row, "total"), col(r.applicant_type).not_in(APPLICANT_TYPES))
    if f.check == "D2":
        return and_(cond["concluded"], or_(col(r.outcome).is_(None), col(r.outcome).not_in(OUTCOME_ROWS)),
                    *_typed(column))
    if f.check == "D4":
        return cell_condition(scope, "carried_in", column)
    return None


def finding_json(session: Session, scope: Scope, f: report_checks.Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"check": f.check, "cell": f.cell, "expected": f.expected, "actual": f.actual,
                           "message": f.message}
    if f.check == "D3":
        a, r = models.Appeal, models.Request
        query = (select(r.ref).join(a, col(r.id) == col(a.request_id))
                 .where(col(a.filed_on).between(scope.first, scope.last), col(a.kind) == f.cell.split(":")[0],
                        not_(pending_appeal(scope)), col(a.result).not_in(APPEAL_RESULTS), *in_scope(scope))
                 .order_by(col(r.ref)))
        refs = list(dict.fromkeys(session.execute(query).scalars()))
        out.update(requests=refs[:LISTED], requests_total=len(refs))
        return out
    where = _behind(scope, f)
    rows, total = requests_where(session, scope, where, LISTED) if where is not None else ([], 0)
    out.update(requests=[x["ref"] for x in rows], requests_total=total)
    return out
