"""Requests: register one, advance one, void one. Each is one unit of work, taking a command and returning plain
values; the unit of work's commit checks and writes what the case recorded.

``advance_in`` applies an action inside a unit of work that a caller holds open, so the letter an
action requires is recorded with it (``workflow.usecases.notices``, ``workflow.usecases.fees``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rules import actions as a
from rules.intake import channels
from rules.intake.personal_data import id_number_problem
from rules.report import layout as report_layout
from workflow.app import Gongkai
from workflow.domain import actions
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import ConcurrentChange, InvalidInput
from workflow.domain.lifecycle import Case, Event
from workflow.domain.states import RECEIVED
from workflow.store import history, models
from workflow.store.evidence import facts
from workflow.store.unit_of_work import UnitOfWork
from workflow.usecases import views


def _not_future(app: Gongkai, field: str, d: date) -> None:
    if d > app.today:
        raise InvalidInput(field, f"{d.isoformat()} 晚于今天（{app.today.isoformat()}）；"
                                  f"只能记录已经发生的事项")


def _required(field: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(field, "不能为空")
    return text


def _validated(app: Gongkai, cmd: Register) -> tuple[date, str, str]:
    try:
        ch = channels.channel(cmd.channel)
    except ValueError as e:
        raise InvalidInput("--channel", str(e)) from None
    try:
        applicant_type = report_layout.applicant_type(cmd.applicant_type)
    except ValueError as e:
        raise InvalidInput("--applicant-type", str(e)) from None
    try:
        received_on = channels.receipt_date(ch, cmd.received_on, cmd.confirmed_on)
    except ValueError as e:
        raise InvalidInput("--confirmed-on", str(e)) from None
    _not_future(app, "--received-on", received_on)
    if cmd.id_number and (problem := id_number_problem(cmd.id_number)):
        raise InvalidInput("--id-number", problem)
    return received_on, ch.code, applicant_type


def register_in(app: Gongkai, uow: UnitOfWork, cmd: Register) -> str:
    """Register one request inside an open unit of work."""
    received_on, channel, applicant_type = _validated(app, cmd)
    agency = cmd.agency or app.home_agency
    if app.role != "single" and not uow.requests.agency_known(agency):
        raise InvalidInput("agency", f"平台上没有机关 {agency!r}；gongkai agency list 列出全部机关")
    row = models.Request(
        agency=agency, ref=cmd.ref or "", year=received_on.year, seq=0, received_on=received_on,
        channel=channel, applicant_name=_required("--applicant", cmd.applicant_name),
        applicant_type=applicant_type, subject=_required("--subject", cmd.subject),
        phone=cmd.phone or None, id_number=(cmd.id_number or "").strip().upper() or None,
        address=cmd.address or None, officer=app.officer, state=RECEIVED, imported_from=cmd.imported_from,
        created_at=history.now(),
    )
    payload = {"channel": channel, "applicant_type": applicant_type,
               facts.PARTICULARS: facts.particulars(row.model_dump())}
    if cmd.confirmed_on:
        payload["arrived_on"] = cmd.received_on.isoformat()
    if cmd.imported_from:
        payload["imported_from"] = cmd.imported_from
    uow.check_agency(agency)  # before a number is taken; the commit checks the same again
    uow.check_year(agency, received_on, a.REGISTER)
    return uow.requests.add(row, Event(a.REGISTER, received_on, payload, app.officer)).ref


def register(app: Gongkai, cmd: Register) -> str:
    with app.unit_of_work() as uow:
        ref = register_in(app, uow, cmd)
        uow.commit()
        return ref


def advance_in(app: Gongkai, uow: UnitOfWork, cmd: Advance) -> Case:
    """Apply one action to one request inside an open unit of work; returns the case."""
    case = uow.requests.get(cmd.ref, cmd.agency or app.agency)
    uow.check_agency(case.agency)
    if cmd.expected_version is not None and cmd.expected_version != case.version:
        raise ConcurrentChange(cmd.ref)
    payload = actions.payload(cmd.action, cmd.payload, app.settings.periods)
    _not_future(app, "--on", cmd.on)
    event = Event(cmd.action, cmd.on, payload, app.officer)
    uow.check_event(case, event)
    case.apply(event)
    return case


def advance(app: Gongkai, cmd: Advance) -> dict[str, Any]:
    """Apply one action to one request: the event and the new state are written together or not at all.
    Returns the request as ``show`` gives it, after the action."""
    with app.unit_of_work() as uow:
        case = advance_in(app, uow, cmd)
        uow.commit()
        return views.request_view(uow.requests.row(case), case, app.today)


def void(app: Gongkai, ref: str, reason: str, on: date | None = None) -> dict[str, Any]:
    """Void a request registered by mistake (a duplicate, a test): one more event, through the unit of
    work like any action. Its number stays taken; listings, alerts and the report leave it out
    (``rules.corrections``). Returns the request as ``show`` gives it."""
    return advance(app, Advance(ref, a.VOID, on or app.today, {"reason": reason}))
