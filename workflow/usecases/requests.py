"""Requests: register one, advance one, append a record to one. Each is one unit of work, taking a
command and returning plain values."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rules import channels, report_layout
from rules.calendar import CalendarUnavailable
from rules.personal_data import id_number_problem
from workflow.app import Gongkai
from workflow.domain import actions
from workflow.domain.commands import Advance, Register
from workflow.domain.errors import CalendarMissing, ConcurrentChange, FrozenYear, InvalidInput
from workflow.domain.lifecycle import RECEIVED, Case, Event
from workflow.store import db, history, models
from workflow.usecases import agencies


def _not_future(app: Gongkai, field: str, d: date) -> None:
    if d > app.today:
        raise InvalidInput(field, f"{d.isoformat()} is in the future (today is {app.today.isoformat()}); "
                                  f"record what has happened")


def _required(field: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(field, "must not be empty")
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


def _next_seq(session: Session, agency: str, year: int) -> int:
    """The next number of the agency's year. On PostgreSQL a transaction lock on (agency, year)
    makes concurrent registrations queue here; SQLite's BEGIN IMMEDIATE already serialises writers."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"gongkai-ref/{agency}/{year}"})
    last = session.execute(
        select(func.max(col(models.Request.seq))).where(models.Request.agency == agency, models.Request.year == year)
    ).scalar()
    return (last or 0) + 1


def guard_open_year(session: Session, agency: str, on: date, action: str) -> None:
    """Refuse anything dated in a year whose report is frozen (for this agency or the whole platform)."""
    closed = session.execute(
        select(models.ClosedYear.id).where(
            col(models.ClosedYear.agency).in_([agency, "*"]), models.ClosedYear.year == on.year)
    ).first()
    if closed is not None:
        raise FrozenYear(on.year, action)


def _schedule_checked(case: Case) -> None:
    try:
        case.schedule()
    except CalendarUnavailable as e:
        raise CalendarMissing(str(e)) from None


def register_in(app: Gongkai, session: Session, cmd: Register) -> str:
    """Register one request inside an open unit of work (imports call this row by row)."""
    received_on, channel, applicant_type = _validated(app, cmd)
    agency = cmd.agency or app.home_agency
    if app.agency and agency != app.agency:
        raise agencies.NotPermitted(f"officer {app.officer!r} works in agency {app.agency!r}, not {agency!r}")
    if app.role != "single" and session.get(models.Agency, agency) is None:
        raise InvalidInput("agency", f"no agency {agency!r} on this platform; `gongkai agency list` shows them")
    guard_open_year(session, agency, received_on, "register")
    year = received_on.year
    seq = _next_seq(session, agency, year)
    ref = cmd.ref or f"{year}-{seq:04d}"
    row = models.Request(
        agency=agency, ref=ref, year=year, seq=seq, received_on=received_on, channel=channel,
        applicant_name=_required("--applicant", cmd.applicant_name), applicant_type=applicant_type,
        subject=_required("--subject", cmd.subject), phone=cmd.phone or None,
        id_number=(cmd.id_number or "").strip().upper() or None, address=cmd.address or None,
        officer=app.officer, state=RECEIVED, imported_from=cmd.imported_from,
        created_at=history.now(),
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise InvalidInput("ref", f"{ref} already exists in agency {agency!r}") from None
    payload = {"channel": channel, "applicant_type": applicant_type}
    if cmd.confirmed_on:
        payload["arrived_on"] = cmd.received_on.isoformat()
    if cmd.imported_from:
        payload["imported_from"] = cmd.imported_from
    register = Event("register", received_on, payload, app.officer)
    case = Case(ref, register, app.context)
    _schedule_checked(case)
    last_hash = history.append(session, row, [register], None)
    history.save_cache(session, row, case, row.version, last_hash)
    return ref


def register(app: Gongkai, cmd: Register) -> str:
    with db.unit_of_work(app.engine) as session:
        return register_in(app, session, cmd)


def advance_in(app: Gongkai, session: Session, cmd: Advance) -> Case:
    row = history.find(session, cmd.agency or app.agency, cmd.ref)
    if app.agency and row.agency != app.agency:
        raise agencies.NotPermitted(f"officer {app.officer!r} works in agency {app.agency!r}, not {row.agency!r}")
    version = row.version
    if cmd.expected_version is not None and cmd.expected_version != version:
        raise ConcurrentChange(cmd.ref)
    case = history.load(session, row, app.context)
    payload = actions.payload(cmd.action, cmd.payload, app.settings.periods)
    _not_future(app, "--on", cmd.on)
    guard_open_year(session, row.agency, cmd.on, cmd.action)
    if cmd.action == "extend":
        agencies.check_approver(session, row.agency, str(payload["approved_by"]))
    event = Event(cmd.action, cmd.on, payload, app.officer)
    case.apply(event)
    _schedule_checked(case)
    assert row.id is not None
    last = history.events_of(session, row.id)[-1]
    last_hash = history.append(session, row, [event], last)
    history.save_cache(session, row, case, version, last_hash)
    return case


def advance(app: Gongkai, cmd: Advance) -> Case:
    """Apply one action to one request: the event and the new state are written together or not at all."""
    try:
        with db.unit_of_work(app.engine) as session:
            return advance_in(app, session, cmd)
    except IntegrityError:  # another writer appended the same event number first
        raise ConcurrentChange(cmd.ref) from None


def record(app: Gongkai, ref: str, action: str, payload: dict[str, object]) -> None:
    """Append a state-less record (a letter generated, personal data revealed) in its own unit of work."""
    with db.unit_of_work(app.engine) as session:
        row = history.find(session, app.agency, ref)
        version = row.version
        case = history.load(session, row, app.context)
        event = Event(action, max(app.today, case.events[-1].on), payload, app.officer)
        case.apply(event)
        assert row.id is not None
        last_hash = history.append(session, row, [event], history.events_of(session, row.id)[-1])
        history.save_cache(session, row, case, version, last_hash)
