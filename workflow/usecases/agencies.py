"""Agencies and their officers: who may see and change which requests.

With no officer registered, gongkai is one office's tool: whoever runs it acts for the configured
agency (or the one named with ``--agency``). Once officers are registered, the platform is
multi-agency and every actor must be one of them:

* an ``officer`` or ``supervisor`` sees and advances only the requests of their own agency;
* a ``platform`` officer (the city's or province's competent department) sees every agency, and
  narrows to one with ``--agency``;
* an extension (条例 Art. 33) must be approved by a ``supervisor`` (or platform officer) of the
  request's agency, since the approver is the head of the disclosure office (负责人).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from workflow.domain.errors import GongkaiError, InvalidInput
from workflow.store import db, models

ROLES = ("officer", "supervisor", "platform")


class NotPermitted(GongkaiError):
    pass


@dataclass(frozen=True)
class Identity:
    officer: str
    role: str  # single (no registry) | officer | supervisor | platform
    agency: str | None  # the agency the actor is confined to; None = every agency


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


def check_approver(session: Session, agency: str, approver: str) -> None:
    """An extension's approver must be a supervisor of the agency, once officers are registered."""
    if not registry_in_use(session):
        return
    row = session.get(models.Officer, approver)
    if row is None or not (row.role == "platform" or (row.role == "supervisor" and row.agency == agency)):
        raise InvalidInput("--approved-by", f"{approver!r} is not a supervisor (负责人) of agency {agency!r}; "
                                            f"`gongkai officer list` shows who is")


def add_agency(engine: Engine, actor: Identity, code: str, name: str) -> None:
    _require_platform(actor, "add an agency")
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise InvalidInput("agency", "needs a code and a name")
    with db.unit_of_work(engine) as session:
        if session.get(models.Agency, code) is not None:
            raise InvalidInput("CODE", f"agency {code!r} already exists")
        session.add(models.Agency(code=code, name=name))


def add_officer(engine: Engine, actor: Identity, name: str, agency: str, role: str, email: str | None) -> None:
    _require_platform(actor, "register officers")
    if role not in ROLES:
        raise InvalidInput("--role", f"{role!r} is not a role; expected one of {', '.join(ROLES)}")
    with db.unit_of_work(engine) as session:
        if session.get(models.Agency, agency) is None:
            raise InvalidInput("--agency", f"no agency {agency!r}; add it first: gongkai agency add {agency} NAME")
        if session.get(models.Officer, name) is not None:
            raise InvalidInput("NAME", f"officer {name!r} is already registered")
        first = not registry_in_use(session)
        if first and role != "platform":
            raise InvalidInput("--role", "the first officer registered must be a platform officer, "
                                         "who can then register the others")
        session.add(models.Officer(name=name, agency=agency, role=role, email=email))


def _require_platform(actor: Identity, what: str) -> None:
    if actor.role not in ("single", "platform"):
        raise NotPermitted(f"only a platform officer may {what}; {actor.officer!r} is {actor.role} of {actor.agency!r}")


def listing(engine: Engine) -> dict[str, list[dict[str, str | None]]]:
    with db.unit_of_work(engine, write=False) as session:
        agencies = session.execute(select(models.Agency).order_by(col(models.Agency.code))).scalars().all()
        officers = session.execute(select(models.Officer).order_by(col(models.Officer.agency),
                                                                   col(models.Officer.name))).scalars().all()
        return {
            "agencies": [{"code": a.code, "name": a.name} for a in agencies],
            "officers": [{"name": o.name, "agency": o.agency, "role": o.role, "email": o.email} for o in officers],
        }
