"""The ledger: every fact outside a request's own history, written into a hash chain as it is written.

A report, a letter or a permission depends on more than the requests' events: the agencies and
officers (who may act), appeals (table 四), closed years and their frozen reports, the year log and
table 二. Each time such a row is inserted, changed or deleted, the session's flush appends one entry
``(chain, seq, kind, key, payload)`` with the row's columns as written (``null`` once deleted), chained
by ``hash = sha256(prev_hash + canonical entry)`` like the events (``workflow.store.history``). No use
case has to remember to call it: a SQLAlchemy ``after_flush`` hook records every tracked row, so the
identity work's new officer columns are covered too. ``record`` is the same step for a caller that
writes outside the ORM.

``gongkai verify`` replays each chain (``replayed``) and compares the result with the tables: a row
deleted, altered or slipped in with SQL disagrees with the ledger. Example: closing 2025 for agency
``ziran`` appends ``closed_year ziran/2025 {"checksum": "9f…", …}`` and ``year_log 7 {…}`` to chain
``agency:ziran``; deleting the ``closed_year`` row (the year silently reopens) leaves the ledger saying
it is closed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import MetaData, Table, event, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, SQLModel

from workflow.store import history, models

REGISTRY = "registry"
LEDGER: Table = models.Ledger.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Tracked:
    kind: str
    model: type[SQLModel]
    key: Callable[[Any], str]
    chain: Callable[[Connection, Any], str]


def _agency_chain(_: Connection, row: Any) -> str:
    return f"agency:{row.agency}"


def _appeal_chain(connection: Connection, row: Any) -> str:
    agency = connection.execute(text("SELECT agency FROM request WHERE id = :id"), {"id": row.request_id}).scalar()
    return f"agency:{agency}"


TRACKED: tuple[Tracked, ...] = (
    Tracked("agency", models.Agency, lambda r: str(r.code), lambda c, r: REGISTRY),
    Tracked("officer", models.Officer, lambda r: str(r.name), lambda c, r: REGISTRY),
    Tracked("appeal", models.Appeal, lambda r: str(r.id), _appeal_chain),
    Tracked("closed_year", models.ClosedYear, lambda r: f"{r.agency}/{r.year}", _agency_chain),
    Tracked("year_log", models.YearLog, lambda r: str(r.id), _agency_chain),
    Tracked("table2_entry", models.Table2Entry,
            lambda r: f"{r.agency}/{r.year}/{r.block}/{r.row_code}/{r.column_code}", _agency_chain),
)
BY_MODEL = {t.model: t for t in TRACKED}
# A closed year's report is pinned by its checksum; the id is renumbered when a year is closed again.
LEFT_OUT = {"closed_year": {"id", "report"}}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return history.utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def facts(kind: str, row: Any) -> dict[str, Any]:
    """The row's columns as the ledger records them (dates ISO, moments naive UTC to the second)."""
    left_out = LEFT_OUT.get(kind, set())
    return {c: _plain(getattr(row, c)) for c in type(row).model_fields if c not in left_out}


def entry_hash(prev_hash: str, chain: str, seq: int, kind: str, key: str, payload: str, recorded_at: datetime) -> str:
    content = history.canonical({"chain": chain, "seq": seq, "kind": kind, "key": key,
                                 "payload": json.loads(payload), "recorded_at": history.utc(recorded_at).isoformat()})
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def _lock(connection: Connection, chain: str) -> None:
    """Appends to one chain queue (PostgreSQL; SQLite writers are one at a time already)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"gongkai-ledger:{chain}"})


def append(connection: Connection, chain: str, kind: str, key: str, payload: dict[str, Any] | None) -> None:
    """Append one entry to ``chain``, after its head."""
    _lock(connection, chain)
    head = connection.execute(
        text("SELECT seq, hash FROM ledger WHERE chain = :c ORDER BY seq DESC LIMIT 1"), {"c": chain}).first()
    seq, prev = (head[0] + 1, head[1]) if head else (1, history.GENESIS)
    body, now = history.canonical(payload) if payload is not None else "null", history.now()
    connection.execute(insert(LEDGER).values(
        chain=chain, seq=seq, kind=kind, key=key, payload=body, recorded_at=now, prev_hash=prev,
        hash=entry_hash(prev, chain, seq, kind, key, body, now)))


def record(session: Session, kind: str, key: str, payload: dict[str, Any] | None, chain: str = REGISTRY) -> None:
    """Append a fact to a chain from code that writes outside the ORM (the hook covers ORM writes)."""
    append(session.connection(), chain, kind, key, payload)


def record_row(connection: Connection, row: Any, deleted: bool = False) -> None:
    tracked = BY_MODEL[type(row)]
    append(connection, tracked.chain(connection, row), tracked.kind, tracked.key(row),
           None if deleted else facts(tracked.kind, row))


def record_inserted(connection: Connection, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Record rows a bulk ``INSERT`` wrote past the ORM (the appeals import), each with its new id."""
    for values in rows:
        record_row(connection, model(**values))


@event.listens_for(OrmSession, "after_flush")
def _after_flush(session: OrmSession, _: Any) -> None:
    """Every tracked row the flush wrote, in the order of ``TRACKED`` (stable, so chains replay alike)."""
    written = [(o, False) for o in session.new] + [(o, False) for o in session.dirty if session.is_modified(o)]
    written += [(o, True) for o in session.deleted]
    written = [w for w in written if type(w[0]) in BY_MODEL]
    if not written:
        return
    order = {t.model: i for i, t in enumerate(TRACKED)}
    connection = session.connection()
    for row, deleted in sorted(written, key=lambda w: (order[type(w[0])], BY_MODEL[type(w[0])].key(w[0]))):
        record_row(connection, row, deleted)


def seed(connection: Connection) -> int:
    """Record every tracked row as it is now (the migration that introduces the ledger). The tables are
    read as they are at that revision, so a column a later migration adds is simply not yet recorded."""
    count = 0
    for tracked in TRACKED:
        table = Table(str(tracked.model.__tablename__), MetaData(), autoload_with=connection)
        for found in connection.execute(select(table)).mappings():
            row = SimpleNamespace(**found)
            kept = LEFT_OUT.get(tracked.kind, set())
            append(connection, tracked.chain(connection, row), tracked.kind, tracked.key(row),
                   {c: _plain(v) for c, v in found.items() if c not in kept})
            count += 1
    return count


# -- checking ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Break:
    chain: str
    detail: str


def chains(session: Session, only: Iterable[str] | None = None) -> Iterator[tuple[str, list[models.Ledger]]]:
    query = select(models.Ledger).order_by(models.Ledger.chain, models.Ledger.seq)  # type: ignore[arg-type]
    wanted = set(only) if only is not None else None
    current: list[models.Ledger] = []
    for entry in session.execute(query).scalars():
        if current and entry.chain != current[0].chain:
            if wanted is None or current[0].chain in wanted:
                yield current[0].chain, current
            current = []
        current.append(entry)
    if current and (wanted is None or current[0].chain in wanted):
        yield current[0].chain, current


def broken(chain: str, entries: list[models.Ledger]) -> str | None:
    """Why the chain does not hold, in Chinese; None when every entry follows the one before."""
    prev = history.GENESIS
    for expected, e in enumerate(entries, start=1):
        if e.seq != expected:
            return f"第 {expected} 条记录缺失（该处是第 {e.seq} 条）"
        if e.prev_hash != prev:
            return f"第 {e.seq} 条记录不接续第 {e.seq - 1} 条（链已断开）"
        try:
            recomputed = entry_hash(prev, chain, e.seq, e.kind, e.key, e.payload, e.recorded_at)
        except (ValueError, TypeError):
            recomputed = ""
        if recomputed != e.hash:
            return f"第 {e.seq} 条记录（{e.kind} {e.key}）在记录后被改动"
        prev = e.hash
    return None


def replayed(entries: Iterable[models.Ledger]) -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, key) → the row's facts as the ledger last recorded them; deleted rows are left out."""
    state: dict[tuple[str, str], dict[str, Any]] = {}
    for e in entries:
        payload = json.loads(e.payload)
        if payload is None:
            state.pop((e.kind, e.key), None)
        else:
            state[(e.kind, e.key)] = payload
    return state
