"""What one command costs the database: one start-up read, one write, the history read once.

The issue "One write path" asked for this to be counted, not guessed: SQLAlchemy's engine events see
every transaction begun and every statement sent, whichever engine the command makes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, event

from tests.database import Cli
from workflow.domain import lifecycle


@dataclass
class Counted:
    transactions: int = 0
    statements: list[str] = field(default_factory=list)

    def reading(self, table: str) -> list[str]:
        return [s for s in self.statements if re.match(rf"\s*SELECT\b.*\bFROM {table}\b", s, re.S | re.I)]

    def writing(self) -> list[str]:
        return [s for s in self.statements if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", s, re.I)]


@contextmanager
def counting() -> Iterator[Counted]:
    counted = Counted()

    def begin(conn: Any) -> None:
        counted.transactions += 1

    def statement(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        counted.statements.append(sql)

    event.listen(Engine, "begin", begin)
    event.listen(Engine, "before_cursor_execute", statement)
    try:
        yield counted
    finally:
        event.remove(Engine, "begin", begin)
        event.remove(Engine, "before_cursor_execute", statement)


def _registered(cli: Cli) -> str:
    cli("register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
        "--applicant-type", "natural_person", "--subject", "2025年低保资金发放明细")
    cli("advance", "2026-0001", "consult", "--on", "2026-03-03")
    cli("advance", "2026-0001", "consult-reply", "--on", "2026-03-10")
    return "2026-0001"


def test_advance_decide_is_one_start_up_read_and_one_write_reading_the_history_once(cli: Cli) -> None:
    ref = _registered(cli)
    with counting() as counted:
        cli("advance", ref, "decide", "--outcome", "disclosed", "--on", "2026-03-16")
    assert counted.transactions <= 2, counted.statements
    assert len(counted.reading("event")) == 1, counted.reading("event")
    assert len(counted.reading("request")) == 1, counted.reading("request")


def test_advance_replays_the_history_once_and_works_out_its_deadlines_once(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = _registered(cli)
    replays: list[str] = []
    schedules: list[tuple[int, date | None]] = []
    replay, schedule = lifecycle.Case.replay.__func__, lifecycle.schedule  # type: ignore[attr-defined]

    def counted_replay(cls: type, ref: str, *args: Any) -> Any:
        replays.append(ref)
        return replay(cls, ref, *args)

    def counted_schedule(received_on: date, events: Any, *args: Any) -> Any:
        schedules.append((len(events), args[-1]))
        return schedule(received_on, events, *args)

    monkeypatch.setattr(lifecycle.Case, "replay", classmethod(counted_replay))
    monkeypatch.setattr(lifecycle, "schedule", counted_schedule)
    cli("advance", ref, "decide", "--outcome", "disclosed", "--on", "2026-03-16")
    assert replays == [ref]
    # The history before the decision (the guards' view on the day), after it (the cached columns and
    # deadlines), and the view printed for today: each worked out once.
    assert len(schedules) == len(set(schedules)) <= 3, schedules


def test_a_read_command_writes_nothing(cli: Cli) -> None:
    ref = _registered(cli)
    for command in (("show", ref), ("list",), ("due",), ("report", "2026")):
        with counting() as counted:
            cli(*command)
        assert counted.writing() == [], (command, counted.writing())
