"""Agencies and their officers: who may see and change which requests.

With no officer registered, gongkai is one office's tool: whoever runs it acts for the configured
agency (or the one named with ``--agency``). Once officers are registered, the platform is
multi-agency and every actor must be one of them:

* an ``officer`` or ``supervisor`` sees and advances only the requests of their own agency;
* a ``platform`` officer (the city's or province's competent department) sees every agency, and
  narrows to one with ``--agency``;
* an extension (条例 Art. 33) must be approved by a ``supervisor`` (or platform officer) of the
  request's agency, since the approver is the head of the disclosure office (负责人). Once officers
  sign in, the head records the approval under their own sign-in (``approve``), or acts themselves;
* only a platform officer runs backups, restores, migrations and ``--all-agencies``, and manages
  agencies and officers; a ``supervisor`` closes and reopens their own agency's year; an officer lists
  only their own agency's officers.

On PostgreSQL the database enforces the same (``workflow.store.postgres.roles``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import col, select

from rules import actions as a
from workflow.domain.errors import InvalidInput, NotPermitted
from workflow.domain.identity import Identity
from workflow.store import db, models, officers, schema
from workflow.store.officers import may_approve, record_approval, registry_in_use
from workflow.store.postgres import roles as pg_roles

if TYPE_CHECKING:
    from workflow.app import Gongkai

ROLES = ("officer", "supervisor", "platform")


def add_agency(engine: Engine, actor: Identity, code: str, name: str) -> None:
    require_platform(actor, "添加机关（agency add）")
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise InvalidInput("agency", "须同时给出机关代码（CODE）和名称（NAME），二者都不能为空")
    with db.unit_of_work(engine) as session:
        if session.get(models.Agency, code) is not None:
            raise InvalidInput("CODE", f"机关 {code!r} 已经存在；gongkai agency list 列出全部机关")
        session.add(models.Agency(code=code, name=name))
        pg_roles.add_agency(session.connection(), code)


def add_officer(engine: Engine, actor: Identity, name: str, agency: str, role: str, email: str | None,
                login: str | None = None) -> None:
    """Register an officer; with ``login``, the account they sign in with (on PostgreSQL a LOGIN role,
    created if it does not exist, member of the agency's and the level's group roles)."""
    require_platform(actor, "登记经办人（officer add）")
    if role not in ROLES:
        raise InvalidInput("--role", f"{role!r} 不是角色；可用：{', '.join(ROLES)}")
    login = login.strip() if login is not None else None
    if login is not None and not login:
        raise InvalidInput("--login", "登录账户不能为空；应为操作系统账户名（SQLite）或数据库角色名（PostgreSQL）")
    with db.unit_of_work(engine) as session:
        if session.get(models.Agency, agency) is None:
            raise InvalidInput("--agency", f"没有机关 {agency!r}；请先添加：gongkai agency add {agency} 名称")
        if session.get(models.Officer, name) is not None:
            raise InvalidInput("NAME", f"经办人 {name!r} 已经登记")
        if login is not None and session.execute(
                select(models.Officer).where(models.Officer.login == login)).scalars().first() is not None:
            raise InvalidInput("--login", f"登录账户 {login!r} 已登记给另一位经办人")
        first = not registry_in_use(session)
        if first and role != "platform":
            raise InvalidInput("--role", "第一位登记的经办人必须是平台管理员（--role platform），"
                                         "再由其登记其他经办人")
        session.add(models.Officer(name=name, agency=agency, role=role, email=email, login=login))
        if login is not None:
            pg_roles.add_login(session.connection(), login, agency, role)


def require_platform(actor: Identity, what: str) -> None:
    if actor.role not in ("single", "platform"):
        raise NotPermitted(f"只有平台管理员（platform）可以{what}；{actor.officer!r} 是 {actor.agency!r} 的 {actor.role}")


def require_migrator(engine: Engine, officer: str, named: bool) -> None:
    """``db upgrade`` is a platform officer's (or the database owner's) once officers sign in. A
    database older than sign-in (schema 0005), or none yet, has no one to ask: it is the owner's."""
    with db.unit_of_work(engine, write=False) as session:
        at = schema.current(session.connection())
        if at is None or not at.isdigit() or at < "0005":
            return
        actor = officers.resolve(session, officer, None, named)
    require_platform(actor, "升级数据库（db upgrade）")


def require_supervisor(actor: Identity, agency: str, what: str) -> None:
    """A supervisor (负责人) of ``agency``, or a platform officer (or one office's tool)."""
    if actor.role in ("single", "platform"):
        return
    if actor.role != "supervisor" or (agency != actor.agency):
        raise NotPermitted(f"只有本机关负责人（supervisor）或平台管理员可以{what}；{actor.officer!r} 是 "
                           f"{actor.agency!r} 的 {actor.role}")


def approve(app: Gongkai, ref: str, action: str) -> dict[str, str]:
    """A head (负责人) approves ``action`` on request ``ref`` under their own sign-in; the officer who
    records the action (``advance REF extend … --approved-by HEAD``) then uses the approval up."""
    if action not in a.HEAD_APPROVES:
        raise InvalidInput("ACTION", f"{action!r} 无须负责人批准；需要批准的事项：{', '.join(sorted(a.HEAD_APPROVES))}")
    with app.unit_of_work() as uow:
        case = uow.requests.get(ref, app.agency)
        if not may_approve(uow.session, case.agency, app.officer):
            raise NotPermitted(f"{app.officer!r} 不是机关 {case.agency!r} 的负责人（supervisor），不能批准 {ref} 的 {action}")
        row_id = uow.requests.row(case).id
        assert row_id is not None
        record_approval(uow.session, row_id, action, app.officer, datetime.now(UTC))
        uow.commit()
    return {"ref": case.ref, "agency": case.agency, "action": action, "approver": app.officer}


def listing(engine: Engine, actor: Identity | None = None) -> dict[str, list[dict[str, str | None]]]:
    """Agencies and officers; an actor confined to one agency sees only that agency's officers."""
    with db.unit_of_work(engine, write=False) as session:
        agencies = session.execute(select(models.Agency).order_by(col(models.Agency.code))).scalars().all()
        query = select(models.Officer).order_by(col(models.Officer.agency), col(models.Officer.name))
        if actor is not None and actor.agency is not None and actor.role not in ("single", "platform"):
            query = query.where(models.Officer.agency == actor.agency)
        officers = session.execute(query).scalars().all()
        return {
            "agencies": [{"code": a.code, "name": a.name} for a in agencies],
            "officers": [{"name": o.name, "agency": o.agency, "role": o.role, "email": o.email, "login": o.login}
                         for o in officers],
        }
