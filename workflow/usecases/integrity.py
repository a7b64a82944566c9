"""``gongkai verify``: the history is complete, unaltered, and agrees with what the rows say.

Request records are evidence in reviews and lawsuits. Three independent checks, each a finding
(ref, what, detail), never an exception:

* the hash chain of each request's events: an edited, inserted or deleted event breaks it;
* the numbering of each agency's year: a deleted request leaves a gap (below an imported reference,
  only the numbers that register must have given count); a voided one does not (``gongkai void`` keeps its row and number, and its history says who and why);
* the replay: the state, outcome and deadlines that the events give must equal the cached row and
  deadline rows, so a row edited behind gongkai's back is caught too.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from sqlmodel import Session, col, select

from workflow.app import Gongkai
from workflow.domain.errors import GongkaiError
from workflow.domain.lifecycle import Case
from workflow.store import db, history, models


@dataclass(frozen=True)
class Finding:
    ref: str
    check: str  # chain | numbering | replay
    detail: str


def _chain(row: models.Request, events: list[models.Event]) -> Iterator[Finding]:
    prev = history.GENESIS
    for expected_seq, e in enumerate(events, start=1):
        if e.seq != expected_seq:
            yield Finding(row.ref, "chain", f"event #{expected_seq} is missing (found #{e.seq} in its place)")
            return
        if e.prev_hash != prev:
            yield Finding(row.ref, "chain", f"event #{e.seq} does not follow event #{e.seq - 1} (chain broken)")
            return
        try:
            recomputed = history.event_hash(prev, row.agency, row.ref, e.seq, e.action, e.occurred_on,
                                            e.recorded_at, e.officer, e.payload)
        except (ValueError, TypeError):
            recomputed = ""
        if recomputed != e.hash:
            yield Finding(row.ref, "chain", f"event #{e.seq} ({e.action}) was altered after it was recorded")
            return
        prev = e.hash
    if prev != row.last_hash:
        yield Finding(row.ref, "chain", "the newest event(s) were removed: the request row records a later hash")


def _replay(app: Gongkai, session: Session, row: models.Request, events: list[models.Event]) -> Iterator[Finding]:
    try:
        case = Case.replay(row.ref, [history.to_domain(e) for e in events], app.context)
    except (GongkaiError, KeyError, ValueError, StopIteration, json.JSONDecodeError) as e:
        yield Finding(row.ref, "replay", f"the history does not replay: {e}")
        return
    if case.received_on != row.received_on:
        yield Finding(row.ref, "replay", f"received_on is {row.received_on} but the history says {case.received_on}")
    cached = history.cached_columns(case)
    stored_deadlines = sorted(
        (d.kind, d.key, d.due_on.isoformat()) for d in
        session.execute(select(models.Deadline).where(models.Deadline.request_id == row.id)).scalars())
    expected = sorted((d.kind, d.key, d.due.isoformat()) for d in cached.pop("_deadlines"))
    for column, value in cached.items():
        if getattr(row, column) != value:
            yield Finding(row.ref, "replay", f"{column} is {getattr(row, column)!r} but the history gives {value!r}")
    if stored_deadlines != expected:
        yield Finding(row.ref, "replay", f"deadline rows {stored_deadlines} differ from the history's {expected}")


def _numbering(rows: list[models.Request]) -> Iterator[Finding]:
    """Numbers that certainly existed and are gone. ``register`` numbers max + 1, so a registered
    request numbered n means n - 1 existed then; in an agency's year with no imported request every
    number up to the highest was given that way, so every gap is a deletion. An imported reference
    (2026-0042) leaves the numbers below it to the office's old ledger: no alarm for them. One finding
    per gap, never one per number, so a reference like 2026-999999999 costs nothing."""
    years: dict[tuple[str, int], list[tuple[int, bool]]] = defaultdict(list)
    for r in rows:
        years[(r.agency, r.year)].append((r.seq, bool(r.imported_from)))
    for (agency, year), numbered in sorted(years.items()):
        numbered.sort()
        any_imported = any(imported for _, imported in numbered)
        previous = 0
        for seq, imported in numbered:
            if seq > previous + 1:
                if not any_imported:
                    yield _missing(agency, year, previous + 1, seq - 1)
                elif not imported:
                    yield _missing(agency, year, seq - 1, seq - 1)
            previous = max(previous, seq)


def _missing(agency: str, year: int, first: int, last: int) -> Finding:
    ref = f"{year}-{first:04d}"
    if first == last:
        return Finding(ref, "numbering", f"request {ref} of agency {agency!r} is missing (deleted?)")
    return Finding(ref, "numbering", f"requests {ref} to {year}-{last:04d} ({last - first + 1} numbers) of agency "
                                     f"{agency!r} are missing (deleted?)")


def verify(app: Gongkai) -> tuple[int, list[Finding]]:
    """Check every request the actor may see; returns (requests checked, findings)."""
    findings: list[Finding] = []
    with db.unit_of_work(app.engine, write=False) as session:
        query = select(models.Request).order_by(col(models.Request.id))
        if app.agency:
            query = query.where(models.Request.agency == app.agency)
        rows = list(session.execute(query).scalars())
        by_id = {r.id: r for r in rows}
        events = session.execute(select(models.Event).order_by(col(models.Event.request_id), col(models.Event.seq)))
        seen: set[int] = set()
        for request_id, group in groupby(events.scalars(), key=lambda e: e.request_id):
            row = by_id.get(request_id)
            if row is None:
                continue
            seen.add(request_id)
            evs = list(group)
            findings.extend(_chain(row, evs))
            findings.extend(_replay(app, session, row, evs))
        for r in rows:
            if r.id not in seen:
                findings.append(Finding(r.ref, "chain", "the request has no events at all"))
        findings.extend(_numbering(rows))
    return len(rows), findings
