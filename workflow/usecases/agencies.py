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

from sqlalchemy import Engine
from sqlmodel import col, select

from workflow.domain.errors import InvalidInput, NotPermitted
from workflow.domain.identity import Identity
from workflow.store import db, models
from workflow.store.officers import registry_in_use

ROLES = ("officer", "supervisor", "platform")


def add_agency(engine: Engine, actor: Identity, code: str, name: str) -> None:
    require_platform(actor, "add an agency")
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise InvalidInput("agency", "needs a code and a name")
    with db.unit_of_work(engine) as session:
        if session.get(models.Agency, code) is not None:
            raise InvalidInput("CODE", f"agency {code!r} already exists")
        session.add(models.Agency(code=code, name=name))


def add_officer(engine: Engine, actor: Identity, name: str, agency: str, role: str, email: str | None) -> None:
    require_platform(actor, "register officers")
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


def require_platform(actor: Identity, what: str) -> None:
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
