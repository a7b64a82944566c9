"""Who is acting: the officer registry, read at start-up and by the unit of work's checks.

Three modes, by what the registry holds:

* no officer registered: one office's tool; whoever can open the database acts, under the name
  ``--officer``, ``GONGKAI_OFFICER`` or the operating-system user gives (single-agency mode);
* officers registered, none with a login: officers are named as above and trusted to be who they say;
* one officer or more with a login (``officer add … --login``): **sign-in**. The actor is the officer
  whose login is the account that opened the database: on SQLite the operating-system account of the
  process's real user id (never an environment variable), on PostgreSQL the database role the
  connection signed in as (``session_user``). ``--officer`` naming someone else is refused;
  ``GONGKAI_OFFICER`` and ``USER`` change nothing. On PostgreSQL the database's owner (or a superuser)
  who is no officer acts as a platform officer under their role's name: they add the agencies and the
  first platform officers.

``workflow.usecases.agencies`` says what each role may do; ``workflow.store.postgres.roles`` what the
database itself lets each role read and write on PostgreSQL.
"""

from __future__ import annotations

import os
import pwd
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from workflow.domain.errors import NotApprover, NotPermitted
from workflow.domain.identity import Identity
from workflow.store import models


def registry_in_use(session: Session) -> bool:
    return (session.execute(select(func.count()).select_from(models.Officer)).scalar() or 0) > 0


def sign_in_in_force(session: Session) -> bool:
    query = select(func.count()).select_from(models.Officer).where(col(models.Officer.login).is_not(None))
    return (session.execute(query).scalar() or 0) > 0


def account(session: Session) -> str:
    """The account that opened the database: the PostgreSQL role signed in, or the OS account of this
    process's real user id (environment variables such as USER or LOGNAME are not read)."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.execute(text("SELECT session_user")).scalar())
    return pwd.getpwuid(os.getuid()).pw_name


def is_owner(session: Session, login: str) -> bool:
    """The PostgreSQL role owns the database or is a superuser (the administrator who created it)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    query = text("SELECT r.rolsuper OR d.datdba = r.oid FROM pg_roles r, pg_database d "
                 "WHERE r.rolname = :login AND d.datname = current_database()")
    return bool(session.execute(query, {"login": login}).scalar())


def resolve(session: Session, officer: str, requested: str | None, named: bool = True) -> Identity:
    """Who is acting and within which agency, refusing an agency the officer does not belong to.
    ``named``: ``officer`` was named on the command line (not a default from the environment)."""
    if not registry_in_use(session):
        return Identity(officer, "single", requested)
    if sign_in_in_force(session):
        return _signed_in(session, officer if named else None, requested)
    row = session.get(models.Officer, officer)
    if row is None:
        raise NotPermitted(f"经办人 {officer!r} 未在本平台登记；请平台管理员运行 "
                           f"gongkai officer add {officer} --agency 机关代码")
    return _confined(row, requested, signed_in=False)


def _signed_in(session: Session, claimed: str | None, requested: str | None) -> Identity:
    login = account(session)
    row = session.execute(select(models.Officer).where(models.Officer.login == login)).scalars().first()
    if row is None:
        if is_owner(session, login):
            return Identity(login, "platform", requested, signed_in=True)
        raise NotPermitted(f"登录账户 {login!r} 未登记为经办人：请平台管理员运行 "
                           f"gongkai officer add 姓名 --agency 机关代码 --login {login}")
    if claimed is not None and claimed != row.name:
        raise NotPermitted(f"--officer {claimed!r} 与登录身份不符：账户 {login!r} 登记的经办人是 {row.name!r}；"
                           f"已启用登录身份，不能以他人名义办理")
    return _confined(row, requested, signed_in=True)


def _confined(row: models.Officer, requested: str | None, signed_in: bool) -> Identity:
    if row.role == "platform":
        return Identity(row.name, "platform", requested, signed_in)
    if requested and requested != row.agency:
        raise NotPermitted(f"经办人 {row.name!r} 属于机关 {row.agency!r}，不能在机关 {requested!r} 办理")
    return Identity(row.name, row.role, row.agency, signed_in)


def may_approve(session: Session, agency: str, approver: str) -> bool:
    """An extension's approver must be a supervisor of the agency, once officers are registered."""
    if not registry_in_use(session):
        return True
    row = session.get(models.Officer, approver)
    return row is not None and (row.role == "platform" or (row.role == "supervisor" and row.agency == agency))


def check_approver(session: Session, agency: str, approver: str) -> None:
    if not may_approve(session, agency, approver):
        raise NotApprover(approver, agency)


def record_approval(session: Session, request_id: int, action: str, approver: str, at: datetime) -> None:
    session.add(models.Approval(request_id=request_id, action=action, approver=approver, approved_at=at))


def consume_approval(session: Session, request_id: int, action: str, approver: str) -> bool:
    """Use up the approval ``approver`` recorded under their own sign-in for this request and action."""
    query = (select(models.Approval).where(models.Approval.request_id == request_id,
                                           models.Approval.action == action, models.Approval.approver == approver,
                                           col(models.Approval.used).is_(False))
             .order_by(col(models.Approval.id)).limit(1))
    row = session.execute(query).scalars().first()
    if row is None:
        return False
    row.used = True
    session.add(row)
    return True
