"""The unit of work: the one place where a request changes.

Every use case that changes a request runs ``with app.unit_of_work() as uow:``, takes cases from
``uow.requests``, applies events to them, and calls ``uow.commit()``. The commit is the only code
that checks what no event may escape (the actor's agency, a frozen year, a head's approval where an
action's declaration asks for one, the version the case was read at) and then writes: new events chained to the last hash, the cached
columns and the open deadlines. A block that ends without ``commit()`` writes nothing.

``UnitOfWork`` holds those checks; a subclass says where the data lives: ``SqlUnitOfWork`` here, an
in-memory one in the tests, so every use case can be tested without a database.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from datetime import date
from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from rules import actions as a
from rules import corrections
from workflow.domain.errors import (
    ConcurrentChange,
    DatabaseError,
    FrozenYear,
    InvalidInput,
    NotApprover,
    NotPermitted,
)
from workflow.domain.identity import Identity
from workflow.domain.lifecycle import Case, Context, Event
from workflow.store import db, models
from workflow.store.appeals import SqlAppeals
from workflow.store.bulk import BulkWriter
from workflow.store.repository import Requests, SqlRequests, Tracked, advisory_locks, lock_years_to_write


class UnitOfWork(ABC):
    requests: Requests
    appeals: Any  # SqlAppeals, or the tests' in-memory stand-in

    def __init__(self, actor: Identity, write: bool = True) -> None:
        self.actor = actor
        self._approvals_used: set[tuple[str, str, str]] = set()  # (ref, action, approver)
        self.write = write
        self.committed = False
        self._dated: set[tuple[str, int, str]] = set()  # (agency, year, action) of what check_year let through
        self._kept: list[Callable[[], None]] = []
        self._dropped: list[Callable[[], None]] = []

    def __enter__(self) -> UnitOfWork:
        self.committed = False
        self._dated.clear()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self.committed:
            self.rollback()
            for drop in self._dropped:
                drop()

    def after(self, commit: Callable[[], None], rollback: Callable[[], None]) -> None:
        """What to do outside the database once the outcome is known: a letter written next to its
        destination is moved into place on commit and removed otherwise."""
        self._kept.append(commit)
        self._dropped.append(rollback)

    def commit(self) -> None:
        """Check every changed case, then write it; nothing is written if any check fails."""
        if not self.write:
            raise RuntimeError("a reading unit of work cannot commit")
        changed = self.requests.changed()
        dated = sorted(self._dated)  # what else the unit of work dated (an appeal filed or concluded)
        self._lock_years({year for tracked in changed for year in _years_written(tracked)}
                         | {(agency, year) for agency, year, _ in dated})
        for agency, year, action in dated:  # read again now that close-year cannot freeze it meanwhile
            if self.requests.year_closed(agency, year):
                raise FrozenYear(year, action)
        for tracked in changed:
            self._check(tracked)
        self.requests.write_changes()
        self._commit()
        self.committed = True
        for keep in self._kept:
            keep()

    def _lock_years(self, years: set[tuple[str, int]]) -> None:
        """Hold the years the commit writes into, so that ``close-year`` cannot freeze one meanwhile;
        whether they are closed is then read again (a database's units of work; the fakes have one writer)."""
        return None

    def lock(self, key: str) -> None:
        """Hold a named lock until this unit of work ends (PostgreSQL; one writer at a time elsewhere)."""
        return None

    def _check(self, tracked: Tracked) -> None:
        self.check_agency(tracked.case.agency)
        for event in tracked.new_events:
            self.check_event(tracked.case, event)

    # The checks, also offered to use cases that want a refusal before they do any work.

    def check_agency(self, agency: str) -> None:
        """The actor acts only within their own agency (a platform officer within any)."""
        if self.actor.agency is not None and agency != self.actor.agency:
            raise NotPermitted(f"经办人 {self.actor.officer!r} 属于机关 {self.actor.agency!r}，"
                               f"不能办理机关 {agency!r} 的申请")

    def check_year(self, agency: str, on: date, action: str) -> None:
        """Nothing is dated in a year whose report is frozen (for this agency or the whole platform);
        the commit holds the year and asks again. The year is held from here on, before anything is
        flushed: a flush appends to the agency's evidence chain (``store.evidence.ledger``), whose lock
        close-year takes after the year's, so taking them the other way round would deadlock."""
        self._dated.add((agency, on.year, action))
        self._lock_years({(agency, on.year)})
        if self.requests.year_closed(agency, on.year):
            raise FrozenYear(on.year, action)

    def check_event(self, case: Case, event: Event) -> None:
        self.check_year(case.agency, event.on, event.action)
        for year, what in corrections.reaches_back(case.events, event):  # a correction of a frozen year
            if self.requests.year_closed(case.agency, year):
                raise FrozenYear(year, event.action, what)
        approver = event.payload.get("approved_by") if event.action in a.HEAD_APPROVES else None
        why = corrections.needs_head(case.events, event)
        if approver is None and why and self.actor.role != "single":  # officers are registered
            raise InvalidInput("--approved-by", f"{why}须经负责人批准；应写 "
                                                f"--approved-by 姓名（机关 {case.agency!r} 的负责人）")
        if approver is not None and not self.requests.may_approve(case.agency, str(approver)):
            raise NotApprover(str(approver), case.agency)
        if approver is not None and self.actor.signed_in and str(approver) != self.actor.officer \
                and not self._approved(case, event.action, str(approver)):
            raise NotPermitted(f"--approved-by {approver!r}：负责人须以本人登录批准，请其先运行 "
                               f"gongkai approve {case.ref} {event.action}（或由负责人本人办理）")

    def _approved(self, case: Case, action: str, approver: str) -> bool:
        """The approver's own approval, used up once in this unit of work (checked early and at commit)."""
        key = (case.ref, action, approver)
        if key not in self._approvals_used and self.requests.consume_approval(case, action, approver):
            self._approvals_used.add(key)
        return key in self._approvals_used

    @property
    def session(self) -> Session:
        """The transaction itself, for what reads across every table at once (the year's report that
        closing freezes); only a database has one."""
        raise NotImplementedError(f"{type(self).__name__} has no database session")

    def bulk(self) -> BulkWriter:
        """The import's writer thread on this unit of work's transaction; only a database has one."""
        raise NotImplementedError(f"{type(self).__name__} cannot import in bulk")

    @abstractmethod
    def meta(self, key: str) -> str | None: ...

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...


def _years_written(tracked: Tracked) -> Iterator[tuple[str, int]]:
    """(agency, year) of every new event's date, and of the years a correction reaches back into."""
    case = tracked.case
    for event in tracked.new_events:
        yield case.agency, event.on.year
        for year, _ in corrections.reaches_back(case.events, event):
            yield case.agency, year


class SqlUnitOfWork(UnitOfWork):
    """One database transaction (``BEGIN IMMEDIATE`` on SQLite, so writers queue instead of deadlocking)."""

    def __init__(self, engine: Engine, actor: Identity, context: Context, write: bool = True) -> None:
        super().__init__(actor, write)
        self.engine = engine
        self.context = context
        self._session: Session | None = None

    def __enter__(self) -> SqlUnitOfWork:
        super().__enter__()
        bind = self.engine.execution_options(sqlite_begin="IMMEDIATE") if self.write else self.engine
        self._session = Session(bind, expire_on_commit=False)
        self._session.begin()
        self.requests = SqlRequests(self._session, self.context)
        self.appeals = SqlAppeals(self._session)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            super().__exit__(kind, exc, tb)
        finally:
            assert self._session is not None
            self._session.close()
        if isinstance(exc, OperationalError):
            raise DatabaseError(f"数据库出错：{db.first_line(exc)}") from None
        changed = self.requests.changed() if isinstance(exc, IntegrityError) and hasattr(self, "requests") else []
        if changed:  # another writer appended the same event number first
            raise ConcurrentChange(", ".join(t.case.ref for t in changed)) from None

    @property
    def session(self) -> Session:
        assert self._session is not None
        return self._session

    def bulk(self) -> BulkWriter:
        """The import's writer thread on this unit of work's transaction (``BulkRequests`` writes
        whole histories through it)."""
        return BulkWriter(self.session)

    def _lock_years(self, years: set[tuple[str, int]]) -> None:
        if years and self.session.get_bind().dialect.name == "postgresql":
            lock_years_to_write(self.session, years)
            if isinstance(self.requests, SqlRequests):
                self.requests.forget_closed_years()

    def lock(self, key: str) -> None:
        advisory_locks(self.session, [key])

    def meta(self, key: str) -> str | None:
        assert self._session is not None
        row = self._session.get(models.Meta, key)
        return row.value if row is not None else None

    def set_meta(self, key: str, value: str) -> None:
        assert self._session is not None
        self._session.merge(models.Meta(key=key, value=value))

    def _commit(self) -> None:
        assert self._session is not None
        self._session.commit()
        if self.write:
            db.note_saved()

    def rollback(self) -> None:
        # Closing ends the transaction without writing; its objects are detached with what they had
        # loaded (a rollback would expire them), so what a reading use case returns stays readable.
        if self._session is not None:
            self._session.close()
