"""Who is acting: the officer registry, read at start-up and by the unit of work's checks.

With no officer registered, gongkai is one office's tool and whoever runs it acts for the configured
agency. Once officers are registered every actor must be one of them (``workflow.usecases.agencies``
says what each role may do).
"""

from __future__ import annotations

from sqlmodel import Session, func, select

from workflow.domain.errors import NotApprover, NotPermitted
from workflow.domain.identity import Identity
from workflow.store import models


def registry_in_use(session: Session) -> bool:
    return (session.execute(select(func.count()).select_from(models.Officer)).scalar() or 0) > 0


def resolve(session: Session, officer: str, requested: str | None) -> Identity:
    """Who is acting and within which agency, refusing an agency the officer does not belong to."""
    if not registry_in_use(session):
        return Identity(officer, "single", requested)
    row = session.get(models.Officer, officer)
    if row is None:
        raise NotPermitted(f"officer {officer!r} is not registered on this platform; ask a platform officer "
                           f"to run `gongkai officer add {officer} --agency CODE`")
    if row.role == "platform":
        return Identity(officer, "platform", requested)
    if requested and requested != row.agency:
        raise NotPermitted(f"officer {officer!r} belongs to agency {row.agency!r} and cannot act in {requested!r}")
    return Identity(officer, row.role, row.agency)


def may_approve(session: Session, agency: str, approver: str) -> bool:
    """An extension's approver must be a supervisor of the agency, once officers are registered."""
    if not registry_in_use(session):
        return True
    row = session.get(models.Officer, approver)
    return row is not None and (row.role == "platform" or (row.role == "supervisor" and row.agency == agency))


def check_approver(session: Session, agency: str, approver: str) -> None:
    if not may_approve(session, agency, approver):
        raise NotApprover(approver, agency)
