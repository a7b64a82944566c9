"""Reading a request's history, the hash chain its events carry, and what the replay caches on its row.

Events are appended only by the unit of work's commit (``workflow.store.repository``). Each event row carries ``hash = sha256(prev_hash + canonical content)``, chained per request from
``GENESIS``, so an edited, deleted or inserted row breaks the chain (checked by ``gongkai verify``).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from rules import deadline_kinds as kinds
from workflow.domain.errors import UnknownRequest
from workflow.domain.lifecycle import Case, Context, Event
from workflow.domain.states import RECEIVED, TERMINAL_STATES
from workflow.store import models

GENESIS = "0" * 64


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def utc(moment: datetime) -> datetime:
    """The moment as naive UTC, which is what is hashed: a history must verify the same on machines
    set to any time zone, whether the database hands timestamps back with a zone or without."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def now() -> datetime:
    """Timestamps are recorded in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def event_hash(prev_hash: str, agency: str, ref: str, seq: int, action: str, on: date,
               recorded_at: datetime, officer: str, payload: str) -> str:
    """sha256 of the previous hash and the event's canonical content: the JSON object ``canonical``
    makes of agency, ref, seq, action, on, recorded_at (naive UTC), officer and payload.

    The object is written out directly in ``canonical``'s form (keys sorted, no spaces, strings as
    ``json`` escapes them), with the stored payload, itself canonical, set in as it is: the same bytes
    as ``canonical`` gives (a test holds the two together), at a fraction of the cost, which matters
    to an import of a million requests and to ``verify``."""
    content = (f'{{"action":{_string(action)},"agency":{_string(agency)},"officer":{_string(officer)},'
               f'"on":"{on.isoformat()}","payload":{payload},"recorded_at":"{_moment(recorded_at)}",'
               f'"ref":{_string(ref)},"seq":{seq:d}}}')
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def chained(prev_hash: str, agency: str, ref: str, after_seq: int, events: Sequence[Event],
            payloads: Sequence[str], recorded_at: datetime) -> Iterator[tuple[int, str, str]]:
    """(seq, prev_hash, hash) of each event appended after ``after_seq``, each chained to the one
    before: the one definition of how a history grows, for the unit of work's commit and the import's
    bulk writer alike. ``payloads`` are the events' canonical payloads."""
    seq = after_seq
    for e, payload in zip(events, payloads, strict=True):
        seq += 1
        h = event_hash(prev_hash, agency, ref, seq, e.action, e.on, recorded_at, e.officer, payload)
        yield seq, prev_hash, h
        prev_hash = h


_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str


@functools.lru_cache(maxsize=4096)
def _moment(recorded_at: datetime) -> str:
    return utc(recorded_at).isoformat()


def to_domain(row: models.Event) -> Event:
    return Event(row.action, row.occurred_on, json.loads(row.payload), row.officer, row.recorded_at, row.seq)


def find(session: Session, agency: str | None, ref: str) -> models.Request:
    query = select(models.Request).where(models.Request.ref == ref)
    if agency is not None:
        query = query.where(models.Request.agency == agency)
    rows = session.execute(query).scalars().all()
    if len(rows) != 1:
        raise UnknownRequest(ref, agency, _same_number(session, agency, ref)) if not rows else UnknownRequest(ref, several=True)
    return rows[0]


def _same_number(session: Session, agency: str | None, ref: str) -> list[str]:
    """The references of other years with the number of ``ref`` (``17`` typed in 2027 for 2026-0017):
    what an unknown reference probably meant, named in the refusal. One indexed query (agency, year, seq)."""
    year, _, number = ref.partition("-")
    if not (year.isdigit() and number.isdigit()):
        return []
    query = select(models.Request.ref).where(models.Request.seq == int(number)).order_by(
        col(models.Request.year).desc()).limit(5)
    if agency is not None:
        query = query.where(models.Request.agency == agency)
    return sorted(set(session.execute(query).scalars().all()), reverse=True)


def events_of(session: Session, request_id: int) -> list[models.Event]:
    query = select(models.Event).where(models.Event.request_id == request_id).order_by(col(models.Event.seq))
    return list(session.execute(query).scalars())


def load(session: Session, row: models.Request, context: Context) -> Case:
    assert row.id is not None
    return Case.replay(row.ref, [to_domain(e) for e in events_of(session, row.id)], context)


def cached_columns(case: Case) -> dict[str, Any]:
    """What the request row caches: state, outcome and the deadlines as of the last event."""
    sched = case.schedule()
    # A correction can be asked for only while the request is plainly received; the reply deadline
    # does not run while its clock is paused.
    open_deadlines = [] if case.state in TERMINAL_STATES else [
        d for d in sched.open_deadlines()
        if not (d.kind == kinds.REPLY and sched.paused_now)
        and not (d.kind == kinds.CORRECTION_NOTICE and case.state != RECEIVED)
    ]
    # The correction-notice day is a last chance, not a duty: it never makes a request overdue.
    duties = [d for d in open_deadlines if d.kind != kinds.CORRECTION_NOTICE]
    nxt = min(duties, key=lambda d: d.due, default=None)
    reply = sched.reply
    return {
        "state": case.state,
        "outcome": case.outcome,
        "concluded_on": sched.concluded_on,
        "reply_due": reply.due if reply else None,
        "reply_due_provisional": bool(reply and reply.provisional),
        "reply_delayed": bool(reply and sched.statutory_due and reply.due != sched.statutory_due),
        "late": sched.late,
        "next_due": nxt.due if nxt else None,
        "next_due_kind": nxt.kind if nxt else None,
        "_deadlines": open_deadlines,
    }


def year_closed(session: Session, agency: str, year: int) -> bool:
    """Whether the year's report is frozen, for this agency or the whole platform."""
    closed = session.execute(
        select(models.ClosedYear.id).where(
            col(models.ClosedYear.agency).in_([agency, "*"]), models.ClosedYear.year == year)
    ).first()
    return closed is not None
