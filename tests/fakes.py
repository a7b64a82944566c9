"""An in-memory unit of work, so that every use case can be tested without a database.

``FakeStore`` is what a database would hold; each ``FakeUnitOfWork`` works on it the way
``SqlUnitOfWork`` works on a transaction: requests registered in it and events applied to its cases
reach the store only when it commits, after the same checks (they live in ``UnitOfWork`` itself).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from rules import actions as a
from workflow.app import Gongkai
from workflow.domain.errors import ConcurrentChange, InvalidInput, UnknownRequest
from workflow.domain.identity import Identity
from workflow.domain.lifecycle import Case, Context, Event
from workflow.domain.quotes import items_recorded
from workflow.domain.states import OPEN_STATES
from workflow.settings import Settings
from workflow.store import history, models
from workflow.store.repository import Requests, Tracked
from workflow.store.unit_of_work import UnitOfWork


@dataclass
class FakeStore:
    rows: dict[int, models.Request] = field(default_factory=dict)
    events: dict[int, list[Event]] = field(default_factory=dict)
    closed: set[tuple[str, int]] = field(default_factory=set)  # (agency or "*", year)
    approvers: dict[str, str] | None = None  # supervisor → agency; None: no officer registry
    agencies: set[str] = field(default_factory=set)
    agency_names: dict[str, str] = field(default_factory=dict)  # code → name, for the letters
    appeals: dict[int, models.Appeal] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    commits: int = 0
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def copy_of(self, ref: str) -> tuple[dict[str, Any], list[Event]]:
        """What the store holds of a request, to compare before and after."""
        row = next(r for r in self.rows.values() if r.ref == ref)
        assert row.id is not None
        return row.model_dump(), list(self.events[row.id])


class FakeRequests(Requests):
    def __init__(self, store: FakeStore, context: Context) -> None:
        super().__init__(context)
        self.store = store
        self.pending: dict[int, models.Request] = {}

    def _rows(self) -> list[models.Request]:
        return [*self.store.rows.values(), *self.pending.values()]

    def _load(self, ref: str, agency: str | None) -> tuple[models.Request, list[Event], str]:
        found = [r for r in self.store.rows.values() if r.ref == ref and agency in (None, r.agency)]
        if len(found) != 1:
            raise UnknownRequest(ref, agency)
        row = found[0].model_copy()  # the unit of work's own copy, as a session's would be
        assert row.id is not None
        return row, list(self.store.events[row.id]), "hash"

    def _insert(self, row: models.Request) -> None:
        row.seq = 1 + max((r.seq for r in self._rows() if (r.agency, r.year) == (row.agency, row.year)), default=0)
        row.ref = row.ref or f"{row.year}-{row.seq:04d}"
        if any((r.agency, r.ref) == (row.agency, row.ref) for r in self._rows()):
            raise InvalidInput("ref", f"机关 {row.agency!r} 已有编号为 {row.ref} 的申请")
        row.id = next(self.store.ids)
        self.pending[row.id] = row

    def _write(self, tracked: Tracked) -> None:
        row, case = tracked.row, tracked.case
        assert row.id is not None
        stored = self.store.rows.get(row.id)
        if stored is not None and stored.version != case.version:
            raise ConcurrentChange(row.ref)
        events = self.store.events.setdefault(row.id, [])
        for i, e in enumerate(tracked.new_events, start=tracked.stored):
            case.events[i] = dataclasses.replace(e, seq=i + 1, recorded_at=datetime(2026, 1, 1, tzinfo=UTC))
            events.append(case.events[i])
        values = history.cached_columns(case)
        values.pop("_deadlines")
        for k, v in {**values, "version": case.version + 1}.items():
            setattr(row, k, v)
        self.pending[row.id] = row

    def publish(self) -> None:
        self.store.rows.update({k: v.model_copy() for k, v in self.pending.items()})

    def year_closed(self, agency: str, year: int) -> bool:
        return (agency, year) in self.store.closed or ("*", year) in self.store.closed

    def may_approve(self, agency: str, officer: str) -> bool:
        return self.store.approvers is None or self.store.approvers.get(officer) == agency

    def agency_known(self, code: str) -> bool:
        return code in self.store.agencies

    def agency_name(self, code: str) -> str | None:
        return self.store.agency_names.get(code)

    def items_before(self, row: models.Request, scope: str) -> int:
        earlier = [r for r in self._rows() if r.applicant_name == row.applicant_name and r.id != row.id
                   and (r.received_on.year, r.received_on.month) == (row.received_on.year, row.received_on.month)
                   and (r.received_on, r.id or 0) < (row.received_on, row.id or 0)
                   and (scope == "all" or r.agency == row.agency)]
        counted = 0
        for r in earlier:
            assert r.id is not None
            fee = next((e for e in self.store.events[r.id] if e.action == a.NOTIFY_FEE), None)
            counted += (items_recorded(dict(fee.payload)) if fee else None) or 1
        return counted

    def stale(self) -> Iterator[Case]:
        for row in list(self.store.rows.values()):
            if row.state in OPEN_STATES or row.reply_due_provisional:
                case = self.get(row.ref, row.agency)
                self._seen[id(case)].refresh = True
                yield case


class FakeAppeals:
    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.pending: list[models.Appeal] = []

    def add(self, appeal: models.Appeal) -> models.Appeal:
        appeal.id = next(self.store.ids)
        self.pending.append(appeal)
        return appeal

    def get(self, appeal_id: int) -> tuple[models.Appeal, models.Request] | None:
        appeal = self.store.appeals.get(appeal_id)
        if appeal is None:
            return None
        appeal = appeal.model_copy()
        self.pending.append(appeal)
        return appeal, self.store.rows[appeal.request_id]

    def of_request(self, request_id: int) -> list[models.Appeal]:
        return [a for a in self.store.appeals.values() if a.request_id == request_id]


class FakeUnitOfWork(UnitOfWork):
    def __init__(self, store: FakeStore, actor: Identity, context: Context, write: bool = True) -> None:
        super().__init__(actor, write)
        self.store = store
        self.context = context

    def __enter__(self) -> FakeUnitOfWork:
        super().__enter__()
        self.requests = FakeRequests(self.store, self.context)
        self.appeals = FakeAppeals(self.store)
        self._meta: dict[str, str] = {}
        return self

    def meta(self, key: str) -> str | None:
        return self._meta.get(key, self.store.meta.get(key))

    def set_meta(self, key: str, value: str) -> None:
        self._meta[key] = value

    def _commit(self) -> None:
        assert isinstance(self.requests, FakeRequests)
        self.requests.publish()
        self.store.appeals.update({a.id: a for a in self.appeals.pending if a.id is not None})
        self.store.meta.update(self._meta)
        self.store.commits += 1

    def rollback(self) -> None:
        pass  # nothing reached the store


def fake_app(store: FakeStore, today: date = date(2026, 11, 25), officer: str = "李明",
             agency: str | None = None, role: str = "single") -> Gongkai:
    """A ``Gongkai`` whose units of work are in memory: no engine, no database file."""
    return Gongkai(engine=None, settings=Settings.load(), officer=officer, today=today,  # type: ignore[arg-type]
                   agency=agency, role=role,
                   uow_factory=lambda app: FakeUnitOfWork(store, app.identity, app.context))
