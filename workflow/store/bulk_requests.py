"""The import's way into the repository: whole histories, already replayed and checked, written in
bulk.

An import brings up to a million requests with their histories. They are not cases handed out and
changed one by one, so they do not pass through the unit of work's per-case commit; they pass here,
inside the import's unit of work (its one transaction), chained by the same ``history.chained`` as
every other history, and written as multi-row INSERTs (COPY on PostgreSQL) by the
:class:`~workflow.store.bulk.BulkWriter` thread while the import reads its next batch. The checks the
commit makes of a case (frozen years, agencies, approvers) the import makes of every row, so that it
can list each problem with its row number (``workflow.io.imports``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, Protocol

from sqlalchemy import text

from workflow.domain.lifecycle import Event
from workflow.store import history, models
from workflow.store.bulk import BulkWriter

REQUEST_ROW = ("id", "agency", "ref", "year", "seq", "received_on", "channel", "applicant_name", "applicant_type",
               "subject", "phone", "id_number", "address", "officer", "state", "outcome", "concluded_on",
               "reply_due", "reply_due_provisional", "reply_delayed", "late", "next_due", "next_due_kind", "version", "last_hash",
               "imported_from", "created_at")
EVENT_ROW = ("request_id", "seq", "action", "occurred_on", "recorded_at", "officer", "payload", "prev_hash", "hash")
DEADLINE_ROW = ("request_id", "kind", "key", "due_on", "provisional")
_request_row = itemgetter(*REQUEST_ROW)


class NewHistory(Protocol):
    """A request to be written whole: its row's values, its register event and its replayed history
    (``history.events``, ``.payloads`` canonical, ``.cached`` columns, open ``.deadlines``)."""

    agency: str
    ref: str
    values: dict[str, Any]
    register: Event
    history: Any


class BulkRequests:
    def __init__(self, writer: BulkWriter, recorded_at: datetime, next_id: int) -> None:
        self.writer = writer
        self.recorded_at = recorded_at
        self.next_id = next_id
        self.written = 0

    def add(self, batch: Sequence[NewHistory]) -> None:
        """Queue the request, event and deadline rows of ``batch`` for the writer."""
        ids = self._ids(len(batch))
        at = self.recorded_at
        requests: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        deadlines: list[tuple[Any, ...]] = []
        for request_id, p in zip(ids, batch, strict=True):
            stored = (p.register, *p.history.events)
            payloads = (history.canonical(dict(p.register.payload)), *p.history.payloads)
            last = history.GENESIS
            links = history.chained(last, p.agency, p.ref, 0, stored, payloads, at)
            for e, payload, (seq, before, last) in zip(stored, payloads, links, strict=True):
                events.append((request_id, seq, e.action, e.on, at, e.officer, payload, before, last))
            requests.append(_request_row({**p.values, **p.history.cached, "id": request_id, "ref": p.ref,
                                          "version": 1, "last_hash": last, "created_at": at}))
            deadlines.extend((request_id, d.kind, d.key, d.due, d.provisional) for d in p.history.deadlines)
        tables = models.metadata.tables
        self.writer.insert(tables["request"], REQUEST_ROW, requests)
        self.writer.insert(tables["event"], EVENT_ROW, events)
        self.writer.insert(tables["deadline"], DEADLINE_ROW, deadlines)
        self.written += len(batch)

    def _ids(self, n: int) -> list[int]:
        """Ids for ``n`` new requests, known before inserting so that their events can be inserted in
        bulk too (an INSERT … RETURNING per row would be the slow part of a large import)."""
        if self.writer.postgresql:
            query = text("SELECT nextval(pg_get_serial_sequence('request', 'id')) FROM generate_series(1, :n)")
            return self.writer.call(lambda session: list(session.execute(query, {"n": n}).scalars()))
        # SQLite: the writing transaction began IMMEDIATE, so no one else can take these ids meanwhile.
        ids = list(range(self.next_id, self.next_id + n))
        self.next_id += n
        return ids
