"""The request repository: cases in, cases out, and what the unit of work needs to check them.

``get`` reads a request's row and its events once and replays them once; ``add`` numbers and inserts a
new request. The repository remembers every case it handed out (``Tracked``), so the unit of work's
commit finds the events applied since and writes them, and nothing else writes a request.

``Requests`` is the port; ``SqlRequests`` the database adapter. ``tests/fakes.py`` has the in-memory one.
"""

from __future__ import annotations

import dataclasses
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, or_, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from rules import actions as a
from rules.calendar import CalendarUnavailable
from workflow.domain.errors import CalendarMissing, ConcurrentChange, InvalidInput
from workflow.domain.lifecycle import Case, Context, Event
from workflow.domain.quotes import items_recorded
from workflow.domain.states import OPEN_STATES
from workflow.store import history, models, officers


@dataclass
class Tracked:
    """A case handed out by the repository, with what is already stored of it."""

    case: Case
    row: models.Request
    stored: int  # how many of its events are in the database
    last_hash: str
    refresh: bool = False  # rewrite the cached columns even with no new event (the calendar changed)

    @property
    def new_events(self) -> list[Event]:
        return self.case.events[self.stored:]


def scheduled(case: Case) -> None:
    """Work out every deadline now: a year with no calendar stops the command before anything is written."""
    try:
        case.schedule()
    except CalendarUnavailable as e:
        raise CalendarMissing(str(e)) from None


class Requests(ABC):
    def __init__(self, context: Context) -> None:
        self.context = context
        self._seen: dict[int, Tracked] = {}
        self._got: dict[tuple[str | None, str], Case] = {}

    def get(self, ref: str, agency: str | None = None) -> Case:
        """The request as its history makes it (its events read once, replayed once, in a unit of work)."""
        if (agency, ref) not in self._got:
            row, events, last_hash = self._load(ref, agency)
            case = Case.replay(row.ref, events, self.context)
            self._got[agency, ref] = self._track(row, case, len(events), last_hash).case
        return self._got[agency, ref]

    def add(self, row: models.Request, register: Event) -> Case:
        """A new request: ``row`` gets its number (and reference, unless it has one) and is inserted;
        its ``register`` event is written by the commit like any other."""
        self._insert(row)
        case = Case(row.ref, register, self.context)
        case.version = row.version
        return self._track(row, case, 0, history.GENESIS).case

    def row(self, case: Case) -> models.Request:
        """The stored particulars of a case handed out by this repository (applicant, channel …)."""
        return self._seen[id(case)].row

    def changed(self) -> list[Tracked]:
        return [t for t in self._seen.values() if t.new_events or t.refresh]

    def _track(self, row: models.Request, case: Case, stored: int, last_hash: str) -> Tracked:
        case.agency, case.version = row.agency, row.version
        tracked = Tracked(case, row, stored, last_hash)
        self._seen[id(case)] = tracked
        return tracked

    def write_changes(self) -> None:
        for tracked in self.changed():
            scheduled(tracked.case)
            self._write(tracked)
            stored = tracked.case.events
            tracked.stored, tracked.refresh = len(stored), False
            tracked.case.version += 1

    # -- what the adapter provides ---------------------------------------------------------------

    @abstractmethod
    def _load(self, ref: str, agency: str | None) -> tuple[models.Request, list[Event], str]: ...

    @abstractmethod
    def _insert(self, row: models.Request) -> None: ...

    @abstractmethod
    def _write(self, tracked: Tracked) -> None: ...

    @abstractmethod
    def year_closed(self, agency: str, year: int) -> bool: ...

    @abstractmethod
    def may_approve(self, agency: str, officer: str) -> bool: ...

    def consume_approval(self, case: Case, action: str, approver: str) -> bool:
        """Use up an approval ``approver`` recorded under their own sign-in (none in memory)."""
        return False

    @abstractmethod
    def agency_known(self, code: str) -> bool: ...

    @abstractmethod
    def agency_name(self, code: str) -> str | None:
        """The agency's name as registered (``gongkai agency add``), None if it is not."""

    @abstractmethod
    def items_before(self, row: models.Request, scope: str) -> int:
        """Items the same applicant filed earlier in the calendar month of ``row``'s receipt (fees)."""

    @abstractmethod
    def stale(self) -> Iterator[Case]:
        """Every case whose cached deadlines a calendar change may move (open, or concluded with a
        provisional reply date), marked for its cache to be rewritten at commit."""


class SqlRequests(Requests):
    def __init__(self, session: Session, context: Context) -> None:
        super().__init__(context)
        self.session = session
        self._closed: dict[tuple[str, int], bool] = {}

    def _load(self, ref: str, agency: str | None) -> tuple[models.Request, list[Event], str]:
        row = history.find(self.session, agency, ref)
        events, last_hash = self._events(row)
        return row, events, last_hash

    def _events(self, row: models.Request) -> tuple[list[Event], str]:
        assert row.id is not None
        stored = history.events_of(self.session, row.id)
        return [history.to_domain(e) for e in stored], stored[-1].hash if stored else history.GENESIS

    def _insert(self, row: models.Request) -> None:
        row.seq = self._next_seq(row.agency, row.year)
        row.ref = row.ref or f"{row.year}-{row.seq:04d}"
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            raise InvalidInput("ref", f"机关 {row.agency!r} 已有编号为 {row.ref} 的申请") from None

    def _next_seq(self, agency: str, year: int) -> int:
        """The next number of the agency's year. On PostgreSQL a transaction lock on (agency, year)
        makes concurrent registrations queue here; SQLite's BEGIN IMMEDIATE already serialises writers."""
        lock_numbering(self.session, [(agency, year)])
        last = self.session.execute(
            select(func.max(col(models.Request.seq))).where(models.Request.agency == agency,
                                                            models.Request.year == year)
        ).scalar()
        return (last or 0) + 1

    def forget_closed_years(self) -> None:
        """Read whether years are closed afresh (the commit does, once it holds their locks)."""
        self._closed.clear()

    def year_closed(self, agency: str, year: int) -> bool:
        if (agency, year) not in self._closed:
            self._closed[agency, year] = history.year_closed(self.session, agency, year)
        return self._closed[agency, year]

    def may_approve(self, agency: str, officer: str) -> bool:
        return officers.may_approve(self.session, agency, officer)

    def consume_approval(self, case: Case, action: str, approver: str) -> bool:
        row_id = self.row(case).id
        return row_id is not None and officers.consume_approval(self.session, row_id, action, approver)

    def agency_known(self, code: str) -> bool:
        return self.session.get(models.Agency, code) is not None

    def agency_name(self, code: str) -> str | None:
        row = self.session.get(models.Agency, code)
        return row.name.strip() or None if row is not None else None

    def items_before(self, row: models.Request, scope: str) -> int:
        """Earlier is an earlier receipt date (or the same, registered before); the same applicant is
        the same name, with the same ID number where both have one; an earlier request counts as the
        items its fee notice recorded, otherwise as one (国办函〔2020〕109号 Art. 4)."""
        r = models.Request
        start = row.received_on.replace(day=1)
        end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        query = select(r).where(r.applicant_name == row.applicant_name, col(r.received_on) >= start,
                                col(r.received_on) < end, col(r.id) != row.id)
        if scope == "agency":
            query = query.where(r.agency == row.agency)
        assert row.id is not None
        earlier = [
            other for other in self.session.execute(query).scalars()
            if (other.received_on, other.id or 0) < (row.received_on, row.id)
            and not (other.id_number and row.id_number and other.id_number != row.id_number)
        ]
        if not earlier:
            return 0
        notices = self.session.execute(
            select(models.Event).where(col(models.Event.request_id).in_([o.id for o in earlier]),
                                       models.Event.action == a.NOTIFY_FEE)
        ).scalars()
        recorded = {e.request_id: items_recorded(json.loads(e.payload)) for e in notices}
        return sum(recorded.get(o.id) or 1 for o in earlier)

    def stale(self) -> Iterator[Case]:
        rows = self.session.execute(
            select(models.Request).where(
                or_(col(models.Request.state).in_(OPEN_STATES), col(models.Request.reply_due_provisional)))
        ).scalars().all()
        for row in rows:
            events, last_hash = self._events(row)
            tracked = self._track(row, Case.replay(row.ref, events, self.context), len(events), last_hash)
            tracked.refresh = True
            yield tracked.case

    def _write(self, tracked: Tracked) -> None:
        """Append the new events, chained to the last hash, then the cached columns and deadlines,
        refusing if someone else changed the request since it was read (optimistic lock)."""
        row, case = tracked.row, tracked.case
        assert row.id is not None
        new = tracked.new_events
        payloads = [history.canonical(dict(e.payload)) for e in new]
        # Events recorded by hand carry no time yet; one commit records them at one moment.
        recorded_at = history.now()
        last = tracked.last_hash
        links = history.chained(last, row.agency, row.ref, tracked.stored, new, payloads, recorded_at)
        for i, (e, payload, (seq, before, last)) in enumerate(zip(new, payloads, links, strict=True),
                                                             start=tracked.stored):
            self.session.add(models.Event(request_id=row.id, seq=seq, action=e.action, occurred_on=e.on,
                                          recorded_at=recorded_at, officer=e.officer, payload=payload,
                                          prev_hash=before, hash=last))
            # The case now holds the event as it is stored: what a view of it shows straight after.
            case.events[i] = dataclasses.replace(e, payload=json.loads(payload), recorded_at=recorded_at, seq=seq)
        tracked.last_hash = last
        self._save_cache(row, case, last)

    def _save_cache(self, row: models.Request, case: Case, last_hash: str) -> None:
        values = history.cached_columns(case)
        deadlines = values.pop("_deadlines")
        values["last_hash"] = last_hash
        result = self.session.execute(
            update(models.Request)
            .where(col(models.Request.id) == row.id, col(models.Request.version) == case.version)
            .values(**values, version=case.version + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentChange(row.ref)
        self.session.execute(delete(models.Deadline).where(col(models.Deadline.request_id) == row.id))
        assert row.id is not None
        self.session.add_all([models.Deadline(request_id=row.id, kind=d.kind, key=d.key, due_on=d.due,
                                              provisional=d.provisional) for d in deadlines])
        # The row already says this in the database: mark it clean so the ORM writes it no second time.
        for k, v in {**values, "version": case.version + 1}.items():
            set_committed_value(row, k, v)


def advisory_locks(session: Session, keys: Iterable[str], shared: bool = False) -> None:
    """PostgreSQL transaction locks on names, taken in one order (so two holders never deadlock) and
    released at commit or rollback; ``shared`` ones exclude only the exclusive ones. SQLite needs
    none: ``BEGIN IMMEDIATE`` already serialises writers."""
    if session.get_bind().dialect.name != "postgresql":
        return
    call = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    for key in sorted(set(keys)):
        session.execute(text(f"SELECT {call}(hashtext(:key))"), {"key": key})


def lock_numbering(session: Session, years: Iterable[tuple[str, int]]) -> None:
    """The lock under which an agency's year is numbered, by ``register`` and by the import alike."""
    advisory_locks(session, (f"gongkai-ref/{agency}/{year}" for agency, year in years))


def year_key(agency: str, year: int) -> str:
    return f"gongkai-year/{agency}/{year}"


def lock_years_to_write(session: Session, years: Iterable[tuple[str, int]]) -> None:
    """Every commit dated in a year holds it shared, for its agency and for the platform (``*``):
    writers do not wait for each other, but ``close-year`` (``lock_year_to_close``) waits for them,
    and they for it."""
    advisory_locks(session, (year_key(a, y) for agency, year in years for a, y in ((agency, year), ("*", year))),
                   shared=True)


def lock_year_to_close(session: Session, agency: str, year: int) -> None:
    """``close-year`` holds its agency's year (or ``*``, every agency's) alone: no change dated in the
    year is being written while the report is computed and frozen."""
    advisory_locks(session, [year_key(agency, year)])
